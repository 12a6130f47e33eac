/* The rendezvous plugin between three hosts in one process (memory
 * transport, plaintext, yamux): A is the point, B registers, C discovers
 * B and connects to it. */
#include <string.h>

#include "satorip2p.h"
#include "satori-rendezvous-service.h"
#include "satori-config-plugins.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_rendezvous_register (SatoriRegistry *registry, GError **error);

#define NAMESPACE "satori/pub/stream-1"

/* The plugin's message log lines: g_test_expect_message() does not see
 * structured logging. */
static GPtrArray *logged;

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (strcmp (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if (!(level & G_LOG_LEVEL_MESSAGE) || g_strcmp0 (domain, "satori-rendezvous") != 0)
    return g_log_writer_default (level, fields, n_fields, user_data);
  g_ptr_array_add (logged, g_strdup (message));
  return G_LOG_WRITER_HANDLED;
}

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[3];   /* a, b, c */
  SatoriRendezvousService *services[3];
  char *point;   /* a's address with /p2p/ */
  guint discovered;   /* peer-discovered on c */
} Fixture;

static void
on_discovered (SatoriDiscovery *discovery, SatoriPeerInfo *info, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_rendezvous_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      fixture->hosts[i] = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
      fixture->services[i] = satori_test_create (fixture->registry, SATORI_TYPE_DISCOVERY,
                                                 "rendezvous");
      satori_host_set_handler (fixture->hosts[i], SATORI_RENDEZVOUS_PROTOCOL,
                               SATORI_PROTOCOL_HANDLER (fixture->services[i]));
    }
  g_autoptr(SatoriMultiaddr) a = satori_test_listen_address (fixture->hosts[0], "/memory/0");
  satori_multiaddr_unref (satori_test_listen_address (fixture->hosts[1], "/memory/0"));
  g_autoptr(SatoriMultiaddr) point = satori_test_address_with_peer (
    a, satori_host_get_peer_id (fixture->hosts[0]));
  fixture->point = satori_multiaddr_to_string (point);
  const char *points[] = { fixture->point, NULL };
  const char *namespaces[] = { NAMESPACE, NULL };
  g_object_set (fixture->services[0], "server", TRUE, NULL);
  g_object_set (fixture->services[1], "points", points, "namespaces", namespaces, NULL);
  g_object_set (fixture->services[2], "points", points, NULL);
  g_signal_connect (fixture->services[2], "peer-discovered", G_CALLBACK (on_discovered),
                    &fixture->discovered);
  g_ptr_array_set_size (logged, 0);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < 3; i++)
    satori_host_close (fixture->hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < 3; i++)
    {
      g_object_unref (fixture->hosts[i]);
      g_object_unref (fixture->services[i]);
    }
  g_free (fixture->point);
  g_object_unref (fixture->registry);
}

static void
start (SatoriRendezvousService *service)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_discovery_start_async (SATORI_DISCOVERY (service), NULL, satori_test_store_result,
                                &result);
  g_assert_true (satori_discovery_start_finish (SATORI_DISCOVERY (service),
                                                satori_test_wait (&result), &error));
  g_assert_no_error (error);
}

static GPtrArray *
find_peers (SatoriRendezvousService *service, const char *namespace_, guint limit, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_discovery_find_peers_async (SATORI_DISCOVERY (service), namespace_, limit, NULL,
                                     satori_test_store_result, &result);
  return satori_discovery_find_peers_finish (SATORI_DISCOVERY (service),
                                             satori_test_wait (&result), error);
}

