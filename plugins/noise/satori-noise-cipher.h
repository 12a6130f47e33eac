/* satori-noise-cipher.h — a Noise CipherState: ChaCha20-Poly1305 with a counter nonce
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-noise-crypto.h"

G_BEGIN_DECLS

typedef struct _SatoriNoiseCipher SatoriNoiseCipher;

SatoriNoiseCipher *satori_noise_cipher_new (const guint8 key[SATORI_NOISE_KEY_LENGTH]);
void               satori_noise_cipher_free (SatoriNoiseCipher *cipher);
gboolean           satori_noise_cipher_encrypt (SatoriNoiseCipher  *cipher,
                                                const guint8       *ad, gsize ad_len,
                                                const guint8       *plaintext, gsize len,
                                                guint8             *out,
                                                GError            **error);
gboolean           satori_noise_cipher_decrypt (SatoriNoiseCipher  *cipher,
                                                const guint8       *ad, gsize ad_len,
                                                const guint8       *ciphertext, gsize len,
                                                guint8             *out,
                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriNoiseCipher, satori_noise_cipher_free)

G_END_DECLS
