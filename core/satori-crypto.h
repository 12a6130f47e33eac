/* satori-crypto.h — the crypto provider: libgcrypt set-up, randomness, SHA-256
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SATORI_SHA256_LENGTH:
 *
 * The length in bytes of a SHA-256 digest.
 */
#define SATORI_SHA256_LENGTH 32

void    satori_crypto_init (void);
void    satori_crypto_random_bytes (guint8 *buffer, gsize len);
void    satori_crypto_sha256 (const guint8 *data, gsize len,
                              guint8 digest[SATORI_SHA256_LENGTH]);
GBytes *satori_crypto_secure_bytes_new (const guint8 *data, gsize len);

G_END_DECLS
