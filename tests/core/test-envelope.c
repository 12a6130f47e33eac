/* Signed envelopes (RFC 0002): seal, encode, decode, verify. */
#include "satorip2p.h"
#include "satori-test-util.h"

static SatoriEnvelope *
seal (SatoriPrivateKey *key, const char *domain, const char *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) type = g_bytes_new_static ("\x03\x01", 2);
  g_autoptr(GBytes) bytes = g_bytes_new (payload, strlen (payload));
  SatoriEnvelope *envelope = satori_envelope_seal (key, domain, type, bytes, &error);

  g_assert_no_error (error);
  return envelope;
}

static SatoriEnvelope *
round_trip (SatoriEnvelope *envelope)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) encoded = satori_envelope_encode (envelope);
  gsize len;
  const guint8 *data = g_bytes_get_data (encoded, &len);
  SatoriEnvelope *decoded = satori_envelope_decode (data, len, &error);

  g_assert_no_error (error);
  return decoded;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A sealed envelope decodes to the same key, type and payload and verifies");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SatoriPrivateKey) key = i == 0 ? satori_test_secp256k1_key_filled (3)
                                               : satori_private_key_generate (SATORI_KEY_TYPE_ED25519, NULL);
      g_autoptr(SatoriEnvelope) sealed = seal (key, "test-domain", "hello");
      g_autoptr(SatoriEnvelope) decoded = round_trip (sealed);

      g_assert_true (satori_public_key_equal (satori_envelope_get_public_key (decoded),
                                              satori_private_key_get_public_key (key)));
      g_assert_true (g_bytes_equal (satori_envelope_get_payload_type (decoded),
                                    satori_envelope_get_payload_type (sealed)));
      g_assert_cmpmem (g_bytes_get_data (satori_envelope_get_payload (decoded), NULL),
                       g_bytes_get_size (satori_envelope_get_payload (decoded)), "hello", 5);
      g_assert_true (satori_envelope_verify (decoded, "test-domain", &error));
      g_assert_no_error (error);
    }
}

static void
test_wrong_domain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (3);

  g_test_summary ("A signature made for one domain does not verify for another");
  g_autoptr(SatoriEnvelope) sealed = seal (key, "libp2p-routing-state", "x");
  g_assert_false (satori_envelope_verify (sealed, "libp2p-other", &error));
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
}

static void
test_tampered (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (3);

  g_test_summary ("Changing one byte of the payload breaks the signature");
  g_autoptr(SatoriEnvelope) sealed = seal (key, "d", "payload");
  g_autoptr(GBytes) encoded = satori_envelope_encode (sealed);
  gsize len;
  g_autofree guint8 *data = g_memdup2 (g_bytes_get_data (encoded, &len), g_bytes_get_size (encoded));
  guint8 *found = memmem (data, len, "payload", 7);
  g_assert_nonnull (found);
  found[0] = 'P';
  g_autoptr(SatoriEnvelope) decoded = satori_envelope_decode (data, len, &error);
  g_assert_no_error (error);
  g_assert_false (satori_envelope_verify (decoded, "d", &error));
  g_assert_nonnull (error);
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("An envelope without a key, or with garbage, is refused");
  /* Only a payload field. */
  static const guint8 no_key[] = { 0x1a, 0x01, 'x', 0x2a, 0x01, 's' };
  g_assert_null (satori_envelope_decode (no_key, sizeof no_key, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);
  static const guint8 garbage[] = { 0x0a, 0x05, 0x01 };
  g_assert_null (satori_envelope_decode (garbage, sizeof garbage, &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/envelope/seal/round-trip", test_round_trip);
  g_test_add_func ("/envelope/verify/wrong-domain", test_wrong_domain);
  g_test_add_func ("/envelope/verify/tampered", test_tampered);
  g_test_add_func ("/envelope/decode/malformed", test_malformed);
  return g_test_run ();
}
