/* satori-kad-query.h — one iterative lookup: which peers to ask next,
 * what they answered, when it is over (pure: no I/O, no clock)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-kad-key.h"
#include "satori-kad-peer.h"

G_BEGIN_DECLS

/**
 * SatoriKadQueryConfig:
 * @k: the lookup is over when the @k closest peers seen have answered
 * @alpha: requests in flight at once, per path
 * @disjoint_paths: independent paths (S/Kademlia's d); a peer is asked
 *   on one path only
 * @max_candidates: peers kept per path; the farthest not yet asked are
 *   dropped beyond this
 * @max_slow: requests per path reported slow (satori_kad_query_slow())
 *   that no longer hold an alpha slot; more slow ones keep theirs
 *
 * How a lookup proceeds.
 */
typedef struct {
  guint k;
  guint alpha;
  guint disjoint_paths;
  guint max_candidates;
  guint max_slow;
} SatoriKadQueryConfig;

typedef struct _SatoriKadQuery SatoriKadQuery;

SatoriKadQuery *satori_kad_query_new (const SatoriKadKey *target,
                                      const SatoriKadQueryConfig *config,
                                      GBytes *local_id, GPtrArray *seeds);
void            satori_kad_query_free (SatoriKadQuery *query);
SatoriKadPeer  *satori_kad_query_next (SatoriKadQuery *query);
gboolean        satori_kad_query_succeeded (SatoriKadQuery *query, GBytes *peer_id,
                                            GPtrArray *closer_peers);
void            satori_kad_query_failed (SatoriKadQuery *query, GBytes *peer_id);
gboolean        satori_kad_query_slow (SatoriKadQuery *query, GBytes *peer_id);
void            satori_kad_query_stop (SatoriKadQuery *query);
gboolean        satori_kad_query_is_finished (SatoriKadQuery *query);
GPtrArray      *satori_kad_query_get_closest (SatoriKadQuery *query, guint count);
guint           satori_kad_query_get_hops (SatoriKadQuery *query);
guint           satori_kad_query_get_n_requests (SatoriKadQuery *query);
guint           satori_kad_query_get_n_known (SatoriKadQuery *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriKadQuery, satori_kad_query_free)

G_END_DECLS
