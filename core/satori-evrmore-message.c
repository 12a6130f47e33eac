/* Evrmore signed messages, as Bitcoin's signmessage with Evrmore's magic:
 * digest = SHA-256(SHA-256(varint(24) ‖ "Evrmore Signed Message:\n" ‖
 * varint(len) ‖ message)); signature = base64(header ‖ r ‖ s) where
 * header = 27 + recovery id (+ 4 when the key is compressed).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-evrmore-message.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <string.h>

#include "satori-evrmore-base64.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

#define MAGIC "Evrmore Signed Message:\n"
#define HEADER_BASE 27
#define HEADER_COMPRESSED 4
#define UNCOMPRESSED_LEN 65
#define MAX_VARINT_LEN 9

/* Bitcoin's CompactSize. */
static gsize
write_compact_size (guint64 value, guint8 out[MAX_VARINT_LEN])
{
  gsize len;

  if (value < 0xfd)
    {
      out[0] = (guint8) value;
      return 1;
    }
  else if (value <= 0xffff)
    {
      out[0] = 0xfd;
      len = 2;
    }
  else if (value <= 0xffffffff)
    {
      out[0] = 0xfe;
      len = 4;
    }
  else
    {
      out[0] = 0xff;
      len = 8;
    }
  for (gsize i = 0; i < len; i++)
    out[1 + i] = (guint8) (value >> (8 * i));
  return 1 + len;
}

/**
 * satori_evrmore_message_digest:
 * @message: (array length=len): the message, UTF-8
 * @len: its length in bytes
 * @digest: (out caller-allocates) (array fixed-size=32): the digest that is signed
 */
void
satori_evrmore_message_digest (const char *message, gsize len, guint8 digest[SATORI_SHA256_LENGTH])
{
  guint8 varint[MAX_VARINT_LEN];
  gcry_md_hd_t md;

  satori_crypto_init ();
  if (gcry_md_open (&md, GCRY_MD_SHA256, 0) != 0)
    g_error ("libgcrypt cannot hash with SHA-256");
  gcry_md_write (md, varint, write_compact_size (strlen (MAGIC), varint));
  gcry_md_write (md, MAGIC, strlen (MAGIC));
  gcry_md_write (md, varint, write_compact_size (len, varint));
  gcry_md_write (md, message, len);
  satori_crypto_sha256 (gcry_md_read (md, GCRY_MD_SHA256), SATORI_SHA256_LENGTH, digest);
  gcry_md_close (md);
}

/**
 * satori_evrmore_message_sign:
 * @key: the signer
 * @message: (array length=len): the message, UTF-8
 * @len: its length in bytes
 * @error: %SATORI_KEY_ERROR_CRYPTO when libsecp256k1 fails
 *
 * Signs with an RFC 6979 deterministic nonce and a low S, so the same key
 * and message always give the same signature.
 *
 * Returns: (transfer full) (nullable): the 88-character base64 signature
 */
char *
satori_evrmore_message_sign (SatoriEvrmoreKey *key, const char *message, gsize len,
                             GError **error)
{
  g_return_val_if_fail (SATORI_IS_EVRMORE_KEY (key), NULL);
  g_return_val_if_fail (message != NULL || len == 0, NULL);

  const secp256k1_context *ctx = satori_key_secp256k1_context ();
  g_autoptr(GBytes) secret = satori_evrmore_key_get_secret (key);
  guint8 digest[SATORI_SHA256_LENGTH];
  secp256k1_ecdsa_recoverable_signature signature;
  guint8 compact[SATORI_EVRMORE_SIGNATURE_LENGTH];
  int recid;

  satori_evrmore_message_digest (message, len, digest);
  if (!secp256k1_ecdsa_sign_recoverable (ctx, &signature, digest,
                                         g_bytes_get_data (secret, NULL), NULL, NULL) ||
      !secp256k1_ecdsa_recoverable_signature_serialize_compact (ctx, compact + 1, &recid,
                                                                &signature))
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_CRYPTO,
                           _("libsecp256k1 could not sign the message"));
      return NULL;
    }
  compact[0] = (guint8) (HEADER_BASE + recid + HEADER_COMPRESSED);
  return g_base64_encode (compact, sizeof compact);
}

/* The public key that made @signature over @message, serialized as the
 * signature's header says (compressed or not). */
