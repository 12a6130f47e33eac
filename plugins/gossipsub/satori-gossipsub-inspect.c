/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Read-only views of a gossipsub router, for tests, the simulator and
 * metrics, and the two scoring inputs only the host knows (P5, P6).
 */
#include "satori-gossipsub-private.h"

/**
 * satori_gossipsub_session_get_mesh_peers:
 * @core: a gossipsub router
 * @topic: a topic
 *
 * Returns: (transfer container) (element-type GBytes): our mesh peers in
 *   @topic (empty when we are not subscribed)
 */
GPtrArray *
satori_gossipsub_session_get_mesh_peers (SatoriPubsubCore *core, const char *topic)
{
  return satori_gossipsub_set_to_array (g_hash_table_lookup (SESSION (core)->mesh, topic));
}

/**
 * satori_gossipsub_session_get_fanout_peers:
 * @core: a gossipsub router
 * @topic: a topic we publish to without subscribing
 *
 * Returns: (transfer container) (element-type GBytes): its fanout peers
 */
GPtrArray *
satori_gossipsub_session_get_fanout_peers (SatoriPubsubCore *core, const char *topic)
{
  return satori_gossipsub_set_to_array (g_hash_table_lookup (SESSION (core)->fanout, topic));
}

/**
 * satori_gossipsub_session_get_peer_score:
 * @core: a gossipsub router
 * @peer: a peer
 * @now_us: the time now
 *
 * Returns: the peer's score (0 when scoring is off or the peer unknown)
 */
double
satori_gossipsub_session_get_peer_score (SatoriPubsubCore *core, GBytes *peer, gint64 now_us)
{
  return satori_gossipsub_peer_score (SESSION (core), peer, now_us);
}

/**
 * satori_gossipsub_session_get_score_counters:
 * @core: a gossipsub router
 * @peer: a peer
 * @topic: a topic
 * @now_us: the time now
 * @counters: (out): the peer's P1–P4 counters in @topic
 *
 * Returns: whether the score has counters of @peer in @topic
 */
gboolean
satori_gossipsub_session_get_score_counters (SatoriPubsubCore *core, GBytes *peer,
                                             const char *topic, gint64 now_us,
                                             SatoriGossipsubScoreCounters *counters)
{
  return satori_gossipsub_score_get_counters (SESSION (core)->score, peer, topic, now_us,
                                              counters);
}

/**
 * satori_gossipsub_session_get_behaviour_penalty:
 * @core: a gossipsub router
 * @peer: a peer
 *
 * Returns: the peer's behaviour penalty counter (P7)
 */
double
satori_gossipsub_session_get_behaviour_penalty (SatoriPubsubCore *core, GBytes *peer)
{
  return satori_gossipsub_score_get_behaviour_penalty (SESSION (core)->score, peer);
}

/**
 * satori_gossipsub_session_in_backoff:
 * @core: a gossipsub router
 * @topic: a topic
 * @peer: a peer
 * @now_us: the time now
 *
 * Returns: whether a GRAFT between us and @peer in @topic must wait
 */
gboolean
satori_gossipsub_session_in_backoff (SatoriPubsubCore *core, const char *topic, GBytes *peer,
                                     gint64 now_us)
{
  return satori_gossipsub_backoff_active (SESSION (core)->backoff, topic, peer, now_us);
}

/**
 * satori_gossipsub_session_get_queued:
 * @core: a gossipsub router
 * @peer: a peer
 *
 * Returns: the frames waiting to be sent to @peer
 */
guint
satori_gossipsub_session_get_queued (SatoriPubsubCore *core, GBytes *peer)
{
  Peer *p = g_hash_table_lookup (SESSION (core)->peers, peer);
  return p != NULL ? satori_gossipsub_outbox_get_queued (p->outbox) : 0;
}

/**
 * satori_gossipsub_session_get_stats:
 * @core: a gossipsub router
 * @stats: (out): its counters
 */
void
satori_gossipsub_session_get_stats (SatoriPubsubCore *core, SatoriGossipsubStats *stats)
{
  *stats = SESSION (core)->stats;
}

/**
 * satori_gossipsub_session_get_mcache_size:
 * @core: a gossipsub router
 *
 * Returns: the messages in the message cache
 */
guint
satori_gossipsub_session_get_mcache_size (SatoriPubsubCore *core)
{
  return satori_gossipsub_mcache_size (SESSION (core)->mcache);
}

/**
 * satori_gossipsub_session_set_app_score:
 * @core: a gossipsub router
 * @peer: a connected peer
 * @value: its application-specific score (P5)
 */
void
satori_gossipsub_session_set_app_score (SatoriPubsubCore *core, GBytes *peer, double value)
{
  satori_gossipsub_score_set_app_score (SESSION (core)->score, peer, value);
}

/**
 * satori_gossipsub_session_set_peer_ip:
 * @core: a gossipsub router
 * @peer: a connected peer
 * @ip: (nullable): the IP address of its connection (P6)
 */
void
satori_gossipsub_session_set_peer_ip (SatoriPubsubCore *core, GBytes *peer, const char *ip)
{
  satori_gossipsub_score_set_ip (SESSION (core)->score, peer, ip);
}
