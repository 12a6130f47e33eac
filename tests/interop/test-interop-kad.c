/* Kad-DHT with js-libp2p 3.x (@libp2p/kad-dht) over TCP + Noise + Yamux:
 * a line satorip2p 0 - js 0 - js 1 - satorip2p 1, every node a DHT server,
 * each end two hops from the other. Values (/pk/ and a "test" namespace
 * with the same validator and selector on both sides), providers and
 * peers are put by one side and found by the other, and across the js
 * middle from C to C. The C hosts answer ping: js pings a peer before it
 * takes it into its routing table. The js peers are tests/interop/js-peer.mjs --dht.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-identify-service.h"
#include "satori-js-peer.h"
#include "satori-kad-dht.h"
#include "satori-ping-service.h"
#include "satori-test-host.h"
#include "satori-test-util.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);

#define N_HOSTS 2
#define WAIT_LIMIT_US (30 * G_USEC_PER_SEC)

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriKadDht *dhts[N_HOSTS];
  SatoriJsPeer *js[N_HOSTS];
  SatoriPeerId *js_ids[N_HOSTS];
} Fixture;

static gboolean
accept_any (GBytes *key, GBytes *value, gpointer user_data, GError **error)
{
  return TRUE;
}

/* The greatest value wins (values compare as bytes), as js-peer.mjs's
 * selector for "test". */
static guint
select_greatest (GBytes *key, GPtrArray *values, gpointer user_data)
{
  guint best = 0;

  for (guint i = 1; i < values->len; i++)
    if (g_bytes_compare (g_ptr_array_index (values, i), g_ptr_array_index (values, best)) > 0)
      best = i;
  return best;
}

static SatoriHost *
new_host (Fixture *fixture, guint i)
{
  SatoriHost *host = satori_test_host_new (fixture->registry, "tcp", "noise", "yamux");
  g_autoptr(SatoriProtocolHandler) identify = satori_test_create (
    fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
  g_autoptr(SatoriProtocolHandler) ping = satori_test_create (
    fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "ping");
  SatoriKadDht *dht = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER,
                                          "kad");

  satori_host_set_handler (host, SATORI_IDENTIFY_PROTOCOL, identify);
  satori_host_set_handler (host, SATORI_IDENTIFY_PUSH_PROTOCOL, identify);
  /* js pings a peer before it takes it into its routing table. */
  satori_host_set_handler (host, SATORI_PING_PROTOCOL, ping);
  g_object_set (dht, "store-path", ":memory:", "mode", SATORI_KAD_MODE_SERVER, NULL);
  satori_host_set_handler (host, SATORI_KAD_PROTOCOL_ID, SATORI_PROTOCOL_HANDLER (dht));
  g_assert_true (satori_kad_dht_add_namespace (dht, "test", accept_any, select_greatest, NULL));
  fixture->dhts[i] = dht;
  return host;
}

static SatoriJsPeer *
start_js (const char *dial_1, const char *dial_2, SatoriPeerId **id, char **address)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--dht", "--listen", "/ip4/127.0.0.1/tcp/0", "--dial", dial_1,
                         dial_2 != NULL ? "--dial" : NULL, dial_2, NULL };
  SatoriJsPeer *js = satori_js_peer_start (args);
  JsonObject *listening = satori_js_peer_wait_event (js, "listening");

  *id = satori_peer_id_new_from_string (json_object_get_string_member (listening, "peerId"),
                                        &error);
  g_assert_no_error (error);
  *address = g_strdup (json_array_get_string_element (
    json_object_get_array_member (listening, "addrs"), 0));
  json_object_unref (listening);
  return js;
}

static guint
js_routing_table_size (SatoriJsPeer *js)
{
  satori_js_peer_send (js, "{\"cmd\":\"dht-routing-table\"}");
  JsonObject *reply = satori_js_peer_wait_event (js, "dht-routing-table");
  guint size = json_object_get_int_member (reply, "size");

  json_object_unref (reply);
  return size;
}

