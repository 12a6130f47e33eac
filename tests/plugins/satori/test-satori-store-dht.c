/* The offline store with the DHT (memory transport, plaintext, yamux,
 * identify, kad): the holder H announces itself under
 * /satori/pending/<target> at the DHT node D; the target T, connected to D
 * only, finds H there and retrieves its message. */
#include <string.h>

#include "satorip2p.h"
#include "satori-identify-service.h"
#include "satori-kad-dht.h"
#include "satori-store-service.h"
#include "satori-store-test-util.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_satori_register (SatoriRegistry *registry, GError **error);

#define PAYLOAD "{\"data\": \"found through the DHT\"}"
#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

enum { H, D, T, S, N_HOSTS };

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriKadDht *dhts[N_HOSTS];
  SatoriStoreService *stores[N_HOSTS];
  SatoriMultiaddr *addresses[N_HOSTS];   /* with /p2p/ */
} Fixture;

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
    {
      SatoriHost *host = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
      g_autoptr(SatoriProtocolHandler) identify = satori_test_create (
        fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
      satori_host_set_handler (host, SATORI_IDENTIFY_PROTOCOL, identify);
      satori_host_set_handler (host, SATORI_IDENTIFY_PUSH_PROTOCOL, identify);
      fixture->dhts[i] = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER,
                                             "kad");
      g_object_set (fixture->dhts[i], "store-path", ":memory:", "mode", SATORI_KAD_MODE_SERVER,
                    "request-timeout", 2000, NULL);
      satori_host_set_handler (host, SATORI_KAD_PROTOCOL_ID,
                               SATORI_PROTOCOL_HANDLER (fixture->dhts[i]));
      g_autoptr(SatoriMultiaddr) address = satori_test_listen_address (host, "/memory/0");
      fixture->addresses[i] = satori_test_address_with_peer (address,
                                                             satori_host_get_peer_id (host));
      fixture->hosts[i] = host;
    }
  g_autofree char *relay = satori_multiaddr_to_string (fixture->addresses[H]);
  const char *relays[] = { relay, NULL };
  for (guint i = 0; i < N_HOSTS; i++)
    {
      fixture->stores[i] = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER,
                                               "satori-store");
      g_object_set (fixture->stores[i], "path", ":memory:", "retrieve-delay", 0,
                    "relays", i == S ? relays : NULL, NULL);
      satori_host_set_handler (fixture->hosts[i], SATORI_STORE_PROTOCOL,
                               SATORI_PROTOCOL_HANDLER (fixture->stores[i]));
    }
  /* The handler tables follow the DHT mode once the main loop runs. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < N_HOSTS; i++)
    satori_host_close (fixture->hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->hosts[i]);
      g_object_unref (fixture->dhts[i]);
      g_object_unref (fixture->stores[i]);
      satori_multiaddr_unref (fixture->addresses[i]);
    }
  g_object_unref (fixture->registry);
}

/* Connects @from to @to and waits until both DHTs know each other. */
static void
join (Fixture *fixture, guint from, guint to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->hosts[from],
                                                                fixture->addresses[to], &error);
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  g_assert_no_error (error);
  g_assert_nonnull (connection);
  while (satori_kad_dht_get_routing_table_size (fixture->dhts[from]) == 0 ||
         satori_kad_dht_get_routing_table_size (fixture->dhts[to]) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Whether D's DHT has H as a provider of T's pending key. */
static gboolean
announced (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *target = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[T]));
  g_autofree char *key = g_strconcat (SATORI_STORE_PENDING_PREFIX, target, NULL);
  SatoriDiscovery *dht = SATORI_DISCOVERY (fixture->dhts[D]);

  satori_discovery_find_peers_async (dht, key, 10, NULL, satori_test_store_result, &result);
  g_autoptr(GPtrArray) peers = satori_discovery_find_peers_finish (dht, satori_test_wait (&result),
                                                                   NULL);
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    if (satori_peer_id_equal (satori_peer_info_get_peer_id (g_ptr_array_index (peers, i)),
                              satori_host_get_peer_id (fixture->hosts[H])))
      return TRUE;
  return FALSE;
}

static void
on_retrieved (SatoriOfflineStore *store, SatoriPeerId *source, const char *message_id,
              const char *stream_id, GBytes *payload, gpointer user_data)
{
  g_ptr_array_add (user_data, g_bytes_ref (payload));
}

static void
test_pull_through_dht (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) pulled = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static (PAYLOAD, strlen (PAYLOAD));
  g_autoptr(GPtrArray) retrieved = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  SatoriPeerId *target = satori_host_get_peer_id (fixture->hosts[T]);

  g_test_summary ("A holder announces /satori/pending/<target> in the DHT (raw key bytes); the "
                  "target, not connected to it, finds it there and retrieves its message");
  join (fixture, H, D);
  satori_offline_store_store_for_peer_async (STORE (fixture->stores[S]), target, payload, NULL,
                                             SATORI_MESSENGER_FLAGS_NONE, NULL,
                                             satori_test_store_result, &stored);
  g_assert_true (satori_offline_store_store_for_peer_finish (STORE (fixture->stores[S]),
                                                             satori_test_wait (&stored), NULL,
                                                             &error));
  g_assert_no_error (error);
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;
  while (!announced (fixture))
    g_assert_cmpint (g_get_monotonic_time (), <, limit);
  satori_host_close (fixture->hosts[S]);

  join (fixture, T, D);
  g_assert_null (satori_host_get_connection (fixture->hosts[T],
                                             satori_host_get_peer_id (fixture->hosts[H])));
  g_signal_connect (fixture->stores[T], "message-delivered", G_CALLBACK (on_retrieved),
                    retrieved);
  satori_offline_store_retrieve_async (STORE (fixture->stores[T]), NULL, satori_test_store_result,
                                       &pulled);
  g_assert_cmpuint (satori_offline_store_retrieve_finish (STORE (fixture->stores[T]),
                                                          satori_test_wait (&pulled), &error),
                    ==, 1);
  g_assert_no_error (error);
  GBytes *got = g_ptr_array_index (retrieved, 0);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), PAYLOAD,
                   strlen (PAYLOAD));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/satori-store/dht/pull-through-dht", Fixture, NULL, fixture_set_up,
              test_pull_through_dht, fixture_tear_down);
  return g_test_run ();
}
