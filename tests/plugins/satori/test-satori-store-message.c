/* The /satori/store/1.0.0 JSON: requests and responses as the Python
 * nodes write them, round trips, what a holder refuses, and the ids of
 * held messages already seen. */
#include <string.h>

#include "satori-store-message.h"
#include "satori-store-scanner.h"
#include "satori-store-seen.h"
#include "satori-store-test-util.h"

static const SatoriStoreLimits limits = { 24 * SATORI_STORE_HOUR_US, 5 * 60 * G_USEC_PER_SEC,
                                          2 };

static SatoriStoreRequest *
decode (const char *json, GError **error)
{
  return satori_store_request_decode ((const guint8 *) json, strlen (json), &limits,
                                      STORE_TEST_NOW, error);
}

/* A store request with @envelope_fields spliced into the envelope of a
 * valid one from peer 2 to peer 1. */
static char *
store_request (const char *envelope_fields)
{
  g_autofree char *target = store_test_peer (1);
  g_autofree char *source = store_test_peer (2);

  return g_strdup_printf ("{\"action\": \"store\", \"envelope\": {%s\"message_id\": \"m-1\", "
                          "\"target_peer\": \"%s\", \"source_peer\": \"%s\", "
                          "\"stream_id\": null, \"payload\": \"aGVsbG8=\", "
                          "\"timestamp\": 1767225590.25, \"ttl_hours\": 24}}",
                          envelope_fields, target, source);
}

static void
test_python_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = store_request ("");
  g_autoptr(SatoriStoreRequest) request = decode (json, &error);
  g_autofree char *target = store_test_peer (1);

  g_test_summary ("A store request as Python's json.dumps writes it decodes: "
                  "float seconds, integer hours, null stream id, padded base64");
  g_assert_no_error (error);
  g_assert_cmpint (request->action, ==, SATORI_STORE_ACTION_STORE);
  g_assert_cmpstr (request->envelope->message_id, ==, "m-1");
  g_assert_cmpstr (request->envelope->target_peer, ==, target);
  g_assert_null (request->envelope->stream_id);
  g_assert_cmpmem (g_bytes_get_data (request->envelope->payload, NULL),
                   g_bytes_get_size (request->envelope->payload), "hello", 5);
  g_assert_cmpint (request->envelope->timestamp_us, ==, STORE_TEST_NOW - 9750000);
  g_assert_cmpint (request->envelope->ttl_us, ==, 24 * SATORI_STORE_HOUR_US);
}

static void
test_store_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriStoreEnvelope) envelope = store_test_envelope ("id-7", 3, 4, "{\"x\":1}",
                                                                 STORE_TEST_NOW - 1234567);
  envelope->ttl_us = SATORI_STORE_HOUR_US * 3 / 2;   /* 1.5 h: a float on the wire */
  g_autoptr(GBytes) bytes = satori_store_request_encode_store (envelope);
  g_autoptr(SatoriStoreRequest) request =
    satori_store_request_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 &limits, STORE_TEST_NOW, &error);

  g_test_summary ("What we encode we decode: every envelope field survives");
  g_assert_no_error (error);
  g_assert_cmpstr (request->envelope->message_id, ==, envelope->message_id);
  g_assert_cmpstr (request->envelope->target_peer, ==, envelope->target_peer);
  g_assert_cmpstr (request->envelope->source_peer, ==, envelope->source_peer);
  g_assert_cmpstr (request->envelope->stream_id, ==, "stream-1");
  g_assert_true (g_bytes_equal (request->envelope->payload, envelope->payload));
  g_assert_cmpint (request->envelope->timestamp_us, ==, envelope->timestamp_us);
  g_assert_cmpint (request->envelope->ttl_us, ==, envelope->ttl_us);
}

static void
test_retrieve (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = store_test_peer (5);
  g_autoptr(GBytes) bytes = satori_store_request_encode_retrieve (target);
  g_autoptr(SatoriStoreRequest) request =
    satori_store_request_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 &limits, STORE_TEST_NOW, &error);

  g_test_summary ("A retrieve request names its target");
  g_assert_no_error (error);
  g_assert_cmpint (request->action, ==, SATORI_STORE_ACTION_RETRIEVE);
  g_assert_cmpstr (request->target, ==, target);
}

static void
test_ttl_cut (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = store_request ("");
  char *hours = strstr (json, "\"ttl_hours\": 24");

  g_test_summary ("A TTL beyond the holder's longest is cut to it");
  memcpy (hours, "\"ttl_hours\": 99", 15);
  g_autoptr(SatoriStoreRequest) request = decode (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->envelope->ttl_us, ==, limits.max_ttl_us);
}

typedef struct
{
  const char *json;       /* a whole request, or envelope fields when splice */
  gboolean splice;
  int code;
} BadCase;

