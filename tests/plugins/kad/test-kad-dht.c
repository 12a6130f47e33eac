/* The kad plugin on real hosts in one process (memory transport,
 * plaintext, yamux, identify): lookups, values, providers, a host gone,
 * malformed input. */
#include <glib/gstdio.h>

#include "satorip2p.h"
#include "satori-host-config.h"
#include "satori-identify-service.h"
#include "satori-kad-dht.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);

#define N_HOSTS 6
#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

/* Messages about closed DHT streams (structured logging: no
 * g_test_expect_message). */
static guint closed_streams_logged;

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriKadDht *dhts[N_HOSTS];
  SatoriMultiaddr *addresses[N_HOSTS];
} Fixture;

static gboolean
accept_any (GBytes *key, GBytes *value, gpointer user_data, GError **error)
{
  return TRUE;
}

/* The greatest value wins (values compare as bytes). */
static guint
select_greatest (GBytes *key, GPtrArray *values, gpointer user_data)
{
  guint best = 0;

  for (guint i = 1; i < values->len; i++)
    if (g_bytes_compare (g_ptr_array_index (values, i), g_ptr_array_index (values, best)) > 0)
      best = i;
  return best;
}

static void
wait_until (gboolean (*done) (Fixture *, gpointer), Fixture *fixture, gpointer data)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!done (fixture, data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }
}

static SatoriKadDht *
add_dht (Fixture *fixture, SatoriHost *host, SatoriKadMode mode)
{
  SatoriKadDht *dht = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER,
                                          "kad");
  g_object_set (dht, "store-path", ":memory:", "mode", mode, "request-timeout", 2000, NULL);
  satori_host_set_handler (host, SATORI_KAD_PROTOCOL_ID, SATORI_PROTOCOL_HANDLER (dht));
  g_assert_true (satori_kad_dht_add_namespace (dht, "test", accept_any, select_greatest, NULL));
  return dht;
}

static SatoriHost *
new_host (Fixture *fixture)
{
  SatoriHost *host = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  g_autoptr(SatoriProtocolHandler) identify = satori_test_create (
    fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");

  satori_host_set_handler (host, SATORI_IDENTIFY_PROTOCOL, identify);
  satori_host_set_handler (host, SATORI_IDENTIFY_PUSH_PROTOCOL, identify);
  return host;
}

static gboolean
tables_filled (Fixture *fixture, gpointer data)
{
  const guint *expected = data;

  for (guint i = 0; i < N_HOSTS; i++)
    if (fixture->dhts[i] != NULL &&
        satori_kad_dht_get_routing_table_size (fixture->dhts[i]) < expected[i])
      return FALSE;
  return TRUE;
}

static void
connect_hosts (Fixture *fixture, guint from, guint to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->hosts[from],
                                                                fixture->addresses[to], &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
}

/* A chain: host i knows only i - 1 and i + 1, so that reaching the far
 * end takes a lookup of several hops. */
static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint expected[N_HOSTS];

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_true (satori_plugin_kad_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      fixture->hosts[i] = new_host (fixture);
      fixture->dhts[i] = add_dht (fixture, fixture->hosts[i], SATORI_KAD_MODE_SERVER);
      fixture->addresses[i] = satori_test_listen_address (fixture->hosts[i], "/memory/0");
    }
  /* The handler table follows the mode once the main loop runs. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 1; i < N_HOSTS; i++)
    connect_hosts (fixture, i, i - 1);
  for (guint i = 0; i < N_HOSTS; i++)
    expected[i] = (i == 0 || i == N_HOSTS - 1) ? 1 : 2;
  wait_until (tables_filled, fixture, expected);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < N_HOSTS; i++)
    if (fixture->hosts[i] != NULL)
      satori_host_close (fixture->hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_clear_object (&fixture->hosts[i]);
      g_clear_object (&fixture->dhts[i]);
      g_clear_pointer (&fixture->addresses[i], satori_multiaddr_unref);
    }
  g_object_unref (fixture->registry);
}

static SatoriPeerInfo *
find_peer (SatoriKadDht *dht, SatoriPeerId *peer, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_find_peer_async (dht, peer, NULL, satori_test_store_result, &result);
  return satori_kad_dht_find_peer_finish (dht, satori_test_wait (&result), error);
}

static GBytes *
get_value (SatoriKadDht *dht, GBytes *key, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_get_value_async (dht, key, NULL, satori_test_store_result, &result);
  return satori_kad_dht_get_value_finish (dht, satori_test_wait (&result), error);
}

static guint
put_value (SatoriKadDht *dht, GBytes *key, GBytes *value, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_put_value_async (dht, key, value, NULL, satori_test_store_result, &result);
  return satori_kad_dht_put_value_finish (dht, satori_test_wait (&result), error);
}

static gboolean
has_peer (GPtrArray *infos, SatoriPeerId *peer)
{
  for (guint i = 0; i < infos->len; i++)
    if (satori_peer_id_equal (satori_peer_info_get_peer_id (g_ptr_array_index (infos, i)), peer))
      return TRUE;
  return FALSE;
}

static void
test_find_peer (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SatoriPeerId *far = satori_host_get_peer_id (fixture->hosts[N_HOSTS - 1]);

  g_test_summary ("The first host of a chain of six finds the last one's addresses");
  g_assert_null (satori_host_get_connection (fixture->hosts[0], far));
  g_autoptr(SatoriPeerInfo) info = find_peer (fixture->dhts[0], far, &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), far));
  GPtrArray *addresses = satori_peer_info_get_addresses (info);
  g_assert_true (g_ptr_array_find_with_equal_func (addresses, fixture->addresses[N_HOSTS - 1],
                                                   satori_multiaddr_equal, NULL));
  /* The lookup met the hosts on the way: the table grew past the chain. */
  g_assert_cmpuint (satori_kad_dht_get_routing_table_size (fixture->dhts[0]), >, 1);
}

