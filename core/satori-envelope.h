/* satori-envelope.h — signed envelopes (libp2p RFC 0002): a payload, its
 * type, and the signer's key and signature (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SATORI_ENVELOPE_MAX_SIZE:
 *
 * The largest encoded envelope accepted (js-libp2p's identify message,
 * which carries one, is at most 8 KiB).
 */
#define SATORI_ENVELOPE_MAX_SIZE 8192

typedef struct _SatoriEnvelope SatoriEnvelope;

#define SATORI_TYPE_ENVELOPE (satori_envelope_get_type ())
GType satori_envelope_get_type (void) G_GNUC_CONST;

SatoriEnvelope  *satori_envelope_seal (SatoriPrivateKey  *key,
                                       const char        *domain,
                                       GBytes            *payload_type,
                                       GBytes            *payload,
                                       GError           **error);
SatoriEnvelope  *satori_envelope_decode (const guint8  *data,
                                         gsize          len,
                                         GError       **error);
gboolean         satori_envelope_verify (SatoriEnvelope  *envelope,
                                         const char      *domain,
                                         GError         **error);
GBytes          *satori_envelope_encode (SatoriEnvelope *envelope);

SatoriEnvelope  *satori_envelope_ref (SatoriEnvelope *envelope);
void             satori_envelope_unref (SatoriEnvelope *envelope);
SatoriPublicKey *satori_envelope_get_public_key (SatoriEnvelope *envelope);
GBytes          *satori_envelope_get_payload_type (SatoriEnvelope *envelope);
GBytes          *satori_envelope_get_payload (SatoriEnvelope *envelope);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriEnvelope, satori_envelope_unref)

G_END_DECLS
