/* SatoriPeers on three hosts in one process (memory transport, plaintext,
 * yamux, floodsub, ping, rendezvous; plugins registered statically).
 * Connections form a line B — A — C: messages between B and C go through
 * A's router. A is also the rendezvous point of B and C; in the DHT
 * fixture the hosts also run identify and kad, which B and C use instead
 * (with provider records living 2 s in the short variant).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-host-config.h"
#include "satori-kad-dht.h"
#include "satori-kad-message.h"
#include "satori-peers-adverts.h"
#include "satori-json.h"
#include "satori-peers-nat.h"
#include "satori-rendezvous-service.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_floodsub_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_rendezvous_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_satori_register (SatoriRegistry *registry, GError **error);

#define STREAM "3f2b6c1e-0d5a-4c1b-9a57-2b1d8e6f4c10"
#define OTHER_STREAM "other-stream"
#define WAIT_LIMIT_S 20

enum { A, B, C, N_HOSTS };

static const char config_text[] =
  "[host]\n"
  "transports=memory\n"
  "security=plaintext\n"
  "muxers=yamux\n"
  "pubsub=floodsub\n";
static const char dht_config_text[] =
  "[kad]\n"
  "store-path=:memory:\n"
  "mode=server\n";

/* Provider records that live 2 s and are announced again every second. */
static const char short_provider_config_text[] =
  "[kad]\n"
  "provider-ttl=2\n"
  "provider-republish=1\n";

/* The fixture's variants, as its data: the DHT instead of rendezvous,
 * with short-lived provider records or not. */
static const char dht_variant[] = "dht";
static const char dht_short_variant[] = "dht-short";

static gboolean
is_dht (gconstpointer variant)
{
  return variant == dht_variant || variant == dht_short_variant;
}

typedef struct
{
  char *stream_id;
  SatoriPeerId *from;
  JsonNode *data;
} Received;

static void
received_free (Received *received)
{
  g_free (received->stream_id);
  g_clear_pointer (&received->from, satori_peer_id_unref);
  json_node_unref (received->data);
  g_free (received);
}

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriPeers *peers[N_HOSTS];
  GPtrArray *received[N_HOSTS];   /* Received */
} Fixture;

static void
on_message (SatoriPeers *peers, const char *stream_id, SatoriPeerId *from, JsonNode *data,
            GPtrArray *received)
{
  Received *one = g_new0 (Received, 1);

  one->stream_id = g_strdup (stream_id);
  one->from = from ? satori_peer_id_ref (from) : NULL;
  one->data = json_node_ref (data);
  g_ptr_array_add (received, one);
}

static SatoriKadDht *
kad_of (Fixture *fixture, guint i)
{
  return SATORI_KAD_DHT (satori_host_get_handler (fixture->hosts[i], SATORI_KAD_PROTOCOL_ID));
}

static SatoriRendezvousService *
rendezvous_of (Fixture *fixture, guint i)
{
  return SATORI_RENDEZVOUS_SERVICE (satori_host_get_handler (fixture->hosts[i],
                                                             SATORI_RENDEZVOUS_PROTOCOL));
}

static SatoriHost *
host_from_config (SatoriRegistry *registry, guint8 key_fill, gconstpointer variant)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (key_fill);
  g_autoptr(GError) error = NULL;

  g_assert_true (satori_config_load_data (config, "test", config_text, -1, NULL));
  if (is_dht (variant))
    g_assert_true (satori_config_load_data (config, "dht", dht_config_text, -1, NULL));
  if (variant == dht_short_variant)
    g_assert_true (satori_config_load_data (config, "short", short_provider_config_text, -1,
                                            NULL));
  SatoriHost *host = satori_host_new_from_config (config, registry, key, &error);
  g_assert_no_error (error);
  return host;
}

