/* Tests of pubsub message signing, verification, the signature policies
 * and message ids: a known answer from js-libp2p, round trips with every
 * key type, and tampered messages.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-peer-id.h"
#include "satori-pubsub-error.h"
#include "satori-pubsub-message-id.h"
#include "satori-pubsub-signing.h"
#include "satori-pubsub-validate.h"
#include "satori-test-util.h"

/* Made by @libp2p/gossipsub 17.1.1's buildRawMessage() (dist/src/utils/
 * buildRawMessage.js) with @libp2p/crypto 5.1.23, from the Ed25519 key of
 * seed 32 × 0x07, topic "satori/test", data "hello satori". js always adds
 * the `key` field (the last 38 bytes). */
static const char js_private[] =
  "080112400707070707070707070707070707070707070707070707070707070707070707"
  "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";
static const char js_message[] =
  "0a26002408011220ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea69"
  "1446d22c120c68656c6c6f207361746f72691a0818eb506fad65da81220b7361746f7269"
  "2f746573742a40bcc0b90a97926bb611c583acff1a859eb1ca672a4b08e19d180d321248"
  "5e763264b94778ceb9124589bf5989256ea701154d1299521a27a7c1811e05face870932"
  "2408011220ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d2"
  "2c";
static const char js_seqno[] = "18eb506fad65da81";
static const char js_key_field_hex[] =
  "322408011220ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";

static Satori__Pubsub__Message *
decode (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  Satori__Pubsub__Message *message = satori__pubsub__message__unpack (NULL, len, data);
  g_assert_nonnull (message);
  return message;
}

static GBytes *
build (const char *topic, const char *text, SatoriPrivateKey *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) seqno = satori_test_bytes_from_hex ("0000000000000001");
  GBytes *message = satori_pubsub_build_message (topic, data, key ? seqno : NULL, key, &error);
  g_assert_no_error (error);
  return message;
}

static void
assert_check (Satori__Pubsub__Message *message, SatoriPubsubSignaturePolicy policy,
              gint code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = satori_pubsub_check_message (message, policy, &error);
  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, SATORI_PUBSUB_ERROR, code);
      g_assert_false (ok);
    }
}

static void
test_js_vector_verifies (void)
{
  g_autoptr(GBytes) bytes = satori_test_bytes_from_hex (js_message);
  Satori__Pubsub__Message *message = decode (bytes);

  assert_check (message, SATORI_PUBSUB_STRICT_SIGN, -1);
  assert_check (message, SATORI_PUBSUB_STRICT_NO_SIGN, SATORI_PUBSUB_ERROR_POLICY);
  satori__pubsub__message__free_unpacked (message, NULL);
}

/* Ed25519 signatures are deterministic: signing the same fields with the
 * same key must give js's bytes exactly (we leave out the inlinable key). */
static void
test_js_vector_same_signature (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_private_key_from_hex (js_private);
  g_autoptr(GBytes) expected = satori_test_bytes_from_hex (js_message);
  g_autoptr(GBytes) seqno = satori_test_bytes_from_hex (js_seqno);
  g_autoptr(GBytes) data = g_bytes_new_static ("hello satori", 12);
  g_autoptr(GError) error = NULL;

  g_autoptr(GBytes) ours = satori_pubsub_build_message ("satori/test", data, seqno, key, &error);
  g_assert_no_error (error);
  gsize key_field = strlen (js_key_field_hex) / 2;
  g_assert_cmpuint (g_bytes_get_size (ours), ==, g_bytes_get_size (expected) - key_field);
  g_assert_cmpmem (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (ours));
}

static void
test_round_trip (gconstpointer data)
{
  SatoriKeyType type = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (type, &error);
  g_assert_no_error (error);

  g_autoptr(GBytes) bytes = build ("t", "payload", key);
  Satori__Pubsub__Message *message = decode (bytes);
  /* Only a hashed peer id (RSA, ECDSA: keys over 42 bytes) needs the key
   * sent along. */
  g_assert_cmpint (message->has_key, ==,
                   type == SATORI_KEY_TYPE_RSA || type == SATORI_KEY_TYPE_ECDSA);
  assert_check (message, SATORI_PUBSUB_STRICT_SIGN, -1);
  satori__pubsub__message__free_unpacked (message, NULL);
}

