/* satori-gossipsub-params.h — every parameter of the GossipSub router
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-pubsub-message-id.h"
#include "satori-pubsub-validate.h"

G_BEGIN_DECLS

/**
 * SatoriGossipsubTopicScoreParams:
 * @topic_weight: the weight of the topic's score in the peer's score
 * @time_in_mesh_weight: P1 weight (positive)
 * @time_in_mesh_quantum_us: the time P1 counts in
 * @time_in_mesh_cap: the cap of P1's counter
 * @first_message_deliveries_weight: P2 weight (positive)
 * @first_message_deliveries_decay: P2 decay factor per decay interval
 * @first_message_deliveries_cap: P2 counter cap
 * @mesh_message_deliveries_weight: P3 weight (negative)
 * @mesh_message_deliveries_decay: P3 decay factor
 * @mesh_message_deliveries_cap: P3 counter cap
 * @mesh_message_deliveries_threshold: deliveries below which P3 applies
 * @mesh_message_deliveries_window_us: how late a duplicate still counts for P3
 * @mesh_message_deliveries_activation_us: time in mesh before P3 applies
 * @mesh_failure_penalty_weight: P3b weight (negative)
 * @mesh_failure_penalty_decay: P3b decay factor
 * @invalid_message_deliveries_weight: P4 weight (negative)
 * @invalid_message_deliveries_decay: P4 decay factor
 *
 * The score parameters of one topic (gossipsub v1.1, "Topic Parameter
 * Calculation"). satori_gossipsub_topic_score_params_init_default() fills
 * them with go-libp2p-pubsub's example values.
 */
typedef struct {
  double topic_weight;
  double time_in_mesh_weight;
  gint64 time_in_mesh_quantum_us;
  double time_in_mesh_cap;
  double first_message_deliveries_weight;
  double first_message_deliveries_decay;
  double first_message_deliveries_cap;
  double mesh_message_deliveries_weight;
  double mesh_message_deliveries_decay;
  double mesh_message_deliveries_cap;
  double mesh_message_deliveries_threshold;
  gint64 mesh_message_deliveries_window_us;
  gint64 mesh_message_deliveries_activation_us;
  double mesh_failure_penalty_weight;
  double mesh_failure_penalty_decay;
  double invalid_message_deliveries_weight;
  double invalid_message_deliveries_decay;
} SatoriGossipsubTopicScoreParams;

/**
 * SatoriGossipsubScoreParams:
 * @topics: (element-type utf8 SatoriGossipsubTopicScoreParams): topic →
 *   its parameters (owned; topics without an entry get @default_topic)
 * @default_topic: the parameters of every topic not in @topics; with a
 *   topic_weight of 0 (the default) such topics add nothing to P1–P4
 * @topic_score_cap: cap of the sum of the topic scores (0: none)
 * @app_specific_weight: P5 weight
 * @ip_colocation_factor_weight: P6 weight (negative)
 * @ip_colocation_factor_threshold: peers per IP before P6 applies
 * @behaviour_penalty_weight: P7 weight (negative)
 * @behaviour_penalty_threshold: penalty below which P7 does not apply
 * @behaviour_penalty_decay: P7 decay factor
 * @decay_interval_us: how often counters decay
 * @decay_to_zero: a counter below this decays to 0
 * @retain_score_us: how long a disconnected peer's score is kept
 * @gossip_threshold: below it, no gossip to or from the peer
 * @publish_threshold: below it, no flood publishing to the peer
 * @graylist_threshold: below it, the peer's RPCs are ignored
 * @accept_px_threshold: PX from a peer is followed only at or above it
 * @opportunistic_graft_threshold: median mesh score that triggers
 *   opportunistic grafting
 *
 * The global score parameters and the thresholds.
 */
typedef struct {
  GHashTable *topics;
  SatoriGossipsubTopicScoreParams default_topic;
  double topic_score_cap;
  double app_specific_weight;
  double ip_colocation_factor_weight;
  double ip_colocation_factor_threshold;
  double behaviour_penalty_weight;
  double behaviour_penalty_threshold;
  double behaviour_penalty_decay;
  gint64 decay_interval_us;
  double decay_to_zero;
  gint64 retain_score_us;
  double gossip_threshold;
  double publish_threshold;
  double graylist_threshold;
  double accept_px_threshold;
  double opportunistic_graft_threshold;
} SatoriGossipsubScoreParams;