static void
test_put_get (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/hello", 11);
  g_autoptr(GBytes) value = g_bytes_new_static ("world", 5);
  g_autoptr(GBytes) unknown = g_bytes_new_static ("/test/nothing", 13);
  g_autoptr(GBytes) no_validator = g_bytes_new_static ("/other/x", 8);

  g_test_summary ("A record put by one end of the chain is found from the other; "
                  "a missing one is not found, one without a validator is refused");
  guint stored = put_value (fixture->dhts[0], key, value, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored, >=, 1);
  g_autoptr(GBytes) found = get_value (fixture->dhts[N_HOSTS - 1], key, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (found, value));

  g_autoptr(GBytes) missing = get_value (fixture->dhts[N_HOSTS - 1], unknown, &error);
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_clear_error (&error);

  g_assert_cmpuint (put_value (fixture->dhts[0], no_validator, value, &error), ==, 0);
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_NO_VALIDATOR);
}

static void
test_public_key_record (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SatoriHost *first = fixture->hosts[0];
  GBytes *id = satori_peer_id_get_bytes (satori_host_get_peer_id (first));
  GByteArray *key = g_byte_array_new ();

  g_test_summary ("A /pk/ record nobody put is answered from the peerstores and checks out");
  g_byte_array_append (key, (const guint8 *) "/pk/", 4);
  g_byte_array_append (key, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
  g_autoptr(GBytes) pk_key = g_byte_array_free_to_bytes (key);
  g_autoptr(GBytes) value = get_value (fixture->dhts[N_HOSTS - 1], pk_key, &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) expected = satori_public_key_to_protobuf (
    satori_private_key_get_public_key (satori_host_get_private_key (first)));
  g_assert_true (g_bytes_equal (value, expected));
}

static void
test_providers (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) advertised = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  SatoriDiscovery *provider = SATORI_DISCOVERY (fixture->dhts[2]);
  SatoriDiscovery *seeker = SATORI_DISCOVERY (fixture->dhts[N_HOSTS - 1]);

  g_test_summary ("A host advertises a /satori/sub/ key (raw UTF-8, as the Python nodes); "
                  "a far host finds it as a provider through SatoriDiscovery");
  satori_discovery_advertise_async (provider, "/satori/sub/42", 3600, NULL,
                                    satori_test_store_result, &advertised);
  guint ttl = satori_discovery_advertise_finish (provider, satori_test_wait (&advertised),
                                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ttl, ==, 48 * 3600);

  satori_discovery_find_peers_async (seeker, "/satori/sub/42", 10, NULL,
                                     satori_test_store_result, &found);
  g_autoptr(GPtrArray) peers = satori_discovery_find_peers_finish (seeker,
                                                                   satori_test_wait (&found),
                                                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 1);
  g_assert_true (has_peer (peers, satori_host_get_peer_id (fixture->hosts[2])));
}

static gboolean
disconnected_from (Fixture *fixture, gpointer data)
{
  SatoriPeerId *gone = data;

  return satori_host_get_connection (fixture->hosts[2], gone) == NULL &&
         satori_host_get_connection (fixture->hosts[4], gone) == NULL;
}

