/* SatoriPeers and the offline store, between real hosts in one process
 * (memory transport, plaintext, yamux, the satori plugin; identify and
 * kad for the DHT): A sends reliably to C, who is offline; B is a relay
 * because it announced itself as one. C starts later with its key and
 * gets each message once, pushed when it connects or fetched through the
 * DHT.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-host-config.h"
#include "satori-json.h"
#include "satori-kad-dht.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_satori_register (SatoriRegistry *registry, GError **error);

#define WAIT_LIMIT_S 20

/* A sender, B relay, C target (offline at first), D a DHT node. */
enum { A, B, C, D, N_HOSTS };

static const char config_text[] =
  "[host]\n"
  "transports=memory\n"
  "security=plaintext\n"
  "muxers=yamux\n"
  "[satori-store]\n"
  "path=:memory:\n"
  "retrieve-delay=0\n"
  "[kad]\n"
  "store-path=:memory:\n"
  "mode=server\n"
  "request-timeout=2000\n";
/* A relay that only answers when asked, as the Python nodes. */
static const char no_push_text[] =
  "[satori-store]\n"
  "push=false\n";

typedef struct
{
  SatoriPeerId *from;
  JsonNode *message;
  gboolean encrypted;
} Direct;

static void
direct_free (Direct *direct)
{
  satori_peer_id_unref (direct->from);
  json_node_unref (direct->message);
  g_free (direct);
}

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];     /* C: NULL until it starts */
  SatoriPeers *peers[N_HOSTS];
  GPtrArray *direct[N_HOSTS];     /* Direct */
} Fixture;

static void
on_direct_message (SatoriPeers *peers, SatoriPeerId *from, JsonNode *message,
                   gboolean encrypted, GPtrArray *direct)
{
  Direct *one = g_new0 (Direct, 1);

  one->from = satori_peer_id_ref (from);
  one->message = json_node_ref (message);
  one->encrypted = encrypted;
  g_ptr_array_add (direct, one);
}

/* Host @i with its fixed secp256k1 key (@i + 1), listening, its
 * SatoriPeers started. */
static void
start_host (Fixture *fixture, guint i, const char *extra_config)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (i + 1);
  g_autoptr(GError) error = NULL;

  g_assert_true (satori_config_load_data (config, "test", config_text, -1, &error));
  if (extra_config != NULL)
    g_assert_true (satori_config_load_data (config, "extra", extra_config, -1, &error));
  fixture->hosts[i] = satori_host_new_from_config (config, fixture->registry, key, &error);
  g_assert_no_error (error);
  g_free (satori_test_listen (fixture->hosts[i], "/memory/0"));
  fixture->peers[i] = satori_peers_new (fixture->hosts[i]);
  g_signal_connect (fixture->peers[i], "direct-message", G_CALLBACK (on_direct_message),
                    fixture->direct[i]);
  satori_peers_start (fixture->peers[i]);
}

static void
stop_host (Fixture *fixture, guint i)
{
  satori_peers_stop (fixture->peers[i]);
  satori_host_close (fixture->hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->peers[i]);
  g_clear_object (&fixture->hosts[i]);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_true (satori_plugin_kad_register (fixture->registry, &error));
  g_assert_true (satori_plugin_satori_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_HOSTS; i++)
    fixture->direct[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) direct_free);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < N_HOSTS; i++)
    {
      if (fixture->hosts[i] != NULL)
        stop_host (fixture, i);
      g_ptr_array_unref (fixture->direct[i]);
    }
  g_object_unref (fixture->registry);
}

static SatoriPeerId *
id_of (guint i)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (i + 1);

  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

static void
connect_hosts (Fixture *fixture, guint from, guint to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listening = satori_host_get_listen_addresses (fixture->hosts[to]);
  g_autoptr(SatoriMultiaddr) address = satori_test_address_with_peer (
    g_ptr_array_index (listening, 0), satori_host_get_peer_id (fixture->hosts[to]));
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->hosts[from], address,
                                                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
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
send_plain (Fixture *fixture, guint from, guint to, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) message = json_of (text);
  g_autoptr(SatoriPeerId) target = id_of (to);

  satori_peers_send_async (fixture->peers[from], target, message, FALSE, NULL,
                           satori_test_store_result, &result);
  g_assert_true (satori_peers_send_finish (fixture->peers[from], satori_test_wait (&result),
                                           &error));
  g_assert_no_error (error);
}

/* Sends @text reliably from @from to the offline @to; returns the number
 * of relays that took a copy. */
static guint
send_to_offline (Fixture *fixture, guint from, guint to, const char *text, gboolean encrypted)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) message = json_of (text);
  g_autoptr(SatoriPeerId) target = id_of (to);
  SatoriPeersDelivery delivery = SATORI_PEERS_DELIVERY_SENT;
  guint replicas = G_MAXUINT;

  satori_peers_send_reliable_async (fixture->peers[from], target, message, encrypted, NULL,
                                    satori_test_store_result, &result);
  g_assert_true (satori_peers_send_reliable_finish (fixture->peers[from],
                                                    satori_test_wait (&result), &delivery,
                                                    &replicas, &error));
  g_assert_no_error (error);
  g_assert_cmpint (delivery, ==, SATORI_PEERS_DELIVERY_STORED);
  return replicas;
}

