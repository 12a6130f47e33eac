/* satori-routing.h — the routing contract: find peers and their
 * addresses, providers of content, records and public keys
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_ROUTING (satori_routing_get_type ())
G_DECLARE_INTERFACE (SatoriRouting, satori_routing, SATORI, ROUTING, GObject)

/**
 * SatoriRoutingPeerFunc:
 * @routing: the routing
 * @peer: a peer found, with the addresses known for it
 * @user_data: the data given with the function
 *
 * Called for each provider as it is found, before the operation completes.
 */
typedef void (*SatoriRoutingPeerFunc) (SatoriRouting  *routing,
                                       SatoriPeerInfo *peer,
                                       gpointer        user_data);

/**
 * SatoriRoutingValueFunc:
 * @routing: the routing
 * @value: a valid value of the record looked for
 * @user_data: the data given with the function
 *
 * Called for each value as it is found, each better than the one before
 * (by the key's selector), before the operation completes.
 */
typedef void (*SatoriRoutingValueFunc) (SatoriRouting *routing,
                                        GBytes        *value,
                                        gpointer       user_data);

/**
 * SatoriRoutingInterface:
 * @g_iface: the parent interface
 * @find_peer_async: looks up a peer's addresses
 * @find_peer_finish: the peer and its addresses
 * @get_closest_peers_async: looks for the peers closest to a key
 * @get_closest_peers_finish: those peers, closest first
 * @get_value_async: looks for the best record of a key, reporting each
 *   better value met to a #SatoriRoutingValueFunc
 * @get_value_finish: the best value
 * @put_value_async: stores a record locally and in the network
 * @put_value_finish: how many peers took it
 * @provide_async: announces that this host provides a key
 * @provide_finish: how many peers were told
 * @find_providers_async: looks for the providers of a key, reporting each
 *   to a #SatoriRoutingPeerFunc as it is found
 * @find_providers_finish: the providers found
 * @get_public_key_async: finds a peer's public key
 * @get_public_key_finish: the key
 *
 * Peer and content routing (the Kademlia DHT; a delegated router). Every
 * vfunc may be left %NULL: the call then fails with
 * %G_IO_ERROR_NOT_SUPPORTED. A host's routing is satori_host_get_routing().
 */
struct _SatoriRoutingInterface
{
  GTypeInterface g_iface;

  void             (*find_peer_async)          (SatoriRouting          *routing,
                                                SatoriPeerId           *peer,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
  SatoriPeerInfo  *(*find_peer_finish)         (SatoriRouting          *routing,
                                                GAsyncResult           *result,
                                                GError                **error);
  void             (*get_closest_peers_async)  (SatoriRouting          *routing,
                                                GBytes                 *key,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
  GPtrArray       *(*get_closest_peers_finish) (SatoriRouting          *routing,
                                                GAsyncResult           *result,
                                                GError                **error);
  void             (*get_value_async)          (SatoriRouting          *routing,
                                                GBytes                 *key,
                                                SatoriRoutingValueFunc  found,
                                                gpointer                found_data,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
  GBytes          *(*get_value_finish)         (SatoriRouting          *routing,
                                                GAsyncResult           *result,
                                                GError                **error);
  void             (*put_value_async)          (SatoriRouting          *routing,
                                                GBytes                 *key,
                                                GBytes                 *value,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
  guint            (*put_value_finish)         (SatoriRouting          *routing,
                                                GAsyncResult           *result,
                                                GError                **error);
  void             (*provide_async)            (SatoriRouting          *routing,
                                                GBytes                 *key,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
  guint            (*provide_finish)           (SatoriRouting          *routing,
                                                GAsyncResult           *result,
                                                GError                **error);
  void             (*find_providers_async)     (SatoriRouting          *routing,
                                                GBytes                 *key,
                                                guint                   limit,
                                                SatoriRoutingPeerFunc   found,
                                                gpointer                found_data,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
  GPtrArray       *(*find_providers_finish)    (SatoriRouting          *routing,
                                                GAsyncResult           *result,
                                                GError                **error);
  void             (*get_public_key_async)     (SatoriRouting          *routing,
                                                SatoriPeerId           *peer,
                                                GCancellable           *cancellable,
                                                GAsyncReadyCallback     callback,
                                                gpointer                user_data);
  SatoriPublicKey *(*get_public_key_finish)    (SatoriRouting          *routing,
                                                GAsyncResult           *result,
                                                GError                **error);
};

void             satori_routing_find_peer_async (SatoriRouting       *routing,
                                                 SatoriPeerId        *peer,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
SatoriPeerInfo  *satori_routing_find_peer_finish (SatoriRouting  *routing,
                                                  GAsyncResult   *result,
                                                  GError        **error);
void             satori_routing_get_closest_peers_async (SatoriRouting       *routing,
                                                         GBytes              *key,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray       *satori_routing_get_closest_peers_finish (SatoriRouting  *routing,
                                                          GAsyncResult   *result,
                                                          GError        **error);
void             satori_routing_get_value_async (SatoriRouting          *routing,
                                                 GBytes                 *key,
                                                 SatoriRoutingValueFunc  found,
                                                 gpointer                found_data,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
GBytes          *satori_routing_get_value_finish (SatoriRouting  *routing,
                                                  GAsyncResult   *result,
                                                  GError        **error);
void             satori_routing_put_value_async (SatoriRouting       *routing,
                                                 GBytes              *key,
                                                 GBytes              *value,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
guint            satori_routing_put_value_finish (SatoriRouting  *routing,
                                                  GAsyncResult   *result,
                                                  GError        **error);
void             satori_routing_provide_async (SatoriRouting       *routing,
                                               GBytes              *key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
guint            satori_routing_provide_finish (SatoriRouting  *routing,
                                                GAsyncResult   *result,
                                                GError        **error);
void             satori_routing_find_providers_async (SatoriRouting         *routing,
                                                      GBytes                *key,
                                                      guint                  limit,
                                                      SatoriRoutingPeerFunc  found,
                                                      gpointer               found_data,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
GPtrArray       *satori_routing_find_providers_finish (SatoriRouting  *routing,
                                                       GAsyncResult   *result,
                                                       GError        **error);
void             satori_routing_get_public_key_async (SatoriRouting       *routing,
                                                      SatoriPeerId        *peer,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
SatoriPublicKey *satori_routing_get_public_key_finish (SatoriRouting  *routing,
                                                       GAsyncResult   *result,
                                                       GError        **error);

G_END_DECLS
