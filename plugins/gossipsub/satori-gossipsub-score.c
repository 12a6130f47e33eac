/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-score.h"

typedef struct {
  gboolean in_mesh;
  gint64 graft_time_us;
  gboolean mesh_deliveries_active;
  double first_message_deliveries;
  double mesh_message_deliveries;
  double mesh_failure_penalty;
  double invalid_message_deliveries;
} TopicStats;

typedef struct {
  gboolean connected;
  gint64 expires_us;      /* when a disconnected peer's stats are dropped */
  GHashTable *topics;     /* topic -> TopicStats */
  double behaviour_penalty;
  double app_score;
  char *ip;
  /* The score as last computed, good until @cached_until_us (the next
   * whole quantum of P1) unless a counter changes first (invalidate()). */
  double cached;
  gint64 cached_at_us, cached_until_us;
} PeerStats;

typedef enum { RECORD_PENDING, RECORD_VALID, RECORD_INVALID, RECORD_IGNORED } RecordStatus;

/* What the score knows of one message: its fate, and who else sent it
 * while it was being validated (they share the first sender's fate). */
typedef struct {
  GBytes *id;
  RecordStatus status;
  gint64 expires_us;
  gint64 validated_us;
  GHashTable *peers;      /* GBytes peer set */
} Record;

struct _SatoriGossipsubScore
{
  const SatoriGossipsubScoreParams *params;
  gint64 record_ttl_us;
  GHashTable *peers;      /* GBytes -> PeerStats */
  GHashTable *ips;        /* ip -> GHashTable set of peers */
  GHashTable *records;    /* id -> Record */
  GQueue record_order;    /* Record*, oldest first */
};

static void
peer_stats_free (gpointer data)
{
  PeerStats *stats = data;
  g_hash_table_unref (stats->topics);
  g_free (stats->ip);
  g_free (stats);
}

static void
record_free (gpointer data)
{
  Record *record = data;
  g_bytes_unref (record->id);
  g_hash_table_unref (record->peers);
  g_free (record);
}

/**
 * satori_gossipsub_score_new:
 * @params: the parameters (borrowed: they must outlive the score)
 * @record_ttl_us: how long the fate of a message is remembered (the seen
 *   cache TTL)
 *
 * Returns: (transfer full): a score with no peers
 */
SatoriGossipsubScore *
satori_gossipsub_score_new (const SatoriGossipsubScoreParams *params, gint64 record_ttl_us)
{
  SatoriGossipsubScore *score = g_new0 (SatoriGossipsubScore, 1);
  score->params = params;
  score->record_ttl_us = record_ttl_us;
  score->peers = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                        (GDestroyNotify) g_bytes_unref, peer_stats_free);
  score->ips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_hash_table_unref);
  score->records = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  g_queue_init (&score->record_order);
  return score;
}

/**
 * satori_gossipsub_score_free:
 * @score: (transfer full) (nullable): a score
 */
void
satori_gossipsub_score_free (SatoriGossipsubScore *score)
{
  if (score == NULL)
    return;
  g_hash_table_unref (score->peers);
  g_hash_table_unref (score->ips);
  g_hash_table_unref (score->records);
  g_queue_clear_full (&score->record_order, record_free);
  g_free (score);
}

static PeerStats *
lookup (SatoriGossipsubScore *score, GBytes *peer)
{
  return g_hash_table_lookup (score->peers, peer);
}

static void
invalidate (PeerStats *stats)
{
  stats->cached_until_us = G_MININT64;
}

/* The peer's stats, about to change: its cached score is void. */
static PeerStats *
lookup_for_update (SatoriGossipsubScore *score, GBytes *peer)
{
  PeerStats *stats = lookup (score, peer);
  if (stats != NULL)
    invalidate (stats);
  return stats;
}

/* Everyone sharing @ip: their P6 depends on how many they are. */
static void
invalidate_ip (SatoriGossipsubScore *score, const char *ip)
{
  GHashTable *set = ip != NULL ? g_hash_table_lookup (score->ips, ip) : NULL;
  if (set == NULL)
    return;
  GHashTableIter iter;
  GBytes *peer;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, (gpointer *) &peer, NULL))
    invalidate (lookup (score, peer));
}