static void
connect_hosts (SatoriHost *from, SatoriHost *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listening = satori_host_get_listen_addresses (to);
  g_autoptr(SatoriMultiaddr) address =
    satori_test_address_with_peer (g_ptr_array_index (listening, 0), satori_host_get_peer_id (to));
  g_autoptr(SatoriConnection) connection = satori_test_connect (from, address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (connection);
}

/* A is the rendezvous point; B and C are its clients and use it through
 * their SatoriPeers, or, in the DHT variant, use the DHT. Keys are the
 * fixed secp256k1 keys 1, 2, 3. */
static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_floodsub_register (fixture->registry, &error));
  g_assert_true (satori_plugin_ping_register (fixture->registry, &error));
  g_assert_true (satori_plugin_rendezvous_register (fixture->registry, &error));
  g_assert_true (satori_plugin_satori_register (fixture->registry, &error));
  if (is_dht (data))
    {
      g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
      g_assert_true (satori_plugin_kad_register (fixture->registry, &error));
    }
  g_assert_no_error (error);

  for (guint i = 0; i < N_HOSTS; i++)
    {
      fixture->hosts[i] = host_from_config (fixture->registry, i + 1, data);
      g_free (satori_test_listen (fixture->hosts[i], "/memory/0"));
      fixture->peers[i] = satori_peers_new (fixture->hosts[i]);
      fixture->received[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
      g_signal_connect (fixture->peers[i], "message", G_CALLBACK (on_message),
                        fixture->received[i]);
    }

  g_autoptr(GPtrArray) a_addresses = satori_host_get_listen_addresses (fixture->hosts[A]);
  g_autoptr(SatoriMultiaddr) point = satori_test_address_with_peer (
    g_ptr_array_index (a_addresses, 0), satori_host_get_peer_id (fixture->hosts[A]));
  g_autofree char *point_text = satori_multiaddr_to_string (point);
  const char *points[] = { point_text, NULL };
  g_object_set (rendezvous_of (fixture, A), "server", TRUE, NULL);
  for (guint i = B; i <= C; i++)
    {
      g_object_set (rendezvous_of (fixture, i), "points", points, NULL);
      if (is_dht (data))
        satori_peers_add_discovery (fixture->peers[i], SATORI_DISCOVERY (kad_of (fixture, i)));
      else
        satori_peers_add_discovery (fixture->peers[i],
                                    SATORI_DISCOVERY (rendezvous_of (fixture, i)));
    }
  for (guint i = 0; i < N_HOSTS; i++)
    satori_peers_start (fixture->peers[i]);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < N_HOSTS; i++)
    {
      satori_peers_stop (fixture->peers[i]);
      satori_host_close (fixture->hosts[i]);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->peers[i]);
      g_object_unref (fixture->hosts[i]);
      g_ptr_array_unref (fixture->received[i]);
    }
  g_object_unref (fixture->registry);
}

typedef struct
{
  SatoriHost *host;
  const char *stream_id;
  guint count;
} TopicPeers;

static gboolean
has_topic_peers (gpointer data)
{
  TopicPeers *wanted = data;
  g_autofree char *topic = g_strconcat ("satori/stream/", wanted->stream_id, NULL);
  g_autoptr(GPtrArray) peers = satori_pubsub_get_topic_peers (satori_host_get_pubsub (wanted->host),
                                                             topic);
  return peers->len == wanted->count;
}

static void
wait_topic_peers (SatoriHost *host, const char *stream_id, guint count)
{
  TopicPeers wanted = { host, stream_id, count };
  satori_test_wait_until (has_topic_peers, &wanted, WAIT_LIMIT_S);
}

static void
subscribe (Fixture *fixture, guint i, const char *stream_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (satori_peers_subscribe (fixture->peers[i], stream_id, &error));
  g_assert_no_error (error);
}

/* B — A — C, all three subscribed to STREAM, each knowing its neighbours'
 * subscriptions. */
static void
line_up (Fixture *fixture)
{
  for (guint i = 0; i < N_HOSTS; i++)
    subscribe (fixture, i, STREAM);
  connect_hosts (fixture->hosts[B], fixture->hosts[A]);
  connect_hosts (fixture->hosts[C], fixture->hosts[A]);
  wait_topic_peers (fixture->hosts[A], STREAM, 2);
  wait_topic_peers (fixture->hosts[B], STREAM, 1);
  wait_topic_peers (fixture->hosts[C], STREAM, 1);
}

