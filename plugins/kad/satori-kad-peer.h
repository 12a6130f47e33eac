/* satori-kad-peer.h — a peer as the DHT knows it: binary peer id,
 * multiaddrs (binary), and what the sender said about reaching it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriKadConnection:
 * @SATORI_KAD_NOT_CONNECTED: no connection and no other information
 * @SATORI_KAD_CONNECTED: the sender has a live connection to the peer
 * @SATORI_KAD_CAN_CONNECT: the sender recently connected to the peer
 * @SATORI_KAD_CANNOT_CONNECT: the sender tried hard and failed
 *
 * The `ConnectionType` of the kad-dht `Message.Peer`.
 */
typedef enum {
  SATORI_KAD_NOT_CONNECTED = 0,
  SATORI_KAD_CONNECTED = 1,
  SATORI_KAD_CAN_CONNECT = 2,
  SATORI_KAD_CANNOT_CONNECT = 3,
} SatoriKadConnection;

/**
 * SatoriKadPeer:
 * @id: the binary peer id (multihash bytes)
 * @addrs: (element-type GBytes): binary multiaddrs, possibly empty
 * @connection: what the sender knew about reaching the peer
 *
 * A reference-counted, immutable peer entry.
 */
typedef struct {
  GBytes *id;
  GPtrArray *addrs;
  SatoriKadConnection connection;
} SatoriKadPeer;

SatoriKadPeer *satori_kad_peer_new (GBytes *id, GPtrArray *addrs, SatoriKadConnection connection);
SatoriKadPeer *satori_kad_peer_ref (SatoriKadPeer *peer);
void           satori_kad_peer_unref (SatoriKadPeer *peer);
GPtrArray     *satori_kad_peer_array_new (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriKadPeer, satori_kad_peer_unref)

G_END_DECLS
