/* satori-public-key.h — libp2p public keys
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SatoriKeyType:
 * @SATORI_KEY_TYPE_RSA: RSA, 2048 to 8192 bits
 * @SATORI_KEY_TYPE_ED25519: Ed25519
 * @SATORI_KEY_TYPE_SECP256K1: ECDSA on secp256k1
 * @SATORI_KEY_TYPE_ECDSA: ECDSA on NIST P-256
 *
 * The libp2p key types; the values are those of the `KeyType` protobuf enum.
 */
typedef enum {
  SATORI_KEY_TYPE_RSA = 0,
  SATORI_KEY_TYPE_ED25519 = 1,
  SATORI_KEY_TYPE_SECP256K1 = 2,
  SATORI_KEY_TYPE_ECDSA = 3,
} SatoriKeyType;

#define SATORI_TYPE_KEY_TYPE (satori_key_type_get_type ())
GType satori_key_type_get_type (void);

#define SATORI_TYPE_PUBLIC_KEY (satori_public_key_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPublicKey, satori_public_key, SATORI, PUBLIC_KEY, GObject)

SatoriPublicKey *satori_public_key_new_from_protobuf (const guint8 *data, gsize len,
                                                      GError **error);
SatoriPublicKey *satori_public_key_new_from_raw (SatoriKeyType type,
                                                 const guint8 *data, gsize len,
                                                 GError **error);
GBytes          *satori_public_key_to_protobuf (SatoriPublicKey *key);
GBytes          *satori_public_key_get_raw (SatoriPublicKey *key);
SatoriKeyType    satori_public_key_get_key_type (SatoriPublicKey *key);
gboolean         satori_public_key_verify (SatoriPublicKey *key,
                                           const guint8 *data, gsize len,
                                           const guint8 *signature, gsize signature_len);
gboolean         satori_public_key_equal (SatoriPublicKey *a, SatoriPublicKey *b);

G_END_DECLS
