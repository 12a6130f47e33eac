/* Two hosts (TCP, Noise, Yamux) find each other by mDNS and connect, in a
 * network namespace this test makes for itself: over a veth pair (IPv4,
 * then IPv6 only), and over a loopback that is all there is, next to
 * another program holding the mDNS port (as avahi does).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "satorip2p.h"
#include "satori-test-host.h"
#include "satori-test-netns.h"
#include "satori-test-util.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_mdns_register (SatoriRegistry *registry, GError **error);

#define WAIT_LIMIT_US (10 * G_USEC_PER_SEC)

typedef struct {
  SatoriHost      *host;
  SatoriDiscovery *mdns;
  GPtrArray       *found;   /* SatoriPeerInfo, in the order signalled */
} Node;

typedef struct {
  SatoriRegistry *registry;
  Node            nodes[2];
  gint64          started_us;
} Fixture;

static void
on_discovered (SatoriDiscovery *discovery, SatoriPeerInfo *info, gpointer user_data)
{
  Node *node = user_data;
  g_ptr_array_add (node->found, satori_peer_info_ref (info));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_mdns_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      Node *node = &fixture->nodes[i];
      node->host = satori_test_host_new (fixture->registry, "tcp", "noise", "yamux");
      node->mdns = satori_test_create (fixture->registry, SATORI_TYPE_DISCOVERY, "mdns");
      node->found = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_info_unref);
      g_signal_connect (node->mdns, "peer-discovered", G_CALLBACK (on_discovered), node);
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < 2; i++)
    {
      Node *node = &fixture->nodes[i];
      satori_discovery_stop (node->mdns);
      g_object_unref (node->mdns);
      satori_host_close (node->host);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < 2; i++)
    {
      g_object_unref (fixture->nodes[i].host);
      g_ptr_array_unref (fixture->nodes[i].found);
    }
  g_object_unref (fixture->registry);
}

static void
start (Fixture *fixture, Node *node, gboolean dial)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (node->mdns, "host", node->host, "dial", dial, NULL);
  satori_discovery_start_async (node->mdns, NULL, satori_test_store_result, &result);
  gboolean started = satori_discovery_start_finish (node->mdns, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (started);
}

static gboolean
found (Node *node, SatoriHost *other)
{
  for (guint i = 0; i < node->found->len; i++)
    if (satori_peer_id_equal (satori_peer_info_get_peer_id (node->found->pdata[i]),
                              satori_host_get_peer_id (other)))
      return TRUE;
  return FALSE;
}

static gboolean
connected (Node *node, SatoriHost *other)
{
  return satori_host_get_connection (node->host, satori_host_get_peer_id (other)) != NULL;
}

/* Runs the main loop until @done holds of both nodes; returns how long it
 * took since the fixture's start, in microseconds. */
static gint64
wait_both (Fixture *fixture, gboolean (*done) (Node *, SatoriHost *))
{
  Node *a = &fixture->nodes[0], *b = &fixture->nodes[1];
  while (!done (a, b->host) || !done (b, a->host))
    {
      g_assert_cmpint (g_get_monotonic_time () - fixture->started_us, <, WAIT_LIMIT_US);
      g_main_context_iteration (NULL, TRUE);
    }
  return g_get_monotonic_time () - fixture->started_us;
}

/* The address @node was told of @other at, as text. */
static char *
found_address (Node *node, SatoriHost *other)
{
  for (guint i = 0; i < node->found->len; i++)
    {
      SatoriPeerInfo *info = node->found->pdata[i];
      if (satori_peer_id_equal (satori_peer_info_get_peer_id (info), satori_host_get_peer_id (other)))
        return satori_multiaddr_to_string (satori_peer_info_get_addresses (info)->pdata[0]);
    }
  return NULL;
}

static void
check_peerstore (Node *node, SatoriHost *other, const char *expected)
{
  SatoriPeerstore *peerstore = satori_host_get_peerstore (node->host);
  g_autoptr(GPtrArray) addresses =
    satori_peerstore_get_addresses (peerstore, satori_host_get_peer_id (other));
  gboolean seen = FALSE;
  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    {
      g_autofree char *text = satori_multiaddr_to_string (addresses->pdata[i]);
      seen |= g_str_equal (text, expected);
    }
  g_assert_true (seen);
}