/* Until every DHT knows its neighbours on the line (identify has run). */
static void
wait_tables (Fixture *fixture)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (satori_kad_dht_get_routing_table_size (fixture->dhts[0]) < 1 ||
         satori_kad_dht_get_routing_table_size (fixture->dhts[1]) < 1 ||
         js_routing_table_size (fixture->js[0]) < 2 || js_routing_table_size (fixture->js[1]) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      for (guint i = 0; i < 100; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *js0_address = NULL;
  g_autofree char *js1_address = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_ping_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_true (satori_plugin_kad_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_HOSTS; i++)
    fixture->hosts[i] = new_host (fixture, i);
  g_autofree char *c0_address = satori_test_listen (fixture->hosts[0], "/ip4/127.0.0.1/tcp/0");
  g_autofree char *c1_address = satori_test_listen (fixture->hosts[1], "/ip4/127.0.0.1/tcp/0");
  /* The handler table follows the mode once the main loop runs. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  fixture->js[0] = start_js (c0_address, NULL, &fixture->js_ids[0], &js0_address);
  fixture->js[1] = start_js (js0_address, c1_address, &fixture->js_ids[1], &js1_address);
  wait_tables (fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < N_HOSTS; i++)
    {
      satori_js_peer_stop (fixture->js[i]);
      satori_host_close (fixture->hosts[i]);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->hosts[i]);
      g_object_unref (fixture->dhts[i]);
      satori_peer_id_unref (fixture->js_ids[i]);
    }
  g_object_unref (fixture->registry);
}

/* Sends @command to @js and returns its reply (an "error" fails the test). */
static JsonObject *
js_call (SatoriJsPeer *js, const char *name, const char *command)
{
  satori_js_peer_send (js, command);
  return satori_js_peer_wait_event (js, name);
}

static char *
hex_of (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *text = g_string_sized_new (size * 2);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, "%02x", data[i]);
  return g_string_free (text, FALSE);
}

static GBytes *
concat (const char *prefix, GBytes *rest)
{
  GByteArray *array = g_byte_array_new ();

  g_byte_array_append (array, (const guint8 *) prefix, strlen (prefix));
  g_byte_array_append (array, g_bytes_get_data (rest, NULL), g_bytes_get_size (rest));
  return g_byte_array_free_to_bytes (array);
}

/* The /pk/ key of @peer. */
static GBytes *
pk_key (SatoriPeerId *peer)
{
  return concat ("/pk/", satori_peer_id_get_bytes (peer));
}

/* A sha2-256 multihash of @text, a provider key as js gets it from a CID. */
static GBytes *
multihash_of (const char *text)
{
  guint8 digest[32];
  gsize size = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GBytes) bytes = NULL;

  g_checksum_update (checksum, (const guchar *) text, strlen (text));
  g_checksum_get_digest (checksum, digest, &size);
  bytes = g_bytes_new (digest, size);
  return concat ("\x12\x20", bytes);
}

static GBytes *
c_get_value (SatoriKadDht *dht, GBytes *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_get_value_async (dht, key, NULL, satori_test_store_result, &result);
  GBytes *value = satori_kad_dht_get_value_finish (dht, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  return value;
}

static void
c_put_value (SatoriKadDht *dht, GBytes *key, GBytes *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_put_value_async (dht, key, value, NULL, satori_test_store_result, &result);
  g_assert_cmpuint (satori_kad_dht_put_value_finish (dht, satori_test_wait (&result), &error),
                    >=, 1);
  g_assert_no_error (error);
}

static void
c_provide (SatoriKadDht *dht, GBytes *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_provide_async (dht, key, NULL, satori_test_store_result, &result);
  g_assert_cmpuint (satori_kad_dht_provide_finish (dht, satori_test_wait (&result), &error),
                    >=, 1);
  g_assert_no_error (error);
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
c_assert_provider (SatoriKadDht *dht, GBytes *key, SatoriPeerId *provider)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_find_providers_async (dht, key, NULL, satori_test_store_result, &result);
  g_autoptr(GPtrArray) providers = satori_kad_dht_find_providers_finish (
    dht, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (has_peer (providers, provider));
}

static void
c_assert_finds_peer (SatoriKadDht *dht, SatoriPeerId *peer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_kad_dht_find_peer_async (dht, peer, NULL, satori_test_store_result, &result);
  g_autoptr(SatoriPeerInfo) info = satori_kad_dht_find_peer_finish (
    dht, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), peer));
  g_assert_cmpuint (satori_peer_info_get_addresses (info)->len, >=, 1);
}

