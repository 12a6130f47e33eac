#include "satori-test-util.h"

#include <string.h>

/* Hex text (even length, no separators) to bytes; a bad digit fails the test. */
GBytes *
satori_test_bytes_from_hex (const char *hex)
{
  gsize len = strlen (hex);
  g_assert_cmpuint (len % 2, ==, 0);
  guint8 *out = g_malloc (len / 2 + 1);

  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      g_assert_true (hi >= 0 && lo >= 0);
      out[i] = (guint8) (hi << 4 | lo);
    }
  return g_bytes_new_take (out, len / 2);
}

/* The Satori wallet fixtures: a secp256k1 key whose 32 secret bytes all
 * equal @fill (0x01 gives 16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi). */
SatoriPrivateKey *
satori_test_secp256k1_key_filled (guint8 fill)
{
  guint8 secret[SATORI_SECP256K1_SECRET_LENGTH];
  g_autoptr(GError) error = NULL;

  memset (secret, fill, sizeof secret);
  SatoriPrivateKey *key = satori_private_key_new_secp256k1 (secret, &error);
  g_assert_no_error (error);
  return key;
}

/* A PrivateKey protobuf in hex; one that does not parse fails the test. */
SatoriPrivateKey *
satori_test_private_key_from_hex (const char *hex)
{
  g_autoptr(GBytes) pb = satori_test_bytes_from_hex (hex);
  g_autoptr(GError) error = NULL;
  SatoriPrivateKey *key = satori_private_key_new_from_protobuf (g_bytes_get_data (pb, NULL),
                                                                g_bytes_get_size (pb), &error);
  g_assert_no_error (error);
  return key;
}

/* A PublicKey protobuf in hex; one that does not parse fails the test. */
SatoriPublicKey *
satori_test_public_key_from_hex (const char *hex)
{
  g_autoptr(GBytes) pb = satori_test_bytes_from_hex (hex);
  g_autoptr(GError) error = NULL;
  SatoriPublicKey *key = satori_public_key_new_from_protobuf (g_bytes_get_data (pb, NULL),
                                                              g_bytes_get_size (pb), &error);
  g_assert_no_error (error);
  return key;
}
