/* satori-private-key.h — libp2p private keys
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-public-key.h"

G_BEGIN_DECLS

/**
 * SATORI_SECP256K1_SECRET_LENGTH:
 *
 * The length in bytes of a secp256k1 secret.
 */
#define SATORI_SECP256K1_SECRET_LENGTH 32

#define SATORI_TYPE_PRIVATE_KEY (satori_private_key_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPrivateKey, satori_private_key, SATORI, PRIVATE_KEY, GObject)

SatoriPrivateKey *satori_private_key_generate (SatoriKeyType type, GError **error);
SatoriPrivateKey *satori_private_key_new_from_protobuf (const guint8 *data, gsize len,
                                                        GError **error);
SatoriPrivateKey *satori_private_key_new_secp256k1 (
                    const guint8 secret[SATORI_SECP256K1_SECRET_LENGTH],
                    GError **error);
GBytes           *satori_private_key_to_protobuf (SatoriPrivateKey *key);
SatoriPublicKey  *satori_private_key_get_public_key (SatoriPrivateKey *key);
SatoriKeyType     satori_private_key_get_key_type (SatoriPrivateKey *key);
GBytes           *satori_private_key_sign (SatoriPrivateKey *key,
                                           const guint8 *data, gsize len,
                                           GError **error);

G_END_DECLS