static TopicStats *
topic_stats (PeerStats *stats, const char *topic)
{
  TopicStats *ts = g_hash_table_lookup (stats->topics, topic);
  if (ts == NULL)
    {
      ts = g_new0 (TopicStats, 1);
      g_hash_table_insert (stats->topics, g_strdup (topic), ts);
    }
  return ts;
}

static const SatoriGossipsubTopicScoreParams *
topic_params (SatoriGossipsubScore *score, const char *topic)
{
  const SatoriGossipsubTopicScoreParams *tp = g_hash_table_lookup (score->params->topics, topic);

  if (tp == NULL && score->params->default_topic.topic_weight != 0)
    return &score->params->default_topic;
  return tp;
}

/**
 * satori_gossipsub_score_add_peer:
 * @score: a score
 * @peer: a peer that connected; a retained score is taken up again
 */
void
satori_gossipsub_score_add_peer (SatoriGossipsubScore *score, GBytes *peer)
{
  PeerStats *stats = lookup (score, peer);
  if (stats == NULL)
    {
      stats = g_new0 (PeerStats, 1);
      stats->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (score->peers, g_bytes_ref (peer), stats);
    }
  stats->connected = TRUE;
  invalidate (stats);
}

static void
ip_unlink (SatoriGossipsubScore *score, PeerStats *stats, GBytes *peer)
{
  if (stats->ip == NULL)
    return;
  GHashTable *set = g_hash_table_lookup (score->ips, stats->ip);
  if (set != NULL)
    {
      g_hash_table_remove (set, peer);
      if (g_hash_table_size (set) == 0)
        g_hash_table_remove (score->ips, stats->ip);
      else
        invalidate_ip (score, stats->ip);
    }
  invalidate (stats);
}

/**
 * satori_gossipsub_score_remove_peer:
 * @score: a score
 * @peer: a peer that disconnected
 * @now_us: the time now
 *
 * A positive score is forgotten at once; any other is kept for the
 * retention time, so that reconnecting does not wash a penalty away.
 */
void
satori_gossipsub_score_remove_peer (SatoriGossipsubScore *score, GBytes *peer, gint64 now_us)
{
  PeerStats *stats = lookup (score, peer);
  if (stats == NULL)
    return;
  ip_unlink (score, stats, peer);
  if (satori_gossipsub_score_get (score, peer, now_us) > 0)
    {
      g_hash_table_remove (score->peers, peer);
      return;
    }
  /* Leaving the meshes: pruning only updates existing topic entries. */
  GHashTableIter iter;
  const char *topic;
  TopicStats *ts;
  g_hash_table_iter_init (&iter, stats->topics);
  while (g_hash_table_iter_next (&iter, (gpointer *) &topic, (gpointer *) &ts))
    if (ts->in_mesh)
      satori_gossipsub_score_prune (score, peer, topic, now_us);
  stats->connected = FALSE;
  stats->expires_us = now_us + score->params->retain_score_us;
}

/**
 * satori_gossipsub_score_graft:
 * @score: a score
 * @peer: a peer
 * @topic: the topic whose mesh @peer joined
 * @now_us: the time now
 */
void
satori_gossipsub_score_graft (SatoriGossipsubScore *score, GBytes *peer, const char *topic,
                              gint64 now_us)
{
  PeerStats *stats = lookup_for_update (score, peer);
  if (stats == NULL)
    return;
  TopicStats *ts = topic_stats (stats, topic);
  ts->in_mesh = TRUE;
  ts->graft_time_us = now_us;
  ts->mesh_deliveries_active = FALSE;
}

static double
mesh_deficit (const TopicStats *ts, const SatoriGossipsubTopicScoreParams *tp)
{
  if (!ts->mesh_deliveries_active
      || ts->mesh_message_deliveries >= tp->mesh_message_deliveries_threshold)
    return 0;
  return tp->mesh_message_deliveries_threshold - ts->mesh_message_deliveries;
}

/**
 * satori_gossipsub_score_prune:
 * @score: a score
 * @peer: a peer
 * @topic: the topic whose mesh @peer left
 * @now_us: the time now
 *
 * A peer that leaves the mesh owing deliveries (P3 active and under its
 * threshold) takes the deficit squared into its mesh failure penalty.
 */
