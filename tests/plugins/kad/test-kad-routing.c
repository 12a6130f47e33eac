/* SatoriRouting on the kad plugin, reached only through
 * satori_host_get_routing(): three real hosts in one process (memory
 * transport, plaintext, yamux, identify) in a line A - B - C, and a DHT
 * client hanging off B. */
#include "kad-test-hosts.h"
#include "satori-test-host.h"
#include "satori-test-util.h"
#include "satori-test-vectors.h"

#define N_HOSTS 3
#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriMultiaddr *addresses[N_HOSTS];
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->registry = kad_test_hosts_registry ();
  kad_test_hosts_start_line (fixture->registry, TRUE, fixture->hosts, fixture->addresses);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  kad_test_hosts_stop (N_HOSTS, fixture->hosts, fixture->addresses);
  g_object_unref (fixture->registry);
}

static SatoriRouting *
routing_of (Fixture *fixture, guint i)
{
  SatoriRouting *routing = satori_host_get_routing (fixture->hosts[i]);

  g_assert_nonnull (routing);
  return routing;
}

static SatoriPeerId *
peer_of (Fixture *fixture, guint i)
{
  return satori_host_get_peer_id (fixture->hosts[i]);
}

static SatoriPeerInfo *
find_peer (SatoriRouting *routing, SatoriPeerId *peer, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_routing_find_peer_async (routing, peer, NULL, satori_test_store_result, &result);
  return satori_routing_find_peer_finish (routing, satori_test_wait (&result), error);
}

static void
test_accessor (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriHost) plain = satori_test_host_new (fixture->registry, "memory", "plaintext",
                                                      "yamux");
  g_autoptr(SatoriHost) client = kad_test_hosts_new (fixture->registry, TRUE,
                                                     SATORI_KAD_MODE_CLIENT);

  g_test_summary ("A host's routing is its DHT, in server mode and in client mode (out of "
                  "the handler table); a host without a DHT has none; a closed host lets go");
  g_assert_true ((gpointer) routing_of (fixture, 0) ==
                 (gpointer) satori_kad_dht_get_for_host (fixture->hosts[0]));
  g_assert_null (satori_host_get_routing (plain));
  g_auto(GStrv) served = satori_host_get_protocols (client);
  g_assert_false (g_strv_contains ((const char * const *) served, SATORI_KAD_PROTOCOL_ID));
  g_assert_true ((gpointer) satori_host_get_routing (client) ==
                 (gpointer) satori_kad_dht_get_for_host (client));
  satori_host_close (client);
  g_assert_null (satori_host_get_routing (client));
}

static void
test_find_peer (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriHost) client = kad_test_hosts_new (fixture->registry, TRUE,
                                                     SATORI_KAD_MODE_CLIENT);

  g_test_summary ("A finds C's addresses through B; so does a DHT client connected to B only");
  g_assert_null (satori_host_get_connection (fixture->hosts[0], peer_of (fixture, 2)));
  g_autoptr(SatoriPeerInfo) info = find_peer (routing_of (fixture, 0), peer_of (fixture, 2),
                                              &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), peer_of (fixture, 2)));
  g_assert_true (g_ptr_array_find_with_equal_func (satori_peer_info_get_addresses (info),
                                                   fixture->addresses[2], satori_multiaddr_equal,
                                                   NULL));

  kad_test_hosts_connect (client, fixture->addresses[1]);
  kad_test_hosts_wait_for_table (client, 1);
  g_autoptr(SatoriPeerInfo) found = find_peer (satori_host_get_routing (client),
                                               peer_of (fixture, 0), &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (found),
                                       peer_of (fixture, 0)));
  satori_host_close (client);
}

static void
test_closest_peers (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("any key", 7);
  SatoriRouting *routing = routing_of (fixture, 0);

  g_test_summary ("A's closest peers to a key are the other two hosts");
  satori_routing_get_closest_peers_async (routing, key, NULL, satori_test_store_result, &result);
  g_autoptr(GPtrArray) peers = satori_routing_get_closest_peers_finish (
    routing, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (peers->len, ==, 2);
  g_assert_true (kad_test_has_peer (peers, peer_of (fixture, 1)));
  g_assert_true (kad_test_has_peer (peers, peer_of (fixture, 2)));
}

static void
on_value (SatoriRouting *routing, GBytes *value, gpointer user_data)
{
  g_ptr_array_add (user_data, g_bytes_ref (value));
}

static void
test_values_streamed (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/routing", 13);
  g_autoptr(GBytes) value = g_bytes_new_static ("routed", 6);
  g_autoptr(GPtrArray) streamed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  SatoriRouting *routing = routing_of (fixture, 2);

  g_test_summary ("A value put by A is got by C, and given to C's found function before "
                  "the call completes with it");
  kad_test_routing_put (routing_of (fixture, 0), key, value);
  satori_routing_get_value_async (routing, key, on_value, streamed, NULL,
                                  satori_test_store_result, &result);
  g_autoptr(GBytes) found = satori_routing_get_value_finish (routing, satori_test_wait (&result),
                                                            &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (found, value));
  g_assert_cmpuint (streamed->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (streamed, 0), value));
}

