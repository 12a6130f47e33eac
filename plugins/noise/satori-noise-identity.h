/* satori-noise-identity.h — what a Noise handshake needs of this side's identity
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-noise-crypto.h"
#include "satori-private-key.h"

G_BEGIN_DECLS

typedef struct _SatoriNoiseIdentity SatoriNoiseIdentity;

SatoriNoiseIdentity *satori_noise_identity_new (SatoriPrivateKey  *key,
                                                const guint8       static_private[SATORI_NOISE_KEY_LENGTH],
                                                GError           **error);
SatoriNoiseIdentity *satori_noise_identity_ref (SatoriNoiseIdentity *identity);
void                 satori_noise_identity_unref (SatoriNoiseIdentity *identity);

SatoriPrivateKey    *satori_noise_identity_get_key (SatoriNoiseIdentity *identity);
const guint8        *satori_noise_identity_get_static_private (SatoriNoiseIdentity *identity);
const guint8        *satori_noise_identity_get_static_public (SatoriNoiseIdentity *identity);
GBytes              *satori_noise_identity_encode_payload (SatoriNoiseIdentity *identity,
                                                           const char * const  *muxers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriNoiseIdentity, satori_noise_identity_unref)

G_END_DECLS
