/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The heartbeat: penalties for broken IWANT promises, score decay, mesh
 * maintenance (D_low/D_high/D_score/D_out, opportunistic grafting), fanout
 * upkeep, IHAVE gossip and the message cache shift.
 */
#include "satori-gossipsub-private.h"

static void
apply_broken_promises (SatoriGossipsubSession *self, gint64 now_us)
{
  g_autoptr(GHashTable) broken = satori_gossipsub_promises_take_broken (self->promises, now_us);
  GHashTableIter iter;
  GBytes *peer;
  gpointer count;

  g_hash_table_iter_init (&iter, broken);
  while (g_hash_table_iter_next (&iter, (gpointer *) &peer, &count))
    satori_gossipsub_score_add_penalty (self->score, peer, GPOINTER_TO_UINT (count));
}

static void
reset_peer_counters (SatoriGossipsubSession *self)
{
  GHashTableIter iter;
  Peer *peer;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      GHashTableIter ids;
      gpointer expires;
      peer->ihave_count = 0;
      peer->iasked = 0;
      peer->idontwant_count = 0;
      g_hash_table_iter_init (&ids, peer->dont_want);
      while (g_hash_table_iter_next (&ids, NULL, &expires))
        if (GPOINTER_TO_UINT (expires) <= self->ticks)
          g_hash_table_iter_remove (&ids);
    }
}

typedef struct {
  SatoriGossipsubSession *self;
  GHashTable *scores;   /* GBytes -> double* */
} ScoreOrder;

static int
by_score_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  ScoreOrder *order = data;
  double sa = *(double *) g_hash_table_lookup (order->scores, *(GBytes **) a);
  double sb = *(double *) g_hash_table_lookup (order->scores, *(GBytes **) b);
  return sa < sb ? 1 : sa > sb ? -1 : 0;
}

static GHashTable *
scores_of (SatoriGossipsubSession *self, GPtrArray *peers, gint64 now_us)
{
  GHashTable *scores = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, NULL, g_free);
  for (guint i = 0; i < peers->len; i++)
    {
      double value = satori_gossipsub_peer_score (self, g_ptr_array_index (peers, i), now_us);
      g_hash_table_insert (scores, g_ptr_array_index (peers, i), g_memdup2 (&value, sizeof value));
    }
  return scores;
}

static gboolean
is_outbound (SatoriGossipsubSession *self, GBytes *id)
{
  Peer *peer = g_hash_table_lookup (self->peers, id);
  return peer != NULL && peer->outbound;
}

static void
graft (SatoriGossipsubSession *self, const char *topic, GHashTable *mesh, GBytes *id,
       gint64 now_us)
{
  g_hash_table_add (mesh, g_bytes_ref (id));
  satori_gossipsub_send_graft (self, topic, id, now_us);
}

static void
prune (SatoriGossipsubSession *self, const char *topic, GHashTable *mesh, GBytes *id,
       gboolean px, gint64 now_us)
{
  g_autoptr(GBytes) held = g_bytes_ref (id);
  g_hash_table_remove (mesh, held);
  satori_gossipsub_score_prune (self->score, held, topic, now_us);
  satori_gossipsub_send_prune (self, topic, held, px, FALSE, now_us);
}

static gboolean
outbound_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer topic, gint64 now_us)
{
  return peer->outbound && satori_gossipsub_mesh_candidate (self, peer, topic, now_us);
}

typedef struct {
  const char *topic;
  double above;
} OpportunisticFilter;

static gboolean
better_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer data, gint64 now_us)
{
  OpportunisticFilter *filter = data;
  return satori_gossipsub_mesh_candidate (self, peer, (gpointer) filter->topic, now_us)
         && satori_gossipsub_peer_score (self, peer->id, now_us) > filter->above;
}

static void
graft_from (SatoriGossipsubSession *self, const char *topic, GHashTable *mesh,
            PeerFilter filter, gpointer data, guint count, gint64 now_us)
{
  g_autoptr(GPtrArray) candidates = satori_gossipsub_collect_peers (self, topic, filter, data,
                                                                    now_us);
  satori_gossipsub_shuffle (self, candidates);
  for (guint i = 0; i < candidates->len && i < count; i++)
    graft (self, topic, mesh, g_ptr_array_index (candidates, i), now_us);
}

/* Over D_high: keep the D_score best, then others at random up to D, with
 * at least D_out outbound peers among them; prune the rest with PX. */
