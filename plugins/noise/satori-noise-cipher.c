/* satori-noise-cipher.c — a Noise CipherState: ChaCha20-Poly1305 with a counter nonce
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-cipher.h"

#include <gcrypt.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-noise-error.h"

/* Nonce 2^64-1 is reserved (Noise section 5.1). */
#define NONCE_MAX G_MAXUINT64

struct _SatoriNoiseCipher
{
  gcry_cipher_hd_t handle;
  guint64 nonce;
};

/**
 * satori_noise_cipher_new:
 * @key: the 32-byte key
 *
 * Returns: (transfer full): a cipher state with nonce 0
 */
SatoriNoiseCipher *
satori_noise_cipher_new (const guint8 key[SATORI_NOISE_KEY_LENGTH])
{
  SatoriNoiseCipher *cipher = g_new0 (SatoriNoiseCipher, 1);

  satori_crypto_init ();
  if (gcry_cipher_open (&cipher->handle, GCRY_CIPHER_CHACHA20, GCRY_CIPHER_MODE_POLY1305,
                        GCRY_CIPHER_SECURE) != 0
      || gcry_cipher_setkey (cipher->handle, key, SATORI_NOISE_KEY_LENGTH) != 0)
    g_error ("libgcrypt lacks ChaCha20-Poly1305");
  return cipher;
}

/**
 * satori_noise_cipher_free:
 * @cipher: (transfer full) (nullable): a cipher state
 */
void
satori_noise_cipher_free (SatoriNoiseCipher *cipher)
{
  if (cipher == NULL)
    return;
  gcry_cipher_close (cipher->handle);
  g_free (cipher);
}

static gboolean
start (SatoriNoiseCipher *cipher, const guint8 *ad, gsize ad_len, GError **error)
{
  guint8 iv[12] = { 0 };
  guint64 le = GUINT64_TO_LE (cipher->nonce);

  if (cipher->nonce == NONCE_MAX)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_CRYPTO,
                   "Noise nonces exhausted");
      return FALSE;
    }
  memcpy (iv + 4, &le, sizeof le);
  if (gcry_cipher_reset (cipher->handle) != 0
      || gcry_cipher_setiv (cipher->handle, iv, sizeof iv) != 0
      || (ad_len > 0 && gcry_cipher_authenticate (cipher->handle, ad, ad_len) != 0))
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_CRYPTO,
                   "ChaCha20-Poly1305 set-up failed");
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_noise_cipher_encrypt:
 * @cipher: a cipher state
 * @ad: (array length=ad_len) (nullable): associated data
 * @ad_len: its length
 * @plaintext: (array length=len): the bytes to encrypt
 * @len: their number
 * @out: (out caller-allocates): @len + %SATORI_NOISE_TAG_LENGTH bytes; may
 *   be @plaintext itself
 * @error: a #GError
 *
 * EncryptWithAd: encrypts with the current nonce, then increments it.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_noise_cipher_encrypt (SatoriNoiseCipher *cipher, const guint8 *ad, gsize ad_len,
                             const guint8 *plaintext, gsize len, guint8 *out, GError **error)
{
  if (!start (cipher, ad, ad_len, error))
    return FALSE;
  gcry_error_t rc = (out == plaintext)
    ? gcry_cipher_encrypt (cipher->handle, out, len, NULL, 0)
    : gcry_cipher_encrypt (cipher->handle, out, len, plaintext, len);
  if (rc != 0 || gcry_cipher_gettag (cipher->handle, out + len, SATORI_NOISE_TAG_LENGTH) != 0)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_CRYPTO,
                   "ChaCha20-Poly1305 encryption failed");
      return FALSE;
    }
  cipher->nonce++;
  return TRUE;
}

/**
 * satori_noise_cipher_decrypt:
 * @cipher: a cipher state
 * @ad: (array length=ad_len) (nullable): associated data
 * @ad_len: its length
 * @ciphertext: (array length=len): the ciphertext and its tag
 * @len: their length, at least %SATORI_NOISE_TAG_LENGTH
 * @out: (out caller-allocates): @len - %SATORI_NOISE_TAG_LENGTH bytes;
 *   garbage if decryption fails
 * @error: a #GError
 *
 * DecryptWithAd: the nonce is incremented only if the tag verifies.
 *
 * Returns: %TRUE if the ciphertext is authentic
 */
gboolean
satori_noise_cipher_decrypt (SatoriNoiseCipher *cipher, const guint8 *ad, gsize ad_len,
                             const guint8 *ciphertext, gsize len, guint8 *out, GError **error)
{
  if (len < SATORI_NOISE_TAG_LENGTH)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL,
                   "Noise ciphertext of %" G_GSIZE_FORMAT " bytes is shorter than its tag", len);
      return FALSE;
    }
  if (!start (cipher, ad, ad_len, error))
    return FALSE;
  gsize body = len - SATORI_NOISE_TAG_LENGTH;
  if (gcry_cipher_decrypt (cipher->handle, out, body, ciphertext, body) != 0
      || gcry_cipher_checktag (cipher->handle, ciphertext + body, SATORI_NOISE_TAG_LENGTH) != 0)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_DECRYPT,
                   "Noise decryption failed: the message was tampered with or the keys differ");
      return FALSE;
    }
  cipher->nonce++;
  return TRUE;
}
