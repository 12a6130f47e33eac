/* The sans-I/O parts of /satori/1.0.0: the JSON envelope (as satorip2p
 * writes and routes it) and the table of requests waiting for an answer,
 * on a fake clock. */
#include <string.h>

#include "satorip2p.h"
#include "satori-message-cipher.h"
#include "satori-message-envelope.h"
#include "satori-message-session.h"
#include "satori-test-util.h"

static SatoriMessageEnvelope *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  SatoriMessageEnvelope *envelope = satori_message_envelope_parse ((const guint8 *) text,
                                                                   strlen (text), &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  return envelope;
}

static void
assert_text (GBytes *bytes, const char *text)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), text, strlen (text));
}

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static void
test_request_wrapping (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Requests as satorip2p's request() makes them: objects get _request_id, "
                  "other values are wrapped in data");
  g_autoptr(GBytes) object = bytes_of ("{\"method\":\"get\",\"_request_id\":\"old\",\"n\":1}");
  g_autoptr(GBytes) request = satori_message_envelope_new_request (object, "id-1", &error);
  g_assert_no_error (error);
  assert_text (request, "{\"_request_id\":\"id-1\",\"method\":\"get\",\"n\":1}");

  g_autoptr(GBytes) number = bytes_of ("42");
  g_autoptr(GBytes) wrapped = satori_message_envelope_new_request (number, "id-2", &error);
  assert_text (wrapped, "{\"_request_id\":\"id-2\",\"data\":42}");

  g_autoptr(SatoriMessageEnvelope) parsed = parse_ok ("{\"_request_id\":\"id-1\","
                                                      "\"method\":\"get\",\"n\":1}");
  g_assert_cmpint (parsed->kind, ==, SATORI_MESSAGE_REQUEST);
  g_assert_cmpstr (parsed->id, ==, "id-1");
  assert_text (parsed->body, "{\"method\":\"get\",\"n\":1}");

  g_autoptr(GBytes) junk = bytes_of ("{nope");
  g_assert_null (satori_message_envelope_new_request (junk, "id-3", &error));
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID);
}

static void
test_responses (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Responses carry _response_to and data, refusals an error");
  g_autoptr(GBytes) reply = bytes_of ("[1,2]");
  g_autoptr(GBytes) response = satori_message_envelope_new_response ("id-1", reply, &error);
  g_assert_no_error (error);
  assert_text (response, "{\"_response_to\":\"id-1\",\"data\":[1,2]}");
  g_autoptr(SatoriMessageEnvelope) parsed = parse_ok ("{\"_response_to\":\"id-1\",\"data\":[1,2]}");
  g_assert_cmpint (parsed->kind, ==, SATORI_MESSAGE_RESPONSE);
  g_assert_cmpstr (parsed->id, ==, "id-1");
  g_assert_null (parsed->error);
  assert_text (parsed->body, "[1,2]");

  g_autoptr(GBytes) refusal = satori_message_envelope_new_refusal ("id-2", "busy");
  assert_text (refusal, "{\"_response_to\":\"id-2\",\"error\":\"busy\"}");
  g_autoptr(SatoriMessageEnvelope) refused = parse_ok ("{\"_response_to\":\"id-2\","
                                                       "\"error\":\"busy\"}");
  g_assert_cmpstr (refused->error, ==, "busy");

  /* A response without data answers null, as Python's .get() would. */
  g_autoptr(SatoriMessageEnvelope) empty = parse_ok ("{\"_response_to\":\"id-3\"}");
  assert_text (empty->body, "null");
}