static JsonNode *
json_of (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
publish (SatoriPeers *peers, const char *stream_id, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) data = json_of (text);

  satori_peers_publish_async (peers, stream_id, data, NULL, satori_test_store_result, &result);
  g_assert_true (satori_peers_publish_finish (peers, satori_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
assert_received (Received *received, const char *stream_id, SatoriHost *author,
                 const char *text)
{
  g_autoptr(JsonNode) expected = json_of (text);

  g_assert_cmpstr (received->stream_id, ==, stream_id);
  g_assert_nonnull (received->from);
  g_assert_true (satori_peer_id_equal (received->from, satori_host_get_peer_id (author)));
  g_assert_true (json_node_equal (received->data, expected));
}

static void
test_exchange (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Three hosts exchange JSON messages on satori/stream/<id>, through A's "
                  "router between B and C, each seen by the others with its author");
  line_up (fixture);

  publish (fixture->peers[B], STREAM, "{\"value\": 1.5, \"time\": \"2026-01-01\"}");
  satori_test_wait_length (fixture->received[A], 1, WAIT_LIMIT_S);
  satori_test_wait_length (fixture->received[C], 1, WAIT_LIMIT_S);
  assert_received (g_ptr_array_index (fixture->received[A], 0), STREAM, fixture->hosts[B],
                   "{\"value\": 1.5, \"time\": \"2026-01-01\"}");
  assert_received (g_ptr_array_index (fixture->received[C], 0), STREAM, fixture->hosts[B],
                   "{\"value\": 1.5, \"time\": \"2026-01-01\"}");

  publish (fixture->peers[C], STREAM, "[1, 2, 3]");
  satori_test_wait_length (fixture->received[A], 2, WAIT_LIMIT_S);
  satori_test_wait_length (fixture->received[B], 1, WAIT_LIMIT_S);
  assert_received (g_ptr_array_index (fixture->received[B], 0), STREAM, fixture->hosts[C],
                   "[1, 2, 3]");
  /* The router does not hand an author its own message. */
  g_assert_cmpuint (fixture->received[B]->len, ==, 1);
  g_assert_cmpuint (fixture->received[C]->len, ==, 1);
}

static void
test_repeat (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("An identical payload published twice is two messages, and is delivered "
                  "twice: deduplication is by message id, not by content");
  line_up (fixture);

  publish (fixture->peers[B], STREAM, "{\"value\": 42}");
  publish (fixture->peers[B], STREAM, "{\"value\": 42}");
  satori_test_wait_length (fixture->received[C], 2, WAIT_LIMIT_S);
  assert_received (g_ptr_array_index (fixture->received[C], 0), STREAM, fixture->hosts[B],
                   "{\"value\": 42}");
  assert_received (g_ptr_array_index (fixture->received[C], 1), STREAM, fixture->hosts[B],
                   "{\"value\": 42}");
}

static void
test_unsubscribe (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("After unsubscribing C gets no more messages of the stream, while a later "
                  "message of another stream on the same path still reaches it");
  line_up (fixture);
  subscribe (fixture, A, OTHER_STREAM);
  subscribe (fixture, C, OTHER_STREAM);
  wait_topic_peers (fixture->hosts[A], OTHER_STREAM, 1);

  g_assert_true (satori_peers_unsubscribe (fixture->peers[C], STREAM, &error));
  g_assert_no_error (error);
  g_auto(GStrv) left = satori_peers_get_subscriptions (fixture->peers[C]);
  g_assert_cmpstrv (left, ((const char *[]) { OTHER_STREAM, NULL }));
  wait_topic_peers (fixture->hosts[A], STREAM, 1);

  publish (fixture->peers[B], STREAM, "\"after\"");
  satori_test_wait_length (fixture->received[A], 1, WAIT_LIMIT_S);
  /* A forwards in order on one stream: the marker comes after anything
   * A would have sent C for STREAM. */
  publish (fixture->peers[A], OTHER_STREAM, "\"marker\"");
  satori_test_wait_length (fixture->received[C], 1, WAIT_LIMIT_S);
  g_assert_cmpuint (fixture->received[C]->len, ==, 1);
  assert_received (g_ptr_array_index (fixture->received[C], 0), OTHER_STREAM, fixture->hosts[A],
                   "\"marker\"");

  g_assert_false (satori_peers_unsubscribe (fixture->peers[C], STREAM, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_bad_input (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_test_summary ("A malformed stream id is refused; a payload that is not JSON is dropped "
                  "and the next message on the stream is delivered");
  g_assert_false (satori_peers_subscribe (fixture->peers[A], "", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (satori_peers_subscribe (fixture->peers[A], "bad\nid", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  line_up (fixture);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("{not json", 9);
  SatoriPubsub *pubsub = satori_host_get_pubsub (fixture->hosts[B]);
  satori_pubsub_publish_async (pubsub, "satori/stream/" STREAM, garbage, NULL,
                               satori_test_store_result, &result);
  g_assert_true (satori_pubsub_publish_finish (pubsub, satori_test_wait (&result), &error));
  g_assert_no_error (error);
  publish (fixture->peers[B], STREAM, "true");
  satori_test_wait_length (fixture->received[C], 1, WAIT_LIMIT_S);
  g_assert_cmpuint (fixture->received[C]->len, ==, 1);
  assert_received (g_ptr_array_index (fixture->received[C], 0), STREAM, fixture->hosts[B],
                   "true");
}

static gboolean
has_registrations (gpointer data)
{
  return satori_rendezvous_service_get_registration_count (data) >= 2;
}

static GPtrArray *
discover (SatoriPeers *peers, const char *stream_id, gboolean publishers, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (publishers)
    {
      satori_peers_discover_publishers_async (peers, stream_id, NULL, satori_test_store_result,
                                              &result);
      return satori_peers_discover_publishers_finish (peers, satori_test_wait (&result), error);
    }
  satori_peers_discover_peers_async (peers, stream_id, NULL, satori_test_store_result, &result);
  return satori_peers_discover_peers_finish (peers, satori_test_wait (&result), error);
}

static void
assert_only_peer (GPtrArray *found, SatoriHost *host)
{
  g_assert_cmpuint (found->len, ==, 1);
  SatoriPeerInfo *info = g_ptr_array_index (found, 0);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info),
                                       satori_host_get_peer_id (host)));
  g_assert_cmpuint (satori_peer_info_get_addresses (info)->len, >=, 1);
}

static void
test_discovery (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("B subscribes to and publishes a stream: its SatoriPeers registers "
                  "satori/sub/<id> and satori/pub/<id> at the rendezvous point, and C finds B "
                  "as subscriber and publisher, and not itself");
  subscribe (fixture, B, STREAM);
  publish (fixture->peers[B], STREAM, "{\"value\": 7}");
  satori_test_wait_until (has_registrations, rendezvous_of (fixture, A), WAIT_LIMIT_S);

  g_autoptr(GPtrArray) publishers = discover (fixture->peers[C], STREAM, TRUE, &error);
  g_assert_no_error (error);
  assert_only_peer (publishers, fixture->hosts[B]);

  subscribe (fixture, C, STREAM);
  satori_test_wait_until (has_registrations, rendezvous_of (fixture, A), WAIT_LIMIT_S);
  g_autoptr(GPtrArray) subscribers = discover (fixture->peers[C], STREAM, FALSE, &error);
  g_assert_no_error (error);
  /* B, and C itself left out; C's registration may still be on its way. */
  assert_only_peer (subscribers, fixture->hosts[B]);

  g_autoptr(GPtrArray) none = discover (fixture->peers[C], "nobody-publishes", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  /* A has no discovery: an empty answer, not an error. */
  g_autoptr(GPtrArray) empty = discover (fixture->peers[A], STREAM, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 0);

  /* What C found is in its map. */
  g_autoptr(JsonNode) map = satori_peers_get_network_map (fixture->peers[C]);
  JsonObject *stream = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (map), "streams"), STREAM);
  g_autofree char *b_id = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[B]));
  JsonArray *seen_publishers = json_object_get_array_member (stream, "publishers");
  g_assert_cmpuint (json_array_get_length (seen_publishers), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (seen_publishers, 0), ==, b_id);
}

static guint
registrations_at (Fixture *fixture, guint i)
{
  return satori_rendezvous_service_get_registration_count (rendezvous_of (fixture, i));
}

static gboolean
no_registrations (gpointer data)
{
  return satori_rendezvous_service_get_registration_count (data) == 0;
}

static gboolean
on_run_for_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for @ms milliseconds (not on whole seconds, as
 * the renewals' timers). */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_run_for_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_withdraw (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("After B unsubscribes from a stream and stops publishing it, its "
                  "registrations at the rendezvous point (TTL 2 h) are gone at once "
                  "(UNREGISTER), and C's DISCOVER no longer returns B");
  subscribe (fixture, B, STREAM);
  publish (fixture->peers[B], STREAM, "{\"value\": 7}");
  satori_test_wait_until (has_registrations, rendezvous_of (fixture, A), WAIT_LIMIT_S);

  g_assert_true (satori_peers_unsubscribe (fixture->peers[B], STREAM, &error));
  g_assert_no_error (error);
  g_assert_true (satori_peers_unpublish (fixture->peers[B], STREAM, &error));
  g_assert_no_error (error);
  g_auto(GStrv) publications = satori_peers_get_publications (fixture->peers[B]);
  g_assert_cmpstrv (publications, ((const char *[]) { NULL }));
  satori_test_wait_until (no_registrations, rendezvous_of (fixture, A), WAIT_LIMIT_S);
  for (guint publishers = 0; publishers <= 1; publishers++)
    {
      g_autoptr(GPtrArray) found = discover (fixture->peers[C], STREAM, publishers, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 0);
    }
  g_assert_false (satori_peers_unpublish (fixture->peers[B], STREAM, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_withdraw_not_renewed (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("B's stream advertisements at the rendezvous point (TTL 2 s) are renewed "
                  "past their TTL while wanted; once B unsubscribes and stops publishing, "
                  "nothing registers them again, neither SatoriPeers nor the rendezvous "
                  "client's own refresh");
  g_object_set (rendezvous_of (fixture, A), "min-ttl", 1, NULL);
  g_object_set (fixture->peers[B], "advertise-ttl", 2, NULL);
  subscribe (fixture, B, STREAM);
  publish (fixture->peers[B], STREAM, "{\"value\": 7}");
  satori_test_wait_until (has_registrations, rendezvous_of (fixture, A), WAIT_LIMIT_S);
  run_for (3300);
  g_assert_cmpuint (registrations_at (fixture, A), ==, 2);

  /* Between two renewals: the rendezvous client holds both registrations,
   * due for its own refresh within 1.6 s. */
  g_assert_true (satori_peers_unsubscribe (fixture->peers[B], STREAM, NULL));
  g_assert_true (satori_peers_unpublish (fixture->peers[B], STREAM, NULL));
  run_for (3000);
  g_assert_cmpuint (registrations_at (fixture, A), ==, 0);
}

static gboolean
tables_filled (gpointer data)
{
  Fixture *fixture = data;

  return satori_kad_dht_get_routing_table_size (kad_of (fixture, A)) == 2 &&
         satori_kad_dht_get_routing_table_size (kad_of (fixture, B)) == 1 &&
         satori_kad_dht_get_routing_table_size (kad_of (fixture, C)) == 1;
}

typedef struct
{
  SatoriPeers *peers;
  GPtrArray *found;
} Search;

/* One DHT lookup for the publishers of STREAM: done when it finds any. */
static gboolean
found_publishers (gpointer data)
{
  Search *search = data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&search->found, g_ptr_array_unref);
  search->found = discover (search->peers, STREAM, TRUE, &error);
  g_assert_no_error (error);
  return search->found->len > 0;
}

static void
test_discovery_dht (Fixture *fixture, gconstpointer data)
{
  Search search = { fixture->peers[C], NULL };

  g_test_summary ("Through the DHT: B publishes a stream, its SatoriPeers provides "
                  "/satori/pub/<id> (the Python nodes' raw key, with the leading slash), and "
                  "C finds B as the publisher two hops away");
  connect_hosts (fixture->hosts[B], fixture->hosts[A]);
  connect_hosts (fixture->hosts[C], fixture->hosts[A]);
  satori_test_wait_until (tables_filled, fixture, WAIT_LIMIT_S);

  publish (fixture->peers[B], STREAM, "{\"value\": 7}");
  satori_test_wait_until (found_publishers, &search, WAIT_LIMIT_S);
  assert_only_peer (search.found, fixture->hosts[B]);
  g_ptr_array_unref (search.found);
}

static gboolean
no_publishers (gpointer data)
{
  Search *search = data;

  return !found_publishers (search);
}

static void
test_withdraw_dht (Fixture *fixture, gconstpointer data)
{
  Search search = { fixture->peers[C], NULL };

  g_test_summary ("Through the DHT, provider records living 2 s and re-provided every "
                  "second: C still finds B as the publisher 3 s after B published, and no "
                  "longer once B stopped publishing (B's kad stopped re-providing)");
  connect_hosts (fixture->hosts[B], fixture->hosts[A]);
  connect_hosts (fixture->hosts[C], fixture->hosts[A]);
  satori_test_wait_until (tables_filled, fixture, WAIT_LIMIT_S);

  publish (fixture->peers[B], STREAM, "{\"value\": 7}");
  satori_test_wait_until (found_publishers, &search, WAIT_LIMIT_S);
  run_for (3300);
  g_assert_true (found_publishers (&search));
  assert_only_peer (search.found, fixture->hosts[B]);

  g_assert_true (satori_peers_unpublish (fixture->peers[B], STREAM, NULL));
  satori_test_wait_until (no_publishers, &search, WAIT_LIMIT_S);
  run_for (3000);
  g_assert_false (found_publishers (&search));
  g_ptr_array_unref (search.found);
}

static void
test_ping (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) unknown = NULL;

  g_test_summary ("Ping through SatoriPeers gives one round trip time per ping; a peer with "
                  "no connection and no known address is NotFound");
  connect_hosts (fixture->hosts[B], fixture->hosts[A]);
  satori_peers_ping_async (fixture->peers[B], satori_host_get_peer_id (fixture->hosts[A]), 3,
                           NULL, satori_test_store_result, &result);
  g_autoptr(GArray) rtts = satori_peers_ping_finish (fixture->peers[B],
                                                     satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rtts->len, ==, 3);
  for (guint i = 0; i < rtts->len; i++)
    g_assert_cmpint (g_array_index (rtts, gint64, i), >=, 0);

  /* C is known to nobody but A. */
  satori_peers_ping_async (fixture->peers[B], satori_host_get_peer_id (fixture->hosts[C]), 1,
                           NULL, satori_test_store_result, &unknown);
  g_assert_null (satori_peers_ping_finish (fixture->peers[B], satori_test_wait (&unknown),
                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* A's answer to a request: the question's "n" doubled. */
static gboolean
on_request (SatoriMessenger *messenger, SatoriMessengerRequest *request, gpointer user_data)
{
  GBytes *question = satori_messenger_request_get_message (request);
  g_autoptr(JsonNode) node = satori_json_parse (g_bytes_get_data (question, NULL),
                                                g_bytes_get_size (question), NULL);
  g_assert_nonnull (node);
  gint64 n = json_object_get_int_member (json_node_get_object (node), "n");
  g_autofree char *text = g_strdup_printf ("{\"doubled\": %" G_GINT64_FORMAT "}", 2 * n);
  g_autoptr(GBytes) answer = g_bytes_new (text, strlen (text));
  satori_messenger_request_reply (request, answer);
  return TRUE;
}

static void
on_direct_message (SatoriMessenger *messenger, SatoriPeerId *from, GBytes *message,
                   gboolean encrypted, GBytes **slot)
{
  g_assert_true (encrypted);  /* the only message sent here is */
  g_clear_pointer (slot, g_bytes_unref);
  *slot = g_bytes_ref (message);
}

static void
test_send_and_request (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GAsyncResult) answered = NULL;
  g_autoptr(GBytes) delivered = NULL;
  SatoriPeerId *a = satori_host_get_peer_id (fixture->hosts[A]);

  g_test_summary ("send delivers a JSON message to the peer's messenger, encrypted end to end; "
                  "request gets the peer's answer as JSON");
  SatoriProtocolHandler *a_messenger = satori_host_get_handler (fixture->hosts[A],
                                                                "/satori/1.0.0");
  g_assert_true (SATORI_IS_MESSENGER (a_messenger));
  g_signal_connect (a_messenger, "message-received", G_CALLBACK (on_direct_message),
                    &delivered);
  g_signal_connect (a_messenger, "request-received", G_CALLBACK (on_request), NULL);
  connect_hosts (fixture->hosts[B], fixture->hosts[A]);

  g_autoptr(JsonNode) hello = json_from_string ("{\"hello\": \"A\"}", NULL);
  satori_peers_send_async (fixture->peers[B], a, hello, TRUE, NULL, satori_test_store_result,
                           &sent);
  g_assert_true (satori_peers_send_finish (fixture->peers[B], satori_test_wait (&sent),
                                           &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 1000 && delivered == NULL; i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (delivered);
  g_autoptr(JsonNode) got = satori_json_parse (g_bytes_get_data (delivered, NULL),
                                               g_bytes_get_size (delivered), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (got), "hello"), ==, "A");

  g_autoptr(JsonNode) question = json_from_string ("{\"n\": 21}", NULL);
  satori_peers_request_async (fixture->peers[B], a, question, FALSE, 5000, NULL,
                              satori_test_store_result, &answered);
  g_autoptr(JsonNode) answer = satori_peers_request_finish (fixture->peers[B],
                                                            satori_test_wait (&answered), &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "doubled"), ==, 42);
}

typedef struct
{
  GPtrArray *connected;     /* SatoriPeerId */
  GPtrArray *disconnected;  /* SatoriPeerId */
} Events;

static void
on_peer_connected (SatoriPeers *peers, SatoriPeerId *peer, SatoriMultiaddr *address,
                   Events *events)
{
  g_assert_nonnull (address);
  g_ptr_array_add (events->connected, satori_peer_id_ref (peer));
}

static void
on_peer_disconnected (SatoriPeers *peers, SatoriPeerId *peer, Events *events)
{
  g_ptr_array_add (events->disconnected, satori_peer_id_ref (peer));
}

static gboolean
has_connected (gpointer data)
{
  return ((Events *) data)->connected->len > 0;
}

static gboolean
has_disconnected (gpointer data)
{
  return ((Events *) data)->disconnected->len > 0;
}

static void
test_connection_events (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Events events = {
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref),
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref),
  };
  SatoriPeerId *a = satori_host_get_peer_id (fixture->hosts[A]);

  g_test_summary ("connect and disconnect through SatoriPeers, seen as peer-connected and "
                  "peer-disconnected with peer ids; disconnecting a stranger is NotFound");
  g_signal_connect (fixture->peers[B], "peer-connected", G_CALLBACK (on_peer_connected), &events);
  g_signal_connect (fixture->peers[B], "peer-disconnected", G_CALLBACK (on_peer_disconnected),
                    &events);
  g_autoptr(GPtrArray) listening = satori_host_get_listen_addresses (fixture->hosts[A]);
  satori_peers_connect_async (fixture->peers[B], g_ptr_array_index (listening, 0), NULL,
                              satori_test_store_result, &result);
  g_autoptr(SatoriPeerId) answered = satori_peers_connect_finish (fixture->peers[B],
                                                                  satori_test_wait (&result),
                                                                  &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (answered, a));
  satori_test_wait_until (has_connected, &events, WAIT_LIMIT_S);
  g_assert_cmpuint (events.connected->len, ==, 1);
  g_assert_true (satori_peer_id_equal (g_ptr_array_index (events.connected, 0), a));
  g_autoptr(GPtrArray) connected = satori_peers_get_connected_peers (fixture->peers[B]);
  g_assert_cmpuint (connected->len, ==, 1);

  g_assert_true (satori_peers_disconnect (fixture->peers[B], a, &error));
  g_assert_no_error (error);
  satori_test_wait_until (has_disconnected, &events, WAIT_LIMIT_S);
  g_assert_true (satori_peer_id_equal (g_ptr_array_index (events.disconnected, 0), a));
  g_assert_false (satori_peers_disconnect (fixture->peers[B], a, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_signal_handlers_disconnect_by_data (fixture->peers[B], &events);
  g_ptr_array_unref (events.connected);
  g_ptr_array_unref (events.disconnected);
}

static JsonArray *
member_array (JsonObject *object, const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_array_member (object, name);
}

static void
test_network_map (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("The network map of B: its peer id, the Evrmore address of its secp256k1 "
                  "key, addresses, NAT status, peers, its subscriptions and publications, and "
                  "the subscribers and publishers of the streams it saw");
  line_up (fixture);
  publish (fixture->peers[B], STREAM, "1");
  publish (fixture->peers[C], STREAM, "2");
  satori_test_wait_length (fixture->received[B], 1, WAIT_LIMIT_S);

  g_autoptr(JsonNode) node = satori_peers_get_network_map (fixture->peers[B]);
  JsonObject *map = json_node_get_object (node);
  JsonObject *self = json_object_get_object_member (map, "self");
  g_autofree char *a_id = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[A]));
  g_autofree char *b_id = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[B]));
  g_autofree char *c_id = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[C]));

  g_assert_cmpstr (json_object_get_string_member (self, "peer_id"), ==, b_id);
  /* Key 32 × 0x02: satori-protocols.md §5.6, vector 2. */
  g_assert_cmpstr (json_object_get_string_member (self, "evrmore_address"), ==,
                   "EeeTQfaHH6bLEMWjCQHvmSEGUEuqHz43FY");
  g_assert_cmpstr (satori_peers_get_evrmore_address (fixture->peers[B]), ==,
                   "EeeTQfaHH6bLEMWjCQHvmSEGUEuqHz43FY");
  /* Memory addresses only: nothing to judge by. */
  g_assert_cmpstr (json_object_get_string_member (self, "nat_status"), ==, "unknown");
  JsonArray *addresses = member_array (self, "addresses");
  g_assert_cmpuint (json_array_get_length (addresses), ==, 1);
  g_assert_true (g_str_has_prefix (json_array_get_string_element (addresses, 0), "/memory/"));

  JsonArray *connected = member_array (map, "connected_peers");
  g_assert_cmpuint (json_array_get_length (connected), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (connected, 0), ==, a_id);
  g_assert_cmpuint (json_array_get_length (member_array (map, "known_peers")), >=, 1);
  JsonArray *subscriptions = member_array (map, "my_subscriptions");
  g_assert_cmpuint (json_array_get_length (subscriptions), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (subscriptions, 0), ==, STREAM);
  JsonArray *publications = member_array (map, "my_publications");
  g_assert_cmpuint (json_array_get_length (publications), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (publications, 0), ==, STREAM);

  JsonObject *stream = json_object_get_object_member (
    json_object_get_object_member (map, "streams"), STREAM);
  g_assert_nonnull (stream);
  JsonArray *subscribers = member_array (stream, "subscribers");
  g_assert_cmpuint (json_array_get_length (subscribers), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (subscribers, 0), ==, a_id);
  JsonArray *publishers = member_array (stream, "publishers");
  g_assert_cmpuint (json_array_get_length (publishers), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (publishers, 0), ==, c_id);
}

