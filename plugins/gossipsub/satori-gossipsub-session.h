/* satori-gossipsub-session.h — the GossipSub v1.0/v1.1/v1.2 router as a
 * sans-I/O SatoriPubsubCore
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-gossipsub-params.h"
#include "satori-gossipsub-score.h"
#include "satori-private-key.h"
#include "satori-pubsub-core.h"

G_BEGIN_DECLS

/**
 * SATORI_GOSSIPSUB_PROTOCOL_1_2:
 *
 * The protocol ids, newest first, as a host offers them.
 */
#define SATORI_GOSSIPSUB_PROTOCOL_1_2 "/meshsub/1.2.0"
#define SATORI_GOSSIPSUB_PROTOCOL_1_1 "/meshsub/1.1.0"
#define SATORI_GOSSIPSUB_PROTOCOL_1_0 "/meshsub/1.0.0"
#define SATORI_FLOODSUB_PROTOCOL      "/floodsub/1.0.0"

typedef struct _SatoriGossipsubSession SatoriGossipsubSession;

/**
 * SatoriGossipsubStats:
 * @messages_received: messages that arrived, duplicates included
 * @messages_delivered: messages that passed validation
 * @duplicates: messages we already had
 * @rejected: messages rejected (policy, signature or validator)
 * @ignored: messages ignored (validator, or the validation queue full)
 * @graylisted_rpcs: RPCs dropped because their sender is graylisted
 * @ihave_ignored: IHAVE messages over the per-heartbeat limits
 * @iwant_sent: message ids asked for
 * @iwant_served: messages sent in answer to IWANT
 * @idontwant_skipped: sends saved by an IDONTWANT
 * @grafts_refused: GRAFTs answered with PRUNE
 * @outbound_dropped: messages, and IWANT or IDONTWANT ids, dropped on full
 *   outbound queues
 *
 * Counters for tests and metrics.
 */
typedef struct {
  guint64 messages_received;
  guint64 messages_delivered;
  guint64 duplicates;
  guint64 rejected;
  guint64 ignored;
  guint64 graylisted_rpcs;
  guint64 ihave_ignored;
  guint64 iwant_sent;
  guint64 iwant_served;
  guint64 idontwant_skipped;
  guint64 grafts_refused;
  guint64 outbound_dropped;
} SatoriGossipsubStats;

SatoriPubsubCore *satori_gossipsub_session_new (const SatoriGossipsubParams *params,
                                                SatoriPrivateKey *key,
                                                const SatoriPubsubCoreProvider *provider);

GPtrArray *satori_gossipsub_session_get_mesh_peers   (SatoriPubsubCore *core, const char *topic);
GPtrArray *satori_gossipsub_session_get_fanout_peers (SatoriPubsubCore *core, const char *topic);
double     satori_gossipsub_session_get_peer_score   (SatoriPubsubCore *core, GBytes *peer,
                                                      gint64 now_us);
gboolean   satori_gossipsub_session_get_score_counters (SatoriPubsubCore *core, GBytes *peer,
                                                        const char *topic, gint64 now_us,
                                                        SatoriGossipsubScoreCounters *counters);
double     satori_gossipsub_session_get_behaviour_penalty (SatoriPubsubCore *core, GBytes *peer);
gboolean   satori_gossipsub_session_in_backoff       (SatoriPubsubCore *core, const char *topic,
                                                      GBytes *peer, gint64 now_us);
guint      satori_gossipsub_session_get_queued       (SatoriPubsubCore *core, GBytes *peer);
void       satori_gossipsub_session_get_stats        (SatoriPubsubCore *core,
                                                      SatoriGossipsubStats *stats);
guint      satori_gossipsub_session_get_mcache_size  (SatoriPubsubCore *core);
void       satori_gossipsub_session_set_app_score    (SatoriPubsubCore *core, GBytes *peer,
                                                      double value);
void       satori_gossipsub_session_set_peer_ip      (SatoriPubsubCore *core, GBytes *peer,
                                                      const char *ip);

G_END_DECLS
