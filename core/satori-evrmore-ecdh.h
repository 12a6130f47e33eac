/* satori-evrmore-ecdh.h — end-to-end encrypted messages between wallet keys
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-evrmore-key.h"

G_BEGIN_DECLS

/**
 * SATORI_EVRMORE_NONCE_LENGTH:
 *
 * The length of the AES-GCM nonce that starts an encrypted message.
 */
#define SATORI_EVRMORE_NONCE_LENGTH 12

/**
 * SATORI_EVRMORE_TAG_LENGTH:
 *
 * The length of the AES-GCM tag that ends an encrypted message.
 */
#define SATORI_EVRMORE_TAG_LENGTH 16

GBytes *satori_evrmore_encrypt (SatoriEvrmoreKey *key,
                                const guint8 *peer_public_key, gsize peer_public_key_len,
                                const guint8 *plaintext, gsize len,
                                GError **error);
GBytes *satori_evrmore_decrypt (SatoriEvrmoreKey *key,
                                const guint8 *peer_public_key, gsize peer_public_key_len,
                                const guint8 *message, gsize len,
                                GError **error);

G_END_DECLS