static void
test_bad_requests (void)
{
  /* Later members of a JSON object replace earlier ones: the spliced
   * field is overridden by the valid one, so splice only new names or
   * replace the request whole. */
  const BadCase cases[] = {
    { "", FALSE, SATORI_STORE_ERROR_MALFORMED },
    { "not json", FALSE, SATORI_STORE_ERROR_MALFORMED },
    { "[1, 2]", FALSE, SATORI_STORE_ERROR_MALFORMED },
    { "{\"action\": \"store\"", FALSE, SATORI_STORE_ERROR_MALFORMED },
    { "{\"action\": \"store\"} trailing", FALSE, SATORI_STORE_ERROR_MALFORMED },
    { "{\"action\": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}", FALSE,
      SATORI_STORE_ERROR_MALFORMED },
    { "{\"action\": \"steal\"}", FALSE, SATORI_STORE_ERROR_INVALID },
    { "{\"action\": 1}", FALSE, SATORI_STORE_ERROR_INVALID },
    { "{\"action\": \"store\"}", FALSE, SATORI_STORE_ERROR_INVALID },
    { "{\"action\": \"store\", \"envelope\": \"x\"}", FALSE, SATORI_STORE_ERROR_INVALID },
    { "{\"action\": \"retrieve\", \"target\": \"Qm-not-a-peer\"}", FALSE,
      SATORI_STORE_ERROR_INVALID },
    { "{\"action\": \"retrieve\"}", FALSE, SATORI_STORE_ERROR_INVALID },
  };

  g_test_summary ("Invalid JSON, a wrong shape, an unknown action: a clear error each");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriStoreRequest) request = decode (cases[i].json, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
      g_assert_null (request);
      g_assert_error (error, SATORI_STORE_ERROR, cases[i].code);
    }
}

static void
test_bad_envelopes (void)
{
  /* Each replaces one field of a valid envelope. */
  const struct { const char *field, *value; } cases[] = {
    { "\"message_id\": \"m-1\"", "\"message_id\": \"\"" },
    { "\"message_id\": \"m-1\"", "\"message_id\": 7" },
    { "\"payload\": \"aGVsbG8=\"", "\"payload\": \"aGVsbG8\"" },      /* padding missing */
    { "\"payload\": \"aGVsbG8=\"", "\"payload\": \"aGVs bG8=\"" },    /* stray character */
    { "\"payload\": \"aGVsbG8=\"", "\"payload\": \"aGVsbG9=\"" },     /* non-zero trailing bits */
    { "\"payload\": \"aGVsbG8=\"", "\"payload\": \"\"" },
    { "\"ttl_hours\": 24", "\"ttl_hours\": 0" },
    { "\"ttl_hours\": 24", "\"ttl_hours\": -1" },
    { "\"ttl_hours\": 24", "\"ttl_hours\": \"24\"" },
    { "\"ttl_hours\": 24", "\"ttl_hours\": 1e300" },
    { "\"timestamp\": 1767225590.25", "\"timestamp\": 1767229200" },   /* an hour ahead */
    { "\"timestamp\": 1767225590.25", "\"timestamp\": 1767000000" },   /* expired */
    { "\"timestamp\": 1767225590.25", "\"timestamp\": -1" },
    { "\"stream_id\": null", "\"stream_id\": {}" },
  };
  g_autofree char *target = store_test_peer (1);
  g_autofree char *source = store_test_peer (2);

  g_test_summary ("Each bad envelope field is named in the error");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *valid = store_request ("");
      g_auto(GStrv) parts = g_strsplit (valid, cases[i].field, 2);
      g_assert_nonnull (parts[1]);
      g_autofree char *json = g_strjoin (cases[i].value, parts[0], parts[1], NULL);
      g_autoptr(SatoriStoreRequest) request = decode (json, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
      g_assert_null (request);
      g_assert_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_INVALID);
    }

  /* Peer ids that do not parse. */
  const char *peers[][2] = { { target, "12D3KooNotAPeer" }, { source, "" } };
  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *valid = store_request ("");
      g_auto(GStrv) parts = g_strsplit (valid, peers[i][0], 2);
      g_autofree char *json = g_strjoin (peers[i][1], parts[0], parts[1], NULL);
      g_autoptr(SatoriStoreRequest) request = decode (json, &error);
      g_assert_null (request);
      g_assert_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_INVALID);
    }
}

