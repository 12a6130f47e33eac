/* Base58Check (version byte ‖ payload ‖ first 4 bytes of double SHA-256)
 * and the Evrmore P2PKH address: Base58Check(33, HASH160(public key)).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-evrmore-address.h"

#include <gcrypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-multibase.h"

#define CHECKSUM_LEN 4
/* Longer than any key or address we read; bounds the base58 work. */
#define MAX_BASE58CHECK_TEXT 128

G_DEFINE_QUARK (satori-evrmore-error-quark, satori_evrmore_error)

static void
double_sha256 (const guint8 *data, gsize len, guint8 digest[SATORI_SHA256_LENGTH])
{
  guint8 once[SATORI_SHA256_LENGTH];

  satori_crypto_sha256 (data, len, once);
  satori_crypto_sha256 (once, sizeof once, digest);
}

/**
 * satori_base58check_encode:
 * @version: the version byte
 * @payload: (array length=len): the payload
 * @len: its length
 *
 * Returns: (transfer full): Base58Check of @version ‖ @payload, as Bitcoin
 *   and Evrmore write addresses and WIF keys
 */
char *
satori_base58check_encode (guint8 version, const guint8 *payload, gsize len)
{
  g_autofree guint8 *buffer = g_malloc (1 + len + CHECKSUM_LEN);
  guint8 digest[SATORI_SHA256_LENGTH];

  buffer[0] = version;
  if (len > 0)
    memcpy (buffer + 1, payload, len);
  double_sha256 (buffer, 1 + len, digest);
  memcpy (buffer + 1 + len, digest, CHECKSUM_LEN);
  char *text = satori_base58btc_encode (buffer, 1 + len + CHECKSUM_LEN);
  explicit_bzero (buffer, 1 + len + CHECKSUM_LEN);
  return text;
}

/**
 * satori_base58check_decode:
 * @text: Base58Check text
 * @version: (out): the version byte
 * @error: %SATORI_EVRMORE_ERROR_MALFORMED for text that is not base58 or
 *   too short or long, %SATORI_EVRMORE_ERROR_CHECKSUM when the checksum is wrong
 *
 * Returns: (transfer full) (nullable): the payload, in secure memory (it
 *   may be a secret key)
 */
GBytes *
satori_base58check_decode (const char *text, guint8 *version, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (version != NULL, NULL);

  if (strlen (text) > MAX_BASE58CHECK_TEXT)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                   _("Base58Check text is longer than %d characters"), MAX_BASE58CHECK_TEXT);
      return NULL;
    }
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) raw = satori_base58btc_decode (text, &local_error);
  if (raw == NULL)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                   _("Not base58: %s"), local_error->message);
      return NULL;
    }
  gsize len;
  const guint8 *bytes = g_bytes_get_data (raw, &len);
  if (len < 1 + CHECKSUM_LEN)
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                           _("Base58Check text is too short"));
      return NULL;
    }
  guint8 digest[SATORI_SHA256_LENGTH];
  double_sha256 (bytes, len - CHECKSUM_LEN, digest);
  if (memcmp (digest, bytes + len - CHECKSUM_LEN, CHECKSUM_LEN) != 0)
    {
      g_set_error_literal (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_CHECKSUM,
                           _("Base58Check checksum does not match (mistyped?)"));
      return NULL;
    }
  *version = bytes[0];
  GBytes *payload = satori_crypto_secure_bytes_new (bytes + 1, len - 1 - CHECKSUM_LEN);
  explicit_bzero ((guint8 *) bytes, len);
  return payload;
}

/**
 * satori_evrmore_hash160:
 * @data: (array length=len): bytes
 * @len: their number
 * @hash: (out caller-allocates) (array fixed-size=20): RIPEMD-160(SHA-256(@data))
 */
void
satori_evrmore_hash160 (const guint8 *data, gsize len, guint8 hash[SATORI_EVRMORE_HASH160_LENGTH])
{
  guint8 sha[SATORI_SHA256_LENGTH];

  satori_crypto_sha256 (data, len, sha);
  gcry_md_hash_buffer (GCRY_MD_RMD160, hash, sha, sizeof sha);
}

/**
 * satori_evrmore_address_from_public_key:
 * @public_key: (array length=len): a serialized secp256k1 public key, 33
 *   bytes compressed (Satori's) or 65 uncompressed
 * @len: its length
 *
 * Returns: (transfer full): the Evrmore mainnet P2PKH address of the key as
 *   serialized (compressed and uncompressed forms give different addresses)
 */
char *
satori_evrmore_address_from_public_key (const guint8 *public_key, gsize len)
{
  guint8 hash[SATORI_EVRMORE_HASH160_LENGTH];

  satori_evrmore_hash160 (public_key, len, hash);
  return satori_base58check_encode (SATORI_EVRMORE_P2PKH_VERSION, hash, sizeof hash);
}

/**
 * satori_evrmore_address_decode:
 * @address: an Evrmore address
 * @hash: (out caller-allocates) (array fixed-size=20): the key hash it carries
 * @error: %SATORI_EVRMORE_ERROR_MALFORMED, %SATORI_EVRMORE_ERROR_CHECKSUM,
 *   or %SATORI_EVRMORE_ERROR_WRONG_NETWORK for a valid address that is not
 *   a mainnet P2PKH one
 *
 * Returns: whether @address is a valid Evrmore mainnet P2PKH address
 */
gboolean
satori_evrmore_address_decode (const char *address, guint8 hash[SATORI_EVRMORE_HASH160_LENGTH],
                               GError **error)
{
  guint8 version;
  g_autoptr(GBytes) payload = satori_base58check_decode (address, &version, error);

  if (payload == NULL)
    {
      g_prefix_error (error, _("Address %s: "), address);
      return FALSE;
    }
  if (version != SATORI_EVRMORE_P2PKH_VERSION)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_WRONG_NETWORK,
                   _("Address %s has version %u, not %u (Evrmore P2PKH)"),
                   address, version, SATORI_EVRMORE_P2PKH_VERSION);
      return FALSE;
    }
  if (g_bytes_get_size (payload) != SATORI_EVRMORE_HASH160_LENGTH)
    {
      g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_MALFORMED,
                   _("Address %s carries %lu bytes, not %d"),
                   address, (unsigned long) g_bytes_get_size (payload),
                   SATORI_EVRMORE_HASH160_LENGTH);
      return FALSE;
    }
  memcpy (hash, g_bytes_get_data (payload, NULL), SATORI_EVRMORE_HASH160_LENGTH);
  return TRUE;
}
