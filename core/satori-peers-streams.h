/* satori-peers-streams.h — which peers were seen subscribing to or
 * publishing which stream (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "satori-peer-id.h"

G_BEGIN_DECLS

typedef struct _SatoriPeersStreams SatoriPeersStreams;

/* Peers remembered per stream and role; the oldest go first beyond it. */
#define SATORI_PEERS_STREAMS_MAX_PEERS 1000
/* Streams remembered; the least recently seen go first beyond it. */
#define SATORI_PEERS_STREAMS_MAX_STREAMS 10000

typedef enum {
  SATORI_PEERS_ROLE_SUBSCRIBER,
  SATORI_PEERS_ROLE_PUBLISHER,
} SatoriPeersRole;

SatoriPeersStreams *satori_peers_streams_new (void);
void                satori_peers_streams_free (SatoriPeersStreams *streams);
void                satori_peers_streams_add (SatoriPeersStreams *streams,
                                              const char         *stream_id,
                                              SatoriPeersRole     role,
                                              SatoriPeerId       *peer);
GStrv               satori_peers_streams_get_ids (SatoriPeersStreams *streams);
GPtrArray          *satori_peers_streams_get_peers (SatoriPeersStreams *streams,
                                                    const char         *stream_id,
                                                    SatoriPeersRole     role);
GStrv               satori_peers_streams_get_peer_streams (SatoriPeersStreams *streams,
                                                           SatoriPeersRole     role,
                                                           SatoriPeerId       *peer);
JsonNode           *satori_peers_streams_to_json (SatoriPeersStreams *streams,
                                                  const char         *stream_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPeersStreams, satori_peers_streams_free)

G_END_DECLS
