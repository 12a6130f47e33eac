/* AutoNAT between real hosts over loopback TCP (Noise, Yamux, identify):
 * four servers dial a client back. Listening on 127.0.0.1 it is found
 * public; listening on 127.0.0.2 only, while it reaches the servers from
 * 127.0.0.1 (the observed IP, the only one they dial), it is found
 * private. A server refuses an address on another IP than the observed
 * one, and a requester that is not public when private IPs are not
 * allowed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satorip2p.h"
#include "autonat-test-ask.h"
#include "satori-identify-service.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_autonat_register (SatoriRegistry *registry, GError **error);

#define N_SERVERS 4

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *client;
  SatoriHost *servers[N_SERVERS];
  char *server_addresses[N_SERVERS];
} Fixture;

static SatoriHost *
new_host (SatoriRegistry *registry, gboolean allow_private)
{
  SatoriHost *host = satori_test_host_new (registry, "tcp", "noise", "yamux");
  g_autoptr(SatoriProtocolHandler) identify = satori_test_create (
    registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
  g_autoptr(SatoriProtocolHandler) autonat = satori_test_create (
    registry, SATORI_TYPE_PROTOCOL_HANDLER, "autonat");

  g_object_set (autonat, "boot-delay", 0, "dial-timeout", 5, "allow-private", allow_private,
                NULL);
  satori_host_set_handler (host, SATORI_IDENTIFY_PROTOCOL, identify);
  satori_host_set_handler (host, SATORI_IDENTIFY_PUSH_PROTOCOL, identify);
  satori_host_set_handler (host, SATORI_AUTONAT_PROTOCOL, autonat);
  return host;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  gboolean allow_private = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_true (satori_plugin_autonat_register (fixture->registry, &error));
  g_assert_no_error (error);
  fixture->client = new_host (fixture->registry, FALSE);
  for (guint i = 0; i < N_SERVERS; i++)
    {
      fixture->servers[i] = new_host (fixture->registry, allow_private);
      fixture->server_addresses[i] = satori_test_listen (fixture->servers[i],
                                                         "/ip4/127.0.0.1/tcp/0");
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_host_close (fixture->client);
  for (guint i = 0; i < N_SERVERS; i++)
    satori_host_close (fixture->servers[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->client);
  for (guint i = 0; i < N_SERVERS; i++)
    {
      g_object_unref (fixture->servers[i]);
      g_free (fixture->server_addresses[i]);
    }
  g_object_unref (fixture->registry);
}

static void
connect_all (Fixture *fixture)
{
  for (guint i = 0; i < N_SERVERS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (
        fixture->server_addresses[i], &error);
      g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->client, address,
                                                                    &error);
      g_assert_no_error (error);
      g_assert_nonnull (connection);
    }
}

static gboolean
decided (gpointer data)
{
  return satori_host_get_reachability (data) != SATORI_REACHABILITY_UNKNOWN;
}

static void
test_reachable (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A client listening where the servers dial it back is found public by four "
                  "of them");
  g_free (satori_test_listen (fixture->client, "/ip4/127.0.0.1/tcp/0"));
  gint64 start = g_get_monotonic_time ();
  connect_all (fixture);
  satori_test_wait_until (decided, fixture->client, 20);
  g_assert_cmpint (satori_host_get_reachability (fixture->client), ==,
                   SATORI_REACHABILITY_PUBLIC);
  g_test_message ("public after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
}

static void
test_unreachable (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A client whose listener is not on the IP the servers see it at is found "
                  "private: they dial the observed IP only");
  g_free (satori_test_listen (fixture->client, "/ip4/127.0.0.2/tcp/0"));
  gint64 start = g_get_monotonic_time ();
  connect_all (fixture);
  satori_test_wait_until (decided, fixture->client, 20);
  g_assert_cmpint (satori_host_get_reachability (fixture->client), ==,
                   SATORI_REACHABILITY_PRIVATE);
  g_test_message ("private after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
}

/* Server 0's answer to the client's hand-made DIAL for @address. */
static SatoriAutonatMessage *
ask_server (Fixture *fixture, const char *address)
{
  g_autoptr(GError) error = NULL;
  SatoriAutonatMessage *answer = autonat_test_ask (
    fixture->client, satori_host_get_peer_id (fixture->servers[0]), address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

/* The dial-back connections are closed, and gone from the client's table. */
static gboolean
settled (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GPtrArray) connections = satori_host_get_connections (fixture->client);

  return decided (fixture->client) && connections->len == N_SERVERS;
}

static void
test_refusals (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A server tries the port of an address on another IP on the observed IP "
                  "and says which address answered; one that does not allow private "
                  "requesters refuses a loopback one, saying why");
  g_autofree char *listening = satori_test_listen (fixture->client, "/ip4/127.0.0.1/tcp/0");
  connect_all (fixture);
  satori_test_wait_until (settled, fixture, 20);

  /* Server 0 allows private IPs (fixture data): another IP's port is tried
   * on 127.0.0.1 and answers. */
  g_autoptr(SatoriMultiaddr) own = satori_multiaddr_new_from_string (listening, NULL);
  g_autofree char *port = satori_multiaddr_get_value_string (own, 0x0006);
  g_autofree char *elsewhere = g_strdup_printf ("/ip4/192.0.2.7/tcp/%s", port);
  g_autoptr(SatoriAutonatMessage) ok = ask_server (fixture, elsewhere);
  g_assert_cmpint (ok->status, ==, SATORI_AUTONAT_STATUS_OK);
  g_autofree char *dialed = satori_multiaddr_to_string (ok->addr);
  g_autofree char *expected = g_strdup_printf ("/ip4/127.0.0.1/tcp/%s", port);
  g_assert_cmpstr (dialed, ==, expected);

  /* Server 0 back to the default: a loopback requester is refused. */
  satori_test_wait_until (settled, fixture, 20);
  SatoriProtocolHandler *service = satori_host_get_handler (fixture->servers[0],
                                                            SATORI_AUTONAT_PROTOCOL);
  g_object_set (service, "allow-private", FALSE, NULL);
  g_autoptr(SatoriAutonatMessage) refused = ask_server (fixture, listening);
  g_assert_cmpint (refused->status, ==, SATORI_AUTONAT_STATUS_E_DIAL_REFUSED);
  g_assert_cmpstr (refused->status_text, ==, "requester's IP address is not public");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/autonat/dialback/reachable", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_reachable, fixture_tear_down);
  g_test_add ("/autonat/dialback/unreachable", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_unreachable, fixture_tear_down);
  g_test_add ("/autonat/dialback/refusals", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_refusals, fixture_tear_down);
  return g_test_run ();
}
