/* satori-kad-dht-private.h — what the DHT's operations share with its
 * driver
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-kad-dht.h"

G_BEGIN_DECLS

/* Completes @task from the event that ends its lookup. */
typedef void (*SatoriKadDhtComplete) (SatoriKadDht *dht, GTask *task, SatoriKadEvent *event);

SatoriKadSession *_satori_kad_dht_get_session (SatoriKadDht *dht, GError **error);
SatoriHost       *_satori_kad_dht_get_host (SatoriKadDht *dht);
void              _satori_kad_dht_drive (SatoriKadDht *dht);
void              _satori_kad_dht_start_op (SatoriKadDht *dht, GTask *task, guint64 query_id,
                                            SatoriKadDhtComplete complete);
void              _satori_kad_dht_fail_ops (SatoriKadDht *dht, GQuark domain, int code,
                                            const char *message);
SatoriPeerInfo   *_satori_kad_dht_learn_peer (SatoriKadDht *dht, SatoriKadPeer *peer);
gint64            _satori_kad_dht_get_provider_ttl (SatoriKadDht *dht);
void              _satori_kad_dht_discovery_iface_init (SatoriDiscoveryInterface *iface);
void              _satori_kad_dht_routing_iface_init (SatoriRoutingInterface *iface);

G_END_DECLS
