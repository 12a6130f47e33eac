/* satori-sim-kad.h: Kad-DHT hosts on the simulated network
 *
 * Each host is one SatoriKadSession (server mode, SQLite store in memory)
 * driven by the network. A request goes to its peer as a frame on their
 * link; when there is no link the host dials first, which takes @dial_us
 * before the frame leaves, and a dial to a departed host is silently lost,
 * as on a real network: the core's own dial timeout ends it (a request's
 * frame leaving counts as its stream opening). A new
 * connection is add_peer on both ends (what identify tells the real
 * adapter). Liveness checks are a ping frame, unanswered by departed hosts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-kad-session.h"
#include "satori-sim-network.h"

G_BEGIN_DECLS

typedef struct _SatoriSimKad SatoriSimKad;

/**
 * SatoriSimKadResult:
 * @host: the host that ran the operation
 * @type: the event that ended it
 * @done: whether it ended
 * @started_us: virtual time it started
 * @ended_us: virtual time its event came
 * @peers: (element-type SatoriKadPeer) (nullable): the event's peers
 * @peer: (nullable): the event's peer (FIND_NODE: the target, if found)
 * @value: (nullable): the value found
 * @n_succeeded: stores that succeeded
 * @n_requests: requests the operation sent
 * @hops: the lookup's hops
 *
 * One operation started through this binding, filled in when it ends.
 */
typedef struct {
  guint host;
  SatoriKadEventType type;
  gboolean done;
  gint64 started_us;
  gint64 ended_us;
  GPtrArray *peers;
  SatoriKadPeer *peer;
  GBytes *value;
  guint n_succeeded;
  guint n_requests;
  guint hops;
} SatoriSimKadResult;

/* @network must hold no nodes yet and outlive the result; @seed derives
 * the hosts' peer ids and random numbers; @config NULL: the defaults. */
SatoriSimKad     *satori_sim_kad_new (SatoriSimNetwork *network, guint64 seed,
                                      const SatoriKadConfig *config, gint64 dial_us);
void              satori_sim_kad_free (SatoriSimKad *kad);

/* Adds @n hosts, not connected to anything yet; call once. */
void              satori_sim_kad_add_hosts (SatoriSimKad *kad, guint n);
/* Host i joins at @start_us + i × @interval_us: it connects to @n_seeds
 * random hosts that joined before it, then looks itself up. */
void              satori_sim_kad_schedule_joins (SatoriSimKad *kad, gint64 start_us,
                                                 gint64 interval_us, guint n_seeds);

guint             satori_sim_kad_get_n_hosts (SatoriSimKad *kad);
GBytes           *satori_sim_kad_get_peer_id (SatoriSimKad *kad, guint host);
SatoriKadSession *satori_sim_kad_get_session (SatoriSimKad *kad, guint host);
/* The host with this peer id, or G_MAXUINT. */
guint             satori_sim_kad_lookup_host (SatoriSimKad *kad, GBytes *peer_id);
/* The @k live hosts closest to @key (SHA-256 of it, as the DHT measures),
 * closest first; free with g_free(). */
guint            *satori_sim_kad_true_closest (SatoriSimKad *kad, GBytes *key, guint k);

/* Start an operation now on @host; return its index for get_result(),
 * or G_MAXUINT when the core refused it (put/provide). Keys of records
 * must be in the `/sim/` namespace, which accepts any value. */
guint             satori_sim_kad_find_node (SatoriSimKad *kad, guint host, GBytes *peer_id);
guint             satori_sim_kad_get_value (SatoriSimKad *kad, guint host, GBytes *key);
guint             satori_sim_kad_put_value (SatoriSimKad *kad, guint host, GBytes *key,
                                            GBytes *value);
guint             satori_sim_kad_provide (SatoriSimKad *kad, guint host, GBytes *key);
guint             satori_sim_kad_get_providers (SatoriSimKad *kad, guint host, GBytes *key);

const SatoriSimKadResult *satori_sim_kad_get_result (SatoriSimKad *kad, guint op);
guint             satori_sim_kad_get_n_results (SatoriSimKad *kad);

/* Requests sent, answered, and answers refused (bad input) over the run. */
guint64           satori_sim_kad_get_requests_sent (SatoriSimKad *kad);
guint64           satori_sim_kad_get_requests_refused (SatoriSimKad *kad);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriSimKad, satori_sim_kad_free)

G_END_DECLS