static void
test_encrypted (void)
{
  g_test_summary ("The encrypted wrapper carries base64 of nonce, ciphertext and tag");
  g_autoptr(GBytes) sealed = bytes_of ("0123456789abcdef0123456789abcdef");
  g_autoptr(GBytes) wrapper = satori_message_envelope_new_encrypted (sealed);
  g_autoptr(SatoriMessageEnvelope) parsed = satori_message_envelope_parse (
    g_bytes_get_data (wrapper, NULL), g_bytes_get_size (wrapper), NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpint (parsed->kind, ==, SATORI_MESSAGE_ENCRYPTED);
  g_assert_true (g_bytes_equal (parsed->body, sealed));
}

static void
test_routing (void)
{
  g_test_summary ("Plain messages are routed as satorip2p's inbound handler routes them");
  g_autoptr(SatoriMessageEnvelope) sub = parse_ok (
    "{\"type\":\"subscription_announce\",\"protocol_version\":\"1.0.0\",\"stream_id\":\"s-1\","
    "\"peer_id\":\"16Uiu2HAm\",\"evrmore_address\":\"Eabc\",\"is_publisher\":true}");
  g_assert_cmpint (sub->kind, ==, SATORI_MESSAGE_PLAIN);
  g_assert_cmpint (sub->route, ==, SATORI_MESSAGE_ROUTE_SUBSCRIPTION_ANNOUNCE);
  g_assert_cmpstr (sub->stream_id, ==, "s-1");
  g_assert_cmpstr (sub->peer_id, ==, "16Uiu2HAm");
  g_assert_cmpstr (sub->evrmore_address, ==, "Eabc");
  g_assert_true (sub->is_publisher);

  g_autoptr(SatoriMessageEnvelope) peer = parse_ok (
    "{\"type\":\"peer_announce\",\"peer_info\":{\"peer_id\":\"16Uiu2HAp\",\"is_relay\":true,"
    "\"addresses\":[]}}");
  g_assert_cmpint (peer->route, ==, SATORI_MESSAGE_ROUTE_PEER_ANNOUNCE);
  g_assert_cmpstr (peer->peer_id, ==, "16Uiu2HAp");
  g_assert_null (peer->evrmore_address);
  g_assert_true (peer->is_relay);
  assert_text (peer->data, "{\"peer_id\":\"16Uiu2HAp\",\"is_relay\":true,\"addresses\":[]}");

  g_autoptr(SatoriMessageEnvelope) data = parse_ok (
    "{\"id\":\"m\",\"method\":\"data\",\"params\":{\"uuid\":\"stream-9\"},\"data\":{\"v\":3}}");
  g_assert_cmpint (data->route, ==, SATORI_MESSAGE_ROUTE_STREAM_DATA);
  g_assert_cmpstr (data->stream_id, ==, "stream-9");
  assert_text (data->data, "{\"v\":3}");

  /* Announcements missing what they announce, and anything else, are only
   * messages. */
  const char *plain[] = {
    "{\"type\":\"subscription_announce\",\"stream_id\":\"s-1\"}",
    "{\"type\":\"peer_announce\",\"peer_info\":{\"peer_id\":7}}",
    "{\"params\":{\"uuid\":\"\"}}",
    "{\"hello\":1}",
    "[1,2,3]",
    "\"text\"",
  };
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_autoptr(SatoriMessageEnvelope) one = parse_ok (plain[i]);
      g_assert_cmpint (one->kind, ==, SATORI_MESSAGE_PLAIN);
      g_assert_cmpint (one->route, ==, SATORI_MESSAGE_ROUTE_NONE);
      assert_text (one->body, plain[i]);
    }
}

static void
test_invalid (void)
{
  g_test_summary ("Bad JSON and badly typed reserved members are refused");
  const char *bad[] = {
    "not json",
    "{\"a\":1",
    "{\"_request_id\":5}",
    "{\"_response_to\":null}",
    "{\"_encrypted\":\"rot13\",\"payload\":\"aGk=\"}",
    "{\"_encrypted\":\"evrmore-ecdh-aes-256-gcm\"}",
    "{\"_encrypted\":\"evrmore-ecdh-aes-256-gcm\",\"payload\":\"***\"}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriMessageEnvelope) envelope = satori_message_envelope_parse (
        (const guint8 *) bad[i], strlen (bad[i]), &error);
      g_assert_null (envelope);
      g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID);
    }
}

static SatoriPeerId *
peer_filled (guint8 fill)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (fill);

  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

