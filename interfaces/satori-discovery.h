/* satori-discovery.h — the discovery contract: find peers, be found
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_DISCOVERY (satori_discovery_get_type ())
G_DECLARE_INTERFACE (SatoriDiscovery, satori_discovery, SATORI, DISCOVERY, GObject)

/**
 * SatoriDiscoveryInterface:
 * @g_iface: the parent interface
 * @start_async: starts discovering (bootstrap dials, mDNS queries, DHT
 *   refresh)
 * @start_finish: whether it started
 * @stop: stops; idempotent
 * @find_peers_async: looks for peers in a namespace (a rendezvous
 *   namespace, a DHT provider key); %NULL namespace for any peers
 * @find_peers_finish: the peers found, #SatoriPeerInfo
 * @advertise_async: announces this host under a namespace for a time
 * @advertise_finish: the time-to-live granted, in seconds
 * @withdraw_async: stops announcing this host under a namespace, and takes
 *   back what can be taken back (appended in ABI 1.1; the default does
 *   nothing and succeeds)
 * @withdraw_finish: whether the withdrawal was made
 *
 * Kad-DHT, mDNS, rendezvous, bootstrap. Emits
 * #SatoriDiscovery::peer-discovered for every peer it comes across.
 */
struct _SatoriDiscoveryInterface
{
  GTypeInterface g_iface;

  void       (*start_async)       (SatoriDiscovery     *discovery,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  gboolean   (*start_finish)      (SatoriDiscovery     *discovery,
                                   GAsyncResult        *result,
                                   GError             **error);
  void       (*stop)              (SatoriDiscovery     *discovery);
  void       (*find_peers_async)  (SatoriDiscovery     *discovery,
                                   const char          *namespace_,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  GPtrArray *(*find_peers_finish) (SatoriDiscovery     *discovery,
                                   GAsyncResult        *result,
                                   GError             **error);
  void       (*advertise_async)   (SatoriDiscovery     *discovery,
                                   const char          *namespace_,
                                   guint                ttl_seconds,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  guint      (*advertise_finish)  (SatoriDiscovery     *discovery,
                                   GAsyncResult        *result,
                                   GError             **error);
  void       (*withdraw_async)    (SatoriDiscovery     *discovery,
                                   const char          *namespace_,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  gboolean   (*withdraw_finish)   (SatoriDiscovery     *discovery,
                                   GAsyncResult        *result,
                                   GError             **error);
};

void       satori_discovery_start_async (SatoriDiscovery     *discovery,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean   satori_discovery_start_finish (SatoriDiscovery  *discovery,
                                          GAsyncResult     *result,
                                          GError          **error);
void       satori_discovery_stop (SatoriDiscovery *discovery);
void       satori_discovery_find_peers_async (SatoriDiscovery     *discovery,
                                              const char          *namespace_,
                                              guint                limit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray *satori_discovery_find_peers_finish (SatoriDiscovery  *discovery,
                                               GAsyncResult     *result,
                                               GError          **error);
void       satori_discovery_advertise_async (SatoriDiscovery     *discovery,
                                             const char          *namespace_,
                                             guint                ttl_seconds,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
guint      satori_discovery_advertise_finish (SatoriDiscovery  *discovery,
                                              GAsyncResult     *result,
                                              GError          **error);
void       satori_discovery_withdraw_async (SatoriDiscovery     *discovery,
                                            const char          *namespace_,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean   satori_discovery_withdraw_finish (SatoriDiscovery  *discovery,
                                             GAsyncResult     *result,
                                             GError          **error);

G_END_DECLS
