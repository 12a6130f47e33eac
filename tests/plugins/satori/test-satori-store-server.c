/* A holder's answers (pure core over an in-memory store): what it stores,
 * what it hands out and to whom, and that bad requests change nothing. */
#include <string.h>

#include "satori-store-server.h"
#include "satori-store-test-util.h"

static const SatoriStoreLimits limits = { 24 * SATORI_STORE_HOUR_US, 5 * 60 * G_USEC_PER_SEC,
                                          2 };

typedef struct
{
  SatoriStoreDb *db;
  char *target;
  char *source;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->db = satori_store_db_open (":memory:", 1000, &error);
  g_assert_no_error (error);
  fixture->target = store_test_peer (1);
  fixture->source = store_test_peer (2);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_store_db_free (fixture->db);
  g_free (fixture->target);
  g_free (fixture->source);
}

static SatoriStoreReply *
handle (Fixture *fixture, const char *remote, GBytes *request)
{
  return satori_store_server_handle (fixture->db, &limits, remote,
                                     g_bytes_get_data (request, NULL),
                                     g_bytes_get_size (request), STORE_TEST_NOW);
}

static SatoriStoreReply *
handle_text (Fixture *fixture, const char *remote, const char *json)
{
  g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

  return handle (fixture, remote, request);
}

/* Asserts @reply is an error response and returns its message. */
static char *
error_message (SatoriStoreReply *reply)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = satori_store_response_decode (g_bytes_get_data (reply->response,
                                                                              NULL),
                                                            g_bytes_get_size (reply->response),
                                                            "x", &error);
  g_assert_null (none);
  g_assert_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_REFUSED);
  g_assert_null (reply->stored_for);
  g_assert_null (reply->retrieved);
  return g_strdup (error->message);
}

static void
test_store_then_retrieve (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriStoreEnvelope) envelope = store_test_envelope ("m1", 1, 2, "hello",
                                                                 STORE_TEST_NOW - 1000);
  g_autoptr(GBytes) store = satori_store_request_encode_store (envelope);
  g_autoptr(GBytes) retrieve = satori_store_request_encode_retrieve (fixture->target);

  g_test_summary ("A store request is answered ok once stored; the target's retrieve gets it, "
                  "and it stays stored until the adapter removes it");
  g_autoptr(SatoriStoreReply) stored = handle (fixture, fixture->source, store);
  g_assert_cmpmem (g_bytes_get_data (stored->response, NULL), g_bytes_get_size (stored->response),
                   "{\"status\":\"ok\"}", 15);
  g_assert_cmpstr (stored->stored_for, ==, fixture->target);
  g_assert_cmpuint (satori_store_db_count (fixture->db, fixture->target), ==, 1);

  g_autoptr(SatoriStoreReply) reply = handle (fixture, fixture->target, retrieve);
  g_assert_nonnull (reply->retrieved);
  g_assert_cmpuint (reply->retrieved->len, ==, 1);
  g_autoptr(GPtrArray) messages =
    satori_store_response_decode (g_bytes_get_data (reply->response, NULL),
                                  g_bytes_get_size (reply->response), fixture->target, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  SatoriStoreEnvelope *got = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (got->message_id, ==, "m1");
  g_assert_cmpstr (got->source_peer, ==, fixture->source);
  g_assert_true (g_bytes_equal (got->payload, envelope->payload));
  g_assert_cmpuint (satori_store_db_count (fixture->db, fixture->target), ==, 1);

  g_assert_true (satori_store_db_remove (fixture->db, reply->retrieved, &error));
  g_autoptr(SatoriStoreReply) again = handle (fixture, fixture->target, retrieve);
  g_assert_cmpuint (again->retrieved->len, ==, 0);
}

static void
test_spoofed_source (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriStoreEnvelope) envelope = store_test_envelope ("m1", 1, 2, "hello",
                                                                 STORE_TEST_NOW);
  g_autoptr(GBytes) store = satori_store_request_encode_store (envelope);
  g_autofree char *other = store_test_peer (3);

  g_test_summary ("A store request whose source_peer is not its sender is refused");
  g_autoptr(SatoriStoreReply) reply = handle (fixture, other, store);
  g_autofree char *message = error_message (reply);
  g_assert_nonnull (strstr (message, "source_peer"));
  g_assert_cmpuint (satori_store_db_count (fixture->db, NULL), ==, 0);
}

static void
test_retrieve_for_another (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriStoreEnvelope) envelope = store_test_envelope ("m1", 1, 2, "hello",
                                                                 STORE_TEST_NOW);
  g_autoptr(GBytes) retrieve = satori_store_request_encode_retrieve (fixture->target);

  g_test_summary ("Only the target itself may retrieve its messages");
  g_assert_true (satori_store_db_add (fixture->db, envelope, &error));
  g_autoptr(SatoriStoreReply) reply = handle (fixture, fixture->source, retrieve);
  g_autofree char *message = error_message (reply);
  g_assert_nonnull (strstr (message, "target"));
  g_assert_cmpuint (satori_store_db_count (fixture->db, NULL), ==, 1);
}

static void
test_bad_requests (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriStoreEnvelope) envelope = store_test_envelope ("m1", 1, 2, "hello",
                                                                 STORE_TEST_NOW);
  g_autoptr(GBytes) valid = satori_store_request_encode_store (envelope);
  g_autofree char *text = g_strndup (g_bytes_get_data (valid, NULL), g_bytes_get_size (valid));
  g_auto(GStrv) parts = g_strsplit (text, "\"ttl_hours\":24", 2);
  g_autofree char *expired = g_strjoin ("\"ttl_hours\":-3", parts[0], parts[1], NULL);
  const char *cases[] = { "{", "{\"action\":\"store\"}", "{\"action\":\"delete\"}", expired };

  g_test_summary ("Invalid JSON, a missing envelope, an unknown action, a bad TTL: an error "
                  "response each, and nothing stored");
  g_assert_nonnull (parts[1]);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SatoriStoreReply) reply = handle_text (fixture, fixture->source, cases[i]);
      g_autofree char *message = error_message (reply);
      g_test_message ("%s → %s", cases[i], message);
    }
  g_assert_cmpuint (satori_store_db_count (fixture->db, NULL), ==, 0);
}

static void
test_full (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A holder with its maximum of messages (2 here) refuses new ones, whatever "
                  "their target");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("m%u", i);
      g_autoptr(SatoriStoreEnvelope) envelope = store_test_envelope (id, 10 + i, 2, "hello",
                                                                     STORE_TEST_NOW);
      g_autoptr(GBytes) store = satori_store_request_encode_store (envelope);
      g_autoptr(SatoriStoreReply) reply = handle (fixture, fixture->source, store);
      if (i < 2)
        g_assert_nonnull (reply->stored_for);
      else
        {
          g_autofree char *message = error_message (reply);
          g_assert_nonnull (strstr (message, "full"));
        }
    }
  g_assert_cmpuint (satori_store_db_count (fixture->db, NULL), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/satori-store/server/store-then-retrieve", test_store_then_retrieve);
  ADD ("/satori-store/server/spoofed-source", test_spoofed_source);
  ADD ("/satori-store/server/retrieve-for-another", test_retrieve_for_another);
  ADD ("/satori-store/server/bad-requests", test_bad_requests);
  ADD ("/satori-store/server/full", test_full);
#undef ADD
  return g_test_run ();
}
