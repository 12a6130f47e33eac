/* satori-plaintext-connection.h — a stream after a plaintext handshake
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-peer-id.h"
#include "satori-secure-connection.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PLAINTEXT_CONNECTION (satori_plaintext_connection_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPlaintextConnection, satori_plaintext_connection,
                      SATORI, PLAINTEXT_CONNECTION, GIOStream)

SatoriPlaintextConnection *satori_plaintext_connection_new (GIOStream       *base_stream,
                                                            SatoriPeerId    *remote_peer,
                                                            SatoriPublicKey *remote_key);
GIOStream                 *satori_plaintext_connection_get_base_stream (SatoriPlaintextConnection *connection);

G_END_DECLS
