/* Encrypted messages between two wallet keys, as satorilib makes them:
 *   secret = X coordinate of ECDH(own secret, peer public key), 32 bytes
 *   key    = HKDF-SHA256(secret, no salt, info "evrmore-ecdh"), 32 bytes
 *   message = nonce (12 random bytes) ‖ AES-256-GCM ciphertext ‖ tag (16)
 * with no associated data. Both sides derive the same key, so either can
 * decrypt what the other encrypted.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-evrmore-ecdh.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <secp256k1.h>
#include <secp256k1_ecdh.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

#define KEY_LEN 32
#define HKDF_INFO "evrmore-ecdh"

/* libsecp256k1 hashes the shared point by default; satorilib (Python
 * cryptography) uses its bare X coordinate. */
static int
copy_x (unsigned char *output, const unsigned char *x32, const unsigned char *y32, void *data)
{
  memcpy (output, x32, 32);
  return 1;
}

static void
hmac_sha256 (const guint8 *key, gsize key_len, const guint8 *data1, gsize len1,
             const guint8 *data2, gsize len2, guint8 out[SATORI_SHA256_LENGTH])
{
  gcry_md_hd_t md;

  if (gcry_md_open (&md, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC | GCRY_MD_FLAG_SECURE) != 0 ||
      gcry_md_setkey (md, key, key_len) != 0)
    g_error ("libgcrypt cannot compute HMAC-SHA256");
  gcry_md_write (md, data1, len1);
  gcry_md_write (md, data2, len2);
  memcpy (out, gcry_md_read (md, GCRY_MD_SHA256), SATORI_SHA256_LENGTH);
  gcry_md_close (md);
}

/* The AES key both sides share. RFC 5869 with an absent salt (a hash
 * length of zeros) and one output block. */
static gboolean
derive_key (SatoriEvrmoreKey *key, const guint8 *peer_public_key, gsize peer_public_key_len,
            guint8 aes_key[KEY_LEN], GError **error)
{
  const secp256k1_context *ctx = satori_key_secp256k1_context ();
  secp256k1_pubkey peer;

  satori_crypto_init ();
  if (!secp256k1_ec_pubkey_parse (ctx, &peer, peer_public_key, peer_public_key_len))
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                           _("The peer's public key is not a secp256k1 public key"));
      return FALSE;
    }
  g_autoptr(GBytes) secret = satori_evrmore_key_get_secret (key);
  guint8 shared[32];
  if (!secp256k1_ecdh (ctx, shared, &peer, g_bytes_get_data (secret, NULL), copy_x, NULL))
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_CRYPTO,
                           _("libsecp256k1 could not compute the shared secret"));
      return FALSE;
    }

  static const guint8 zero_salt[SATORI_SHA256_LENGTH] = { 0 };
  static const guint8 block_one = 0x01;
  guint8 prk[SATORI_SHA256_LENGTH];
  hmac_sha256 (zero_salt, sizeof zero_salt, shared, sizeof shared, NULL, 0, prk);
  hmac_sha256 (prk, sizeof prk, (const guint8 *) HKDF_INFO, strlen (HKDF_INFO),
               &block_one, 1, aes_key);
  explicit_bzero (shared, sizeof shared);
  explicit_bzero (prk, sizeof prk);
  return TRUE;
}

static gcry_cipher_hd_t
open_cipher (const guint8 aes_key[KEY_LEN], const guint8 nonce[SATORI_EVRMORE_NONCE_LENGTH])
{
  gcry_cipher_hd_t cipher;

  if (gcry_cipher_open (&cipher, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_GCM,
                        GCRY_CIPHER_SECURE) != 0 ||
      gcry_cipher_setkey (cipher, aes_key, KEY_LEN) != 0 ||
      gcry_cipher_setiv (cipher, nonce, SATORI_EVRMORE_NONCE_LENGTH) != 0)
    g_error ("libgcrypt cannot set up AES-256-GCM");
  return cipher;
}

/**
 * satori_evrmore_encrypt:
 * @key: the sender's key
 * @peer_public_key: (array length=peer_public_key_len): the recipient's
 *   serialized public key (33 bytes compressed, or 65)
 * @peer_public_key_len: its length
 * @plaintext: (array length=len): what to send
 * @len: its length
 * @error: %SATORI_EVRMORE_ERROR_MALFORMED when @peer_public_key does not parse
 *
 * Encrypts with a fresh random nonce.
 *
 * Returns: (transfer full) (nullable): nonce ‖ ciphertext ‖ tag, @len + 28 bytes
 */
