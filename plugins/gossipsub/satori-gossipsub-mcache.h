/* satori-gossipsub-mcache.h — the message cache: recent messages in
 * heartbeat windows, served to IWANT and advertised in IHAVE
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriGossipsubMcache SatoriGossipsubMcache;

SatoriGossipsubMcache *satori_gossipsub_mcache_new    (guint history_length, guint history_gossip);
void                   satori_gossipsub_mcache_free   (SatoriGossipsubMcache *cache);
void                   satori_gossipsub_mcache_put    (SatoriGossipsubMcache *cache, GBytes *id,
                                                       const char *topic, GBytes *message);
GBytes                *satori_gossipsub_mcache_get    (SatoriGossipsubMcache *cache, GBytes *id);
GBytes                *satori_gossipsub_mcache_get_for_peer (SatoriGossipsubMcache *cache,
                                                             GBytes *id, GBytes *peer,
                                                             guint *count);
GPtrArray             *satori_gossipsub_mcache_gossip_ids (SatoriGossipsubMcache *cache,
                                                           const char *topic);
void                   satori_gossipsub_mcache_shift  (SatoriGossipsubMcache *cache);
guint                  satori_gossipsub_mcache_size   (SatoriGossipsubMcache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriGossipsubMcache, satori_gossipsub_mcache_free)

G_END_DECLS
