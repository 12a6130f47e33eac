/* Ping and identify with js-libp2p 3.x over TCP + Noise + Yamux.
 * The js peer is tests/interop/js-peer.mjs (see its README). */
#include <string.h>

#include "satori-identify-service.h"
#include "satori-js-peer.h"
#include "satori-ping-service.h"
#include "satori-test-host.h"
#include "satori-test-util.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *host;
  SatoriPingService *ping;
  SatoriIdentifyService *identify;
  guint identified;
  SatoriJsPeer *js;
} Fixture;

static void
on_identified (SatoriIdentifyService *service, SatoriPeerId *peer,
               SatoriIdentifyMessage *message, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_ping_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_no_error (error);

  fixture->host = satori_test_host_new (fixture->registry, "tcp", "noise", "yamux");
  fixture->ping = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "ping");
  fixture->identify = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
  g_signal_connect (fixture->identify, "identified", G_CALLBACK (on_identified),
                    &fixture->identified);
  satori_host_set_handler (fixture->host, SATORI_PING_PROTOCOL,
                           SATORI_PROTOCOL_HANDLER (fixture->ping));
  satori_host_set_handler (fixture->host, SATORI_IDENTIFY_PROTOCOL,
                           SATORI_PROTOCOL_HANDLER (fixture->identify));
  satori_host_set_handler (fixture->host, SATORI_IDENTIFY_PUSH_PROTOCOL,
                           SATORI_PROTOCOL_HANDLER (fixture->identify));
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->js != NULL)
    satori_js_peer_stop (fixture->js);
  satori_host_close (fixture->host);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->host);
  g_object_unref (fixture->ping);
  g_object_unref (fixture->identify);
  g_object_unref (fixture->registry);
}

static gboolean
array_has (JsonArray *array, const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_js_dials_us (Fixture *fixture, gconstpointer data)
{
  g_autofree char *target = satori_test_listen (fixture->host, "/ip4/127.0.0.1/tcp/0");
  g_autofree char *address = g_strndup (target, strstr (target, "/p2p/") - target);
  const char *args[] = { "--dial", target, "--ping-monitor", "strict", "--ping-interval", "1000",
                         NULL };

  g_test_summary ("js dials us: both identify, js pings us, strict ping monitoring keeps "
                  "the connection");
  fixture->js = satori_js_peer_start (args);
  JsonObject *listening = satori_js_peer_wait_event (fixture->js, "listening");
  g_autofree char *js_text = g_strdup (json_object_get_string_member (listening, "peerId"));
  json_object_unref (listening);
  g_autoptr(SatoriPeerId) js_peer = satori_peer_id_new_from_string (js_text, NULL);

  /* (c) js's identify of us. */
  JsonObject *identify = satori_js_peer_wait_event (fixture->js, "identify");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (identify, "agentVersion"),
                                   "satorip2p/"));
  g_assert_cmpstr (json_object_get_string_member (identify, "protocolVersion"), ==,
                   SATORI_IDENTIFY_PROTOCOL_VERSION);
  JsonArray *protocols = json_object_get_array_member (identify, "protocols");
  g_assert_true (array_has (protocols, SATORI_PING_PROTOCOL));
  g_assert_true (array_has (protocols, SATORI_IDENTIFY_PROTOCOL));
  g_assert_true (array_has (protocols, SATORI_IDENTIFY_PUSH_PROTOCOL));
  g_assert_true (array_has (json_object_get_array_member (identify, "listenAddrs"), address));
  g_assert_false (json_object_get_null_member (identify, "observedAddr"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (identify, "observedAddr"),
                                   "/ip4/127.0.0.1/tcp/"));
  json_object_unref (identify);

  /* (d) our identify of js. */
  while (fixture->identified == 0)
    g_main_context_iteration (NULL, TRUE);
  SatoriPeerstore *store = satori_host_get_peerstore (fixture->host);
  g_assert_true (g_str_has_prefix (satori_peerstore_get_agent (store, js_peer), "js-libp2p/"));
  g_auto(GStrv) theirs = satori_peerstore_get_protocols (store, js_peer);
  g_assert_true (g_strv_contains ((const char * const *) theirs, SATORI_PING_PROTOCOL));
  g_assert_true (g_strv_contains ((const char * const *) theirs, "/echo/1.0.0"));

  /* (a) js pings us, then its strict monitor keeps pinging for a while. */
  satori_js_peer_send (fixture->js, "{\"cmd\":\"ping\",\"count\":3}");
  JsonObject *ping = satori_js_peer_wait_event (fixture->js, "ping");
  g_assert_true (json_object_get_boolean_member (ping, "ok"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ping, "rtts_ms")), ==, 3);
  json_object_unref (ping);
  satori_js_peer_send (fixture->js, "{\"cmd\":\"sleep\",\"ms\":4000}");
  json_object_unref (satori_js_peer_wait_event (fixture->js, "sleep"));
  satori_js_peer_send (fixture->js, "{\"cmd\":\"peers\"}");
  JsonObject *peers = satori_js_peer_wait_event (fixture->js, "peers");
  JsonArray *list = json_object_get_array_member (peers, "peers");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  JsonObject *entry = json_array_get_object_element (list, 0);
  g_assert_false (json_object_get_null_member (entry, "rtt_ms"));
  json_object_unref (peers);
  g_assert_nonnull (satori_host_get_connection (fixture->host, js_peer));
}