static void
test_session (void)
{
  g_autoptr(SatoriPeerId) a = peer_filled (1);
  g_autoptr(SatoriPeerId) b = peer_filled (2);
  g_autoptr(SatoriMessageSession) session = satori_message_session_new (g_free);
  gint64 now = 1000;

  g_test_summary ("Pending requests: answered only by the peer asked, expired at their "
                  "deadline on the caller's clock");
  g_assert_cmpint (satori_message_session_next_deadline_us (session), ==, -1);
  g_assert_true (satori_message_session_add (session, "r1", a, now + 500, g_strdup ("one")));
  g_assert_true (satori_message_session_add (session, "r2", b, now + 200, g_strdup ("two")));
  g_assert_true (satori_message_session_add (session, "r3", b, now + 900, g_strdup ("three")));
  g_assert_false (satori_message_session_add (session, "r1", b, now, NULL));
  g_assert_cmpuint (satori_message_session_get_pending (session), ==, 3);
  g_assert_cmpint (satori_message_session_next_deadline_us (session), ==, now + 200);

  /* b cannot answer a's request; a can. */
  g_assert_null (satori_message_session_take (session, "r1", b));
  g_assert_null (satori_message_session_take (session, "nope", a));
  g_autofree char *one = satori_message_session_take (session, "r1", a);
  g_assert_cmpstr (one, ==, "one");
  g_assert_null (satori_message_session_take (session, "r1", a));

  g_assert_null (satori_message_session_poll_expired (session, now + 199));
  g_autofree char *two = satori_message_session_poll_expired (session, now + 200);
  g_assert_cmpstr (two, ==, "two");
  g_assert_null (satori_message_session_poll_expired (session, now + 200));
  g_assert_cmpint (satori_message_session_next_deadline_us (session), ==, now + 900);
  /* r3 stays pending: the session frees its token. */
  g_assert_cmpuint (satori_message_session_get_pending (session), ==, 1);
}

static SatoriEvrmoreKey *
wallet_filled (guint8 fill)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (fill);
  SatoriEvrmoreKey *wallet = satori_evrmore_key_new_from_private_key (key, &error);

  g_assert_no_error (error);
  return wallet;
}

static void
test_cipher (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriEvrmoreKey) a = wallet_filled (1);
  g_autoptr(SatoriEvrmoreKey) b = wallet_filled (2);
  g_autoptr(SatoriPeerId) peer_a = peer_filled (1);
  g_autoptr(SatoriPeerId) peer_b = peer_filled (2);
  g_autoptr(SatoriPeerId) peer_c = peer_filled (3);
  const char *text = "{\"secret\":\"attack at dawn\"}";
  g_autoptr(GBytes) plain = bytes_of (text);

  g_test_summary ("Sealed for a peer: no plaintext on the wire, opens only between the two "
                  "keys, any flipped bit refused");
  g_autoptr(GBytes) wrapper = satori_message_cipher_seal (a, peer_b, plain, &error);
  g_assert_no_error (error);
  g_autofree char *wire = g_strndup (g_bytes_get_data (wrapper, NULL), g_bytes_get_size (wrapper));
  g_assert_null (strstr (wire, "attack"));
  g_autoptr(SatoriMessageEnvelope) parsed = parse_ok (wire);
  g_assert_cmpint (parsed->kind, ==, SATORI_MESSAGE_ENCRYPTED);
  g_assert_cmpuint (g_bytes_get_size (parsed->body), ==,
                    strlen (text) + SATORI_EVRMORE_NONCE_LENGTH + SATORI_EVRMORE_TAG_LENGTH);

  g_autoptr(GBytes) opened = satori_message_cipher_open (b, peer_a, parsed->body, &error);
  g_assert_no_error (error);
  assert_text (opened, text);

  /* Another sender's key does not open it. */
  g_assert_null (satori_message_cipher_open (b, peer_c, parsed->body, &error));
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_DECRYPT);
  g_clear_error (&error);

  gsize len = g_bytes_get_size (parsed->body);
  for (gsize i = 0; i < len; i += 7)
    {
      g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (parsed->body, NULL), len);
      copy[i] ^= 0x80;
      g_autoptr(GBytes) flipped = g_bytes_new (copy, len);
      g_assert_null (satori_message_cipher_open (b, peer_a, flipped, &error));
      g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_DECRYPT);
      g_clear_error (&error);
    }

  /* Without a secp256k1 key of ours, or for an Ed25519 peer: a clear error. */
  g_assert_null (satori_message_cipher_seal (NULL, peer_b, plain, &error));
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY);
  g_clear_error (&error);
  g_autoptr(SatoriPrivateKey) ed = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_autoptr(SatoriPeerId) peer_ed = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (ed));
  g_assert_null (satori_message_cipher_seal (a, peer_ed, plain, &error));
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_UNSUPPORTED_KEY);
}