static void
test_host_gone (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/survivor", 14);
  g_autoptr(GBytes) value = g_bytes_new_static ("still here", 10);
  g_autoptr(SatoriPeerId) gone = satori_peer_id_ref (satori_host_get_peer_id (fixture->hosts[3]));
  SatoriPeerId *last = satori_host_get_peer_id (fixture->hosts[N_HOSTS - 1]);

  g_test_summary ("After a host of the network is gone without notice, lookups, "
                  "gets and puts go around it");
  /* Shortcuts around host 3, and every host learns of every other. */
  connect_hosts (fixture, 4, 2);
  connect_hosts (fixture, 5, 1);
  g_autoptr(SatoriPeerInfo) before = find_peer (fixture->dhts[0], last, &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (before), last));
  g_assert_cmpuint (put_value (fixture->dhts[N_HOSTS - 1], key, value, &error), >=, 1);
  g_assert_no_error (error);

  satori_host_close (fixture->hosts[3]);
  wait_until (disconnected_from, fixture, gone);

  g_autoptr(GBytes) found = get_value (fixture->dhts[0], key, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (found, value));
  g_autoptr(SatoriPeerInfo) again = find_peer (fixture->dhts[1], last, &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (again), last));

  /* Storing goes on without it too. */
  g_autoptr(GBytes) later = g_bytes_new_static ("/test/later", 11);
  g_assert_cmpuint (put_value (fixture->dhts[0], later, value, &error), >=, 1);
  g_assert_no_error (error);
  g_autoptr(GBytes) found_later = get_value (fixture->dhts[N_HOSTS - 1], later, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (found_later, value));
}

static GIOStream *
open_kad_stream (Fixture *fixture, guint from, guint to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  const char *protocols[] = { SATORI_KAD_PROTOCOL_ID, NULL };

  satori_host_new_stream_async (fixture->hosts[from], satori_host_get_peer_id (fixture->hosts[to]),
                                protocols, NULL, satori_test_store_result, &opened);
  GIOStream *stream = satori_host_new_stream_finish (fixture->hosts[from],
                                                     satori_test_wait (&opened), NULL, &error);
  g_assert_no_error (error);
  return stream;
}

/* Writes @bytes and reads until the other side ends the stream. */
static void
send_and_expect_close (GIOStream *stream, const guint8 *bytes, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  GInputStream *in = g_io_stream_get_input_stream (stream);
  guint8 buffer[256];
  gssize n;

  g_output_stream_write_all_async (out, bytes, len, G_PRIORITY_DEFAULT, NULL,
                                   satori_test_store_result, &written);
  g_assert_true (g_output_stream_write_all_finish (out, satori_test_wait (&written), NULL,
                                                   &error));
  g_assert_no_error (error);
  do
    {
      g_autoptr(GAsyncResult) read = NULL;
      g_input_stream_read_async (in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                                 satori_test_store_result, &read);
      n = g_input_stream_read_finish (in, satori_test_wait (&read), NULL);
    }
  while (n > 0);
}

static void
test_malformed (Fixture *fixture, gconstpointer data)
{
  /* A FIND_NODE frame whose key field claims more bytes than there are. */
  static const guint8 garbage[] = { 0x05, 0x08, 0x04, 0x12, 0x7f, 'x' };
  /* A length prefix far over the 64 KiB limit. */
  static const guint8 too_large[] = { 0xff, 0xff, 0xff, 0x01 };
  g_autoptr(GError) error = NULL;
  SatoriPeerId *far = satori_host_get_peer_id (fixture->hosts[N_HOSTS - 1]);

  g_test_summary ("Malformed and oversized messages close that stream with a logged reason; "
                  "the connection and the DHT keep working");
  guint logged = closed_streams_logged;
  g_autoptr(GIOStream) bad = open_kad_stream (fixture, 0, 1);
  send_and_expect_close (bad, garbage, sizeof garbage);
  g_autoptr(GIOStream) huge = open_kad_stream (fixture, 0, 1);
  send_and_expect_close (huge, too_large, sizeof too_large);
  g_assert_cmpuint (closed_streams_logged, ==, logged + 2);

  SatoriConnection *connection = satori_host_get_connection (
    fixture->hosts[0], satori_host_get_peer_id (fixture->hosts[1]));
  g_assert_nonnull (connection);
  g_assert_false (satori_connection_is_closed (connection));
  g_autoptr(SatoriPeerInfo) info = find_peer (fixture->dhts[1], far, &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), far));
}