/* B tells A that it is a relay, and A has taken it in. */
static void
announce_relay (Fixture *fixture)
{
  g_autofree char *b = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[B]));
  g_autofree char *text = g_strdup_printf (
    "{\"type\": \"peer_announce\", \"peer_info\": {\"peer_id\": \"%s\", \"is_relay\": true}}",
    b);

  guint before = fixture->direct[A]->len;

  send_plain (fixture, B, A, text);
  satori_test_wait_length (fixture->direct[A], before + 1, WAIT_LIMIT_S);
}

static guint
pending (Fixture *fixture, guint holder)
{
  g_autoptr(SatoriPeerId) target = id_of (C);
  SatoriOfflineStore *store = satori_peers_get_offline_store (fixture->peers[holder], NULL);

  g_assert_nonnull (store);
  return satori_offline_store_count_pending (store, target);
}

static gboolean
nothing_pending (gpointer data)
{
  Fixture *fixture = data;

  return pending (fixture, A) == 0 && pending (fixture, B) == 0;
}

static void
assert_direct (Direct *direct, guint from, const char *text, gboolean encrypted)
{
  g_autoptr(SatoriPeerId) sender = id_of (from);
  g_autoptr(JsonNode) expected = json_of (text);

  g_assert_true (satori_peer_id_equal (direct->from, sender));
  g_assert_true (json_node_equal (direct->message, expected));
  g_assert_cmpint (direct->encrypted, ==, encrypted);
}

static void
test_announce_relay (Fixture *fixture, gconstpointer data)
{
  g_autofree char *d = NULL;
  g_autofree char *text = NULL;

  g_test_summary ("A peer_announce in which the sender says it is a relay makes it a relay of "
                  "the receiver's offline store: a message stored afterwards is copied to it; "
                  "an announcement of another peer as a relay is not taken");
  start_host (fixture, A, NULL);
  start_host (fixture, B, NULL);
  start_host (fixture, D, NULL);
  connect_hosts (fixture, B, A);
  connect_hosts (fixture, D, A);
  g_assert_cmpuint (send_to_offline (fixture, A, C, "{\"n\": 1}", FALSE), ==, 0);
  g_assert_cmpuint (pending (fixture, B), ==, 0);

  /* D announces B: not its say. */
  d = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[B]));
  text = g_strdup_printf ("{\"type\": \"peer_announce\", \"peer_info\": {\"peer_id\": \"%s\", "
                          "\"is_relay\": true}}", d);
  send_plain (fixture, D, A, text);
  satori_test_wait_length (fixture->direct[A], 1, WAIT_LIMIT_S);
  g_assert_cmpuint (send_to_offline (fixture, A, C, "{\"n\": 2}", FALSE), ==, 0);

  announce_relay (fixture);
  g_assert_cmpuint (send_to_offline (fixture, A, C, "{\"n\": 3}", FALSE), ==, 1);
  g_assert_cmpuint (pending (fixture, A), ==, 3);
  g_assert_cmpuint (pending (fixture, B), ==, 1);
}

static void
test_push_on_connect (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A sends reliably to offline C, B is its relay: C starts later with its key, "
                  "connects to both holders, each pushes every message, and C's SatoriPeers "
                  "announces each message once, from A, as a direct message; the same content "
                  "sent twice is two messages; an encrypted one stays encrypted on the holders "
                  "and arrives decrypted");
  start_host (fixture, A, NULL);
  start_host (fixture, B, NULL);
  connect_hosts (fixture, B, A);
  announce_relay (fixture);

  g_assert_cmpuint (send_to_offline (fixture, A, C, "{\"hello\": \"C\"}", FALSE), ==, 1);
  g_assert_cmpuint (send_to_offline (fixture, A, C, "{\"hello\": \"C\"}", FALSE), ==, 1);
  g_assert_cmpuint (send_to_offline (fixture, A, C, "{\"secret\": 42}", TRUE), ==, 1);
  g_assert_cmpuint (pending (fixture, A), ==, 3);
  g_assert_cmpuint (pending (fixture, B), ==, 3);

  start_host (fixture, C, NULL);
  connect_hosts (fixture, C, B);
  connect_hosts (fixture, C, A);
  satori_test_wait_until (nothing_pending, fixture, WAIT_LIMIT_S);
  satori_test_wait_length (fixture->direct[C], 3, WAIT_LIMIT_S);
  /* Six pushes were delivered: three were repeats. */
  for (guint i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->direct[C]->len, ==, 3);
  guint plain = 0;
  for (guint i = 0; i < 3; i++)
    {
      Direct *direct = g_ptr_array_index (fixture->direct[C], i);
      if (direct->encrypted)
        assert_direct (direct, A, "{\"secret\": 42}", TRUE);
      else
        {
          assert_direct (direct, A, "{\"hello\": \"C\"}", FALSE);
          plain++;
        }
    }
  g_assert_cmpuint (plain, ==, 2);
}