GBytes *
satori_evrmore_encrypt (SatoriEvrmoreKey *key,
                        const guint8 *peer_public_key, gsize peer_public_key_len,
                        const guint8 *plaintext, gsize len, GError **error)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);
  g_return_val_if_fail (peer_public_key != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL || len == 0, NULL);

  guint8 aes_key[KEY_LEN];
  if (!derive_key (key, peer_public_key, peer_public_key_len, aes_key, error))
    return NULL;

  gsize total = SATORI_EVRMORE_NONCE_LENGTH + len + SATORI_EVRMORE_TAG_LENGTH;
  guint8 *out = g_malloc (total);
  satori_crypto_random_bytes (out, SATORI_EVRMORE_NONCE_LENGTH);
  gcry_cipher_hd_t cipher = open_cipher (aes_key, out);
  explicit_bzero (aes_key, sizeof aes_key);
  if (gcry_cipher_final (cipher) != 0 ||
      gcry_cipher_encrypt (cipher, out + SATORI_EVRMORE_NONCE_LENGTH, len, plaintext, len) != 0 ||
      gcry_cipher_gettag (cipher, out + SATORI_EVRMORE_NONCE_LENGTH + len,
                          SATORI_EVRMORE_TAG_LENGTH) != 0)
    g_error ("libgcrypt cannot encrypt with AES-256-GCM");
  gcry_cipher_close (cipher);
  return g_bytes_new_take (out, total);
}

/**
 * satori_evrmore_decrypt:
 * @key: the recipient's key
 * @peer_public_key: (array length=peer_public_key_len): the sender's
 *   serialized public key
 * @peer_public_key_len: its length
 * @message: (array length=len): nonce ‖ ciphertext ‖ tag
 * @len: its length
 * @error: %SATORI_EVRMORE_ERROR_MALFORMED for a bad public key or a message
 *   shorter than nonce and tag, %SATORI_EVRMORE_ERROR_DECRYPT when the tag
 *   does not match (tampered, or not between these two keys)
 *
 * Returns: (transfer full) (nullable): the plaintext, only when authentic
 */
GBytes *
satori_evrmore_decrypt (SatoriEvrmoreKey *key,
                        const guint8 *peer_public_key, gsize peer_public_key_len,
                        const guint8 *message, gsize len, GError **error)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);
  g_return_val_if_fail (peer_public_key != NULL, NULL);
  g_return_val_if_fail (message != NULL || len == 0, NULL);

  if (len < SATORI_EVRMORE_NONCE_LENGTH + SATORI_EVRMORE_TAG_LENGTH)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                   _("An encrypted message is at least %d bytes, not %lu"),
                   SATORI_EVRMORE_NONCE_LENGTH + SATORI_EVRMORE_TAG_LENGTH, (unsigned long) len);
      return NULL;
    }
  guint8 aes_key[KEY_LEN];
  if (!derive_key (key, peer_public_key, peer_public_key_len, aes_key, error))
    return NULL;

  gsize plain_len = len - SATORI_EVRMORE_NONCE_LENGTH - SATORI_EVRMORE_TAG_LENGTH;
  /* One spare byte so that an empty plaintext still has a buffer. */
  guint8 *plain = g_malloc (plain_len + 1);
  gcry_cipher_hd_t cipher = open_cipher (aes_key, message);
  explicit_bzero (aes_key, sizeof aes_key);
  gboolean ok = gcry_cipher_final (cipher) == 0 &&
                gcry_cipher_decrypt (cipher, plain, plain_len,
                                     message + SATORI_EVRMORE_NONCE_LENGTH, plain_len) == 0 &&
                gcry_cipher_checktag (cipher, message + SATORI_EVRMORE_NONCE_LENGTH + plain_len,
                                      SATORI_EVRMORE_TAG_LENGTH) == 0;
  gcry_cipher_close (cipher);
  if (!ok)
    {
      explicit_bzero (plain, plain_len);
      g_free (plain);
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_DECRYPT,
                           _("The encrypted message is not authentic (tampered with, or for another key)"));
      return NULL;
    }
  return g_bytes_new_take (plain, plain_len);
}