/* Asserts @peers holds exactly the peer ids of the hosts given, in any
 * order. */
static void
assert_peers (GPtrArray *peers, SatoriHost *first, SatoriHost *second)
{
  g_assert_cmpuint (peers->len, ==, second != NULL ? 2 : first != NULL ? 1 : 0);
  for (SatoriHost *host = first; host != NULL; host = host == first ? second : NULL)
    g_assert_true (g_ptr_array_find_with_equal_func (peers, satori_host_get_peer_id (host),
                                                     satori_peer_id_equal, NULL));
}

static void
test_stream_peers (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("The subscribers and publishers of a stream and the streams of a peer, as "
                  "the router and the messages showed them; nothing for a stream never seen");
  line_up (fixture);
  publish (fixture->peers[C], STREAM, "2");
  satori_test_wait_length (fixture->received[B], 1, WAIT_LIMIT_S);

  g_autoptr(GPtrArray) a_subscribers = satori_peers_get_subscribers (fixture->peers[A], STREAM);
  assert_peers (a_subscribers, fixture->hosts[B], fixture->hosts[C]);
  /* B's router knows only its neighbour A; the author came through A. */
  g_autoptr(GPtrArray) b_subscribers = satori_peers_get_subscribers (fixture->peers[B], STREAM);
  assert_peers (b_subscribers, fixture->hosts[A], NULL);
  g_autoptr(GPtrArray) b_publishers = satori_peers_get_publishers (fixture->peers[B], STREAM);
  assert_peers (b_publishers, fixture->hosts[C], NULL);

  SatoriPeerId *a = satori_host_get_peer_id (fixture->hosts[A]);
  SatoriPeerId *c = satori_host_get_peer_id (fixture->hosts[C]);
  g_auto(GStrv) c_streams = satori_peers_get_peer_subscriptions (fixture->peers[A], c);
  g_assert_cmpstrv (c_streams, ((const char *[]) { STREAM, NULL }));
  g_auto(GStrv) a_streams = satori_peers_get_peer_subscriptions (fixture->peers[A], a);
  g_assert_cmpuint (g_strv_length (a_streams), ==, 0);

  g_autoptr(GPtrArray) none = satori_peers_get_subscribers (fixture->peers[A], OTHER_STREAM);
  assert_peers (none, NULL, NULL);
  g_autoptr(GPtrArray) no_publishers = satori_peers_get_publishers (fixture->peers[A],
                                                                    OTHER_STREAM);
  assert_peers (no_publishers, NULL, NULL);
}

