/* satori-noise-error.h — the Noise plugin's error domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriNoiseError:
 * @SATORI_NOISE_ERROR_PROTOCOL: a message out of turn, of the wrong size or
 *   with a malformed payload
 * @SATORI_NOISE_ERROR_TOO_LARGE: a message or payload over the 65535-byte limit
 * @SATORI_NOISE_ERROR_DECRYPT: authenticated decryption failed (tampering,
 *   wrong key or replay)
 * @SATORI_NOISE_ERROR_BAD_SIGNATURE: the identity signature over the Noise
 *   static key does not verify
 * @SATORI_NOISE_ERROR_PEER_MISMATCH: the remote is not the expected peer
 * @SATORI_NOISE_ERROR_CRYPTO: a Diffie-Hellman or cipher operation failed
 *   (a low-order point, an exhausted nonce)
 *
 * Why a Noise handshake or transport failed.
 */
typedef enum {
  SATORI_NOISE_ERROR_PROTOCOL,
  SATORI_NOISE_ERROR_TOO_LARGE,
  SATORI_NOISE_ERROR_DECRYPT,
  SATORI_NOISE_ERROR_BAD_SIGNATURE,
  SATORI_NOISE_ERROR_PEER_MISMATCH,
  SATORI_NOISE_ERROR_CRYPTO,
} SatoriNoiseError;

#define SATORI_NOISE_ERROR (satori_noise_error_quark ())
GQuark satori_noise_error_quark (void);

G_END_DECLS
