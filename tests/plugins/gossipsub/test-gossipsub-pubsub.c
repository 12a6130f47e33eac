/* The gossipsub plugin on hosts: SatoriGossipsubPubsub configured from a
 * [gossipsub] group, between hosts in one process (memory transport,
 * plaintext, yamux).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-config.h"
#include "satori-gossipsub-pubsub.h"
#include "satori-gossipsub-session.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_gossipsub_register (SatoriRegistry *registry, GError **error);

#define N_HOSTS 5
#define TOPIC "t"
#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

static SatoriGossipsubPubsub *
router_from (const char *group, GError **error)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autofree char *text = g_strconcat ("[gossipsub]\n", group, NULL);

  g_assert_true (satori_config_load_data (config, "test.conf", text, -1, NULL));
  return satori_config_new_object (config, "gossipsub", SATORI_TYPE_GOSSIPSUB_PUBSUB, error);
}

static void
test_config_group (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("[gossipsub] keys set the router's parameters; the others keep the spec's "
                  "defaults; bad values are errors naming the key");
  g_autoptr(SatoriGossipsubPubsub) router = router_from (
    "d=8\nd-low=5\nd-high=16\nd-lazy=7\nheartbeat-interval=700\nseen-ttl=30\n"
    "flood-publish=false\nmax-message-size=65536\nsignature-policy=strict-no-sign\n"
    "message-id=content\ngraylist-threshold=-100\ntopic-weight=0.5\n"
    "topic-mesh-message-deliveries-weight=-2\n", &error);
  g_assert_no_error (error);
  guint d, d_low, d_high, d_lazy, d_out, heartbeat, seen_ttl, history;
  guint64 max_size;
  gboolean flood, px;
  double graylist, gossip, topic_weight, p3_weight;
  g_autofree char *policy = NULL;
  g_autofree char *message_id = NULL;
  g_object_get (router, "d", &d, "d-low", &d_low, "d-high", &d_high, "d-lazy", &d_lazy,
                "d-out", &d_out, "heartbeat-interval", &heartbeat, "seen-ttl", &seen_ttl,
                "history-length", &history, "max-message-size", &max_size,
                "flood-publish", &flood, "do-px", &px, "graylist-threshold", &graylist,
                "gossip-threshold", &gossip, "topic-weight", &topic_weight,
                "topic-mesh-message-deliveries-weight", &p3_weight,
                "signature-policy", &policy, "message-id", &message_id, NULL);
  g_assert_cmpuint (d, ==, 8);
  g_assert_cmpuint (d_low, ==, 5);
  g_assert_cmpuint (d_high, ==, 16);
  g_assert_cmpuint (d_lazy, ==, 7);
  g_assert_cmpuint (d_out, ==, 2);
  g_assert_cmpuint (heartbeat, ==, 700);
  g_assert_cmpuint (seen_ttl, ==, 30);
  g_assert_cmpuint (history, ==, 5);
  g_assert_cmpuint (max_size, ==, 65536);
  g_assert_false (flood);
  g_assert_true (px);
  g_assert_cmpfloat (graylist, ==, -100);
  g_assert_cmpfloat (gossip, ==, -10);
  g_assert_cmpfloat (topic_weight, ==, 0.5);
  g_assert_cmpfloat (p3_weight, ==, -2);
  g_assert_cmpstr (policy, ==, "strict-no-sign");
  g_assert_cmpstr (message_id, ==, "content");

  g_autoptr(SatoriGossipsubPubsub) spec = router_from ("", &error);
  g_assert_no_error (error);
  g_clear_pointer (&message_id, g_free);
  g_object_get (spec, "d", &d, "d-low", &d_low, "d-high", &d_high, "heartbeat-interval",
                &heartbeat, "message-id", &message_id, NULL);
  g_assert_cmpuint (d, ==, 6);
  g_assert_cmpuint (d_low, ==, 4);
  g_assert_cmpuint (d_high, ==, 12);
  g_assert_cmpuint (heartbeat, ==, 1000);
  g_assert_cmpstr (message_id, ==, "js");

  g_autoptr(SatoriGossipsubPubsub) bad = router_from ("heartbeat-interval=often\n", &error);
  g_assert_null (bad);
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "heartbeat-interval"));
}

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriGossipsubPubsub *routers[N_HOSTS];
  SatoriMultiaddr *addresses[N_HOSTS];
  GPtrArray *received[N_HOSTS];
} Fixture;

static void
on_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  g_ptr_array_add (user_data, satori_pubsub_message_ref (message));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char * const *ids;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_gossipsub_register (fixture->registry, &error));
  ids = satori_feature_get_protocol_ids (
    satori_registry_lookup (fixture->registry, SATORI_TYPE_PUBSUB, "gossipsub"));
  for (guint i = 0; i < N_HOSTS; i++)
    {
      SatoriHost *host = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
      g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (host, "/memory/0");

      fixture->hosts[i] = host;
      fixture->addresses[i] = satori_test_address_with_peer (bound,
                                                             satori_host_get_peer_id (host));
      /* A small mesh and a fast heartbeat, so that the line below needs
       * the mesh and the test is quick. */
      fixture->routers[i] = router_from ("d=2\nd-low=1\nd-high=3\nd-lazy=2\nd-score=1\nd-out=0\n"
                                         "heartbeat-initial-delay=10\nheartbeat-interval=50\n",
                                         &error);
      g_assert_no_error (error);
      for (guint j = 0; ids[j] != NULL; j++)
        satori_host_set_handler (host, ids[j], SATORI_PROTOCOL_HANDLER (fixture->routers[i]));
      fixture->received[i] = g_ptr_array_new_with_free_func (
        (GDestroyNotify) satori_pubsub_message_unref);
      g_signal_connect (fixture->routers[i], "message::" TOPIC, G_CALLBACK (on_message),
                        fixture->received[i]);
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < N_HOSTS; i++)
    satori_host_close (fixture->hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->hosts[i]);
      g_object_unref (fixture->routers[i]);
      satori_multiaddr_unref (fixture->addresses[i]);
      g_ptr_array_unref (fixture->received[i]);
    }
  g_object_unref (fixture->registry);
}