/**
 * SatoriGossipsubParams:
 * @d: D, the desired mesh degree
 * @d_low: D_low, below which the heartbeat grafts
 * @d_high: D_high, above which the heartbeat prunes
 * @d_score: D_score, peers kept by score when pruning
 * @d_out: D_out, outbound peers the mesh keeps
 * @d_lazy: D_lazy, the least peers gossip goes to
 * @gossip_factor: share of the other topic peers gossip goes to
 * @history_length: message cache windows
 * @history_gossip: windows gossiped in IHAVE
 * @gossip_retransmission: times a message is sent to a peer through IWANT
 * @heartbeat_initial_delay_us: the first heartbeat after start
 * @heartbeat_interval_us: the heartbeat period
 * @fanout_ttl_us: how long a fanout topic lives after the last publish
 * @prune_peers: peers offered in PX
 * @prune_backoff_us: backoff after a PRUNE
 * @unsubscribe_backoff_us: backoff in the PRUNE sent when leaving a topic
 * @graft_flood_threshold_us: a GRAFT this soon after a PRUNE costs extra
 * @opportunistic_graft_ticks: heartbeats between opportunistic grafts
 * @opportunistic_graft_peers: peers grafted opportunistically
 * @max_ihave_length: message ids asked per peer per heartbeat
 * @max_ihave_messages: IHAVE messages accepted per peer per heartbeat
 * @max_idontwant_messages: IDONTWANT ids accepted per peer per heartbeat
 * @iwant_followup_time_us: time a peer has to answer an IWANT
 * @idontwant_message_threshold: messages this large or larger get IDONTWANT
 * @idontwant_message_ttl: heartbeats an IDONTWANT is remembered
 * @seen_ttl_us: seen cache TTL
 * @max_rpc_size: the largest RPC frame (and so message) accepted or sent
 * @max_outbound_queue: messages waiting for one peer before more are
 *   dropped (also at most 4 × @max_rpc_size bytes; mesh state is never
 *   dropped, gossip goes first)
 * @max_pending_validations: messages waiting for the validator at once
 * @max_peer_topics: topics a peer's subscriptions are recorded for; more
 *   are ignored
 * @max_topic_length: longer topic names in subscriptions are ignored
 * @flood_publish: publish to every topic peer above publish_threshold
 * @do_px: offer peers in PRUNE (v1.1+ peers)
 * @direct_peers: (element-type GBytes): explicit peering agreements: these
 *   peers get every message of their topics, are never in a mesh, are not
 *   graylisted, and are asked for again (CONNECT_PEER) when disconnected
 * @direct_connect_ticks: heartbeats between those reconnection attempts
 * @signature_policy: StrictSign or StrictNoSign
 * @message_id_fn: the message id function (the default one becomes
 *   satori_pubsub_content_message_id() under StrictNoSign)
 * @message_id_data: its user data
 * @score: the score parameters; @score_enabled FALSE turns scoring off
 * @score_enabled: whether peers are scored
 *
 * The router's parameters: the spec's defaults from
 * satori_gossipsub_params_init_default().
 */
typedef struct {
  guint d, d_low, d_high, d_score, d_out, d_lazy;
  double gossip_factor;
  guint history_length;
  guint history_gossip;
  guint gossip_retransmission;
  gint64 heartbeat_initial_delay_us;
  gint64 heartbeat_interval_us;
  gint64 fanout_ttl_us;
  guint prune_peers;
  gint64 prune_backoff_us;
  gint64 unsubscribe_backoff_us;
  gint64 graft_flood_threshold_us;
  guint opportunistic_graft_ticks;
  guint opportunistic_graft_peers;
  guint max_ihave_length;
  guint max_ihave_messages;
  guint max_idontwant_messages;
  gint64 iwant_followup_time_us;
  gsize idontwant_message_threshold;
  guint idontwant_message_ttl;
  gint64 seen_ttl_us;
  gsize max_rpc_size;
  guint max_outbound_queue;
  guint max_pending_validations;
  guint max_peer_topics;
  gsize max_topic_length;
  gboolean flood_publish;
  gboolean do_px;
  GPtrArray *direct_peers;
  guint direct_connect_ticks;
  SatoriPubsubSignaturePolicy signature_policy;
  SatoriPubsubMessageIdFunc message_id_fn;
  gpointer message_id_data;
  SatoriGossipsubScoreParams score;
  gboolean score_enabled;
} SatoriGossipsubParams;

void satori_gossipsub_params_init_default (SatoriGossipsubParams *params);
void satori_gossipsub_params_clear        (SatoriGossipsubParams *params);
void satori_gossipsub_params_set_topic_score (SatoriGossipsubParams *params, const char *topic,
                                              const SatoriGossipsubTopicScoreParams *topic_params);
void satori_gossipsub_topic_score_params_init_default (SatoriGossipsubTopicScoreParams *params);

G_END_DECLS