/* Connects @from to @to and waits until both DHTs know each other. */
static void
join_dht (Fixture *fixture, guint from, guint to)
{
  SatoriKadDht *from_dht = SATORI_KAD_DHT (satori_host_get_handler (fixture->hosts[from],
                                                                    SATORI_KAD_PROTOCOL_ID));
  SatoriKadDht *to_dht = SATORI_KAD_DHT (satori_host_get_handler (fixture->hosts[to],
                                                                  SATORI_KAD_PROTOCOL_ID));
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_S * G_USEC_PER_SEC;

  connect_hosts (fixture, from, to);
  while (satori_kad_dht_get_routing_table_size (from_dht) == 0 ||
         satori_kad_dht_get_routing_table_size (to_dht) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_pull_through_dht (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_test_summary ("A stores a message for offline C at its relay B, which only answers when "
                  "asked, then A goes away; C starts later with its key, connected only to "
                  "the DHT node D, finds B there as a holder of /satori/pending/<C>, fetches "
                  "the message, and its SatoriPeers announces it once, from A");
  start_host (fixture, A, NULL);
  start_host (fixture, B, no_push_text);
  start_host (fixture, D, NULL);
  join_dht (fixture, A, D);
  join_dht (fixture, B, D);
  connect_hosts (fixture, B, A);
  announce_relay (fixture);
  g_assert_cmpuint (send_to_offline (fixture, A, C, "{\"kept\": \"for C\"}", FALSE), ==, 1);
  stop_host (fixture, A);

  start_host (fixture, C, NULL);
  join_dht (fixture, C, D);
  g_assert_null (satori_host_get_connection (fixture->hosts[C],
                                             satori_host_get_peer_id (fixture->hosts[B])));
  SatoriOfflineStore *store = satori_peers_get_offline_store (fixture->peers[C], &error);
  g_assert_no_error (error);
  /* B announces what it holds in the DHT as it takes it: ask until D has it. */
  guint fetched = 0;
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_S * G_USEC_PER_SEC;
  while (fetched == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_clear_object (&result);
      satori_offline_store_retrieve_async (store, NULL, satori_test_store_result, &result);
      fetched = satori_offline_store_retrieve_finish (store, satori_test_wait (&result), &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (fetched, ==, 1);
  g_assert_cmpuint (fixture->direct[C]->len, ==, 1);
  assert_direct (g_ptr_array_index (fixture->direct[C], 0), A, "{\"kept\": \"for C\"}", FALSE);

  /* B deletes it once C acknowledged; asking again brings nothing new. */
  while (pending (fixture, B) != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }
  g_clear_object (&result);
  satori_offline_store_retrieve_async (store, NULL, satori_test_store_result, &result);
  g_assert_cmpuint (satori_offline_store_retrieve_finish (store, satori_test_wait (&result),
                                                          &error), ==, 0);
  g_assert_cmpuint (fixture->direct[C]->len, ==, 1);
}

static void
test_reachable (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) message = json_of ("[\"live\"]");
  SatoriPeersDelivery delivery = SATORI_PEERS_DELIVERY_STORED;

  g_test_summary ("A reliable send to a peer that can be reached is sent, not stored; a "
                  "message that is not for the store (too large) fails instead of being kept");
  start_host (fixture, A, NULL);
  start_host (fixture, B, NULL);
  connect_hosts (fixture, A, B);
  satori_peers_send_reliable_async (fixture->peers[A], satori_host_get_peer_id (fixture->hosts[B]),
                                    message, FALSE, NULL, satori_test_store_result, &result);
  g_assert_true (satori_peers_send_reliable_finish (fixture->peers[A],
                                                    satori_test_wait (&result), &delivery, NULL,
                                                    &error));
  g_assert_no_error (error);
  g_assert_cmpint (delivery, ==, SATORI_PEERS_DELIVERY_SENT);
  satori_test_wait_length (fixture->direct[B], 1, WAIT_LIMIT_S);
  assert_direct (g_ptr_array_index (fixture->direct[B], 0), A, "[\"live\"]", FALSE);
  g_assert_cmpuint (pending (fixture, A), ==, 0);

  g_autofree char *filler = g_strnfill (2 * 1024 * 1024, 'x');
  g_autoptr(JsonNode) big = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (big, filler);
  g_autoptr(SatoriPeerId) target = id_of (C);
  g_clear_object (&result);
  satori_peers_send_reliable_async (fixture->peers[A], target, big, FALSE, NULL,
                                    satori_test_store_result, &result);
  g_assert_false (satori_peers_send_reliable_finish (fixture->peers[A],
                                                     satori_test_wait (&result), NULL, NULL,
                                                     &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_cmpuint (pending (fixture, A), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/peers/offline/announce-relay", test_announce_relay);
  ADD ("/peers/offline/push-on-connect", test_push_on_connect);
  ADD ("/peers/offline/pull-through-dht", test_pull_through_dht);
  ADD ("/peers/offline/reachable", test_reachable);
#undef ADD
  return g_test_run ();
}