static void
test_veth (Fixture *fixture, gconstpointer data)
{
  Node *a = &fixture->nodes[0], *b = &fixture->nodes[1];

  satori_test_netns_ip ("link set lo up");
  satori_test_netns_veth_up ("mdns0", "10.253.0.1/24", "mdns1", "10.253.0.2/24");
  g_autofree char *address_a = satori_test_listen (a->host, "/ip4/10.253.0.1/tcp/0");
  g_autofree char *address_b = satori_test_listen (b->host, "/ip4/10.253.0.2/tcp/0");

  fixture->started_us = g_get_monotonic_time ();
  start (fixture, a, TRUE);
  start (fixture, b, TRUE);
  gint64 discovered_us = wait_both (fixture, found);
  gint64 connected_us = wait_both (fixture, connected);
  g_test_message ("discovered after %.1f ms, connected after %.1f ms",
                  discovered_us / 1000.0, connected_us / 1000.0);

  /* Each learnt the other's listen address, in its peerstore too. */
  g_autofree char *seen_by_a = found_address (a, b->host);
  g_autofree char *seen_by_b = found_address (b, a->host);
  g_assert_true (g_str_has_prefix (address_b, seen_by_a));
  g_assert_true (g_str_has_prefix (address_a, seen_by_b));
  check_peerstore (a, b->host, seen_by_a);
  check_peerstore (b, a->host, seen_by_b);

  /* find_peers() lists what was found. */
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  satori_discovery_find_peers_async (a->mdns, NULL, 0, NULL, satori_test_store_result, &result);
  g_autoptr(GPtrArray) peers =
    satori_discovery_find_peers_finish (a->mdns, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 1);

  /* b stops and says goodbye: a forgets it at once. */
  satori_discovery_stop (b->mdns);
  while (peers->len > 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - fixture->started_us, <, WAIT_LIMIT_US);
      g_main_context_iteration (NULL, FALSE);
      g_clear_pointer (&peers, g_ptr_array_unref);
      g_clear_object (&result);
      satori_discovery_find_peers_async (a->mdns, NULL, 0, NULL, satori_test_store_result, &result);
      peers = satori_discovery_find_peers_finish (a->mdns, satori_test_wait (&result), &error);
      g_assert_no_error (error);
    }

  satori_test_netns_veth_down ("mdns0");
}

static void
test_ipv6_only (Fixture *fixture, gconstpointer data)
{
  Node *a = &fixture->nodes[0], *b = &fixture->nodes[1];

  /* No IPv4 on the LAN: only ff02::fb carries the queries and answers. */
  satori_test_netns_ip ("link set lo up");
  satori_test_netns_veth_up ("mdns0", "fd53::1/64 nodad", "mdns1", "fd53::2/64 nodad");
  g_autofree char *address_a = satori_test_listen (a->host, "/ip6/fd53::1/tcp/0");
  g_autofree char *address_b = satori_test_listen (b->host, "/ip6/fd53::2/tcp/0");

  fixture->started_us = g_get_monotonic_time ();
  start (fixture, a, TRUE);
  start (fixture, b, FALSE);
  gint64 discovered_us = wait_both (fixture, found);
  gint64 connected_us = wait_both (fixture, connected);
  g_test_message ("discovered after %.1f ms, connected after %.1f ms",
                  discovered_us / 1000.0, connected_us / 1000.0);
  g_autofree char *seen_by_a = found_address (a, b->host);
  g_autofree char *seen_by_b = found_address (b, a->host);
  g_assert_true (g_str_has_prefix (address_b, seen_by_a));
  g_assert_true (g_str_has_prefix (address_a, seen_by_b));

  satori_test_netns_veth_down ("mdns0");
}

static void
test_loopback_only (Fixture *fixture, gconstpointer data)
{
  Node *a = &fixture->nodes[0], *b = &fixture->nodes[1];

  satori_test_netns_ip ("link set lo up");
  satori_test_netns_ip ("link set lo multicast on");
  /* Another responder holding UDP 5353 first, with SO_REUSEADDR only
   * (GIO's bind would set SO_REUSEPORT too). */
  int other = socket (AF_INET, SOCK_DGRAM, 0);
  int on = 1;
  struct sockaddr_in port = { .sin_family = AF_INET, .sin_port = htons (5353) };
  g_assert_cmpint (setsockopt (other, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on), ==, 0);
  g_assert_cmpint (bind (other, (struct sockaddr *) &port, sizeof port), ==, 0);

  g_autofree char *address_a = satori_test_listen (a->host, "/ip4/127.0.0.1/tcp/0");
  g_autofree char *address_b = satori_test_listen (b->host, "/ip4/127.0.0.1/tcp/0");
  fixture->started_us = g_get_monotonic_time ();
  start (fixture, a, FALSE);
  start (fixture, b, FALSE);
  gint64 discovered_us = wait_both (fixture, found);
  g_test_message ("discovered after %.1f ms", discovered_us / 1000.0);
  g_autofree char *seen_by_a = found_address (a, b->host);
  g_autofree char *seen_by_b = found_address (b, a->host);
  g_assert_true (g_str_has_prefix (address_b, seen_by_a));
  g_assert_true (g_str_has_prefix (address_a, seen_by_b));

  /* Without dial, nobody connects. */
  g_assert_false (connected (a, b->host));
  g_assert_false (connected (b, a->host));
  satori_test_netns_ip ("link set lo multicast off");
  close (other);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  /* Before g_test_init(): creating the namespace wants one thread. */
  gboolean isolated = satori_test_netns_enter (&error);
  g_test_init (&argc, &argv, NULL);
  if (!isolated)
    {
      /* Not skipped: CI runs as root, where this must work. */
      g_printerr ("%s\n", error->message);
      g_test_fail_printf ("%s", error->message);
      return 1;
    }
  g_test_add ("/mdns/netns/veth-discover-and-connect", Fixture, NULL, fixture_set_up, test_veth,
              fixture_tear_down);
  g_test_add ("/mdns/netns/ipv6-only", Fixture, NULL, fixture_set_up, test_ipv6_only,
              fixture_tear_down);
  g_test_add ("/mdns/netns/loopback-only", Fixture, NULL, fixture_set_up, test_loopback_only,
              fixture_tear_down);
  return g_test_run ();
}
