/* satori-kad-dht.h — the Kademlia DHT on a host: stream handler,
 * discovery, content routing and values
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satorip2p.h"
#include "satori-kad-session.h"

G_BEGIN_DECLS

/**
 * SatoriKadMode:
 * @SATORI_KAD_MODE_CLIENT: ask, never answer; the protocol is not
 *   advertised
 * @SATORI_KAD_MODE_SERVER: answer requests and advertise the protocol
 * @SATORI_KAD_MODE_AUTO: client until #SatoriHost:reachability is
 *   %SATORI_REACHABILITY_PUBLIC (AutoNAT found the host reachable), server
 *   while it is (as go-libp2p's and js-libp2p's default)
 *
 * Whether the host serves the DHT.
 */
typedef enum {
  SATORI_KAD_MODE_CLIENT,
  SATORI_KAD_MODE_SERVER,
  SATORI_KAD_MODE_AUTO,
} SatoriKadMode;

GType satori_kad_mode_get_type (void) G_GNUC_CONST;
#define SATORI_TYPE_KAD_MODE (satori_kad_mode_get_type ())

#define SATORI_TYPE_KAD_DHT (satori_kad_dht_get_type ())
G_DECLARE_FINAL_TYPE (SatoriKadDht, satori_kad_dht, SATORI, KAD_DHT, GObject)

SatoriKadDht *satori_kad_dht_new (void);
SatoriKadDht *satori_kad_dht_get_for_host (SatoriHost *host);
void          satori_kad_dht_set_mode (SatoriKadDht *dht, SatoriKadMode mode);
SatoriKadMode satori_kad_dht_get_mode (SatoriKadDht *dht);
gboolean      satori_kad_dht_is_serving (SatoriKadDht *dht);
const char   *satori_kad_dht_get_protocol_id (SatoriKadDht *dht);
gboolean      satori_kad_dht_add_namespace (SatoriKadDht *dht, const char *name,
                                            SatoriKadValidateFunc validate,
                                            SatoriKadSelectFunc select, gpointer user_data);
guint         satori_kad_dht_get_routing_table_size (SatoriKadDht *dht);

void            satori_kad_dht_find_peer_async (SatoriKadDht *dht, SatoriPeerId *peer,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
SatoriPeerInfo *satori_kad_dht_find_peer_finish (SatoriKadDht *dht, GAsyncResult *result,
                                                 GError **error);
void            satori_kad_dht_get_closest_peers_async (SatoriKadDht *dht, GBytes *key,
                                                        GCancellable *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer user_data);
GPtrArray      *satori_kad_dht_get_closest_peers_finish (SatoriKadDht *dht,
                                                         GAsyncResult *result,
                                                         GError **error);
void            satori_kad_dht_get_value_async (SatoriKadDht *dht, GBytes *key,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
GBytes         *satori_kad_dht_get_value_finish (SatoriKadDht *dht, GAsyncResult *result,
                                                 GError **error);
void            satori_kad_dht_put_value_async (SatoriKadDht *dht, GBytes *key, GBytes *value,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer user_data);
guint           satori_kad_dht_put_value_finish (SatoriKadDht *dht, GAsyncResult *result,
                                                 GError **error);
void            satori_kad_dht_provide_async (SatoriKadDht *dht, GBytes *key,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer user_data);
guint           satori_kad_dht_provide_finish (SatoriKadDht *dht, GAsyncResult *result,
                                               GError **error);
void            satori_kad_dht_find_providers_async (SatoriKadDht *dht, GBytes *key,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer user_data);
GPtrArray      *satori_kad_dht_find_providers_finish (SatoriKadDht *dht,
                                                      GAsyncResult *result,
                                                      GError **error);
void             satori_kad_dht_get_public_key_async (SatoriKadDht *dht, SatoriPeerId *peer,
                                                      GCancellable *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer user_data);
SatoriPublicKey *satori_kad_dht_get_public_key_finish (SatoriKadDht *dht,
                                                       GAsyncResult *result,
                                                       GError **error);

G_END_DECLS