void
satori_gossipsub_score_prune (SatoriGossipsubScore *score, GBytes *peer, const char *topic,
                              gint64 now_us)
{
  PeerStats *stats = lookup_for_update (score, peer);
  const SatoriGossipsubTopicScoreParams *tp = topic_params (score, topic);
  if (stats == NULL)
    return;
  TopicStats *ts = topic_stats (stats, topic);
  if (tp != NULL)
    {
      double deficit = mesh_deficit (ts, tp);
      ts->mesh_failure_penalty += deficit * deficit;
    }
  ts->in_mesh = FALSE;
}

static Record *
record_get (SatoriGossipsubScore *score, GBytes *id, gint64 now_us)
{
  Record *record = g_hash_table_lookup (score->records, id);
  if (record != NULL)
    return record;
  /* Expire the oldest records first: ids age in the order they came. */
  while ((record = g_queue_peek_head (&score->record_order)) != NULL
         && record->expires_us <= now_us)
    {
      g_hash_table_remove (score->records, record->id);
      record_free (g_queue_pop_head (&score->record_order));
    }
  record = g_new0 (Record, 1);
  record->id = g_bytes_ref (id);
  record->status = RECORD_PENDING;
  record->expires_us = now_us + score->record_ttl_us;
  record->peers = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                         (GDestroyNotify) g_bytes_unref, NULL);
  g_hash_table_insert (score->records, record->id, record);
  g_queue_push_tail (&score->record_order, record);
  return record;
}

/**
 * satori_gossipsub_score_validate:
 * @score: a score
 * @peer: the peer that sent a new message first
 * @id: the message id
 * @now_us: the time now
 *
 * A new message goes into validation.
 */
void
satori_gossipsub_score_validate (SatoriGossipsubScore *score, GBytes *peer, GBytes *id,
                                 gint64 now_us)
{
  Record *record = record_get (score, id, now_us);
  g_hash_table_add (record->peers, g_bytes_ref (peer));
}

static void
count_mesh_delivery (SatoriGossipsubScore *score, GBytes *peer, const char *topic)
{
  PeerStats *stats = lookup_for_update (score, peer);
  const SatoriGossipsubTopicScoreParams *tp = topic_params (score, topic);
  if (stats == NULL || tp == NULL)
    return;
  TopicStats *ts = topic_stats (stats, topic);
  if (ts->in_mesh)
    ts->mesh_message_deliveries = MIN (ts->mesh_message_deliveries + 1,
                                       tp->mesh_message_deliveries_cap);
}

static void
count_invalid (SatoriGossipsubScore *score, GBytes *peer, const char *topic)
{
  PeerStats *stats = lookup_for_update (score, peer);
  if (stats == NULL || topic == NULL)
    return;
  topic_stats (stats, topic)->invalid_message_deliveries += 1;
}

/**
 * satori_gossipsub_score_deliver:
 * @score: a score
 * @peer: the peer that sent the message first
 * @id: the message id
 * @topic: its topic
 * @now_us: the time now
 *
 * The message passed validation: @peer earns a first delivery (P2) and a
 * mesh delivery (P3); the peers that sent it during validation a mesh
 * delivery.
 */
void
satori_gossipsub_score_deliver (SatoriGossipsubScore *score, GBytes *peer, GBytes *id,
                                const char *topic, gint64 now_us)
{
  Record *record = record_get (score, id, now_us);
  PeerStats *stats = lookup_for_update (score, peer);
  const SatoriGossipsubTopicScoreParams *tp = topic_params (score, topic);

  record->status = RECORD_VALID;
  record->validated_us = now_us;
  if (stats != NULL && tp != NULL)
    {
      TopicStats *ts = topic_stats (stats, topic);
      ts->first_message_deliveries = MIN (ts->first_message_deliveries + 1,
                                          tp->first_message_deliveries_cap);
    }
  GHashTableIter iter;
  GBytes *other;
  g_hash_table_iter_init (&iter, record->peers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &other, NULL))
    count_mesh_delivery (score, other, topic);
  if (!g_hash_table_contains (record->peers, peer))
    count_mesh_delivery (score, peer, topic);
}

/**
 * satori_gossipsub_score_reject:
 * @score: a score
 * @peer: the peer that sent an invalid message
 * @id: (nullable): the message id, %NULL when it could not be computed
 * @topic: (nullable): its topic
 *
 * @peer, and every peer that sent the message during validation, gets an
 * invalid delivery (P4).
 */
