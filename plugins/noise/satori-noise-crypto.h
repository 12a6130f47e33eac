/* satori-noise-crypto.h — the primitives of Noise_XX_25519_ChaChaPoly_SHA256
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SATORI_NOISE_KEY_LENGTH:
 *
 * The length of X25519 keys, ChaCha20-Poly1305 keys and SHA-256 digests.
 */
#define SATORI_NOISE_KEY_LENGTH 32

/**
 * SATORI_NOISE_TAG_LENGTH:
 *
 * The length of a Poly1305 authentication tag.
 */
#define SATORI_NOISE_TAG_LENGTH 16

gboolean satori_noise_x25519 (const guint8  private_key[SATORI_NOISE_KEY_LENGTH],
                              const guint8  public_key[SATORI_NOISE_KEY_LENGTH],
                              guint8        shared[SATORI_NOISE_KEY_LENGTH],
                              GError      **error);
void     satori_noise_x25519_public (const guint8 private_key[SATORI_NOISE_KEY_LENGTH],
                                     guint8       public_key[SATORI_NOISE_KEY_LENGTH]);
void     satori_noise_sha256_2 (const guint8 *a, gsize a_len,
                                const guint8 *b, gsize b_len,
                                guint8        digest[SATORI_NOISE_KEY_LENGTH]);
void     satori_noise_hkdf (const guint8  chaining_key[SATORI_NOISE_KEY_LENGTH],
                            const guint8 *input, gsize input_len,
                            guint8        out1[SATORI_NOISE_KEY_LENGTH],
                            guint8        out2[SATORI_NOISE_KEY_LENGTH],
                            guint8       *out3);

G_END_DECLS
