/* satori-peers.h — the high-level Satori API over a host: streams,
 * discovery of their subscribers and publishers, peers, ping, network map
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "satori-discovery.h"
#include "satori-host.h"
#include "satori-offline-store.h"

G_BEGIN_DECLS

/**
 * SATORI_PEERS_STREAM_PREFIX:
 *
 * The pubsub topic of a Satori stream is this prefix and the stream id:
 * `satori/stream/<stream id>`.
 */
#define SATORI_PEERS_STREAM_PREFIX "satori/stream/"

/**
 * SatoriNatStatus:
 * @SATORI_NAT_STATUS_UNKNOWN: not known: no reachability result and no IP
 *   listen address to judge by
 * @SATORI_NAT_STATUS_PRIVATE: other peers cannot dial this node; without a
 *   reachability result: every IP listen address is private (loopback,
 *   RFC 1918, link-local, unique local, shared 100.64/10)
 * @SATORI_NAT_STATUS_PUBLIC: other peers can dial this node; without a
 *   reachability result: at least one IP listen address is public
 *
 * Whether other peers can dial this node. #SatoriHost:reachability (found
 * by AutoNAT) decides when it is known; until then the node's own listen
 * addresses are the guess: a public address is not proof of reachability
 * (a firewall may drop), a private one not proof of the contrary (a port
 * mapping may exist).
 */
typedef enum {
  SATORI_NAT_STATUS_UNKNOWN,
  SATORI_NAT_STATUS_PRIVATE,
  SATORI_NAT_STATUS_PUBLIC,
} SatoriNatStatus;

const char *satori_nat_status_to_string (SatoriNatStatus status);

/**
 * SatoriPeersDelivery:
 * @SATORI_PEERS_DELIVERY_SENT: the message was written to the peer
 * @SATORI_PEERS_DELIVERY_STORED: the peer could not be reached; the
 *   host's offline store keeps the message and delivers it when the peer
 *   comes (see #SatoriOfflineStore)
 *
 * How satori_peers_send_reliable_async() got a message on its way.
 */
typedef enum {
  SATORI_PEERS_DELIVERY_SENT,
  SATORI_PEERS_DELIVERY_STORED,
} SatoriPeersDelivery;

#define SATORI_TYPE_PEERS (satori_peers_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPeers, satori_peers, SATORI, PEERS, GObject)

SatoriPeers  *satori_peers_new (SatoriHost *host);
SatoriHost   *satori_peers_get_host (SatoriPeers *peers);
void          satori_peers_add_discovery (SatoriPeers     *peers,
                                          SatoriDiscovery *discovery);
void          satori_peers_start (SatoriPeers *peers);
void          satori_peers_stop (SatoriPeers *peers);
SatoriPubsub *satori_peers_get_pubsub (SatoriPeers  *peers,
                                       GError      **error);

gboolean satori_peers_subscribe (SatoriPeers  *peers,
                                 const char   *stream_id,
                                 GError      **error);
gboolean satori_peers_unsubscribe (SatoriPeers  *peers,
                                   const char   *stream_id,
                                   GError      **error);
gboolean satori_peers_unpublish (SatoriPeers  *peers,
                                 const char   *stream_id,
                                 GError      **error);
GStrv    satori_peers_get_subscriptions (SatoriPeers *peers);
GStrv    satori_peers_get_publications (SatoriPeers *peers);

void     satori_peers_publish_async (SatoriPeers         *peers,
                                     const char          *stream_id,
                                     JsonNode            *data,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean satori_peers_publish_finish (SatoriPeers   *peers,
                                      GAsyncResult  *result,
                                      GError       **error);
void     satori_peers_broadcast_async (SatoriPeers         *peers,
                                       const char          *stream_id,
                                       JsonNode            *data,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean satori_peers_broadcast_finish (SatoriPeers   *peers,
                                        GAsyncResult  *result,
                                        GError       **error);
void     satori_peers_publish_to_topic_async (SatoriPeers         *peers,
                                              const char          *topic,
                                              JsonNode            *data,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean satori_peers_publish_to_topic_finish (SatoriPeers   *peers,
                                               GAsyncResult  *result,
                                               GError       **error);

void       satori_peers_discover_peers_async (SatoriPeers         *peers,
                                              const char          *stream_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray *satori_peers_discover_peers_finish (SatoriPeers   *peers,
                                               GAsyncResult  *result,
                                               GError       **error);
void       satori_peers_discover_publishers_async (SatoriPeers         *peers,
                                                   const char          *stream_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *satori_peers_discover_publishers_finish (SatoriPeers   *peers,
                                                    GAsyncResult  *result,
                                                    GError       **error);

void          satori_peers_connect_async (SatoriPeers         *peers,
                                          SatoriMultiaddr     *address,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
SatoriPeerId *satori_peers_connect_finish (SatoriPeers   *peers,
                                           GAsyncResult  *result,
                                           GError       **error);
gboolean      satori_peers_disconnect (SatoriPeers   *peers,
                                       SatoriPeerId  *peer,
                                       GError       **error);
void          satori_peers_ping_async (SatoriPeers         *peers,
                                       SatoriPeerId        *peer,
                                       guint                count,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GArray       *satori_peers_ping_finish (SatoriPeers   *peers,
                                        GAsyncResult  *result,
                                        GError       **error);

void          satori_peers_send_async (SatoriPeers         *peers,
                                       SatoriPeerId        *peer,
                                       JsonNode            *message,
                                       gboolean             encrypted,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean      satori_peers_send_finish (SatoriPeers   *peers,
                                        GAsyncResult  *result,
                                        GError       **error);
void          satori_peers_send_reliable_async (SatoriPeers         *peers,
                                                SatoriPeerId        *peer,
                                                JsonNode            *message,
                                                gboolean             encrypted,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      satori_peers_send_reliable_finish (SatoriPeers          *peers,
                                                 GAsyncResult         *result,
                                                 SatoriPeersDelivery  *delivery,
                                                 guint                *replicas,
                                                 GError              **error);
SatoriOfflineStore *satori_peers_get_offline_store (SatoriPeers  *peers,
                                                    GError      **error);
void          satori_peers_request_async (SatoriPeers         *peers,
                                          SatoriPeerId        *peer,
                                          JsonNode            *message,
                                          gboolean             encrypted,
                                          guint                timeout_ms,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
JsonNode     *satori_peers_request_finish (SatoriPeers   *peers,
                                           GAsyncResult  *result,
                                           GError       **error);

GPtrArray       *satori_peers_get_connected_peers (SatoriPeers *peers);
GPtrArray       *satori_peers_get_peer_connections (SatoriPeers  *peers,
                                                   SatoriPeerId *peer);
GPtrArray       *satori_peers_get_known_peers (SatoriPeers *peers);
const char      *satori_peers_get_evrmore_address (SatoriPeers *peers);
SatoriNatStatus  satori_peers_get_nat_status (SatoriPeers *peers);
JsonNode        *satori_peers_get_network_map (SatoriPeers *peers);
GPtrArray       *satori_peers_get_subscribers (SatoriPeers *peers,
                                               const char  *stream_id);
GPtrArray       *satori_peers_get_publishers (SatoriPeers *peers,
                                              const char  *stream_id);
GStrv            satori_peers_get_peer_subscriptions (SatoriPeers  *peers,
                                                      SatoriPeerId *peer);

G_END_DECLS