static SatoriNatStatus
nat_of (const char * const *texts)
{
  g_autoptr(GPtrArray) addresses =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_ptr_array_add (addresses, satori_multiaddr_new_from_string (texts[i], &error));
      g_assert_no_error (error);
    }
  return satori_nat_status_from_addresses (addresses);
}

static void
test_nat_rule (void)
{
  g_test_summary ("NAT status: public with one public IP address, private with only "
                  "loopback, RFC 1918, shared, link-local or unique local ones, unknown "
                  "without IP addresses");
  g_assert_cmpint (nat_of ((const char *[]) { NULL }), ==, SATORI_NAT_STATUS_UNKNOWN);
  g_assert_cmpint (nat_of ((const char *[]) { "/memory/4", NULL }), ==,
                   SATORI_NAT_STATUS_UNKNOWN);
  g_assert_cmpint (nat_of ((const char *[]) { "/ip4/127.0.0.1/tcp/1", "/ip4/10.1.2.3/tcp/1",
                                              "/ip4/172.16.0.1/tcp/1", "/ip4/192.168.1.2/tcp/1",
                                              "/ip4/100.64.0.1/tcp/1", "/ip4/169.254.1.1/tcp/1",
                                              "/ip6/::1/tcp/1", "/ip6/fd00::1/tcp/1",
                                              "/ip6/fe80::1/tcp/1", "/memory/4", NULL }), ==,
                   SATORI_NAT_STATUS_PRIVATE);
  g_assert_cmpint (nat_of ((const char *[]) { "/ip4/10.0.0.1/tcp/1", "/ip4/8.8.8.8/tcp/24600",
                                              NULL }), ==, SATORI_NAT_STATUS_PUBLIC);
  g_assert_cmpint (nat_of ((const char *[]) { "/ip4/100.128.0.1/udp/1/quic-v1", NULL }), ==,
                   SATORI_NAT_STATUS_PUBLIC);
  g_assert_cmpint (nat_of ((const char *[]) { "/ip6/2a01:4f8::1/tcp/1", NULL }), ==,
                   SATORI_NAT_STATUS_PUBLIC);
  g_assert_cmpstr (satori_nat_status_to_string (SATORI_NAT_STATUS_PUBLIC), ==, "public");
  g_assert_cmpstr (satori_nat_status_to_string (SATORI_NAT_STATUS_PRIVATE), ==, "private");
  g_assert_cmpstr (satori_nat_status_to_string (SATORI_NAT_STATUS_UNKNOWN), ==, "unknown");
}