static void
js_put_value (SatoriJsPeer *js, GBytes *key, GBytes *value)
{
  g_autofree char *key_hex = hex_of (key);
  g_autofree char *value_hex = hex_of (value);
  g_autofree char *command = g_strdup_printf (
    "{\"cmd\":\"dht-put\",\"key\":\"%s\",\"value\":\"%s\"}", key_hex, value_hex);
  JsonObject *reply = js_call (js, "dht-put", command);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "stored")), >=, 1);
  json_object_unref (reply);
}

static void
js_assert_value (SatoriJsPeer *js, GBytes *key, GBytes *value)
{
  g_autofree char *key_hex = hex_of (key);
  g_autofree char *value_hex = hex_of (value);
  g_autofree char *command = g_strdup_printf ("{\"cmd\":\"dht-get\",\"key\":\"%s\"}", key_hex);
  JsonObject *reply = js_call (js, "dht-get", command);

  g_assert_cmpstr (json_object_get_string_member (reply, "value"), ==, value_hex);
  json_object_unref (reply);
}

static void
js_provide (SatoriJsPeer *js, GBytes *key)
{
  g_autofree char *key_hex = hex_of (key);
  g_autofree char *command = g_strdup_printf ("{\"cmd\":\"dht-provide\",\"key\":\"%s\"}",
                                              key_hex);

  json_object_unref (js_call (js, "dht-provide", command));
}

static void
js_assert_provider (SatoriJsPeer *js, GBytes *key, SatoriPeerId *provider)
{
  g_autofree char *key_hex = hex_of (key);
  g_autofree char *id = satori_peer_id_to_string (provider);
  g_autofree char *command = g_strdup_printf (
    "{\"cmd\":\"dht-find-providers\",\"key\":\"%s\",\"provider\":\"%s\"}", key_hex, id);
  JsonObject *reply = js_call (js, "dht-find-providers", command);
  JsonArray *providers = json_object_get_array_member (reply, "providers");
  gboolean found = FALSE;

  for (guint i = 0; i < json_array_get_length (providers); i++)
    found |= g_strcmp0 (json_array_get_string_element (providers, i), id) == 0;
  g_assert_true (found);
  json_object_unref (reply);
}

static void
js_assert_finds_peer (SatoriJsPeer *js, SatoriPeerId *peer)
{
  g_autofree char *id = satori_peer_id_to_string (peer);
  g_autofree char *command = g_strdup_printf ("{\"cmd\":\"dht-find-peer\",\"peer\":\"%s\"}", id);
  JsonObject *reply = js_call (js, "dht-find-peer", command);

  g_assert_cmpstr (json_object_get_string_member (reply, "peer"), ==, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "addrs")), >=, 1);
  json_object_unref (reply);
}

