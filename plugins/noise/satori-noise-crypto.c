/* satori-noise-crypto.c — X25519, SHA-256 and HKDF with nettle
 *
 * X25519 is most of a handshake's cost: nettle's is 3–5 times as fast as
 * libgcrypt's here, and its hashes of a few dozen bytes cost a fraction of
 * libgcrypt's (bench/README.md).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-crypto.h"

#include <nettle/curve25519.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <string.h>

#include "satori-noise-error.h"

/* decodeScalar25519 of RFC 7748. */
static void
clamp (const guint8 private_key[SATORI_NOISE_KEY_LENGTH], guint8 scalar[SATORI_NOISE_KEY_LENGTH])
{
  memcpy (scalar, private_key, SATORI_NOISE_KEY_LENGTH);
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
}

/**
 * satori_noise_x25519:
 * @private_key: a scalar, as RFC 7748 encodes it (clamped here)
 * @public_key: a u-coordinate, little-endian
 * @shared: (out caller-allocates): X25519(@private_key, @public_key)
 * @error: a #GError, set if the result is the all-zero value of a
 *   low-order point
 *
 * Returns: %TRUE on success
 */
gboolean
satori_noise_x25519 (const guint8  private_key[SATORI_NOISE_KEY_LENGTH],
                     const guint8  public_key[SATORI_NOISE_KEY_LENGTH],
                     guint8        shared[SATORI_NOISE_KEY_LENGTH],
                     GError      **error)
{
  guint8 scalar[SATORI_NOISE_KEY_LENGTH];
  guint8 point[SATORI_NOISE_KEY_LENGTH];
  static const guint8 zero[SATORI_NOISE_KEY_LENGTH] = { 0 };

  clamp (private_key, scalar);
  /* RFC 7748: the top bit of the u-coordinate is ignored. */
  memcpy (point, public_key, sizeof point);
  point[31] &= 127;

  curve25519_mul (shared, scalar, point);
  explicit_bzero (scalar, sizeof scalar);
  if (memcmp (shared, zero, SATORI_NOISE_KEY_LENGTH) == 0)
    {
      memset (shared, 0, SATORI_NOISE_KEY_LENGTH);
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_CRYPTO,
                   "X25519 failed: the remote key is a low-order point");
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_noise_x25519_public:
 * @private_key: a scalar
 * @public_key: (out caller-allocates): its public key, X25519(@private_key, 9)
 */
void
satori_noise_x25519_public (const guint8 private_key[SATORI_NOISE_KEY_LENGTH],
                            guint8       public_key[SATORI_NOISE_KEY_LENGTH])
{
  guint8 scalar[SATORI_NOISE_KEY_LENGTH];

  clamp (private_key, scalar);
  curve25519_mul_g (public_key, scalar);
  explicit_bzero (scalar, sizeof scalar);
}

/**
 * satori_noise_sha256_2:
 * @a: (array length=a_len): the first part
 * @a_len: its length
 * @b: (array length=b_len): the second part
 * @b_len: its length
 * @digest: (out caller-allocates): SHA-256(@a || @b)
 */
void
satori_noise_sha256_2 (const guint8 *a, gsize a_len, const guint8 *b, gsize b_len,
                       guint8 digest[SATORI_NOISE_KEY_LENGTH])
{
  struct sha256_ctx ctx;

  sha256_init (&ctx);
  sha256_update (&ctx, a_len, a);
  sha256_update (&ctx, b_len, b);
  sha256_digest (&ctx, SATORI_NOISE_KEY_LENGTH, digest);
}

static void
hmac_sha256 (const guint8 key[SATORI_NOISE_KEY_LENGTH],
             const guint8 *a, gsize a_len, const guint8 *b, gsize b_len,
             guint8 out[SATORI_NOISE_KEY_LENGTH])
{
  struct hmac_sha256_ctx ctx;

  hmac_sha256_set_key (&ctx, SATORI_NOISE_KEY_LENGTH, key);
  hmac_sha256_update (&ctx, a_len, a);
  hmac_sha256_update (&ctx, b_len, b);
  hmac_sha256_digest (&ctx, SATORI_NOISE_KEY_LENGTH, out);
  explicit_bzero (&ctx, sizeof ctx);
}

/**
 * satori_noise_hkdf:
 * @chaining_key: the chaining key
 * @input: (array length=input_len): the input key material
 * @input_len: its length
 * @out1: (out caller-allocates): the first output
 * @out2: (out caller-allocates): the second output
 * @out3: (out caller-allocates) (nullable): the third output, or %NULL for two
 *
 * The Noise HKDF (section 4.3) with HMAC-SHA256.
 */
void
satori_noise_hkdf (const guint8  chaining_key[SATORI_NOISE_KEY_LENGTH],
                   const guint8 *input, gsize input_len,
                   guint8        out1[SATORI_NOISE_KEY_LENGTH],
                   guint8        out2[SATORI_NOISE_KEY_LENGTH],
                   guint8       *out3)
{
  guint8 temp[SATORI_NOISE_KEY_LENGTH];
  guint8 counter;

  hmac_sha256 (chaining_key, input, input_len, NULL, 0, temp);
  counter = 1;
  hmac_sha256 (temp, &counter, 1, NULL, 0, out1);
  counter = 2;
  hmac_sha256 (temp, out1, SATORI_NOISE_KEY_LENGTH, &counter, 1, out2);
  if (out3 != NULL)
    {
      counter = 3;
      hmac_sha256 (temp, out2, SATORI_NOISE_KEY_LENGTH, &counter, 1, out3);
    }
  explicit_bzero (temp, sizeof temp);
}
