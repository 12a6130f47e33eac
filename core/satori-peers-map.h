/* satori-peers-map.h — the network map as JSON (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-peers.h"
#include "satori-peers-streams.h"

G_BEGIN_DECLS

JsonNode *satori_peers_map_build (SatoriPeers        *peers,
                                  SatoriPeersStreams *streams);

G_END_DECLS