static gboolean
recover (const char *message, gsize len, const char *signature,
         guint8 public_key[UNCOMPRESSED_LEN], gsize *public_key_len, GError **error)
{
  g_autoptr(GBytes) bytes = satori_evrmore_base64_decode (signature,
                                                          SATORI_EVRMORE_SIGNATURE_LENGTH);
  if (bytes == NULL)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                   _("A signature is %d bytes in standard base64 (88 characters)"),
                   SATORI_EVRMORE_SIGNATURE_LENGTH);
      return FALSE;
    }
  const guint8 *compact = g_bytes_get_data (bytes, NULL);
  int header = compact[0];
  if (header < HEADER_BASE || header >= HEADER_BASE + 2 * HEADER_COMPRESSED)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                   _("Signature header byte %d is not between 27 and 34"), header);
      return FALSE;
    }
  gboolean compressed = header >= HEADER_BASE + HEADER_COMPRESSED;
  int recid = (header - HEADER_BASE) % HEADER_COMPRESSED;

  const secp256k1_context *ctx = satori_key_secp256k1_context ();
  secp256k1_ecdsa_recoverable_signature parsed;
  if (!secp256k1_ecdsa_recoverable_signature_parse_compact (ctx, &parsed, compact + 1, recid))
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                           _("Signature values are out of range"));
      return FALSE;
    }
  guint8 digest[SATORI_SHA256_LENGTH];
  secp256k1_pubkey recovered;
  satori_evrmore_message_digest (message, len, digest);
  if (!secp256k1_ecdsa_recover (ctx, &recovered, &parsed, digest))
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_BAD_SIGNATURE,
                           _("The signature does not fit this message"));
      return FALSE;
    }
  *public_key_len = UNCOMPRESSED_LEN;
  secp256k1_ec_pubkey_serialize (ctx, public_key, public_key_len, &recovered,
                                 compressed ? SECP256K1_EC_COMPRESSED
                                            : SECP256K1_EC_UNCOMPRESSED);
  return TRUE;
}

/**
 * satori_evrmore_message_recover_address:
 * @message: (array length=len): the message, UTF-8
 * @len: its length in bytes
 * @signature: a base64 message signature
 * @error: %SATORI_EVRMORE_ERROR_MALFORMED for a signature that does not
 *   parse, %SATORI_EVRMORE_ERROR_BAD_SIGNATURE when no key recovers
 *
 * Every well-formed signature recovers *some* key: compare the result with
 * the address you expect, or use satori_evrmore_message_verify_address().
 *
 * Returns: (transfer full) (nullable): the address of the key that signed
 */
char *
satori_evrmore_message_recover_address (const char *message, gsize len,
                                        const char *signature, GError **error)
{
  g_return_val_if_fail (message != NULL || len == 0, NULL);
  g_return_val_if_fail (signature != NULL, NULL);

  guint8 public_key[UNCOMPRESSED_LEN];
  gsize public_key_len;
  if (!recover (message, len, signature, public_key, &public_key_len, error))
    return NULL;
  return satori_evrmore_address_from_public_key (public_key, public_key_len);
}

/**
 * satori_evrmore_message_verify_address:
 * @message: (array length=len): the message, UTF-8
 * @len: its length in bytes
 * @signature: a base64 message signature
 * @address: the Evrmore address that should have signed
 * @error: as satori_evrmore_message_recover_address() or
 *   satori_evrmore_address_decode(), or %SATORI_EVRMORE_ERROR_BAD_SIGNATURE
 *   when another key signed
 *
 * Returns: whether the key of @address signed @message
 */
gboolean
satori_evrmore_message_verify_address (const char *message, gsize len, const char *signature,
                                       const char *address, GError **error)
{
  g_return_val_if_fail (address != NULL, FALSE);

  guint8 hash[SATORI_EVRMORE_HASH160_LENGTH];
  if (!satori_evrmore_address_decode (address, hash, error))
    return FALSE;
  g_autofree char *signer = satori_evrmore_message_recover_address (message, len, signature,
                                                                    error);
  if (signer == NULL)
    return FALSE;
  if (strcmp (signer, address) != 0)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_BAD_SIGNATURE,
                   _("The signature is not by %s (it recovers %s)"), address, signer);
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_evrmore_message_verify_public_key:
 * @message: (array length=len): the message, UTF-8
 * @len: its length in bytes
 * @signature: a base64 message signature
 * @public_key: (array length=public_key_len): a serialized secp256k1 public
 *   key, compressed (33 bytes) or not (65)
 * @public_key_len: its length
 * @error: as satori_evrmore_message_recover_address(),
 *   %SATORI_EVRMORE_ERROR_MALFORMED for a public key that does not parse, or
 *   %SATORI_EVRMORE_ERROR_BAD_SIGNATURE when another key signed
 *
 * Returns: whether @public_key signed @message
 */
gboolean
satori_evrmore_message_verify_public_key (const char *message, gsize len, const char *signature,
                                          const guint8 *public_key, gsize public_key_len,
                                          GError **error)
{
  g_return_val_if_fail (public_key != NULL, FALSE);

  const secp256k1_context *ctx = satori_key_secp256k1_context ();
  secp256k1_pubkey expected;
  if (!secp256k1_ec_pubkey_parse (ctx, &expected, public_key, public_key_len))
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                           _("Not a secp256k1 public key"));
      return FALSE;
    }
  guint8 recovered_bytes[UNCOMPRESSED_LEN];
  gsize recovered_len;
  secp256k1_pubkey recovered;
  if (!recover (message, len, signature, recovered_bytes, &recovered_len, error))
    return FALSE;
  if (!secp256k1_ec_pubkey_parse (ctx, &recovered, recovered_bytes, recovered_len) ||
      secp256k1_ec_pubkey_cmp (ctx, &recovered, &expected) != 0)
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_BAD_SIGNATURE,
                           _("The signature is not by this public key"));
      return FALSE;
    }
  return TRUE;
}
