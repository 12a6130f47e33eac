/* satori-peers-adverts.h — keeps namespaces advertised on every discovery
 * (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-discovery.h"

G_BEGIN_DECLS

/* Before retrying an advertisement that failed, in seconds. */
#define SATORI_PEERS_ADVERT_RETRY 60

typedef struct _SatoriPeersAdverts SatoriPeersAdverts;

SatoriPeersAdverts *satori_peers_adverts_new (guint ttl);
void                satori_peers_adverts_free (SatoriPeersAdverts *adverts);
guint               satori_peers_adverts_get_ttl (SatoriPeersAdverts *adverts);
void                satori_peers_adverts_set_ttl (SatoriPeersAdverts *adverts,
                                                  guint               ttl);
void                satori_peers_adverts_add_discovery (SatoriPeersAdverts *adverts,
                                                        SatoriDiscovery    *discovery);
void                satori_peers_adverts_add (SatoriPeersAdverts *adverts,
                                              const char         *namespace_);
void                satori_peers_adverts_remove (SatoriPeersAdverts *adverts,
                                                 const char         *namespace_);
void                satori_peers_adverts_remove_all (SatoriPeersAdverts *adverts);
guint               satori_peers_adverts_count (SatoriPeersAdverts *adverts,
                                                const char         *namespace_);
guint               satori_peers_advert_renew_delay (guint granted_ttl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPeersAdverts, satori_peers_adverts_free)

G_END_DECLS
