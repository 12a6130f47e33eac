/* satori-peerstore.h — what the host knows about other peers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-peer-record.h"
#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PEERSTORE (satori_peerstore_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPeerstore, satori_peerstore, SATORI, PEERSTORE, GObject)

SatoriPeerstore *satori_peerstore_new (void);

void             satori_peerstore_add_address (SatoriPeerstore *store,
                                               SatoriPeerId    *peer,
                                               SatoriMultiaddr *address);
GPtrArray       *satori_peerstore_get_addresses (SatoriPeerstore *store,
                                                 SatoriPeerId    *peer);
void             satori_peerstore_set_public_key (SatoriPeerstore *store,
                                                  SatoriPeerId    *peer,
                                                  SatoriPublicKey *key);
SatoriPublicKey *satori_peerstore_get_public_key (SatoriPeerstore *store,
                                                  SatoriPeerId    *peer);
void             satori_peerstore_set_protocols (SatoriPeerstore    *store,
                                                 SatoriPeerId       *peer,
                                                 const char * const *protocols);
GStrv            satori_peerstore_get_protocols (SatoriPeerstore *store,
                                                 SatoriPeerId    *peer);
void             satori_peerstore_set_agent (SatoriPeerstore *store,
                                             SatoriPeerId    *peer,
                                             const char      *agent);
const char      *satori_peerstore_get_agent (SatoriPeerstore *store,
                                             SatoriPeerId    *peer);
void             satori_peerstore_record_latency (SatoriPeerstore *store,
                                                  SatoriPeerId    *peer,
                                                  gint64           rtt_us);
gint64           satori_peerstore_get_latency (SatoriPeerstore *store,
                                               SatoriPeerId    *peer);
GPtrArray       *satori_peerstore_get_peers (SatoriPeerstore *store);
gboolean         satori_peerstore_set_peer_record (SatoriPeerstore  *store,
                                                   SatoriPeerRecord *record,
                                                   GBytes           *envelope);
SatoriPeerRecord *satori_peerstore_get_peer_record (SatoriPeerstore  *store,
                                                    SatoriPeerId     *peer,
                                                    GBytes          **envelope);
gboolean         satori_peerstore_is_certified (SatoriPeerstore *store,
                                                SatoriPeerId    *peer,
                                                SatoriMultiaddr *address);

G_END_DECLS