static void
count_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_nat_reachability (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x31);
  g_autoptr(SatoriHost) host = satori_host_new (key);
  guint notified = 0;

  g_test_summary ("NAT status: the host's reachability decides once known (notified only on "
                  "change); back to unknown, the address rule again");
  g_signal_connect (host, "notify::reachability", G_CALLBACK (count_notify), &notified);
  g_assert_cmpint (satori_host_get_reachability (host), ==, SATORI_REACHABILITY_UNKNOWN);
  g_assert_cmpint (satori_nat_status_of_host (host), ==, SATORI_NAT_STATUS_UNKNOWN);

  satori_host_set_reachability (host, SATORI_REACHABILITY_PUBLIC);
  satori_host_set_reachability (host, SATORI_REACHABILITY_PUBLIC);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (satori_nat_status_of_host (host), ==, SATORI_NAT_STATUS_PUBLIC);

  satori_host_set_reachability (host, SATORI_REACHABILITY_PRIVATE);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpint (satori_nat_status_of_host (host), ==, SATORI_NAT_STATUS_PRIVATE);

  satori_host_set_reachability (host, SATORI_REACHABILITY_UNKNOWN);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpint (satori_nat_status_of_host (host), ==, SATORI_NAT_STATUS_UNKNOWN);
  satori_host_close (host);
}

