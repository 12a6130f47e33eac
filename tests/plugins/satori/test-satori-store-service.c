/* The offline store between hosts in one process (memory transport,
 * plaintext, yamux): S stores a message for T, who is offline, and
 * replicates it to the holder H; T gets it from H by push when it
 * connects, or by pull. Bad requests get error responses and store
 * nothing. */
#include <string.h>

#include "satorip2p.h"
#include "satori-store-client.h"
#include "satori-store-service.h"
#include "satori-store-test-inbox.h"
#include "satori-store-test-util.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_satori_register (SatoriRegistry *registry, GError **error);

#define PAYLOAD "{\"params\": {\"uuid\": \"stream-1\"}, \"data\": 42}"

/* ---- fixture: holder H, sender S, target T ---- */

enum { H, S, T, N_HOSTS };

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriStoreService *services[N_HOSTS];
  SatoriMultiaddr *holder;   /* H's address with /p2p/ */
  GPtrArray *retrieved;      /* payloads T fetched */
} Fixture;

static void
on_retrieved (SatoriOfflineStore *store, SatoriPeerId *source, const char *message_id,
              const char *stream_id, GBytes *payload, gpointer user_data)
{
  g_ptr_array_add (user_data, g_bytes_ref (payload));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_satori_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_HOSTS; i++)
    fixture->hosts[i] = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  g_autoptr(SatoriMultiaddr) address = satori_test_listen_address (fixture->hosts[H],
                                                                   "/memory/0");
  fixture->holder = satori_test_address_with_peer (address,
                                                   satori_host_get_peer_id (fixture->hosts[H]));
  g_autofree char *relay = satori_multiaddr_to_string (fixture->holder);
  const char *relays[] = { relay, NULL };
  for (guint i = 0; i < N_HOSTS; i++)
    {
      fixture->services[i] = satori_test_create (fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER,
                                                 "satori-store");
      g_object_set (fixture->services[i], "path", ":memory:", "retrieve-delay", 0,
                    "relays", i == S ? relays : NULL, NULL);
      satori_host_set_handler (fixture->hosts[i], SATORI_STORE_PROTOCOL,
                               SATORI_PROTOCOL_HANDLER (fixture->services[i]));
    }
  fixture->retrieved = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_signal_connect (fixture->services[T], "message-delivered", G_CALLBACK (on_retrieved),
                    fixture->retrieved);
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
      g_object_unref (fixture->services[i]);
    }
  satori_multiaddr_unref (fixture->holder);
  g_ptr_array_unref (fixture->retrieved);
  g_object_unref (fixture->registry);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until *@count reaches @wanted, for at most 10 s. */