static void
shrink_mesh (SatoriGossipsubSession *self, const char *topic, GHashTable *mesh, gint64 now_us)
{
  const SatoriGossipsubParams *p = &self->params;
  g_autoptr(GPtrArray) peers = satori_gossipsub_set_to_array (mesh);
  g_autoptr(GHashTable) scores = scores_of (self, peers, now_us);
  ScoreOrder order = { self, scores };

  satori_gossipsub_shuffle (self, peers);
  g_ptr_array_sort_with_data (peers, by_score_desc, &order);
  /* Shuffle what comes after the D_score best. */
  if (peers->len > p->d_score)
    {
      g_autoptr(GPtrArray) rest = g_ptr_array_new ();
      for (guint i = p->d_score; i < peers->len; i++)
        g_ptr_array_add (rest, peers->pdata[i]);
      satori_gossipsub_shuffle (self, rest);
      for (guint i = 0; i < rest->len; i++)
        peers->pdata[p->d_score + i] = rest->pdata[i];
    }

  /* Bring outbound peers from beyond D into the kept range, replacing
   * inbound ones from its end. */
  guint outbound = 0;
  for (guint i = 0; i < p->d; i++)
    outbound += is_outbound (self, peers->pdata[i]);
  for (guint i = p->d; i < peers->len && outbound < p->d_out; i++)
    {
      if (!is_outbound (self, peers->pdata[i]))
        continue;
      for (guint j = p->d; j-- > 0;)
        if (!is_outbound (self, peers->pdata[j]))
          {
            gpointer tmp = peers->pdata[j];
            peers->pdata[j] = peers->pdata[i];
            peers->pdata[i] = tmp;
            outbound++;
            break;
          }
    }
  for (guint i = p->d; i < peers->len; i++)
    prune (self, topic, mesh, peers->pdata[i], TRUE, now_us);
}

static double
median_score (SatoriGossipsubSession *self, GHashTable *mesh, gint64 now_us)
{
  g_autoptr(GPtrArray) peers = satori_gossipsub_set_to_array (mesh);
  g_autoptr(GHashTable) scores = scores_of (self, peers, now_us);
  ScoreOrder order = { self, scores };

  g_ptr_array_sort_with_data (peers, by_score_desc, &order);
  return *(double *) g_hash_table_lookup (scores, peers->pdata[peers->len / 2]);
}

static void
maintain_mesh (SatoriGossipsubSession *self, const char *topic, GHashTable *mesh, gint64 now_us)
{
  const SatoriGossipsubParams *p = &self->params;

  /* Peers with a negative score leave, without PX. */
  g_autoptr(GPtrArray) members = satori_gossipsub_set_to_array (mesh);
  for (guint i = 0; i < members->len; i++)
    if (satori_gossipsub_peer_score (self, members->pdata[i], now_us) < 0)
      prune (self, topic, mesh, members->pdata[i], FALSE, now_us);

  guint size = g_hash_table_size (mesh);
  if (size < p->d_low)
    graft_from (self, topic, mesh, satori_gossipsub_mesh_candidate, (gpointer) topic,
                p->d - size, now_us);
  if (g_hash_table_size (mesh) > p->d_high)
    shrink_mesh (self, topic, mesh, now_us);

  if (g_hash_table_size (mesh) >= p->d_low)
    {
      guint outbound = 0;
      GHashTableIter iter;
      GBytes *id;
      g_hash_table_iter_init (&iter, mesh);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        outbound += is_outbound (self, id);
      if (outbound < p->d_out)
        graft_from (self, topic, mesh, outbound_candidate, (gpointer) topic,
                    p->d_out - outbound, now_us);
    }

  if (p->score_enabled && p->opportunistic_graft_ticks > 0
      && self->ticks % p->opportunistic_graft_ticks == 0 && g_hash_table_size (mesh) > 1)
    {
      double median = median_score (self, mesh, now_us);
      if (median < p->score.opportunistic_graft_threshold)
        {
          OpportunisticFilter filter = { topic, median };
          graft_from (self, topic, mesh, better_candidate, &filter,
                      p->opportunistic_graft_peers, now_us);
        }
    }
}