static void
test_renew_delay (void)
{
  g_test_summary ("An advertisement is renewed at three quarters of the TTL granted, at least "
                  "one second after");
  g_assert_cmpuint (satori_peers_advert_renew_delay (7200), ==, 5400);
  g_assert_cmpuint (satori_peers_advert_renew_delay (172800), ==, 129600);
  g_assert_cmpuint (satori_peers_advert_renew_delay (1), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/peers/stream/exchange", test_exchange);
  ADD ("/peers/stream/repeat-delivered", test_repeat);
  ADD ("/peers/stream/unsubscribe", test_unsubscribe);
  ADD ("/peers/stream/bad-input", test_bad_input);
  ADD ("/peers/discovery/rendezvous", test_discovery);
  ADD ("/peers/discovery/withdraw", test_withdraw);
  ADD ("/peers/discovery/withdraw-not-renewed", test_withdraw_not_renewed);
  g_test_add ("/peers/discovery/dht", Fixture, dht_variant, fixture_set_up, test_discovery_dht,
              fixture_tear_down);
  g_test_add ("/peers/discovery/withdraw-dht", Fixture, dht_short_variant, fixture_set_up,
              test_withdraw_dht, fixture_tear_down);
  ADD ("/peers/peer/send-and-request", test_send_and_request);
  ADD ("/peers/peer/ping", test_ping);
  ADD ("/peers/peer/connection-events", test_connection_events);
  ADD ("/peers/map/contents", test_network_map);
  ADD ("/peers/map/stream-peers", test_stream_peers);
#undef ADD
  g_test_add_func ("/peers/nat/rule", test_nat_rule);
  g_test_add_func ("/peers/nat/reachability", test_nat_reachability);
  g_test_add_func ("/peers/advertise/renew-delay", test_renew_delay);
  return g_test_run ();
}