static void
iterate (gint64 limit)
{
  g_assert_cmpint (g_get_monotonic_time (), <, limit);
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
}

static guint
mesh_size (Fixture *fixture, guint i)
{
  SatoriPubsubCore *core = satori_pubsub_router_get_core (
    SATORI_PUBSUB_ROUTER (fixture->routers[i]));
  g_autoptr(GPtrArray) mesh = satori_gossipsub_session_get_mesh_peers (core, TOPIC);

  return mesh->len;
}

static void
publish (SatoriPubsub *pubsub, const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));

  satori_pubsub_publish_async (pubsub, TOPIC, data, NULL, satori_test_store_result, &result);
  g_assert_true (satori_pubsub_publish_finish (pubsub, satori_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
test_line (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Five hosts in a line, each dialing the next: every mesh forms within its "
                  "bounds, and messages published at either end reach every other host "
                  "once, forwarded hop by hop through the meshes");
  for (guint i = 0; i < N_HOSTS; i++)
    g_assert_true (satori_pubsub_subscribe (SATORI_PUBSUB (fixture->routers[i]), TOPIC,
                                            &error));
  for (guint i = 0; i + 1 < N_HOSTS; i++)
    g_object_unref (satori_test_connect (fixture->hosts[i], fixture->addresses[i + 1], &error));
  g_assert_no_error (error);

  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      guint neighbours = (i == 0 || i == N_HOSTS - 1) ? 1 : 2;
      while (mesh_size (fixture, i) != neighbours)
        iterate (limit);
    }

  publish (SATORI_PUBSUB (fixture->routers[0]), "from the first");
  publish (SATORI_PUBSUB (fixture->routers[N_HOSTS - 1]), "from the last");
  for (guint i = 0; i < N_HOSTS; i++)
    while (fixture->received[i]->len < (i == 0 || i == N_HOSTS - 1 ? 1 : 2))
      iterate (limit);
  /* Let duplicates, if any, arrive. */
  gint64 settle = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  while (g_get_monotonic_time () < settle)
    iterate (limit);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      guint expected = (i == 0 || i == N_HOSTS - 1) ? 1 : 2;
      g_assert_cmpuint (fixture->received[i]->len, ==, expected);
      for (guint j = 0; j < expected; j++)
        g_assert_nonnull (satori_pubsub_message_get_signature (
          g_ptr_array_index (fixture->received[i], j)));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gossipsub/pubsub/config-group", test_config_group);
  g_test_add ("/gossipsub/pubsub/line", Fixture, NULL, fixture_set_up, test_line,
              fixture_tear_down);
  return g_test_run ();
}