static void
on_provider (SatoriRouting *routing, SatoriPeerInfo *peer, gpointer user_data)
{
  g_ptr_array_add (user_data, satori_peer_info_ref (peer));
}

static GPtrArray *
find_providers (SatoriRouting *routing, GBytes *key, guint limit, GPtrArray *streamed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_routing_find_providers_async (routing, key, limit, on_provider, streamed, NULL,
                                       satori_test_store_result, &result);
  GPtrArray *providers = satori_routing_find_providers_finish (routing,
                                                               satori_test_wait (&result),
                                                               &error);
  g_assert_no_error (error);
  return providers;
}

static void
test_providers_streamed (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GBytes) key = g_bytes_new_static ("/satori/sub/routing", 19);
  g_autoptr(GPtrArray) streamed = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_peer_info_unref);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_peer_info_unref);

  g_test_summary ("A and B provide a key; C finds both, each given to its found function, "
                  "and with a limit of 1 only one");
  kad_test_routing_provide (routing_of (fixture, 0), key);
  kad_test_routing_provide (routing_of (fixture, 1), key);
  g_autoptr(GPtrArray) providers = find_providers (routing_of (fixture, 2), key, 0, streamed);
  g_assert_cmpuint (providers->len, ==, 2);
  g_assert_true (kad_test_has_peer (providers, peer_of (fixture, 0)));
  g_assert_true (kad_test_has_peer (providers, peer_of (fixture, 1)));
  g_assert_cmpuint (streamed->len, ==, 2);
  g_assert_true (kad_test_has_peer (streamed, peer_of (fixture, 0)));
  g_assert_true (kad_test_has_peer (streamed, peer_of (fixture, 1)));

  g_autoptr(GPtrArray) one = find_providers (routing_of (fixture, 2), key, 1, first);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpuint (first->len, ==, 1);
  g_assert_true (satori_peer_id_equal (
    satori_peer_info_get_peer_id (g_ptr_array_index (one, 0)),
    satori_peer_info_get_peer_id (g_ptr_array_index (first, 0))));
}

static void
test_public_key (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  /* An ECDSA key: too long to be inlined in its peer id. */
  g_autoptr(SatoriPublicKey) key = satori_test_public_key_from_hex (spec_ecdsa_public);
  g_autoptr(SatoriPeerId) owner = satori_peer_id_new_from_public_key (key);
  g_autoptr(GBytes) value = satori_public_key_to_protobuf (key);
  g_autoptr(GBytes) record_key = kad_test_pk_key (owner);
  SatoriRouting *routing = routing_of (fixture, 2);

  g_test_summary ("The public key of a peer nobody knows, with no key in its id, comes "
                  "from the /pk/ record A put");
  g_assert_null (satori_peer_id_extract_public_key (owner));
  kad_test_routing_put (routing_of (fixture, 0), record_key, value);

  satori_routing_get_public_key_async (routing, owner, NULL, satori_test_store_result, &result);
  g_autoptr(SatoriPublicKey) found = satori_routing_get_public_key_finish (
    routing, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (satori_public_key_equal (found, key));
}

static void
count_calls (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_null (*error);
  g_assert_null (satori_routing_get_value_finish (SATORI_ROUTING (source), result, error));
  g_assert_nonnull (*error);
}

static void
test_cancel (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/nowhere", 13);
  g_autoptr(GBytes) other = g_bytes_new_static ("/test/elsewhere", 15);
  SatoriRouting *routing = routing_of (fixture, 0);
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  g_test_summary ("A cancelled lookup completes at once, once, with G_IO_ERROR_CANCELLED; "
                  "the DHT goes on serving");
  satori_routing_get_value_async (routing, key, NULL, NULL, cancellable, count_calls, &error);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The lookup ends in the background; a later one works (and count_calls
   * would fail on a second call). */
  g_autoptr(GBytes) value = g_bytes_new_static ("here", 4);
  kad_test_routing_put (routing, other, value);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/kad/routing/host-accessor", test_accessor);
  ADD ("/kad/routing/find-peer", test_find_peer);
  ADD ("/kad/routing/closest-peers", test_closest_peers);
  ADD ("/kad/routing/values-streamed", test_values_streamed);
  ADD ("/kad/routing/providers-streamed", test_providers_streamed);
  ADD ("/kad/routing/public-key-record", test_public_key);
  ADD ("/kad/routing/cancel", test_cancel);
  return g_test_run ();
}