static void
test_discover_and_connect (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SatoriPeerId *b = satori_host_get_peer_id (fixture->hosts[1]);

  g_test_summary ("B registers satori/pub/stream-1 at A when it starts; C discovers B there "
                  "and connects to it at the address of B's record");
  start (fixture->services[1]);
  g_assert_cmpuint (satori_rendezvous_service_get_registration_count (fixture->services[0]), ==,
                    1);
  g_autoptr(GPtrArray) peers = find_peers (fixture->services[2], NAMESPACE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 1);
  g_assert_cmpuint (fixture->discovered, ==, 1);
  SatoriPeerInfo *info = g_ptr_array_index (peers, 0);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), b));
  GPtrArray *addresses = satori_peer_info_get_addresses (info);
  g_assert_cmpuint (addresses->len, >=, 1);

  g_assert_null (satori_host_get_connection (fixture->hosts[2], b));
  g_autoptr(SatoriMultiaddr) address = satori_test_address_with_peer (
    g_ptr_array_index (addresses, 0), b);
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->hosts[2], address,
                                                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  g_assert_true (satori_peer_id_equal (satori_connection_get_remote_peer (connection), b));
}

static void
test_advertise_unregister (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) advertised = NULL;
  g_autoptr(GAsyncResult) unregistered = NULL;

  g_test_summary ("Advertise returns the TTL granted; after unregister C finds nobody");
  satori_discovery_advertise_async (SATORI_DISCOVERY (fixture->services[1]), "satori/sub/x",
                                    3 * 3600, NULL, satori_test_store_result, &advertised);
  g_assert_cmpuint (satori_discovery_advertise_finish (SATORI_DISCOVERY (fixture->services[1]),
                                                       satori_test_wait (&advertised), &error),
                    ==, 3 * 3600);
  g_assert_no_error (error);
  g_autoptr(GPtrArray) found = find_peers (fixture->services[2], "satori/sub/x", 0, &error);
  g_assert_cmpuint (found->len, ==, 1);

  satori_rendezvous_service_unregister_async (fixture->services[1], "satori/sub/x", NULL,
                                              satori_test_store_result, &unregistered);
  g_assert_true (satori_rendezvous_service_unregister_finish (fixture->services[1],
                                                              satori_test_wait (&unregistered),
                                                              &error));
  g_assert_no_error (error);
  /* The point reads the unregister before the next request on its own
   * stream: wait until it has. */
  while (satori_rendezvous_service_get_registration_count (fixture->services[0]) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_autoptr(GPtrArray) none = find_peers (fixture->services[2], "satori/sub/x", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_paging (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("With a point that returns one registration per response, C pages through "
                  "both registrations with cookies, and stops at its limit");
  g_object_set (fixture->services[0], "max-discover", 1, NULL);
  start (fixture->services[1]);
  const char *namespaces[] = { NAMESPACE, NULL };
  g_object_set (fixture->services[2], "namespaces", namespaces, NULL);
  start (fixture->services[2]);
  g_assert_cmpuint (satori_rendezvous_service_get_registration_count (fixture->services[0]), ==,
                    2);
  g_autoptr(GPtrArray) both = find_peers (fixture->services[2], NAMESPACE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (both->len, ==, 2);
  g_autoptr(GPtrArray) one = find_peers (fixture->services[2], NAMESPACE, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
}

static void
test_not_a_point (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_test_summary ("A host that is not a point answers E_UNAVAILABLE");
  g_object_set (fixture->services[0], "server", FALSE, NULL);
  satori_discovery_advertise_async (SATORI_DISCOVERY (fixture->services[1]), NAMESPACE, 0, NULL,
                                    satori_test_store_result, &result);
  g_assert_cmpuint (satori_discovery_advertise_finish (SATORI_DISCOVERY (fixture->services[1]),
                                                       satori_test_wait (&result), &error),
                    ==, 0);
  g_assert_error (error, SATORI_RENDEZVOUS_ERROR, SATORI_RENDEZVOUS_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  g_autoptr(GPtrArray) peers = find_peers (fixture->services[2], NAMESPACE, 0, &error);
  g_assert_null (peers);
  g_assert_error (error, SATORI_RENDEZVOUS_ERROR, SATORI_RENDEZVOUS_ERROR_UNAVAILABLE);
}

static void
test_malformed (Fixture *fixture, gconstpointer data)
{
  static const char * const protocols[] = { SATORI_RENDEZVOUS_PROTOCOL, NULL };
  static const guint8 garbage[] = { 0xff, 0xff, 0xff };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  SatoriHost *c = fixture->hosts[2];
  SatoriPeerId *a = satori_host_get_peer_id (fixture->hosts[0]);

  g_test_summary ("A request that is not one closes that stream with a logged reason; the "
                  "connection and the point go on");
  g_autoptr(SatoriMultiaddr) point = satori_multiaddr_new_from_string (fixture->point, &error);
  g_autoptr(SatoriConnection) connection = satori_test_connect (c, point, &error);
  g_assert_no_error (error);
  satori_host_new_stream_async (c, a, protocols, NULL, satori_test_store_result, &opened);
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (c, satori_test_wait (&opened),
                                                               NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) request = g_bytes_new_static (garbage, sizeof garbage);
  satori_frame_stream_write_async (stream, request, NULL, satori_test_store_result, &written);
  g_assert_true (satori_frame_stream_write_finish (stream, satori_test_wait (&written),
                                                        &error));
  satori_frame_stream_read_async (stream, 1024, NULL, satori_test_store_result, &read);
  g_autoptr(GBytes) reply = satori_frame_stream_read_finish (stream, satori_test_wait (&read),
                                                                   &error);
  g_assert_null (reply);   /* closed without an answer */
  g_clear_error (&error);

  g_assert_cmpuint (logged->len, ==, 1);
  g_autofree char *c_text = satori_peer_id_to_string (satori_host_get_peer_id (c));
  g_autofree char *expected = g_strdup_printf ("Closing the rendezvous stream of %s: *", c_text);
  g_assert_true (g_pattern_match_simple (expected, g_ptr_array_index (logged, 0)));
  g_assert_false (satori_connection_is_closed (connection));
  g_autoptr(GPtrArray) peers = find_peers (fixture->services[2], NAMESPACE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 0);
}

static void
test_config (void)
{
  static const char text[] =
    "[rendezvous]\n"
    "points=/memory/7/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA\n"
    "namespaces=satori/pub/a;satori/sub/a\n"
    "server=true\n"
    "ttl=10800\n"
    "max-per-peer=5\n"
    "max-discover=50\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_auto(GStrv) points = NULL;
  g_auto(GStrv) namespaces = NULL;
  gboolean server;
  guint ttl, max_per_peer, max_discover, max_ttl;

  g_test_summary ("The [rendezvous] group sets the points, the namespaces, server mode and "
                  "the limits");
  g_assert_true (satori_plugin_rendezvous_register (registry, &error));
  g_assert_true (satori_config_load_data (config, "test", text, -1, &error));
  g_assert_no_error (error);
  SatoriFeature *feature = satori_registry_lookup (registry, SATORI_TYPE_DISCOVERY, "rendezvous");
  g_autoptr(GObject) service = satori_config_create_feature (config, feature, &error);
  g_assert_no_error (error);
  g_object_get (service, "points", &points, "namespaces", &namespaces, "server", &server,
                "ttl", &ttl, "max-per-peer", &max_per_peer, "max-discover", &max_discover,
                "max-ttl", &max_ttl, NULL);
  g_assert_cmpuint (g_strv_length (points), ==, 1);
  g_assert_cmpstr (namespaces[1], ==, "satori/sub/a");
  g_assert_true (server);
  g_assert_cmpuint (ttl, ==, 10800);
  g_assert_cmpuint (max_per_peer, ==, 5);
  g_assert_cmpuint (max_discover, ==, 50);
  g_assert_cmpuint (max_ttl, ==, 72 * 3600);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  logged = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (log_writer, NULL, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rendezvous/service/discover-and-connect", test_discover_and_connect);
  ADD ("/rendezvous/service/advertise-unregister", test_advertise_unregister);
  ADD ("/rendezvous/service/paging", test_paging);
  ADD ("/rendezvous/service/not-a-point", test_not_a_point);
  ADD ("/rendezvous/service/malformed", test_malformed);
#undef ADD
  g_test_add_func ("/rendezvous/service/config", test_config);
  return g_test_run ();
}
