/* satori-evrmore-address.h — Base58Check and Evrmore P2PKH addresses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SATORI_EVRMORE_P2PKH_VERSION:
 *
 * The version byte of Evrmore mainnet P2PKH addresses (they start with `E`).
 */
#define SATORI_EVRMORE_P2PKH_VERSION 33

/**
 * SATORI_EVRMORE_HASH160_LENGTH:
 *
 * The length of RIPEMD-160(SHA-256(x)), the hash a P2PKH address carries.
 */
#define SATORI_EVRMORE_HASH160_LENGTH 20

/**
 * SatoriEvrmoreError:
 * @SATORI_EVRMORE_ERROR_MALFORMED: text or bytes that do not parse
 * @SATORI_EVRMORE_ERROR_CHECKSUM: a Base58Check checksum that does not match
 * @SATORI_EVRMORE_ERROR_WRONG_NETWORK: a version byte of another network or kind
 * @SATORI_EVRMORE_ERROR_BAD_SIGNATURE: a signature that does not match the
 *   message and the claimed signer
 * @SATORI_EVRMORE_ERROR_WALLET: a wallet file without a usable key
 * @SATORI_EVRMORE_ERROR_DECRYPT: an encrypted message that fails authentication
 *
 * Errors about Evrmore keys, addresses, signatures and encrypted messages.
 */
typedef enum {
  SATORI_EVRMORE_ERROR_MALFORMED,
  SATORI_EVRMORE_ERROR_CHECKSUM,
  SATORI_EVRMORE_ERROR_WRONG_NETWORK,
  SATORI_EVRMORE_ERROR_BAD_SIGNATURE,
  SATORI_EVRMORE_ERROR_WALLET,
  SATORI_EVRMORE_ERROR_DECRYPT,
} SatoriEvrmoreError;

#define SATORI_EVRMORE_ERROR (satori_evrmore_error_quark ())
GQuark  satori_evrmore_error_quark (void);

char   *satori_base58check_encode (guint8 version, const guint8 *payload, gsize len);
GBytes *satori_base58check_decode (const char *text, guint8 *version, GError **error);

void    satori_evrmore_hash160 (const guint8 *data, gsize len,
                                guint8 hash[SATORI_EVRMORE_HASH160_LENGTH]);
char   *satori_evrmore_address_from_public_key (const guint8 *public_key, gsize len);
gboolean satori_evrmore_address_decode (const char *address,
                                        guint8 hash[SATORI_EVRMORE_HASH160_LENGTH],
                                        GError **error);

G_END_DECLS