static void
test_we_ping_js (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };

  g_test_summary ("We dial js, identify it and ping it");
  fixture->js = satori_js_peer_start (args);
  JsonObject *listening = satori_js_peer_wait_event (fixture->js, "listening");
  JsonArray *addrs = json_object_get_array_member (listening, "addrs");
  g_autoptr(SatoriMultiaddr) target =
    satori_multiaddr_new_from_string (json_array_get_string_element (addrs, 0), &error);
  g_assert_no_error (error);
  json_object_unref (listening);

  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->host, target, &error);
  g_assert_no_error (error);
  SatoriPeerId *js_peer = satori_connection_get_remote_peer (connection);

  /* (b) */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GAsyncResult) pinged = NULL;
      gint64 rtt = -1;
      satori_ping_service_ping_async (fixture->ping, js_peer, NULL, satori_test_store_result,
                                      &pinged);
      g_assert_true (satori_ping_service_ping_finish (fixture->ping, satori_test_wait (&pinged),
                                                      &rtt, &error));
      g_assert_no_error (error);
      g_assert_cmpint (rtt, >=, 0);
    }
  g_assert_cmpint (satori_peerstore_get_latency (satori_host_get_peerstore (fixture->host),
                                                 js_peer), >, 0);

  /* (d) and the address js saw us at. */
  while (fixture->identified == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (
    satori_peerstore_get_agent (satori_host_get_peerstore (fixture->host), js_peer),
    "js-libp2p/"));
  g_autoptr(GPtrArray) observed = satori_identify_service_get_observed_addresses (
    fixture->identify);
  g_assert_cmpuint (observed->len, ==, 1);
  g_autofree char *seen = satori_multiaddr_to_string (g_ptr_array_index (observed, 0));
  g_assert_true (g_str_has_prefix (seen, "/ip4/127.0.0.1/tcp/"));
}

static gboolean
certified_in (JsonArray *addresses, const char *address)
{
  for (guint i = 0; i < json_array_get_length (addresses); i++)
    {
      JsonObject *entry = json_array_get_object_element (addresses, i);
      if (g_strcmp0 (json_object_get_string_member (entry, "addr"), address) == 0)
        return json_object_get_boolean_member (entry, "certified");
    }
  return FALSE;
}