static void
test_tampered (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x21);
  g_autoptr(SatoriPrivateKey) other = satori_test_secp256k1_key_filled (0x22);
  g_autoptr(GBytes) bytes = build ("t", "payload", key);
  g_autoptr(GBytes) other_bytes = build ("t", "payload", other);
  Satori__Pubsub__Message *message = decode (bytes);
  Satori__Pubsub__Message *other_message = decode (other_bytes);
  Satori__Pubsub__Message copy;

  /* Each field the signature covers. */
  copy = *message;
  copy.data.data = (guint8 *) "PAYLOAD";
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_SIGNATURE);
  copy = *message;
  copy.topic = (char *) "u";
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_SIGNATURE);
  copy = *message;
  copy.seqno = other_message->seqno;
  copy.seqno.data = (guint8 *) "\0\0\0\0\0\0\0\2";
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_SIGNATURE);
  /* Another author's signature. */
  copy = *message;
  copy.signature = other_message->signature;
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_SIGNATURE);
  /* Signed by one, claimed by another. */
  copy = *other_message;
  copy.from = message->from;
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_SIGNATURE);
  /* A key that is not the one of from. */
  g_autoptr(GBytes) other_key = satori_public_key_to_protobuf (
    satori_private_key_get_public_key (other));
  copy = *message;
  copy.has_key = TRUE;
  copy.key.data = (guint8 *) g_bytes_get_data (other_key, &copy.key.len);
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_SIGNATURE);
  /* A from that is no peer id. */
  copy = *message;
  copy.from.len = 3;
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_SIGNATURE);

  satori__pubsub__message__free_unpacked (message, NULL);
  satori__pubsub__message__free_unpacked (other_message, NULL);
}

static void
test_strict_sign_needs_fields (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x23);
  g_autoptr(GBytes) bytes = build ("t", "payload", key);
  g_autoptr(GBytes) anonymous = build ("t", "payload", NULL);
  Satori__Pubsub__Message *message = decode (bytes);
  Satori__Pubsub__Message *unsigned_message = decode (anonymous);
  Satori__Pubsub__Message copy;

  assert_check (unsigned_message, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_POLICY);
  copy = *message;
  copy.has_signature = FALSE;
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_POLICY);
  copy = *message;
  copy.seqno.len = 4;
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_POLICY);
  copy = *message;
  copy.topic = NULL;
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_POLICY);
  copy = *message;
  copy.topic = (char *) "\xff\xfe";
  assert_check (&copy, SATORI_PUBSUB_STRICT_SIGN, SATORI_PUBSUB_ERROR_POLICY);

  satori__pubsub__message__free_unpacked (message, NULL);
  satori__pubsub__message__free_unpacked (unsigned_message, NULL);
}

/* js-libp2p's floodsub sends its seqno without leading zero bytes and
 * signs it so: floodsub takes 1 to 8 bytes, the spec's check 8 only. */
static void
test_short_seqno (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x25);
  g_autoptr(GBytes) data = g_bytes_new_static ("payload", 7);
  g_autoptr(GError) error = NULL;
  const char *seqnos[] = { "ffffffffff0003", "01", "", "010000000000000000" };
  const gint with_flag[] = { -1, -1, SATORI_PUBSUB_ERROR_POLICY, SATORI_PUBSUB_ERROR_POLICY };

  for (guint i = 0; i < G_N_ELEMENTS (seqnos); i++)
    {
      g_autoptr(GBytes) seqno = satori_test_bytes_from_hex (seqnos[i]);
      g_autoptr(GBytes) bytes = satori_pubsub_build_message ("t", data, seqno, key, &error);
      g_assert_no_error (error);
      Satori__Pubsub__Message *message = decode (bytes);
      g_autoptr(GError) strict_error = NULL;
      g_autoptr(GError) short_error = NULL;

      g_assert_false (satori_pubsub_check_message (message, SATORI_PUBSUB_STRICT_SIGN,
                                                   &strict_error));
      g_assert_error (strict_error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_POLICY);
      gboolean ok = satori_pubsub_check_message_full (message, SATORI_PUBSUB_STRICT_SIGN,
                                                      SATORI_PUBSUB_CHECK_SHORT_SEQNO,
                                                      &short_error);
      if (with_flag[i] < 0)
        {
          g_assert_no_error (short_error);
          g_assert_true (ok);
        }
      else
        g_assert_error (short_error, SATORI_PUBSUB_ERROR, with_flag[i]);
      satori__pubsub__message__free_unpacked (message, NULL);
    }
}