void
satori_gossipsub_score_reject (SatoriGossipsubScore *score, GBytes *peer, GBytes *id,
                               const char *topic)
{
  Record *record = id != NULL ? g_hash_table_lookup (score->records, id) : NULL;

  if (record == NULL)
    {
      count_invalid (score, peer, topic);
      return;
    }
  record->status = RECORD_INVALID;
  if (!g_hash_table_contains (record->peers, peer))
    count_invalid (score, peer, topic);
  GHashTableIter iter;
  GBytes *other;
  g_hash_table_iter_init (&iter, record->peers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &other, NULL))
    count_invalid (score, other, topic);
  g_hash_table_remove_all (record->peers);
}

/**
 * satori_gossipsub_score_ignore:
 * @score: a score
 * @id: a message the validator ignored: nobody is rewarded or penalised
 */
void
satori_gossipsub_score_ignore (SatoriGossipsubScore *score, GBytes *id)
{
  Record *record = g_hash_table_lookup (score->records, id);
  if (record == NULL)
    return;
  record->status = RECORD_IGNORED;
  g_hash_table_remove_all (record->peers);
}

/**
 * satori_gossipsub_score_duplicate:
 * @score: a score
 * @peer: a peer that sent a message we already had
 * @id: the message id
 * @topic: its topic
 * @now_us: the time now
 *
 * During validation, @peer shares the message's fate; after it, a
 * duplicate inside the delivery window still counts for P3; after an
 * invalid verdict it counts as invalid.
 */
void
satori_gossipsub_score_duplicate (SatoriGossipsubScore *score, GBytes *peer, GBytes *id,
                                  const char *topic, gint64 now_us)
{
  Record *record = g_hash_table_lookup (score->records, id);
  const SatoriGossipsubTopicScoreParams *tp = topic_params (score, topic);

  if (record == NULL)
    return;
  switch (record->status)
    {
    case RECORD_PENDING:
      g_hash_table_add (record->peers, g_bytes_ref (peer));
      break;
    case RECORD_VALID:
      if (tp != NULL && !g_hash_table_contains (record->peers, peer)
          && now_us - record->validated_us <= tp->mesh_message_deliveries_window_us)
        {
          g_hash_table_add (record->peers, g_bytes_ref (peer));
          count_mesh_delivery (score, peer, topic);
        }
      break;
    case RECORD_INVALID:
      count_invalid (score, peer, topic);
      break;
    case RECORD_IGNORED:
      break;
    }
}

/**
 * satori_gossipsub_score_add_penalty:
 * @score: a score
 * @peer: a peer that misbehaved
 * @count: how much to add to its behaviour penalty (P7)
 */
void
satori_gossipsub_score_add_penalty (SatoriGossipsubScore *score, GBytes *peer, double count)
{
  PeerStats *stats = lookup_for_update (score, peer);
  if (stats != NULL)
    stats->behaviour_penalty += count;
}

/**
 * satori_gossipsub_score_set_app_score:
 * @score: a score
 * @peer: a peer
 * @value: the application-specific score (P5)
 */
void
satori_gossipsub_score_set_app_score (SatoriGossipsubScore *score, GBytes *peer, double value)
{
  PeerStats *stats = lookup_for_update (score, peer);
  if (stats != NULL)
    stats->app_score = value;
}

/**
 * satori_gossipsub_score_set_ip:
 * @score: a score
 * @peer: a connected peer
 * @ip: (nullable): the IP address it connects from, for P6
 */
void
satori_gossipsub_score_set_ip (SatoriGossipsubScore *score, GBytes *peer, const char *ip)
{
  PeerStats *stats = lookup_for_update (score, peer);
  if (stats == NULL)
    return;
  ip_unlink (score, stats, peer);
  g_free (stats->ip);
  stats->ip = g_strdup (ip);
  if (ip == NULL)
    return;
  GHashTable *set = g_hash_table_lookup (score->ips, ip);
  if (set == NULL)
    {
      set = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                   (GDestroyNotify) g_bytes_unref, NULL);
      g_hash_table_insert (score->ips, g_strdup (ip), set);
    }
  g_hash_table_add (set, g_bytes_ref (peer));
  invalidate_ip (score, ip);
}

/* P1 counts whole quanta (as go-libp2p-pubsub does), so that the score
 * only changes with time at quantum boundaries and can be cached. */
