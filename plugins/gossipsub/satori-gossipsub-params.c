/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-params.h"

#include "satori-pubsub-rpc-reader.h"
#include "satori-pubsub-seen-cache.h"

#define SECONDS(s) ((gint64) ((s) * (double) G_USEC_PER_SEC))

/**
 * satori_gossipsub_params_init_default:
 * @params: (out caller-allocates): parameters to fill
 *
 * The spec's defaults (gossipsub v1.0 "Parameters", v1.1 and
 * go-libp2p-pubsub for what the spec leaves open): D=6, D_low=4,
 * D_high=12, a 1 s heartbeat, StrictSign with the from+seqno message id,
 * scoring on with no topic parameters and the thresholds at 0 except the
 * ones below: gossip −10, publish −50, graylist −80, accept PX 10,
 * opportunistic graft 5. Free with satori_gossipsub_params_clear().
 */
void
satori_gossipsub_params_init_default (SatoriGossipsubParams *params)
{
  *params = (SatoriGossipsubParams) {
    .d = 6, .d_low = 4, .d_high = 12, .d_score = 4, .d_out = 2, .d_lazy = 6,
    .gossip_factor = 0.25,
    .history_length = 5,
    .history_gossip = 3,
    .gossip_retransmission = 3,
    .heartbeat_initial_delay_us = SECONDS (0.1),
    .heartbeat_interval_us = SECONDS (1),
    .fanout_ttl_us = SECONDS (60),
    .prune_peers = 16,
    .prune_backoff_us = SECONDS (60),
    .unsubscribe_backoff_us = SECONDS (10),
    .graft_flood_threshold_us = SECONDS (10),
    .opportunistic_graft_ticks = 60,
    .opportunistic_graft_peers = 2,
    .max_ihave_length = 5000,
    .max_ihave_messages = 10,
    .max_idontwant_messages = 1000,
    .iwant_followup_time_us = SECONDS (3),
    .idontwant_message_threshold = 1024,
    .idontwant_message_ttl = 3,
    .seen_ttl_us = SATORI_PUBSUB_DEFAULT_SEEN_TTL_US,
    .max_rpc_size = SATORI_PUBSUB_DEFAULT_MAX_RPC_SIZE,
    .max_outbound_queue = 1024,
    .max_pending_validations = 1024,
    .max_peer_topics = 1024,
    .max_topic_length = 1024,
    .flood_publish = TRUE,
    .do_px = TRUE,
    .direct_peers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
    .direct_connect_ticks = 300,
    .signature_policy = SATORI_PUBSUB_STRICT_SIGN,
    .message_id_fn = satori_pubsub_default_message_id,
    .score = {
      .topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
      .topic_score_cap = 0,
      .app_specific_weight = 1,
      .ip_colocation_factor_weight = -1,
      .ip_colocation_factor_threshold = 1,
      .behaviour_penalty_weight = -1,
      .behaviour_penalty_threshold = 0,
      .behaviour_penalty_decay = 0.99,
      .decay_interval_us = SECONDS (1),
      .decay_to_zero = 0.01,
      .retain_score_us = SECONDS (3600),
      .gossip_threshold = -10,
      .publish_threshold = -50,
      .graylist_threshold = -80,
      .accept_px_threshold = 10,
      .opportunistic_graft_threshold = 5,
    },
    .score_enabled = TRUE,
  };
}

/**
 * satori_gossipsub_params_clear:
 * @params: parameters from satori_gossipsub_params_init_default()
 *
 * Frees what @params owns (the topic score table, the direct peers).
 */
void
satori_gossipsub_params_clear (SatoriGossipsubParams *params)
{
  g_clear_pointer (&params->score.topics, g_hash_table_unref);
  g_clear_pointer (&params->direct_peers, g_ptr_array_unref);
}

/**
 * satori_gossipsub_params_set_topic_score:
 * @params: parameters
 * @topic: a topic
 * @topic_params: its score parameters (copied)
 */
void
satori_gossipsub_params_set_topic_score (SatoriGossipsubParams *params, const char *topic,
                                         const SatoriGossipsubTopicScoreParams *topic_params)
{
  g_hash_table_insert (params->score.topics, g_strdup (topic),
                       g_memdup2 (topic_params, sizeof *topic_params));
}

/**
 * satori_gossipsub_topic_score_params_init_default:
 * @params: (out caller-allocates): parameters to fill
 *
 * A moderate set, after go-libp2p-pubsub's examples: weight 1; P1 0.01
 * per second up to 3600; P2 1 per first delivery, decay 0.5, cap 100; P3
 * off (weight 0: set it with a threshold that fits the topic's rate); P3b
 * off; P4 −1 per invalid message squared, decay 0.3.
 */
void
satori_gossipsub_topic_score_params_init_default (SatoriGossipsubTopicScoreParams *params)
{
  *params = (SatoriGossipsubTopicScoreParams) {
    .topic_weight = 1,
    .time_in_mesh_weight = 0.01,
    .time_in_mesh_quantum_us = SECONDS (1),
    .time_in_mesh_cap = 3600,
    .first_message_deliveries_weight = 1,
    .first_message_deliveries_decay = 0.5,
    .first_message_deliveries_cap = 100,
    .mesh_message_deliveries_weight = 0,
    .mesh_message_deliveries_decay = 0.5,
    .mesh_message_deliveries_cap = 100,
    .mesh_message_deliveries_threshold = 1,
    .mesh_message_deliveries_window_us = SECONDS (0.01),
    .mesh_message_deliveries_activation_us = SECONDS (5),
    .mesh_failure_penalty_weight = 0,
    .mesh_failure_penalty_decay = 0.5,
    .invalid_message_deliveries_weight = -1,
    .invalid_message_deliveries_decay = 0.3,
  };
}
