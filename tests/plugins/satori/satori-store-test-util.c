/* satori-store-test-util.c — peer ids and envelopes for the store tests */
#include <string.h>

#include "satori-json.h"
#include "satori-message-envelope.h"
#include "satori-store-test-util.h"
#include "satori-test-util.h"

/* The base58 peer id of the secp256k1 key whose secret is @fill × 32. */
char *
store_test_peer (guint8 fill)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (fill);
  SatoriPublicKey *public_key = satori_private_key_get_public_key (key);   /* transfer none */
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (public_key);

  return satori_peer_id_to_string (id);
}

/* A message from peer @source to peer @target, kept 24 h. */
SatoriStoreEnvelope *
store_test_envelope (const char *message_id, guint8 target, guint8 source, const char *payload,
                     gint64 timestamp_us)
{
  g_autofree char *to = store_test_peer (target);
  g_autofree char *from = store_test_peer (source);
  g_autoptr(GBytes) bytes = g_bytes_new (payload, strlen (payload));

  return satori_store_envelope_new (message_id, to, from, "stream-1", bytes, timestamp_us,
                                    24 * SATORI_STORE_HOUR_US);
}

/* What a holder pushed is @payload as @source sent it, with `_stored`
 * naming the message and its source. */
void
store_test_assert_pushed (GBytes *pushed, const char *payload, SatoriPeerId *source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMessageEnvelope) envelope = satori_message_envelope_parse (
    g_bytes_get_data (pushed, NULL), g_bytes_get_size (pushed), &error);
  g_autofree char *source_id = satori_peer_id_to_string (source);

  g_assert_no_error (error);
  g_assert_cmpint (envelope->kind, ==, SATORI_MESSAGE_STORED);
  g_assert_true (g_uuid_string_is_valid (envelope->id));
  g_assert_cmpstr (envelope->source_peer, ==, source_id);
  g_autoptr(JsonNode) got = satori_json_parse (g_bytes_get_data (envelope->body, NULL),
                                               g_bytes_get_size (envelope->body), &error);
  g_autoptr(JsonNode) expected = json_from_string (payload, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (got, expected));
}