static void
test_stored (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("What a holder pushes: an object with _stored naming the message and its "
                  "source, routed as before by peers that ignore it; other values wrapped; "
                  "parsed back to the message as its source sent it");
  g_autoptr(GBytes) object = bytes_of ("{\"params\":{\"uuid\":\"s-1\"},\"data\":7}");
  g_autoptr(GBytes) pushed = satori_message_envelope_new_stored (object, "m-1", "16Uiu2HAsrc",
                                                                 "s-1");
  assert_text (pushed, "{\"params\":{\"uuid\":\"s-1\"},\"data\":7,\"_stored\":"
                       "{\"message_id\":\"m-1\",\"source_peer\":\"16Uiu2HAsrc\","
                       "\"stream_id\":\"s-1\"}}");
  g_autoptr(SatoriMessageEnvelope) parsed = satori_message_envelope_parse (
    g_bytes_get_data (pushed, NULL), g_bytes_get_size (pushed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (parsed->kind, ==, SATORI_MESSAGE_STORED);
  g_assert_cmpstr (parsed->id, ==, "m-1");
  g_assert_cmpstr (parsed->source_peer, ==, "16Uiu2HAsrc");
  g_assert_cmpstr (parsed->stream_id, ==, "s-1");
  assert_text (parsed->body, "{\"params\":{\"uuid\":\"s-1\"},\"data\":7}");

  g_autoptr(GBytes) list = bytes_of ("[1,2]");
  g_autoptr(GBytes) wrapped = satori_message_envelope_new_stored (list, "m-2", "16Uiu2HAsrc",
                                                                  NULL);
  g_autoptr(SatoriMessageEnvelope) unwrapped = satori_message_envelope_parse (
    g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), &error);
  g_assert_no_error (error);
  g_assert_cmpint (unwrapped->kind, ==, SATORI_MESSAGE_STORED);
  g_assert_null (unwrapped->stream_id);
  assert_text (unwrapped->body, "[1,2]");

  const char *bad[] = {
    "{\"_stored\": 1}",
    "{\"_stored\": {\"message_id\": \"m\"}}",
    "{\"_stored\": {\"message_id\": \"\", \"source_peer\": \"p\"}}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_error (&error);
      g_assert_null (satori_message_envelope_parse ((const guint8 *) bad[i], strlen (bad[i]),
                                                    &error));
      g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID);
    }
  g_autofree char *long_id = g_strnfill (257, 'x');
  g_autofree char *too_long = g_strdup_printf (
    "{\"_stored\": {\"message_id\": \"%s\", \"source_peer\": \"p\"}}", long_id);
  g_clear_error (&error);
  g_assert_null (satori_message_envelope_parse ((const guint8 *) too_long, strlen (too_long),
                                                &error));
  g_assert_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/satori/envelope/request-wrapping", test_request_wrapping);
  g_test_add_func ("/satori/envelope/responses", test_responses);
  g_test_add_func ("/satori/envelope/encrypted", test_encrypted);
  g_test_add_func ("/satori/envelope/routing", test_routing);
  g_test_add_func ("/satori/envelope/invalid", test_invalid);
  g_test_add_func ("/satori/envelope/stored", test_stored);
  g_test_add_func ("/satori/session/pending", test_session);
  g_test_add_func ("/satori/cipher/seal-open", test_cipher);
  return g_test_run ();
}