static void
test_values (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GBytes) c_key = g_bytes_new_static ("/test/from-c", 12);
  g_autoptr(GBytes) c_value = g_bytes_new_static ("put by satorip2p", 16);
  g_autoptr(GBytes) js_key = g_bytes_new_static ("/test/from-js", 13);
  g_autoptr(GBytes) js_value = g_bytes_new_static ("put by js", 9);
  g_autoptr(GBytes) across_key = g_bytes_new_static ("/test/across", 12);
  g_autoptr(GBytes) across_value = g_bytes_new_static ("from one C to the other", 23);

  g_test_summary ("Records of a test namespace put by satorip2p are got by js and the other "
                  "way round, also across the js middle; /pk/ records of each side are got "
                  "by the other");
  c_put_value (fixture->dhts[0], c_key, c_value);
  js_assert_value (fixture->js[1], c_key, c_value);
  js_put_value (fixture->js[0], js_key, js_value);
  g_autoptr(GBytes) got_js = c_get_value (fixture->dhts[1], js_key);
  g_assert_true (g_bytes_equal (got_js, js_value));
  c_put_value (fixture->dhts[1], across_key, across_value);
  g_autoptr(GBytes) got_across = c_get_value (fixture->dhts[0], across_key);
  g_assert_true (g_bytes_equal (got_across, across_value));

  /* /pk/ of a js peer, from C, and of a C host, from js. */
  g_autoptr(GBytes) js_pk_key = pk_key (fixture->js_ids[1]);
  g_autoptr(GBytes) js_pk = c_get_value (fixture->dhts[0], js_pk_key);
  g_autoptr(SatoriPublicKey) js_public = satori_public_key_new_from_protobuf (
    g_bytes_get_data (js_pk, NULL), g_bytes_get_size (js_pk), NULL);
  g_assert_nonnull (js_public);
  g_autoptr(SatoriPeerId) js_id = satori_peer_id_new_from_public_key (js_public);
  g_assert_true (satori_peer_id_equal (js_id, fixture->js_ids[1]));

  SatoriHost *far = fixture->hosts[1];
  g_autoptr(GBytes) c_pk_key = pk_key (satori_host_get_peer_id (far));
  g_autoptr(GBytes) c_pk = satori_public_key_to_protobuf (
    satori_private_key_get_public_key (satori_host_get_private_key (far)));
  js_put_value (fixture->js[1], c_pk_key, c_pk);
  js_assert_value (fixture->js[0], c_pk_key, c_pk);
}

static void
test_providers (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GBytes) c_key = multihash_of ("provided by satorip2p");
  g_autoptr(GBytes) js_key = multihash_of ("provided by js");
  g_autoptr(GBytes) across_key = multihash_of ("provided across");

  g_test_summary ("A CID provided by satorip2p is found by js and the other way round, "
                  "and one provided by a satorip2p host by the other across the js middle");
  c_provide (fixture->dhts[0], c_key);
  js_assert_provider (fixture->js[1], c_key, satori_host_get_peer_id (fixture->hosts[0]));
  js_provide (fixture->js[0], js_key);
  c_assert_provider (fixture->dhts[1], js_key, fixture->js_ids[0]);
  c_provide (fixture->dhts[1], across_key);
  c_assert_provider (fixture->dhts[0], across_key, satori_host_get_peer_id (fixture->hosts[1]));
}

static void
test_find_peer (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Each end finds the peers it is not connected to: the far js peer and the "
                  "far satorip2p host, from C and from js");
  /* js 1's own DHT walk may have dialed C 0 (it learns it from js 0): the
   * far peer must be one it is not connected to. */
  SatoriConnection *direct = satori_host_get_connection (fixture->hosts[0], fixture->js_ids[1]);
  if (direct != NULL)
    {
      g_autoptr(SatoriConnection) closing = g_object_ref (direct);
      g_autoptr(GAsyncResult) result = NULL;
      satori_connection_close_async (closing, NULL, satori_test_store_result, &result);
      g_assert_true (satori_connection_close_finish (closing, satori_test_wait (&result), NULL));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_null (satori_host_get_connection (fixture->hosts[0], fixture->js_ids[1]));
  c_assert_finds_peer (fixture->dhts[0], fixture->js_ids[1]);
  c_assert_finds_peer (fixture->dhts[0], satori_host_get_peer_id (fixture->hosts[1]));
  js_assert_finds_peer (fixture->js[0], satori_host_get_peer_id (fixture->hosts[1]));
  js_assert_finds_peer (fixture->js[1], satori_host_get_peer_id (fixture->hosts[0]));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/interop/kad/values", Fixture, NULL, fixture_set_up, test_values,
              fixture_tear_down);
  g_test_add ("/interop/kad/providers", Fixture, NULL, fixture_set_up, test_providers,
              fixture_tear_down);
  g_test_add ("/interop/kad/find-peer", Fixture, NULL, fixture_set_up, test_find_peer,
              fixture_tear_down);
  return g_test_run ();
}