static void
maintain_fanout (SatoriGossipsubSession *self, gint64 now_us)
{
  GHashTableIter iter;
  const char *topic;
  GHashTable *set;

  g_hash_table_iter_init (&iter, self->fanout);
  while (g_hash_table_iter_next (&iter, (gpointer *) &topic, (gpointer *) &set))
    {
      gint64 *last = g_hash_table_lookup (self->fanout_last_publish, topic);
      if (last == NULL || *last + self->params.fanout_ttl_us < now_us)
        {
          g_hash_table_remove (self->fanout_last_publish, topic);
          g_hash_table_iter_remove (&iter);
          continue;
        }
      GHashTable *subscribed = g_hash_table_lookup (self->topic_peers, topic);
      GHashTableIter members;
      GBytes *id;
      g_hash_table_iter_init (&members, set);
      while (g_hash_table_iter_next (&members, (gpointer *) &id, NULL))
        if (subscribed == NULL || !g_hash_table_contains (subscribed, id)
            || satori_gossipsub_peer_score (self, id, now_us)
               < self->params.score.publish_threshold)
          g_hash_table_iter_remove (&members);

      if (g_hash_table_size (set) >= self->params.d)
        continue;
      g_autoptr(GPtrArray) more = satori_gossipsub_collect_peers (
        self, topic, satori_gossipsub_fanout_candidate, NULL, now_us);
      satori_gossipsub_shuffle (self, more);
      for (guint i = 0; i < more->len && g_hash_table_size (set) < self->params.d; i++)
        g_hash_table_add (set, g_bytes_ref (more->pdata[i]));
    }
}

typedef struct {
  GHashTable *exclude;
} GossipFilter;

static gboolean
gossip_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer data, gint64 now_us)
{
  GossipFilter *filter = data;
  return peer->version != PEER_FLOODSUB
         && !g_hash_table_contains (filter->exclude, peer->id)
         && satori_gossipsub_peer_score (self, peer->id, now_us)
            >= self->params.score.gossip_threshold;
}

/* IHAVE of the gossip windows' ids to D_lazy (or gossip_factor of them,
 * if more) of the topic peers outside @exclude. */
static void
emit_gossip (SatoriGossipsubSession *self, const char *topic, GHashTable *exclude,
             gint64 now_us)
{
  const SatoriGossipsubParams *p = &self->params;
  g_autoptr(GPtrArray) ids = satori_gossipsub_mcache_gossip_ids (self->mcache, topic);
  if (ids->len == 0)
    return;

  GossipFilter filter = { exclude };
  g_autoptr(GPtrArray) peers = satori_gossipsub_collect_peers (self, topic, gossip_candidate,
                                                               &filter, now_us);
  guint target = MAX (p->d_lazy, (guint) (p->gossip_factor * peers->len));
  satori_gossipsub_shuffle (self, peers);
  for (guint i = 0; i < peers->len && i < target; i++)
    {
      Peer *peer = satori_gossipsub_outbox_of (self, peers->pdata[i]);
      GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      for (guint j = 0; j < ids->len; j++)
        g_ptr_array_add (copy, g_bytes_ref (ids->pdata[j]));
      if (copy->len > p->max_ihave_length)
        {
          satori_gossipsub_shuffle (self, copy);
          g_ptr_array_set_size (copy, p->max_ihave_length);
        }
      satori_gossipsub_outbox_add_ihave (peer->outbox, topic, copy);
    }
}

/**
 * satori_gossipsub_heartbeat: (skip)
 *
 * One heartbeat of the router.
 */
void
satori_gossipsub_heartbeat (SatoriGossipsubSession *self, gint64 now_us)
{
  GHashTableIter iter;
  const char *topic;
  GHashTable *set;

  self->ticks++;
  apply_broken_promises (self, now_us);
  while (self->params.score.decay_interval_us > 0 && now_us >= self->next_decay_us)
    {
      satori_gossipsub_score_refresh (self->score, now_us);
      self->next_decay_us += self->params.score.decay_interval_us;
    }
  reset_peer_counters (self);
  satori_gossipsub_backoff_expire (self->backoff, now_us);
  satori_pubsub_seen_cache_expire (self->seen, now_us);

  g_hash_table_iter_init (&iter, self->mesh);
  while (g_hash_table_iter_next (&iter, (gpointer *) &topic, (gpointer *) &set))
    maintain_mesh (self, topic, set, now_us);
  maintain_fanout (self, now_us);

  g_hash_table_iter_init (&iter, self->mesh);
  while (g_hash_table_iter_next (&iter, (gpointer *) &topic, (gpointer *) &set))
    emit_gossip (self, topic, set, now_us);
  g_hash_table_iter_init (&iter, self->fanout);
  while (g_hash_table_iter_next (&iter, (gpointer *) &topic, (gpointer *) &set))
    emit_gossip (self, topic, set, now_us);

  satori_gossipsub_mcache_shift (self->mcache);
}