static void
wait_for_count (const guint *count, guint wanted)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (10, on_timeout, &expired);

  while (*count != wanted && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

/* Runs until @service holds @wanted messages (it deletes asynchronously). */
static void
wait_for_pending (SatoriStoreService *service, guint wanted)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (10, on_timeout, &expired);

  while (satori_offline_store_count_pending (STORE (service), NULL) != wanted && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

/* S stores PAYLOAD for T (offline) and replicates it to H. */
static void
store_for_target (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) payload = g_bytes_new_static (PAYLOAD, strlen (PAYLOAD));
  SatoriPeerId *target = satori_host_get_peer_id (fixture->hosts[T]);
  guint replicas = 0;

  satori_offline_store_store_for_peer_async (STORE (fixture->services[S]), target, payload,
                                             "stream-1", SATORI_MESSENGER_FLAGS_NONE, NULL,
                                             satori_test_store_result, &result);
  g_assert_true (satori_offline_store_store_for_peer_finish (STORE (fixture->services[S]),
                                                             satori_test_wait (&result),
                                                             &replicas, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (replicas, ==, 1);
  g_assert_cmpuint (satori_offline_store_count_pending (STORE (fixture->services[S]), target),
                    ==, 1);
  g_assert_cmpuint (satori_offline_store_count_pending (STORE (fixture->services[H]), target),
                    ==, 1);
}

static void
test_push_on_connect (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TestInbox) inbox = g_object_new (TEST_TYPE_INBOX, NULL);

  g_test_summary ("A message for an offline peer, replicated to a holder, is pushed to it on "
                  "/satori/1.0.0 when it connects to the holder, then deleted there");
  satori_host_set_handler (fixture->hosts[T], SATORI_STORE_MESSAGE_PROTOCOL,
                           SATORI_PROTOCOL_HANDLER (inbox));
  store_for_target (fixture);
  /* The sender goes away: what T gets comes from H. */
  satori_host_close (fixture->hosts[S]);

  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->hosts[T],
                                                                fixture->holder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  wait_for_count (&inbox->messages->len, 1);
  store_test_assert_pushed (g_ptr_array_index (inbox->messages, 0), PAYLOAD,
                            satori_host_get_peer_id (fixture->hosts[S]));
  wait_for_pending (fixture->services[H], 0);
}

static void
test_pull (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_test_summary ("A target that cannot take a push (no /satori/1.0.0 handler) keeps its "
                  "messages on the holder, retrieves them, and the holder deletes them once "
                  "the target closed the stream; a second retrieve brings nothing new");
  store_for_target (fixture);
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->hosts[T],
                                                                fixture->holder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  /* Let H's push fail. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (satori_offline_store_count_pending (STORE (fixture->services[H]), NULL), ==, 1);

  satori_offline_store_retrieve_async (STORE (fixture->services[T]), NULL, satori_test_store_result,
                                       &result);
  g_assert_cmpuint (satori_offline_store_retrieve_finish (STORE (fixture->services[T]),
                                                          satori_test_wait (&result), &error),
                    ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->retrieved->len, ==, 1);
  GBytes *got = g_ptr_array_index (fixture->retrieved, 0);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), PAYLOAD,
                   strlen (PAYLOAD));
  wait_for_pending (fixture->services[H], 0);

  g_clear_object (&result);
  satori_offline_store_retrieve_async (STORE (fixture->services[T]), NULL, satori_test_store_result,
                                       &result);
  g_assert_cmpuint (satori_offline_store_retrieve_finish (STORE (fixture->services[T]),
                                                          satori_test_wait (&result), &error),
                    ==, 0);
}

/* Sends raw @request to H as T and returns the holder's refusal. */
static GError *
refused (Fixture *fixture, GBytes *request)
{
  g_autoptr(GAsyncResult) result = NULL;
  GError *error = NULL;
  g_autofree char *me = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[T]));

  satori_peerstore_add_address (satori_host_get_peerstore (fixture->hosts[T]),
                                satori_host_get_peer_id (fixture->hosts[H]), fixture->holder);
  satori_store_client_request_async (fixture->hosts[T],
                                     satori_host_get_peer_id (fixture->hosts[H]), request, me,
                                     NULL, satori_test_store_result, &result);
  g_autoptr(GPtrArray) none = satori_store_client_request_finish (fixture->hosts[T],
                                                                  satori_test_wait (&result),
                                                                  &error);
  g_assert_null (none);
  g_assert_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_REFUSED);
  return error;
}

static void
test_oversized (Fixture *fixture, gconstpointer data)
{
  g_autofree char *target = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[S]));
  g_autofree char *source = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[T]));
  g_autofree char *filler = g_strnfill (SATORI_STORE_DEFAULT_MAX_REQUEST_SIZE, 'A');
  g_autofree char *json = g_strdup_printf (
    "{\"action\":\"store\",\"envelope\":{\"message_id\":\"big\",\"target_peer\":\"%s\","
    "\"source_peer\":\"%s\",\"stream_id\":null,\"payload\":\"%s\",\"timestamp\":%f,"
    "\"ttl_hours\":24}}", target, source, filler, g_get_real_time () / 1e6);

  g_test_summary ("A store request over 1 MiB gets an error response and nothing is stored");
  gsize len = strlen (json);
  g_autoptr(GBytes) request = g_bytes_new_take (g_steal_pointer (&json), len);
  g_autoptr(GError) error = refused (fixture, request);
  g_assert_nonnull (strstr (error->message, "1048576"));
  g_assert_cmpuint (satori_offline_store_count_pending (STORE (fixture->services[H]), NULL), ==, 0);
}

static void
test_bad_requests (Fixture *fixture, gconstpointer data)
{
  const char *cases[] = {
    "this is not JSON",
    "{\"action\": \"store\", \"envelope\": }",
    "{\"action\": \"store\", \"envelope\": {\"message_id\": \"x\"}}",
    "{\"action\": \"retrieve\", \"target\": \"nobody\"}",
  };

  g_test_summary ("Invalid JSON, a bad envelope, a bad target: an error response each, nothing "
                  "stored, and the holder goes on serving");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) request = g_bytes_new_static (cases[i], strlen (cases[i]));
      g_autoptr(GError) error = refused (fixture, request);
      g_test_message ("%s → %s", cases[i], error->message);
    }
  g_assert_cmpuint (satori_offline_store_count_pending (STORE (fixture->services[H]), NULL), ==, 0);
  store_for_target (fixture);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/satori-store/service/push-on-connect", test_push_on_connect);
  ADD ("/satori-store/service/pull", test_pull);
  ADD ("/satori-store/service/oversized", test_oversized);
  ADD ("/satori-store/service/bad-requests", test_bad_requests);
#undef ADD
  return g_test_run ();
}
