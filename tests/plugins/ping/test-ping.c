/* The ping plugin between two hosts in one process (memory transport,
 * plaintext, yamux). */
#include "satorip2p.h"
#include "satori-ping-service.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *a;
  SatoriHost *b;
  SatoriPingService *ping_a;
  SatoriPingService *ping_b;
} Fixture;

static SatoriHost *
new_host (SatoriRegistry *registry, SatoriPingService **ping)
{
  SatoriHost *host = satori_test_host_new (registry, "memory", "plaintext", "yamux");
  *ping = satori_test_create (registry, SATORI_TYPE_PROTOCOL_HANDLER, "ping");
  satori_host_set_handler (host, SATORI_PING_PROTOCOL, SATORI_PROTOCOL_HANDLER (*ping));
  return host;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_ping_register (fixture->registry, &error));
  g_assert_no_error (error);
  fixture->a = new_host (fixture->registry, &fixture->ping_a);
  fixture->b = new_host (fixture->registry, &fixture->ping_b);

  g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (fixture->b, "/memory/0");
  satori_peerstore_add_address (satori_host_get_peerstore (fixture->a),
                                satori_host_get_peer_id (fixture->b), bound);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_host_close (fixture->a);
  satori_host_close (fixture->b);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->a);
  g_object_unref (fixture->b);
  g_object_unref (fixture->ping_a);
  g_object_unref (fixture->ping_b);
  g_object_unref (fixture->registry);
}

static gboolean
ping (SatoriPingService *service, SatoriPeerId *peer, gint64 *rtt_us, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_ping_service_ping_async (service, peer, NULL, satori_test_store_result, &result);
  return satori_ping_service_ping_finish (service, satori_test_wait (&result), rtt_us, error);
}

static void
test_rtt (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SatoriPeerId *b = satori_host_get_peer_id (fixture->b);
  SatoriPeerId *a = satori_host_get_peer_id (fixture->a);
  gint64 rtt = -1;

  g_test_summary ("Pings both ways echo and record the round trip in the peerstore");
  g_assert_cmpint (satori_peerstore_get_latency (satori_host_get_peerstore (fixture->a), b),
                   <=, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (ping (fixture->ping_a, b, &rtt, &error));
      g_assert_no_error (error);
      g_assert_cmpint (rtt, >=, 0);
    }
  g_assert_cmpint (satori_peerstore_get_latency (satori_host_get_peerstore (fixture->a), b),
                   >, 0);

  /* The connection is shared: b pings back over it. */
  g_assert_true (ping (fixture->ping_b, a, &rtt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (satori_peerstore_get_latency (satori_host_get_peerstore (fixture->b), a),
                   >, 0);
}

static void
test_concurrent (Fixture *fixture, gconstpointer data)
{
  SatoriPeerId *b = satori_host_get_peer_id (fixture->b);
  GAsyncResult *results[6] = { NULL };
  guint ok = 0;

  g_test_summary ("Concurrent pings beyond the per-peer stream limit fail cleanly");
  g_autoptr(GError) error = NULL;
  g_assert_true (ping (fixture->ping_a, b, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    satori_ping_service_ping_async (fixture->ping_a, b, NULL, satori_test_store_result,
                                    &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) one = NULL;
      if (satori_ping_service_ping_finish (fixture->ping_a, satori_test_wait (&results[i]), NULL,
                                           &one))
        ok++;
      g_clear_object (&results[i]);
    }
  g_assert_cmpuint (ok, >=, 2);
  /* The service still answers afterwards. */
  g_assert_true (ping (fixture->ping_a, b, NULL, &error));
  g_assert_no_error (error);
}

static void
test_pinger (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  SatoriProtocolHandler *handler = satori_host_get_handler (fixture->a, SATORI_PING_PROTOCOL);

  g_test_summary ("The host's ping handler is a SatoriPinger: several pings on one stream give "
                  "one round trip time each");
  g_assert_true (SATORI_IS_PINGER (handler));
  satori_pinger_ping_async (SATORI_PINGER (handler), satori_host_get_peer_id (fixture->b), 4,
                            NULL, satori_test_store_result, &result);
  g_autoptr(GArray) rtts = satori_pinger_ping_finish (SATORI_PINGER (handler),
                                                      satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rtts->len, ==, 4);
  for (guint i = 0; i < rtts->len; i++)
    g_assert_cmpint (g_array_index (rtts, gint64, i), >=, 0);

  /* B gone: the dial fails and so does the ping. */
  g_autoptr(GAsyncResult) failed = NULL;
  satori_host_close (fixture->b);
  satori_pinger_ping_async (SATORI_PINGER (handler), satori_host_get_peer_id (fixture->b), 2,
                            NULL, satori_test_store_result, &failed);
  g_assert_null (satori_pinger_ping_finish (SATORI_PINGER (handler), satori_test_wait (&failed),
                                            &error));
  g_assert_nonnull (error);
}

static void
test_not_attached (void)
{
  g_autoptr(SatoriPingService) service = satori_ping_service_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (key));

  g_test_summary ("A service that no host uses fails a ping");
  g_assert_false (ping (service, peer, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ping/service/rtt", Fixture, NULL, fixture_set_up, test_rtt, fixture_tear_down);
  g_test_add ("/ping/service/concurrent", Fixture, NULL, fixture_set_up, test_concurrent,
              fixture_tear_down);
  g_test_add ("/ping/service/pinger", Fixture, NULL, fixture_set_up, test_pinger,
              fixture_tear_down);
  g_test_add_func ("/ping/service/not-attached", test_not_attached);
  return g_test_run ();
}
