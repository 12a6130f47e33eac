/* satori-noise-payload.h — the libp2p NoiseHandshakePayload
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-noise-crypto.h"
#include "satori-private-key.h"

G_BEGIN_DECLS

/**
 * SATORI_NOISE_SIGNATURE_PREFIX:
 *
 * What the identity key signs, before the Noise static public key.
 */
#define SATORI_NOISE_SIGNATURE_PREFIX "noise-libp2p-static-key:"

GBytes   *satori_noise_payload_sign (SatoriPrivateKey    *identity,
                                     const guint8         static_public[SATORI_NOISE_KEY_LENGTH],
                                     GError             **error);
GBytes   *satori_noise_payload_encode (GBytes              *public_key,
                                       GBytes              *signature,
                                       const char * const  *muxers);
gboolean  satori_noise_payload_verify (const guint8        *data,
                                       gsize                len,
                                       const guint8         remote_static[SATORI_NOISE_KEY_LENGTH],
                                       SatoriPublicKey    **remote_key,
                                       GStrv               *muxers,
                                       GError             **error);

G_END_DECLS
