/* Fuzz target: encrypted direct messages (nonce ‖ ciphertext ‖ tag)
 * between two fixed keys. Forging a tag is out of reach, so almost every
 * input is refused; the decoder must refuse it cleanly, and a message it
 * accepts must re-encrypt and decrypt to the same plaintext.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "satori-evrmore-ecdh.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static SatoriEvrmoreKey *
seed_key (guint8 byte)
{
  guint8 secret[SATORI_SECP256K1_SECRET_LENGTH];

  memset (secret, byte, sizeof secret);
  return satori_evrmore_key_new_from_secret (secret, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static SatoriEvrmoreKey *one, *two;
  static GBytes *one_public, *two_public;

  if (one == NULL)
    {
      one = seed_key (0x01);
      two = seed_key (0x02);
      one_public = satori_evrmore_key_get_public_key (one);
      two_public = satori_evrmore_key_get_public_key (two);
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = satori_evrmore_decrypt (two, g_bytes_get_data (one_public, NULL),
                                                    g_bytes_get_size (one_public),
                                                    data, size, &error);
  g_assert_true ((plain == NULL) == (error != NULL));
  if (plain != NULL)
    {
      g_assert_cmpuint (g_bytes_get_size (plain), ==, size - 28);
      g_autoptr(GBytes) again = satori_evrmore_encrypt (
        one, g_bytes_get_data (two_public, NULL), g_bytes_get_size (two_public),
        g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), NULL);
      g_autoptr(GBytes) back = satori_evrmore_decrypt (
        two, g_bytes_get_data (one_public, NULL), g_bytes_get_size (one_public),
        g_bytes_get_data (again, NULL), g_bytes_get_size (again), NULL);
      g_assert_true (g_bytes_equal (plain, back));
    }

  /* The input as the peer's public key. */
  g_autoptr(GBytes) sealed = satori_evrmore_encrypt (one, data, size, (const guint8 *) "x", 1,
                                                     NULL);
  g_assert_true (sealed == NULL || g_bytes_get_size (sealed) == 29);
  return 0;
}
