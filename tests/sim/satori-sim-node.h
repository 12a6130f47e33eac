/* satori-sim-node.h: what the simulator drives, one per simulated host
 *
 * A node is a protocol stack seen from the network: it learns of
 * connections, receives whole frames from its peers, and may ask to be woken
 * at a deadline. It answers by calling satori_sim_network_send(). Bindings
 * (pubsub now, Kad later) embed SatoriSimNode as their first member.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriSimNode SatoriSimNode;
typedef struct _SatoriSimNetwork SatoriSimNetwork;

typedef struct {
  /* A connection to @peer is up; @outbound when this node dialed. */
  void   (*connected)    (SatoriSimNode *node, guint peer, gboolean outbound, gint64 now_us);
  /* The connection to @peer was closed (with notice; silent failures call nothing). May be NULL. */
  void   (*disconnected) (SatoriSimNode *node, guint peer, gint64 now_us);
  void   (*receive)      (SatoriSimNode *node, guint peer, GBytes *frame, gint64 now_us);
  /* G_MAXINT64 when nothing is due. */
  gint64 (*next_deadline_us) (SatoriSimNode *node);
  void   (*timeout)      (SatoriSimNode *node, gint64 now_us);
  void   (*free)         (SatoriSimNode *node);
} SatoriSimNodeClass;

typedef struct {
  guint64 frames_sent;      /* everything the node sent, whether it arrived or not */
  guint64 bytes_sent;
  guint64 frames_received;  /* what reached it */
  guint64 bytes_received;
} SatoriSimNodeStats;

struct _SatoriSimNode {
  const SatoriSimNodeClass *klass;
  /* Set by satori_sim_network_add_node(); the rest belongs to the network. */
  SatoriSimNetwork  *network;
  guint              index;
  gboolean           departed;
  gint64             timer_us;
  SatoriSimNodeStats stats;
};

G_END_DECLS
