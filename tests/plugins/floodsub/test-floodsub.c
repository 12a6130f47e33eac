/* The floodsub plugin on hosts built from a configuration: `[host]
 * pubsub=floodsub` serves it, `[floodsub]` sets its properties, and
 * satori_host_get_pubsub() hands it to the application.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-host-config.h"
#include "satori-pubsub-error.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_floodsub_register (SatoriRegistry *registry, GError **error);

static const char config_text[] =
  "[host]\n"
  "transports=memory\n"
  "security=plaintext\n"
  "muxers=yamux\n"
  "pubsub=floodsub\n"
  "[floodsub]\n"
  "signature-policy=strict-no-sign\n"
  "max-message-size=4096\n"
  "seen-ttl=30\n"
  "max-queued-bytes=65536\n";

static SatoriRegistry *
new_registry (void)
{
  g_autoptr(GError) error = NULL;
  SatoriRegistry *registry = satori_registry_new ();

  g_assert_true (satori_plugin_memory_register (registry, &error));
  g_assert_true (satori_plugin_plaintext_register (registry, &error));
  g_assert_true (satori_plugin_yamux_register (registry, &error));
  g_assert_true (satori_plugin_floodsub_register (registry, &error));
  g_assert_no_error (error);
  return registry;
}

static SatoriHost *
host_from_config (SatoriRegistry *registry, const char *text, GError **error)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, NULL);

  g_assert_true (satori_config_load_data (config, "test", text, -1, NULL));
  return satori_host_new_from_config (config, registry, key, error);
}

static void
on_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  g_ptr_array_add (user_data, satori_pubsub_message_ref (message));
}

static gboolean
publish (SatoriPubsub *pubsub, gsize size, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *text = g_strnfill (size, 'm');
  g_autoptr(GBytes) data = g_bytes_new_take (g_steal_pointer (&text), size);

  satori_pubsub_publish_async (pubsub, "news", data, NULL, satori_test_store_result, &result);
  return satori_pubsub_publish_finish (pubsub, satori_test_wait (&result), error);
}

static void
test_from_config (void)
{
  g_autoptr(SatoriRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_pubsub_message_unref);

  g_test_summary ("Two hosts from one configuration exchange a StrictNoSign message; the "
                  "[floodsub] group set the router's properties");
  g_autoptr(SatoriHost) a = host_from_config (registry, config_text, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriHost) b = host_from_config (registry, config_text, &error);
  g_assert_no_error (error);
  SatoriPubsub *pubsub_a = satori_host_get_pubsub (a);
  SatoriPubsub *pubsub_b = satori_host_get_pubsub (b);
  g_assert_nonnull (pubsub_a);
  g_auto(GStrv) protocols = satori_host_get_protocols (a);
  g_assert_true (g_strv_contains ((const char * const *) protocols, "/floodsub/1.0.0"));

  g_autofree char *policy = NULL;
  guint64 max_size = 0, max_queued = 0;
  guint ttl = 0;
  g_object_get (pubsub_a, "signature-policy", &policy, "max-message-size", &max_size,
                "seen-ttl", &ttl, "max-queued-bytes", &max_queued, NULL);
  g_assert_cmpstr (policy, ==, "strict-no-sign");
  g_assert_cmpuint (max_size, ==, 4096);
  g_assert_cmpuint (ttl, ==, 30);
  g_assert_cmpuint (max_queued, ==, 65536);

  g_signal_connect (pubsub_b, "message::news", G_CALLBACK (on_message), received);
  g_assert_true (satori_pubsub_subscribe (pubsub_b, "news", &error));
  g_autofree char *b_address = satori_test_listen (b, "/memory/0");
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (b_address, NULL);
  SatoriConnection *connection = satori_test_connect (a, address, &error);
  g_assert_no_error (error);
  g_object_unref (connection);
  gint64 limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GPtrArray) peers = satori_pubsub_get_topic_peers (pubsub_a, "news");
      if (peers->len == 1)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_false (publish (pubsub_a, 8192, &error));
  g_assert_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_true (publish (pubsub_a, 100, &error));
  while (received->len == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }
  SatoriPubsubMessage *message = g_ptr_array_index (received, 0);
  g_assert_cmpuint (g_bytes_get_size (satori_pubsub_message_get_data (message)), ==, 100);
  g_assert_null (satori_pubsub_message_get_from (message));
  g_assert_null (satori_pubsub_message_get_signature (message));

  satori_host_close (a);
  satori_host_close (b);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_unknown_router (void)
{
  g_autoptr(SatoriRegistry) registry = new_registry ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("[host] pubsub= naming no loaded router fails with a configuration "
                  "error; without the key the host serves no pubsub");
  g_autoptr(SatoriHost) none = host_from_config (
    registry, "[host]\ntransports=memory\nsecurity=plaintext\nmuxers=yamux\npubsub=gossipsub\n",
    &error);
  g_assert_null (none);
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_autoptr(SatoriHost) plain = host_from_config (
    registry, "[host]\ntransports=memory\nsecurity=plaintext\nmuxers=yamux\n", &error);
  g_assert_no_error (error);
  g_assert_null (satori_host_get_pubsub (plain));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/floodsub/host/from-config", test_from_config);
  g_test_add_func ("/floodsub/host/unknown-router", test_unknown_router);
  return g_test_run ();
}