static void
test_signed_records (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };

  g_test_summary ("Signed peer records both ways: js certifies the addresses of our record "
                  "(listening on 0.0.0.0, expanded), we keep js's record and certify its");
  g_autofree char *ours = satori_test_listen (fixture->host, "/ip4/0.0.0.0/tcp/0");
  g_autoptr(GPtrArray) listening = satori_host_get_listen_addresses (fixture->host);
  g_autofree char *port = satori_multiaddr_get_value_string (g_ptr_array_index (listening, 0), SATORI_PROTO_TCP);
  g_autofree char *loopback = g_strdup_printf ("/ip4/127.0.0.1/tcp/%s", port);
  g_autofree char *our_id = satori_peer_id_to_string (satori_host_get_peer_id (fixture->host));

  fixture->js = satori_js_peer_start (args);
  JsonObject *started = satori_js_peer_wait_event (fixture->js, "listening");
  g_autofree char *js_address = g_strdup (json_array_get_string_element (
    json_object_get_array_member (started, "addrs"), 0));
  json_object_unref (started);
  g_autoptr(SatoriMultiaddr) target = satori_multiaddr_new_from_string (js_address, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->host, target, &error);
  g_assert_no_error (error);
  SatoriPeerId *js_peer = satori_connection_get_remote_peer (connection);

  /* js identified us, with a record that passed its checks; no unspecified
   * address was announced. */
  JsonObject *identify = satori_js_peer_wait_event (fixture->js, "identify");
  g_assert_true (json_object_get_boolean_member (identify, "signedPeerRecord"));
  JsonArray *announced = json_object_get_array_member (identify, "listenAddrs");
  g_assert_true (array_has (announced, loopback));
  g_assert_false (array_has (announced, ours));
  json_object_unref (identify);

  g_autofree char *command = g_strdup_printf ("{\"cmd\":\"peer-store\",\"peer\":\"%s\"}", our_id);
  satori_js_peer_send (fixture->js, command);
  JsonObject *stored = satori_js_peer_wait_event (fixture->js, "peer-store");
  g_assert_true (certified_in (json_object_get_array_member (stored, "addresses"), loopback));
  JsonObject *record = json_object_get_object_member (stored, "record");
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "peer"), ==, our_id);
  g_assert_true (array_has (json_object_get_array_member (record, "addrs"), loopback));
  json_object_unref (stored);

  /* We identified js and kept its record: its listen address is certified. */
  while (fixture->identified == 0)
    g_main_context_iteration (NULL, TRUE);
  SatoriPeerstore *store = satori_host_get_peerstore (fixture->host);
  GBytes *envelope = NULL;
  SatoriPeerRecord *js_record = satori_peerstore_get_peer_record (store, js_peer, &envelope);
  g_assert_nonnull (js_record);
  g_assert_nonnull (envelope);
  g_assert_true (satori_peer_id_equal (js_record->peer_id, js_peer));
  g_assert_cmpuint (js_record->seq, >, 0);
  g_autoptr(SatoriMultiaddr) bare = satori_multiaddr_decapsulate (target, SATORI_PROTO_P2P);
  g_assert_true (satori_peerstore_is_certified (store, js_peer, bare));
}


/* The protocols js's peer store lists for @peer_id. */
static JsonObject *
js_peer_store (Fixture *fixture, const char *peer_id)
{
  g_autofree char *command = g_strdup_printf ("{\"cmd\":\"peer-store\",\"peer\":\"%s\"}", peer_id);

  satori_js_peer_send (fixture->js, command);
  return satori_js_peer_wait_event (fixture->js, "peer-store");
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_identify_push (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };
  const char *added = "/satori-interop/pushed/1.0.0";

  g_test_summary ("A handler added after identify reaches js by identify push: js's peer "
                  "store lists the new protocol without js asking again");
  g_autofree char *our_id = satori_peer_id_to_string (satori_host_get_peer_id (fixture->host));
  fixture->js = satori_js_peer_start (args);
  JsonObject *started = satori_js_peer_wait_event (fixture->js, "listening");
  g_autoptr(SatoriMultiaddr) target = satori_multiaddr_new_from_string (
    json_array_get_string_element (json_object_get_array_member (started, "addrs"), 0), &error);
  g_assert_no_error (error);
  json_object_unref (started);
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->host, target, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  JsonObject *identify = satori_js_peer_wait_event (fixture->js, "identify");
  json_object_unref (identify);
  /* Our identify learns that js takes pushes before we change anything. */
  while (fixture->identified == 0)
    g_main_context_iteration (NULL, TRUE);

  JsonObject *before = js_peer_store (fixture, our_id);
  g_assert_false (array_has (json_object_get_array_member (before, "protocols"), added));
  json_object_unref (before);

  satori_host_set_handler (fixture->host, added, SATORI_PROTOCOL_HANDLER (fixture->ping));
  gboolean seen = FALSE;
  for (guint attempt = 0; attempt < 50 && !seen; attempt++)
    {
      gboolean waited = FALSE;
      g_timeout_add (100, on_timeout, &waited);
      while (!waited)
        g_main_context_iteration (NULL, TRUE);
      JsonObject *after = js_peer_store (fixture, our_id);
      seen = array_has (json_object_get_array_member (after, "protocols"), added);
      json_object_unref (after);
    }
  g_assert_true (seen);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/interop/ping-identify/js-dials-us", test_js_dials_us);
  ADD ("/interop/ping-identify/we-ping-js", test_we_ping_js);
  ADD ("/interop/ping-identify/signed-records", test_signed_records);
  ADD ("/interop/ping-identify/push", test_identify_push);
#undef ADD
  return g_test_run ();
}
