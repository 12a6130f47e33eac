/* satori-kad-routing-table.h — k-buckets keyed by SHA-256 of the peer id,
 * with replacement caches, least-recently-seen eviction after a liveness
 * check, and refresh of stale buckets (pure: no I/O, no clock)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-kad-key.h"
#include "satori-kad-peer.h"

G_BEGIN_DECLS

/**
 * SatoriKadProvider:
 * @random_u32: returns 32 random bits
 * @user_data: passed to @random_u32
 *
 * What the DHT core cannot do itself: draw random numbers. The driver
 * passes one; tests pass a seeded one.
 */
typedef struct {
  guint32  (*random_u32) (gpointer user_data);
  gpointer user_data;
} SatoriKadProvider;

/**
 * SatoriKadUpdate:
 * @SATORI_KAD_UPDATE_ADDED: the peer is new in its bucket
 * @SATORI_KAD_UPDATE_REFRESHED: the peer was there and is now the most
 *   recently seen
 * @SATORI_KAD_UPDATE_PENDING: the bucket is full; the peer waits in the
 *   replacement cache for a liveness check of the least recently seen peer
 * @SATORI_KAD_UPDATE_IGNORED: the peer is our own id
 *
 * What satori_kad_routing_table_update() did.
 */
typedef enum {
  SATORI_KAD_UPDATE_ADDED,
  SATORI_KAD_UPDATE_REFRESHED,
  SATORI_KAD_UPDATE_PENDING,
  SATORI_KAD_UPDATE_IGNORED,
} SatoriKadUpdate;

typedef struct _SatoriKadRoutingTable SatoriKadRoutingTable;

SatoriKadRoutingTable *satori_kad_routing_table_new (GBytes *local_id, guint k,
                                                     guint replacement_size, gint64 now_us);
void            satori_kad_routing_table_free (SatoriKadRoutingTable *table);
SatoriKadUpdate satori_kad_routing_table_update (SatoriKadRoutingTable *table,
                                                 SatoriKadPeer *peer, gint64 now_us,
                                                 SatoriKadPeer **check_out);
void            satori_kad_routing_table_check_done (SatoriKadRoutingTable *table,
                                                     GBytes *peer_id, gboolean alive,
                                                     gint64 now_us);
gboolean        satori_kad_routing_table_remove (SatoriKadRoutingTable *table, GBytes *peer_id);
gboolean        satori_kad_routing_table_contains (SatoriKadRoutingTable *table, GBytes *peer_id);
SatoriKadPeer  *satori_kad_routing_table_lookup (SatoriKadRoutingTable *table, GBytes *peer_id);
GPtrArray      *satori_kad_routing_table_closest (SatoriKadRoutingTable *table,
                                                  const SatoriKadKey *target, guint count,
                                                  GBytes *exclude);
guint           satori_kad_routing_table_get_size (SatoriKadRoutingTable *table);
guint           satori_kad_routing_table_get_bucket_size (SatoriKadRoutingTable *table, guint cpl);
gboolean        satori_kad_routing_table_next_stale (SatoriKadRoutingTable *table,
                                                     gint64 now_us, gint64 interval_us,
                                                     guint max_cpl, guint *cpl_out);
gint64          satori_kad_routing_table_next_stale_time (SatoriKadRoutingTable *table,
                                                          gint64 interval_us, guint max_cpl);
void            satori_kad_routing_table_mark_refreshed (SatoriKadRoutingTable *table,
                                                         guint cpl, gint64 now_us);
GBytes         *satori_kad_routing_table_random_id (SatoriKadRoutingTable *table, guint cpl,
                                                    const SatoriKadProvider *provider);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriKadRoutingTable, satori_kad_routing_table_free)

G_END_DECLS