static gboolean
strv_has (GStrv strv, const char *s)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, s);
}

static gboolean
client_has_peer (Fixture *fixture, gpointer data)
{
  return satori_kad_dht_get_routing_table_size (data) > 0;
}

static void
test_client_mode (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriHost) host = new_host (fixture);
  g_autoptr(SatoriKadDht) client = add_dht (fixture, host, SATORI_KAD_MODE_CLIENT);
  SatoriPeerId *far = satori_host_get_peer_id (fixture->hosts[N_HOSTS - 1]);
  guint size_before = satori_kad_dht_get_routing_table_size (fixture->dhts[0]);

  g_test_summary ("A DHT client neither advertises nor enters tables, yet finds peers; "
                  "switched to server mode it advertises the protocol");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_auto(GStrv) protocols = satori_host_get_protocols (host);
  g_assert_false (strv_has (protocols, SATORI_KAD_PROTOCOL_ID));

  g_autoptr(SatoriConnection) connection = satori_test_connect (host, fixture->addresses[0],
                                                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  wait_until (client_has_peer, fixture, client);
  g_autoptr(SatoriPeerInfo) info = find_peer (client, far, &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), far));
  /* The server identified the client too, and left it out. */
  g_assert_cmpuint (satori_kad_dht_get_routing_table_size (fixture->dhts[0]), ==, size_before);

  satori_kad_dht_set_mode (client, SATORI_KAD_MODE_SERVER);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_auto(GStrv) served = satori_host_get_protocols (host);
  g_assert_true (strv_has (served, SATORI_KAD_PROTOCOL_ID));
  satori_host_close (host);
}

typedef struct
{
  SatoriHost *host;
  gboolean serving;
} SeenServing;

/* Whether fixture host 0 sees (identify, identify push) SeenServing's host
 * serve the DHT as expected. */
static gboolean
peer_sees_serving (Fixture *fixture, gpointer data)
{
  SeenServing *seen = data;
  g_auto(GStrv) protocols = satori_peerstore_get_protocols (
    satori_host_get_peerstore (fixture->hosts[0]), satori_host_get_peer_id (seen->host));

  return protocols != NULL && strv_has (protocols, SATORI_KAD_PROTOCOL_ID) == seen->serving;
}

static void
expect_serving (Fixture *fixture, SatoriHost *host, SatoriKadDht *dht, gboolean serving)
{
  SeenServing seen = { host, serving };

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_auto(GStrv) served = satori_host_get_protocols (host);
  g_assert_cmpint (strv_has (served, SATORI_KAD_PROTOCOL_ID), ==, serving);
  g_assert_cmpint (satori_kad_dht_is_serving (dht), ==, serving);
  wait_until (peer_sees_serving, fixture, &seen);
}

static void
test_mode_auto (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriHost) host = new_host (fixture);
  g_autoptr(SatoriKadDht) dht = add_dht (fixture, host, SATORI_KAD_MODE_AUTO);

  g_test_summary ("Auto mode (the default) serves the DHT only while the host's reachability "
                  "is public, and identify push tells a connected peer each switch; forced "
                  "server and client ignore reachability");
  g_autoptr(SatoriKadDht) fresh = satori_kad_dht_new ();
  g_assert_cmpint (satori_kad_dht_get_mode (fresh), ==, SATORI_KAD_MODE_AUTO);
  g_autoptr(SatoriConnection) connection = satori_test_connect (host, fixture->addresses[0],
                                                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  expect_serving (fixture, host, dht, FALSE);

  satori_host_set_reachability (host, SATORI_REACHABILITY_PUBLIC);
  expect_serving (fixture, host, dht, TRUE);
  satori_host_set_reachability (host, SATORI_REACHABILITY_PRIVATE);
  expect_serving (fixture, host, dht, FALSE);

  satori_kad_dht_set_mode (dht, SATORI_KAD_MODE_SERVER);
  expect_serving (fixture, host, dht, TRUE);
  satori_host_set_reachability (host, SATORI_REACHABILITY_PUBLIC);
  satori_kad_dht_set_mode (dht, SATORI_KAD_MODE_CLIENT);
  expect_serving (fixture, host, dht, FALSE);
  satori_host_close (host);
}

static SatoriHost *
host_from_config (SatoriRegistry *registry, const char *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519,
                                                                 &error);

  g_assert_true (satori_config_load_data (config, "test", data, -1, &error));
  SatoriHost *host = satori_host_new_from_config (config, registry, key, &error);
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return host;
}