static double
time_in_mesh (const TopicStats *ts, const SatoriGossipsubTopicScoreParams *tp, gint64 now_us)
{
  if (!ts->in_mesh || tp->time_in_mesh_quantum_us <= 0 || now_us <= ts->graft_time_us)
    return 0;
  double quanta = (double) ((now_us - ts->graft_time_us) / tp->time_in_mesh_quantum_us);
  return MIN (quanta, tp->time_in_mesh_cap);
}

/* When time_in_mesh() next changes, G_MAXINT64 when it no longer will. */
static gint64
time_in_mesh_next_change (const TopicStats *ts, const SatoriGossipsubTopicScoreParams *tp,
                          gint64 now_us)
{
  if (!ts->in_mesh || tp->time_in_mesh_quantum_us <= 0 || tp->time_in_mesh_weight == 0
      || time_in_mesh (ts, tp, now_us) >= tp->time_in_mesh_cap)
    return G_MAXINT64;
  if (now_us < ts->graft_time_us)
    return ts->graft_time_us + tp->time_in_mesh_quantum_us;
  gint64 quanta = (now_us - ts->graft_time_us) / tp->time_in_mesh_quantum_us;
  return ts->graft_time_us + (quanta + 1) * tp->time_in_mesh_quantum_us;
}

static double
topic_score (const TopicStats *ts, const SatoriGossipsubTopicScoreParams *tp, gint64 now_us)
{
  double deficit = mesh_deficit (ts, tp);
  double value = time_in_mesh (ts, tp, now_us) * tp->time_in_mesh_weight
    + ts->first_message_deliveries * tp->first_message_deliveries_weight
    + deficit * deficit * tp->mesh_message_deliveries_weight
    + ts->mesh_failure_penalty * tp->mesh_failure_penalty_weight
    + ts->invalid_message_deliveries * ts->invalid_message_deliveries
      * tp->invalid_message_deliveries_weight;
  return value * tp->topic_weight;
}

/* The score from the counters; *@until_us: when time alone would change it. */
static double
compute (SatoriGossipsubScore *score, PeerStats *stats, gint64 now_us, gint64 *until_us)
{
  const SatoriGossipsubScoreParams *params = score->params;
  double topics = 0, value;

  *until_us = G_MAXINT64;
  GHashTableIter iter;
  const char *topic;
  TopicStats *ts;
  g_hash_table_iter_init (&iter, stats->topics);
  while (g_hash_table_iter_next (&iter, (gpointer *) &topic, (gpointer *) &ts))
    {
      const SatoriGossipsubTopicScoreParams *tp = topic_params (score, topic);
      if (tp == NULL)
        continue;
      topics += topic_score (ts, tp, now_us);
      *until_us = MIN (*until_us, time_in_mesh_next_change (ts, tp, now_us));
    }
  if (params->topic_score_cap > 0)
    topics = MIN (topics, params->topic_score_cap);
  value = topics + stats->app_score * params->app_specific_weight;

  if (stats->ip != NULL)
    {
      GHashTable *set = g_hash_table_lookup (score->ips, stats->ip);
      double shared = set != NULL ? g_hash_table_size (set) : 0;
      if (shared > params->ip_colocation_factor_threshold)
        {
          double surplus = shared - params->ip_colocation_factor_threshold;
          value += surplus * surplus * params->ip_colocation_factor_weight;
        }
    }
  if (stats->behaviour_penalty > params->behaviour_penalty_threshold)
    {
      double excess = stats->behaviour_penalty - params->behaviour_penalty_threshold;
      value += excess * excess * params->behaviour_penalty_weight;
    }
  return value;
}

/**
 * satori_gossipsub_score_get:
 * @score: a score
 * @peer: a peer
 * @now_us: the time now
 *
 * Computed once and kept until a counter of @peer changes, the counters
 * decay, a peer joins or leaves @peer's IP, or P1 reaches its next quantum.
 *
 * Returns: the peer's score; 0 for a peer it does not know
 */
double
satori_gossipsub_score_get (SatoriGossipsubScore *score, GBytes *peer, gint64 now_us)
{
  PeerStats *stats = lookup (score, peer);

  if (stats == NULL)
    return 0;
  if (now_us < stats->cached_at_us || now_us >= stats->cached_until_us)
    {
      stats->cached = compute (score, stats, now_us, &stats->cached_until_us);
      stats->cached_at_us = now_us;
    }
  return stats->cached;
}