static void
test_strict_no_sign (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x24);
  g_autoptr(GBytes) anonymous = build ("t", "payload", NULL);
  Satori__Pubsub__Message *message = decode (anonymous);
  Satori__Pubsub__Message copy;

  g_assert_false (message->has_from || message->has_seqno || message->has_signature
                  || message->has_key);
  assert_check (message, SATORI_PUBSUB_STRICT_NO_SIGN, -1);
  copy = *message;
  copy.has_seqno = TRUE;
  assert_check (&copy, SATORI_PUBSUB_STRICT_NO_SIGN, SATORI_PUBSUB_ERROR_POLICY);
  g_autoptr(GBytes) signed_bytes = build ("t", "payload", key);
  Satori__Pubsub__Message *signed_message = decode (signed_bytes);
  assert_check (signed_message, SATORI_PUBSUB_STRICT_NO_SIGN, SATORI_PUBSUB_ERROR_POLICY);

  satori__pubsub__message__free_unpacked (message, NULL);
  satori__pubsub__message__free_unpacked (signed_message, NULL);
}

static void
test_message_ids (void)
{
  g_autoptr(GBytes) bytes = satori_test_bytes_from_hex (js_message);
  Satori__Pubsub__Message *message = decode (bytes);

  /* The spec's: from, then seqno. */
  g_autoptr(GBytes) id = satori_pubsub_default_message_id (message, NULL);
  g_autoptr(GBytes) expected = satori_test_bytes_from_hex (
    "002408011220ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c"
    "18eb506fad65da81");
  g_assert_true (g_bytes_equal (id, expected));

  /* js-libp2p's: the PublicKey protobuf, then seqno; the same whether the
   * key comes from the key field or from the peer id. */
  g_autoptr(GBytes) key_id = satori_pubsub_key_message_id (message, NULL);
  g_autoptr(GBytes) js_id = satori_test_bytes_from_hex (
    "08011220ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c"
    "18eb506fad65da81");
  g_assert_true (g_bytes_equal (key_id, js_id));
  message->has_key = FALSE;
  g_autoptr(GBytes) inlined_id = satori_pubsub_key_message_id (message, NULL);
  g_assert_true (g_bytes_equal (inlined_id, js_id));

  /* Content-addressed: SHA-256("hello satori"). */
  g_autoptr(GBytes) content_id = satori_pubsub_content_message_id (message, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "hello satori", -1);
  g_autoptr(GBytes) digest_bytes = satori_test_bytes_from_hex (digest);
  g_assert_true (g_bytes_equal (content_id, digest_bytes));

  satori__pubsub__message__free_unpacked (message, NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pubsub/signing/js-vector-verifies", test_js_vector_verifies);
  g_test_add_func ("/pubsub/signing/js-vector-same-signature", test_js_vector_same_signature);
  g_test_add_data_func ("/pubsub/signing/round-trip/ed25519",
                        GINT_TO_POINTER (SATORI_KEY_TYPE_ED25519), test_round_trip);
  g_test_add_data_func ("/pubsub/signing/round-trip/secp256k1",
                        GINT_TO_POINTER (SATORI_KEY_TYPE_SECP256K1), test_round_trip);
  g_test_add_data_func ("/pubsub/signing/round-trip/rsa",
                        GINT_TO_POINTER (SATORI_KEY_TYPE_RSA), test_round_trip);
  g_test_add_data_func ("/pubsub/signing/round-trip/ecdsa",
                        GINT_TO_POINTER (SATORI_KEY_TYPE_ECDSA), test_round_trip);
  g_test_add_func ("/pubsub/signing/tampered", test_tampered);
  g_test_add_func ("/pubsub/validate/strict-sign-needs-fields", test_strict_sign_needs_fields);
  g_test_add_func ("/pubsub/validate/short-seqno", test_short_seqno);
  g_test_add_func ("/pubsub/validate/strict-no-sign", test_strict_no_sign);
  g_test_add_func ("/pubsub/message-id/default-key-content", test_message_ids);
  return g_test_run ();
}
