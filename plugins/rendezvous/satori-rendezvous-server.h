/* satori-rendezvous-server.h — a rendezvous point's registrations:
 * register, unregister, discover with cookies, expiry (sans-I/O: time
 * comes in as an argument)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-rendezvous-message.h"

G_BEGIN_DECLS

/**
 * SatoriRendezvousLimits:
 * @min_ttl: the shortest TTL admitted, in seconds
 * @max_ttl: the longest TTL admitted, in seconds
 * @max_per_peer: registrations of one peer, over all namespaces
 * @max_per_namespace: registrations in one namespace
 * @max_total: registrations in all
 * @max_discover: registrations in one discover response
 *
 * What a point admits. satori_rendezvous_limits_init() sets the spec's
 * recommendations.
 */
typedef struct
{
  guint min_ttl;
  guint max_ttl;
  guint max_per_peer;
  guint max_per_namespace;
  guint max_total;
  guint max_discover;
} SatoriRendezvousLimits;

void satori_rendezvous_limits_init (SatoriRendezvousLimits *limits);

typedef struct _SatoriRendezvousServer SatoriRendezvousServer;

SatoriRendezvousServer *satori_rendezvous_server_new (const SatoriRendezvousLimits *limits);
void                    satori_rendezvous_server_free (SatoriRendezvousServer *server);
gboolean                satori_rendezvous_server_handle (SatoriRendezvousServer  *server,
                                                         SatoriPeerId            *remote,
                                                         const guint8            *data,
                                                         gsize                    len,
                                                         gint64                   now_us,
                                                         GBytes                 **response,
                                                         GError                 **error);
void                    satori_rendezvous_server_set_limits (SatoriRendezvousServer       *server,
                                                             const SatoriRendezvousLimits *limits);
void                    satori_rendezvous_server_set_available (SatoriRendezvousServer *server,
                                                                gboolean                available);
void                    satori_rendezvous_server_expire (SatoriRendezvousServer *server,
                                                         gint64                  now_us);
guint                   satori_rendezvous_server_get_count (SatoriRendezvousServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriRendezvousServer, satori_rendezvous_server_free)

G_END_DECLS
