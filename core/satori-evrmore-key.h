/* satori-evrmore-key.h — a Satori wallet key: Evrmore and libp2p identity
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-evrmore-address.h"
#include "satori-peer-id.h"
#include "satori-private-key.h"

G_BEGIN_DECLS

/**
 * SATORI_EVRMORE_PUBLIC_KEY_LENGTH:
 *
 * The length of a compressed secp256k1 public key.
 */
#define SATORI_EVRMORE_PUBLIC_KEY_LENGTH 33

/**
 * SATORI_EVRMORE_WIF_VERSION:
 *
 * The version byte of Evrmore mainnet WIF private keys.
 */
#define SATORI_EVRMORE_WIF_VERSION 128

#define SATORI_TYPE_EVRMORE_KEY (satori_evrmore_key_get_type ())
G_DECLARE_FINAL_TYPE (SatoriEvrmoreKey, satori_evrmore_key, SATORI, EVRMORE_KEY, GObject)

SatoriEvrmoreKey *satori_evrmore_key_new_from_secret (
                    const guint8 secret[SATORI_SECP256K1_SECRET_LENGTH],
                    GError **error);
SatoriEvrmoreKey *satori_evrmore_key_new_from_entropy (const char *text, GError **error);
SatoriEvrmoreKey *satori_evrmore_key_new_from_wif (const char *wif, GError **error);
SatoriEvrmoreKey *satori_evrmore_key_new_from_private_key (SatoriPrivateKey *key,
                                                           GError **error);

SatoriPrivateKey *satori_evrmore_key_get_private_key (SatoriEvrmoreKey *key);
GBytes           *satori_evrmore_key_get_public_key (SatoriEvrmoreKey *key);
char             *satori_evrmore_key_get_public_key_hex (SatoriEvrmoreKey *key);
char             *satori_evrmore_key_get_address (SatoriEvrmoreKey *key);
SatoriPeerId     *satori_evrmore_key_get_peer_id (SatoriEvrmoreKey *key);
char             *satori_evrmore_key_to_wif (SatoriEvrmoreKey *key);
GBytes           *satori_evrmore_key_get_secret (SatoriEvrmoreKey *key);

G_END_DECLS
