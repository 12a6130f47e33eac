/* satori-sim-network.h: a discrete-event network of simulated hosts
 *
 * Virtual time in microseconds, one event queue, one seeded PRNG: the same
 * seed and the same calls give the same run. Links carry whole frames with
 * a one-way latency (fixed plus uniform jitter), a loss probability and an
 * optional bandwidth (serialisation delay); each direction of a link stays
 * in order, like the stream it stands for. Links can fail and nodes can
 * depart "without notice": their frames vanish and nobody is told.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-sim-node.h"
#include "satori-sim-rng.h"

G_BEGIN_DECLS

typedef struct {
  gint64  latency_us;     /* one-way, fixed part */
  gint64  jitter_us;      /* plus uniform in [0, jitter_us) */
  double  loss;           /* probability that a frame is dropped */
  guint64 bandwidth_bps;  /* 0: unlimited; else frames queue behind each other */
} SatoriSimLinkParams;

typedef void (*SatoriSimFunc) (SatoriSimNetwork *network, gpointer user_data);

SatoriSimNetwork *satori_sim_network_new (guint64 seed, const SatoriSimLinkParams *defaults);
void              satori_sim_network_free (SatoriSimNetwork *network);

/* Takes @node; returns its index (0, 1, 2… in order of addition). */
guint             satori_sim_network_add_node (SatoriSimNetwork *network, SatoriSimNode *node);
SatoriSimNode    *satori_sim_network_get_node (SatoriSimNetwork *network, guint index);
guint             satori_sim_network_get_n_nodes (SatoriSimNetwork *network);

/* @a dials @b; both are told at once. @params NULL: the defaults. FALSE
 * (nothing done) when a == b, they are connected already, or one departed. */
gboolean          satori_sim_network_connect (SatoriSimNetwork *network, guint a, guint b,
                                              const SatoriSimLinkParams *params);
gboolean          satori_sim_network_is_connected (SatoriSimNetwork *network, guint a, guint b);
/* The peers @node has a live link to, ascending; free with g_free(). */
guint            *satori_sim_network_get_peers (SatoriSimNetwork *network, guint node,
                                                guint *n_peers);
/* Closes the link with notice: both ends' disconnected() run now. */
void              satori_sim_network_disconnect (SatoriSimNetwork *network, guint a, guint b);
/* Without notice: frames in flight and later ones are lost, nobody is told. */
void              satori_sim_network_fail_link (SatoriSimNetwork *network, guint a, guint b);
/* Without notice: @node stops (no input, no timers) and its links go silent. */
void              satori_sim_network_depart (SatoriSimNetwork *network, guint node);

/* Called by nodes: send @frame to @to over their link. */
void              satori_sim_network_send (SatoriSimNetwork *network, guint from, guint to,
                                           GBytes *frame);
/* Re-reads @node's deadline after the caller drove it from outside the
 * network's callbacks (a publish, a lookup started by the test). */
void              satori_sim_network_rearm (SatoriSimNetwork *network, guint node);
/* Runs @func at virtual time @at_us (not before now). */
void              satori_sim_network_schedule (SatoriSimNetwork *network, gint64 at_us,
                                               SatoriSimFunc func, gpointer user_data);

gint64            satori_sim_network_get_now (SatoriSimNetwork *network);
/* Processes every event due up to @until_us, then sets the clock to it.
 * Returns the number of events processed. */
guint64           satori_sim_network_run_until (SatoriSimNetwork *network, gint64 until_us);
/* Processes events until none is left or @limit_us is reached. */
guint64           satori_sim_network_run (SatoriSimNetwork *network, gint64 limit_us);

SatoriSimRng     *satori_sim_network_get_rng (SatoriSimNetwork *network);
guint64           satori_sim_network_get_events_processed (SatoriSimNetwork *network);
/* Frames dropped by loss, and by failed links or departed nodes. */
guint64           satori_sim_network_get_frames_lost (SatoriSimNetwork *network);
guint64           satori_sim_network_get_frames_silenced (SatoriSimNetwork *network);
/* Times a node was still due right after its timeout (a bug in the node):
 * it is woken again 1 ms later rather than stopping virtual time. */
guint64           satori_sim_network_get_stuck_wakeups (SatoriSimNetwork *network);
/* A hash of everything delivered and every timer fired, with times:
 * equal for equal runs. */
guint64           satori_sim_network_get_trace_hash (SatoriSimNetwork *network);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriSimNetwork, satori_sim_network_free)

G_END_DECLS