static void
test_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  guint k;

  g_test_summary ("The [kad] group sets the DHT's properties: a private protocol id "
                  "replaces the public one; a client serves neither");
  g_assert_true (satori_plugin_kad_register (registry, &error));
  g_assert_no_error (error);
  g_autoptr(SatoriHost) server = host_from_config (registry,
    "[kad]\nprotocol-id=/satori/kad/1.0.0\nmode=server\nstore-path=:memory:\nk=10\n");
  g_auto(GStrv) served = satori_host_get_protocols (server);
  g_assert_true (strv_has (served, "/satori/kad/1.0.0"));
  g_assert_false (strv_has (served, SATORI_KAD_PROTOCOL_ID));
  SatoriKadDht *dht = satori_kad_dht_get_for_host (server);
  g_assert_nonnull (dht);
  g_object_get (dht, "k", &k, NULL);
  g_assert_cmpuint (k, ==, 10);
  g_assert_cmpint (satori_kad_dht_get_mode (dht), ==, SATORI_KAD_MODE_SERVER);

  g_autoptr(SatoriHost) client = host_from_config (registry,
    "[kad]\nmode=client\nstore-path=:memory:\n");
  g_auto(GStrv) none = satori_host_get_protocols (client);
  g_assert_false (strv_has (none, SATORI_KAD_PROTOCOL_ID));
  g_assert_nonnull (satori_kad_dht_get_for_host (client));
  satori_host_close (server);
  satori_host_close (client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A lone host: its DHT has nobody to ask, so only its store answers. */
static SatoriHost *
lone_host (SatoriRegistry *registry, const char *path, SatoriKadDht **dht)
{
  SatoriHost *host = satori_test_host_new (registry, "memory", "plaintext", "yamux");

  *dht = satori_test_create (registry, SATORI_TYPE_PROTOCOL_HANDLER, "kad");
  g_object_set (*dht, "store-path", path, "mode", SATORI_KAD_MODE_SERVER, NULL);
  satori_host_set_handler (host, SATORI_KAD_PROTOCOL_ID, SATORI_PROTOCOL_HANDLER (*dht));
  g_assert_true (satori_kad_dht_add_namespace (*dht, "test", accept_any, select_greatest, NULL));
  return host;
}

static void
test_store_survives_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autofree char *dir = g_dir_make_tmp ("kad-dht-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sub", "kad.sqlite", NULL);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/kept", 10);
  g_autoptr(GBytes) value = g_bytes_new_static ("across restarts", 15);
  SatoriKadDht *dht = NULL;

  g_test_summary ("Records go to the SQLite file at store-path (its folder created) "
                  "and are there for the next host that opens it");
  g_assert_no_error (error);
  g_assert_true (satori_plugin_memory_register (registry, &error));
  g_assert_true (satori_plugin_plaintext_register (registry, &error));
  g_assert_true (satori_plugin_yamux_register (registry, &error));
  g_assert_true (satori_plugin_kad_register (registry, &error));
  g_assert_no_error (error);

  SatoriHost *first = lone_host (registry, path, &dht);
  g_assert_cmpuint (put_value (dht, key, value, &error), ==, 0);
  g_assert_no_error (error);
  satori_host_close (first);
  g_object_unref (first);
  g_object_unref (dht);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  SatoriHost *second = lone_host (registry, path, &dht);
  g_autoptr(GBytes) found = get_value (dht, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (found, value));
  satori_host_close (second);
  g_object_unref (second);
  g_object_unref (dht);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_autofree char *sub = g_path_get_dirname (path);
  g_remove (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

static GLogWriterOutput
count_closed_streams (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                      gpointer user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "Closing a DHT stream"))
      closed_streams_logged++;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (count_closed_streams, NULL, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/kad/dht/find-peer-across-chain", test_find_peer);
  ADD ("/kad/dht/put-get", test_put_get);
  ADD ("/kad/dht/public-key-record", test_public_key_record);
  ADD ("/kad/dht/provide-find-providers", test_providers);
  ADD ("/kad/dht/host-gone", test_host_gone);
  ADD ("/kad/dht/malformed-closes-stream", test_malformed);
  ADD ("/kad/dht/client-mode", test_client_mode);
  ADD ("/kad/dht/mode-auto", test_mode_auto);
  g_test_add_func ("/kad/dht/config", test_config);
  g_test_add_func ("/kad/dht/store-survives-restart", test_store_survives_restart);
  return g_test_run ();
}
