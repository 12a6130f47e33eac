/* satori-noise-crypto.c — X25519, SHA-256 and HKDF with libgcrypt
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-crypto.h"

#include <gcrypt.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-noise-error.h"

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

  satori_crypto_init ();
  memcpy (scalar, private_key, sizeof scalar);
  scalar[0] &= 248;
  scalar[31] &= 127;
  scalar[31] |= 64;
  /* RFC 7748: the top bit of the u-coordinate is ignored. */
  memcpy (point, public_key, sizeof point);
  point[31] &= 127;

  gcry_error_t rc = gcry_ecc_mul_point (GCRY_ECC_CURVE25519, shared, scalar, point);
  explicit_bzero (scalar, sizeof scalar);
  if (rc != 0 || memcmp (shared, zero, SATORI_NOISE_KEY_LENGTH) == 0)
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
  static const guint8 base[SATORI_NOISE_KEY_LENGTH] = { 9 };

  /* The base point has prime order: this cannot fail. */
  if (!satori_noise_x25519 (private_key, base, public_key, NULL))
    g_assert_not_reached ();
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
  gcry_buffer_t iov[2] = {
    { .data = (void *) a, .len = a_len },
    { .data = (void *) b, .len = b_len },
  };

  satori_crypto_init ();
  gcry_md_hash_buffers (GCRY_MD_SHA256, 0, digest, iov, 2);
}

static void
hmac_sha256 (const guint8 key[SATORI_NOISE_KEY_LENGTH],
             const guint8 *a, gsize a_len, const guint8 *b, gsize b_len,
             guint8 out[SATORI_NOISE_KEY_LENGTH])
{
  /* With GCRY_MD_FLAG_HMAC the first buffer is the key. */
  gcry_buffer_t iov[3] = {
    { .data = (void *) key, .len = SATORI_NOISE_KEY_LENGTH },
    { .data = (void *) a, .len = a_len },
    { .data = (void *) b, .len = b_len },
  };

  gcry_md_hash_buffers (GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC, out, iov, 3);
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

  satori_crypto_init ();
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
