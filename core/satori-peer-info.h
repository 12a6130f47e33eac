/* satori-peer-info.h — a peer id with the addresses it is reachable at
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PEER_INFO (satori_peer_info_get_type ())
GType satori_peer_info_get_type (void) G_GNUC_CONST;

SatoriPeerInfo *satori_peer_info_new (SatoriPeerId *peer_id,
                                      GPtrArray    *addresses);
SatoriPeerInfo *satori_peer_info_ref (SatoriPeerInfo *info);
void            satori_peer_info_unref (SatoriPeerInfo *info);
SatoriPeerId   *satori_peer_info_get_peer_id (const SatoriPeerInfo *info);
GPtrArray      *satori_peer_info_get_addresses (const SatoriPeerInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPeerInfo, satori_peer_info_unref)

G_END_DECLS
