/* satori-host.h — a libp2p host: listens, dials, upgrades, routes streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-connection.h"
#include "satori-muxer.h"
#include "satori-peerstore.h"
#include "satori-protocol-handler.h"
#include "satori-pubsub.h"
#include "satori-routing.h"
#include "satori-security.h"
#include "satori-transport.h"

G_BEGIN_DECLS

#define SATORI_TYPE_HOST (satori_host_get_type ())
G_DECLARE_FINAL_TYPE (SatoriHost, satori_host, SATORI, HOST, GObject)

SatoriHost       *satori_host_new (SatoriPrivateKey *key);
SatoriPrivateKey *satori_host_get_private_key (SatoriHost *host);
SatoriPeerId     *satori_host_get_peer_id (SatoriHost *host);
SatoriPeerstore  *satori_host_get_peerstore (SatoriHost *host);

void       satori_host_add_transport (SatoriHost *host, SatoriTransport *transport);
void       satori_host_add_security (SatoriHost     *host,
                                     const char     *protocol_id,
                                     SatoriSecurity *security);
void       satori_host_add_muxer (SatoriHost  *host,
                                  const char  *protocol_id,
                                  SatoriMuxer *muxer);
void       satori_host_set_handler (SatoriHost            *host,
                                    const char            *protocol_id,
                                    SatoriProtocolHandler *handler);
void       satori_host_remove_handler (SatoriHost *host,
                                       const char *protocol_id);
SatoriProtocolHandler *satori_host_get_handler (SatoriHost *host,
                                                const char *protocol_id);
GStrv      satori_host_get_protocols (SatoriHost *host);
SatoriProtocolHandler *satori_host_get_handler (SatoriHost *host,
                                                const char *protocol_id);
SatoriPubsub *satori_host_get_pubsub (SatoriHost *host);
GVariant  *satori_host_get_stream_counts (SatoriHost *host);
GVariant  *satori_host_get_protocol_traffic (SatoriHost *host);
SatoriRouting *satori_host_get_routing (SatoriHost *host);

void       satori_host_listen_async (SatoriHost          *host,
                                     SatoriMultiaddr     *address,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean   satori_host_listen_finish (SatoriHost    *host,
                                      GAsyncResult  *result,
                                      GError       **error);
GPtrArray *satori_host_get_listen_addresses (SatoriHost *host);
GPtrArray *satori_host_get_addresses (SatoriHost *host);

void              satori_host_connect_async (SatoriHost          *host,
                                             SatoriMultiaddr     *address,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
SatoriConnection *satori_host_connect_finish (SatoriHost    *host,
                                              GAsyncResult  *result,
                                              GError       **error);
SatoriConnection *satori_host_get_connection (SatoriHost   *host,
                                              SatoriPeerId *peer);
GPtrArray        *satori_host_get_connections (SatoriHost *host);
void              satori_host_protect_peer (SatoriHost   *host,
                                            SatoriPeerId *peer,
                                            const char   *tag);
gboolean          satori_host_unprotect_peer (SatoriHost   *host,
                                              SatoriPeerId *peer,
                                              const char   *tag);

void       satori_host_new_stream_async (SatoriHost          *host,
                                         SatoriPeerId        *peer,
                                         const char * const  *protocols,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GIOStream *satori_host_new_stream_finish (SatoriHost    *host,
                                          GAsyncResult  *result,
                                          char         **protocol,
                                          GError       **error);

void       satori_host_close (SatoriHost *host);

G_END_DECLS