static void
test_responses (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_store_envelope_free);
  g_autofree char *target = store_test_peer (1);

  g_test_summary ("ok, ok with messages, and error responses decode as they were encoded");
  g_ptr_array_add (messages, store_test_envelope ("a", 1, 2, "first", STORE_TEST_NOW - 10));
  g_ptr_array_add (messages, store_test_envelope ("b", 1, 3, "second", STORE_TEST_NOW - 5));
  g_autoptr(GBytes) bytes = satori_store_response_encode_messages (messages);
  g_autoptr(GPtrArray) decoded = satori_store_response_decode (g_bytes_get_data (bytes, NULL),
                                                               g_bytes_get_size (bytes), target,
                                                               &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      SatoriStoreEnvelope *in = g_ptr_array_index (messages, i);
      SatoriStoreEnvelope *out = g_ptr_array_index (decoded, i);
      g_assert_cmpstr (out->message_id, ==, in->message_id);
      g_assert_cmpstr (out->target_peer, ==, target);
      g_assert_cmpstr (out->source_peer, ==, in->source_peer);
      g_assert_cmpstr (out->stream_id, ==, in->stream_id);
      g_assert_true (g_bytes_equal (out->payload, in->payload));
      g_assert_cmpint (out->timestamp_us, ==, in->timestamp_us);
    }

  g_autoptr(GBytes) ok = satori_store_response_encode_ok ();
  g_autoptr(GPtrArray) none = satori_store_response_decode (g_bytes_get_data (ok, NULL),
                                                            g_bytes_get_size (ok), target, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  g_autoptr(GBytes) refusal = satori_store_response_encode_error ("Unknown action");
  g_autoptr(GPtrArray) refused = satori_store_response_decode (g_bytes_get_data (refusal, NULL),
                                                               g_bytes_get_size (refusal), target,
                                                               &error);
  g_assert_null (refused);
  g_assert_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Unknown action"));
}

static void
test_python_response (void)
{
  /* As the Python holder writes it: spaces, empty source, null stream. */
  const char json[] = "{\"status\": \"ok\", \"messages\": [{\"message_id\": \"u\", "
                      "\"payload\": \"e30=\", \"stream_id\": null, \"source_peer\": \"\", "
                      "\"timestamp\": 1767225600.5}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = satori_store_response_decode ((const guint8 *) json,
                                                                strlen (json), "t", &error);

  g_test_summary ("A Python holder's retrieve response decodes");
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  SatoriStoreEnvelope *envelope = g_ptr_array_index (messages, 0);
  g_assert_cmpmem (g_bytes_get_data (envelope->payload, NULL),
                   g_bytes_get_size (envelope->payload), "{}", 2);
  g_assert_cmpint (envelope->timestamp_us, ==, STORE_TEST_NOW + G_USEC_PER_SEC / 2);
}

static void
test_scanner_split (void)
{
  const char json[] = "  {\"a\": \"}{\\\"\\\\\", \"b\": [{}, []]}{\"next\": 1}";
  gsize end = strstr (json, "]}") - json + 2;

  g_test_summary ("The end of an object is found across any split, whatever its strings hold");
  for (gsize split = 0; split <= end; split++)
    {
      SatoriStoreScanner scanner = { 0 };
      g_autoptr(GError) error = NULL;
      g_assert_true (satori_store_scanner_feed (&scanner, (const guint8 *) json, split, &error));
      g_assert_true (scanner.done == (split == end));
      g_assert_true (satori_store_scanner_feed (&scanner, (const guint8 *) json + split,
                                                strlen (json) - split, &error));
      g_assert_no_error (error);
      g_assert_true (scanner.done);
      g_assert_cmpuint (scanner.length, ==, end);
    }
}

static void
test_scanner_refuses (void)
{
  const char *bad[] = { "x{}", "\"s\"", "{[[[[[[[[[[[[[[[[" };

  g_test_summary ("Something other than an object, or nesting too deep, is refused early");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      SatoriStoreScanner scanner = { 0 };
      g_autoptr(GError) error = NULL;
      g_assert_false (satori_store_scanner_feed (&scanner, (const guint8 *) bad[i],
                                                 strlen (bad[i]), &error));
      g_assert_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED);
    }
}

static void
test_seen (void)
{
  g_autoptr(SatoriStoreSeen) seen = satori_store_seen_new (2);

  g_test_summary ("Held message ids are remembered against repeats, the oldest forgotten "
                  "first when full");
  g_assert_true (satori_store_seen_add (seen, "a"));
  g_assert_false (satori_store_seen_add (seen, "a"));
  g_assert_true (satori_store_seen_add (seen, "b"));
  g_assert_true (satori_store_seen_add (seen, "c"));   /* forgets a */
  g_assert_false (satori_store_seen_add (seen, "b"));
  g_assert_false (satori_store_seen_add (seen, "c"));
  g_assert_true (satori_store_seen_add (seen, "a"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/satori-store/message/python-store", test_python_store);
  g_test_add_func ("/satori-store/message/store-round-trip", test_store_round_trip);
  g_test_add_func ("/satori-store/message/retrieve", test_retrieve);
  g_test_add_func ("/satori-store/message/ttl-cut", test_ttl_cut);
  g_test_add_func ("/satori-store/message/bad-requests", test_bad_requests);
  g_test_add_func ("/satori-store/message/bad-envelopes", test_bad_envelopes);
  g_test_add_func ("/satori-store/message/responses", test_responses);
  g_test_add_func ("/satori-store/message/python-response", test_python_response);
  g_test_add_func ("/satori-store/scanner/split", test_scanner_split);
  g_test_add_func ("/satori-store/scanner/refuses", test_scanner_refuses);
  g_test_add_func ("/satori-store/seen/forget-oldest", test_seen);
  return g_test_run ();
}
