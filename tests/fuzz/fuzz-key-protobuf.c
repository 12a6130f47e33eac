/* Fuzz target: the PublicKey and PrivateKey protobuf readers of all four
 * key types. Whatever parses encodes back to the same bytes, and using a
 * parsed key (verifying, signing, deriving its peer id) must not fail.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "satori-peer-id.h"
#include "satori-private-key.h"
#include "satori-public-key.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const guint8 message[] = "fuzz";

static void
check_public (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriPublicKey) key = satori_public_key_new_from_protobuf (data, size, NULL);
  if (key == NULL)
    return;

  g_autoptr(GBytes) again = satori_public_key_to_protobuf (key);
  g_assert_cmpmem (g_bytes_get_data (again, NULL), g_bytes_get_size (again), data, size);

  /* The input, and the input repeated to an Ed25519 signature's 64
   * bytes, as signatures: refused, without crashing. */
  guint8 cycled[64];
  for (gsize i = 0; i < sizeof cycled; i++)
    cycled[i] = data[i % size];
  g_assert_false (satori_public_key_verify (key, message, sizeof message, data, size));
  g_assert_false (satori_public_key_verify (key, message, sizeof message, cycled, sizeof cycled));

  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (key);
  g_assert_true (satori_peer_id_matches_public_key (id, key));
}

static void
check_private (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriPrivateKey) key = satori_private_key_new_from_protobuf (data, size, NULL);
  if (key == NULL)
    return;

  g_autoptr(GBytes) again = satori_private_key_to_protobuf (key);
  if (g_bytes_get_size (again) != size || memcmp (g_bytes_get_data (again, NULL), data, size) != 0)
    {
      /* Only the old 96-byte Ed25519 form is rewritten (to 64 bytes). */
      g_assert_cmpint (satori_private_key_get_key_type (key), ==, SATORI_KEY_TYPE_ED25519);
      g_assert_cmpuint (size, ==, 4 + 96);
      g_assert_cmpuint (g_bytes_get_size (again), ==, 4 + 64);
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signature = satori_private_key_sign (key, message, sizeof message, &error);
  g_assert_no_error (error);
  g_assert_true (satori_public_key_verify (satori_private_key_get_public_key (key),
                                           message, sizeof message,
                                           g_bytes_get_data (signature, NULL),
                                           g_bytes_get_size (signature)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  check_public (data, size);
  check_private (data, size);
  return 0;
}