/**
 * satori_gossipsub_score_get_counters:
 * @score: a score
 * @peer: a peer
 * @topic: a topic
 * @now_us: the time now
 * @counters: (out): the peer's counters in @topic
 *
 * Returns: %FALSE when the score has no counters of @peer in @topic
 */
gboolean
satori_gossipsub_score_get_counters (SatoriGossipsubScore *score, GBytes *peer,
                                     const char *topic, gint64 now_us,
                                     SatoriGossipsubScoreCounters *counters)
{
  PeerStats *stats = lookup (score, peer);
  TopicStats *ts = stats != NULL ? g_hash_table_lookup (stats->topics, topic) : NULL;
  const SatoriGossipsubTopicScoreParams *tp = topic_params (score, topic);

  if (ts == NULL)
    return FALSE;
  *counters = (SatoriGossipsubScoreCounters) {
    .time_in_mesh = tp != NULL ? time_in_mesh (ts, tp, now_us) : 0,
    .first_message_deliveries = ts->first_message_deliveries,
    .mesh_message_deliveries = ts->mesh_message_deliveries,
    .mesh_failure_penalty = ts->mesh_failure_penalty,
    .invalid_message_deliveries = ts->invalid_message_deliveries,
  };
  return TRUE;
}

/**
 * satori_gossipsub_score_get_behaviour_penalty:
 * @score: a score
 * @peer: a peer
 *
 * Returns: P7's counter for @peer
 */
double
satori_gossipsub_score_get_behaviour_penalty (SatoriGossipsubScore *score, GBytes *peer)
{
  PeerStats *stats = lookup (score, peer);
  return stats != NULL ? stats->behaviour_penalty : 0;
}

static double
decay (double value, double factor, double to_zero)
{
  value *= factor;
  return value < to_zero ? 0 : value;
}

/**
 * satori_gossipsub_score_refresh:
 * @score: a score
 * @now_us: the time now
 *
 * Decays every counter once (call it every decay interval), activates P3
 * for peers in a mesh long enough, and drops retained scores whose time is
 * up.
 */
void
satori_gossipsub_score_refresh (SatoriGossipsubScore *score, gint64 now_us)
{
  const SatoriGossipsubScoreParams *params = score->params;
  GHashTableIter peers;
  PeerStats *stats;

  g_hash_table_iter_init (&peers, score->peers);
  while (g_hash_table_iter_next (&peers, NULL, (gpointer *) &stats))
    {
      if (!stats->connected && stats->expires_us <= now_us)
        {
          g_hash_table_iter_remove (&peers);
          continue;
        }
      GHashTableIter topics;
      const char *topic;
      TopicStats *ts;
      g_hash_table_iter_init (&topics, stats->topics);
      while (g_hash_table_iter_next (&topics, (gpointer *) &topic, (gpointer *) &ts))
        {
          const SatoriGossipsubTopicScoreParams *tp = topic_params (score, topic);
          if (tp == NULL)
            continue;
          ts->first_message_deliveries = decay (ts->first_message_deliveries,
                                                tp->first_message_deliveries_decay,
                                                params->decay_to_zero);
          ts->mesh_message_deliveries = decay (ts->mesh_message_deliveries,
                                               tp->mesh_message_deliveries_decay,
                                               params->decay_to_zero);
          ts->mesh_failure_penalty = decay (ts->mesh_failure_penalty,
                                            tp->mesh_failure_penalty_decay,
                                            params->decay_to_zero);
          ts->invalid_message_deliveries = decay (ts->invalid_message_deliveries,
                                                  tp->invalid_message_deliveries_decay,
                                                  params->decay_to_zero);
          if (ts->in_mesh
              && now_us - ts->graft_time_us > tp->mesh_message_deliveries_activation_us)
            ts->mesh_deliveries_active = TRUE;
        }
      stats->behaviour_penalty = decay (stats->behaviour_penalty,
                                        params->behaviour_penalty_decay,
                                        params->decay_to_zero);
      invalidate (stats);
    }
}

/**
 * satori_gossipsub_score_n_peers:
 * @score: a score
 *
 * Returns: how many peers the score holds, retained ones included
 */
guint
satori_gossipsub_score_n_peers (SatoriGossipsubScore *score)
{
  return g_hash_table_size (score->peers);
}
