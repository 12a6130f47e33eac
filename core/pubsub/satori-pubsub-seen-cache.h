/* satori-pubsub-seen-cache.h — the ids of recently seen messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SATORI_PUBSUB_DEFAULT_SEEN_TTL_US:
 *
 * How long a message id is remembered by default: 2 minutes, as in
 * go-libp2p-pubsub.
 */
#define SATORI_PUBSUB_DEFAULT_SEEN_TTL_US (120 * G_USEC_PER_SEC)

typedef struct _SatoriPubsubSeenCache SatoriPubsubSeenCache;

SatoriPubsubSeenCache *satori_pubsub_seen_cache_new      (gint64 ttl_us);
void                   satori_pubsub_seen_cache_free     (SatoriPubsubSeenCache *cache);
gboolean               satori_pubsub_seen_cache_add      (SatoriPubsubSeenCache *cache,
                                                          GBytes *id, gint64 now_us);
gboolean               satori_pubsub_seen_cache_contains (SatoriPubsubSeenCache *cache,
                                                          GBytes *id, gint64 now_us);
void                   satori_pubsub_seen_cache_expire   (SatoriPubsubSeenCache *cache,
                                                          gint64 now_us);
guint                  satori_pubsub_seen_cache_size     (SatoriPubsubSeenCache *cache);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPubsubSeenCache, satori_pubsub_seen_cache_free)

G_END_DECLS
