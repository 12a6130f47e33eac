/* satori-secure-connection.h — what an authenticated connection knows
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_SECURE_CONNECTION (satori_secure_connection_get_type ())
G_DECLARE_INTERFACE (SatoriSecureConnection, satori_secure_connection,
                     SATORI, SECURE_CONNECTION, GObject)

/**
 * SatoriSecureConnectionInterface:
 * @g_iface: the parent interface
 * @get_remote_peer: the authenticated remote peer
 * @get_remote_public_key: its identity key
 * @get_early_muxer: the muxer agreed during the handshake (Noise's
 *   stream-muxer extension, TLS ALPN), or %NULL to negotiate one with
 *   multistream-select afterwards
 *
 * Implemented by what a #SatoriSecurity returns (a #GIOStream wrapping the
 * raw one, as #GTlsConnection does) and by connections of secure
 * transports such as QUIC.
 */
struct _SatoriSecureConnectionInterface
{
  GTypeInterface g_iface;

  SatoriPeerId    *(*get_remote_peer)       (SatoriSecureConnection *connection);
  SatoriPublicKey *(*get_remote_public_key) (SatoriSecureConnection *connection);
  const char      *(*get_early_muxer)       (SatoriSecureConnection *connection);
};

SatoriPeerId    *satori_secure_connection_get_remote_peer (SatoriSecureConnection *connection);
SatoriPublicKey *satori_secure_connection_get_remote_public_key (SatoriSecureConnection *connection);
const char      *satori_secure_connection_get_early_muxer (SatoriSecureConnection *connection);

G_END_DECLS
