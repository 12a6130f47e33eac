/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Picking peers (sets, filters, shuffles, scores) and what goes to them
 * outside of messages: GRAFT, PRUNE with backoff and PX, and flushing
 * the outboxes into the round-robin ready queue.
 */
#include "satori-gossipsub-private.h"

GHashTable *
satori_gossipsub_peer_set_new (void)
{
  return g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                NULL);
}

/* The members of a peer set, as references owned by the array; empty for
 * a %NULL set. */
GPtrArray *
satori_gossipsub_set_to_array (GHashTable *set)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GHashTableIter iter;
  GBytes *id;

  if (set == NULL)
    return out;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_ptr_array_add (out, g_bytes_ref (id));
  return out;
}

/**
 * satori_gossipsub_collect_peers: (skip)
 *
 * The peers subscribed to @topic that pass @filter (all when %NULL), as
 * GBytes references owned by the array.
 */
GPtrArray *
satori_gossipsub_collect_peers (SatoriGossipsubSession *self, const char *topic,
                                PeerFilter filter, gpointer data, gint64 now_us)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GHashTable *set = g_hash_table_lookup (self->topic_peers, topic);
  GHashTableIter iter;
  GBytes *id;

  if (set == NULL)
    return out;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      Peer *peer = g_hash_table_lookup (self->peers, id);
      if (peer != NULL && (filter == NULL || filter (self, peer, data, now_us)))
        g_ptr_array_add (out, g_bytes_ref (id));
    }
  return out;
}

void
satori_gossipsub_shuffle (SatoriGossipsubSession *self, GPtrArray *array)
{
  for (guint i = array->len; i > 1; i--)
    {
      guint j = self->provider.random_u32 (self->provider.user_data) % i;
      gpointer tmp = array->pdata[i - 1];
      array->pdata[i - 1] = array->pdata[j];
      array->pdata[j] = tmp;
    }
}

double
satori_gossipsub_peer_score (SatoriGossipsubSession *self, GBytes *peer, gint64 now_us)
{
  if (!self->params.score_enabled)
    return 0;
  return satori_gossipsub_score_get (self->score, peer, now_us);
}

/* The peer, marked as having something to flush. */
Peer *
satori_gossipsub_outbox_of (SatoriGossipsubSession *self, GBytes *id)
{
  Peer *peer = g_hash_table_lookup (self->peers, id);
  if (peer != NULL)
    peer->dirty = TRUE;
  return peer;
}

void
satori_gossipsub_send_graft (SatoriGossipsubSession *self, const char *topic, GBytes *id,
                             gint64 now_us)
{
  Peer *peer = satori_gossipsub_outbox_of (self, id);
  if (peer == NULL)
    return;
  satori_gossipsub_outbox_add_graft (peer->outbox, topic);
  satori_gossipsub_score_graft (self->score, id, topic, now_us);
}

static gboolean
px_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer data, gint64 now_us)
{
  return !g_bytes_equal (peer->id, data) && peer->version >= PEER_MESHSUB_1_0
         && satori_gossipsub_peer_score (self, peer->id, now_us) >= 0;
}

/* Tells @id it left our mesh of @topic, with the backoff (and peers, when
 * @px) a v1.1 peer understands, and starts the backoff on our side. */
void
satori_gossipsub_send_prune (SatoriGossipsubSession *self, const char *topic, GBytes *id,
                             gboolean px, gboolean unsubscribe, gint64 now_us)
{
  Peer *peer = satori_gossipsub_outbox_of (self, id);
  gint64 backoff_us = unsubscribe ? self->params.unsubscribe_backoff_us
                                  : self->params.prune_backoff_us;
  GPtrArray *offered = NULL;

  if (peer == NULL)
    return;
  satori_gossipsub_backoff_set (self->backoff, topic, id, now_us + backoff_us);
  if (peer->version < PEER_MESHSUB_1_1)
    {
      satori_gossipsub_outbox_add_prune (peer->outbox, topic, NULL, FALSE, 0);
      return;
    }
  if (px && self->params.do_px)
    {
      offered = satori_gossipsub_collect_peers (self, topic, px_candidate, id, now_us);
      satori_gossipsub_shuffle (self, offered);
      if (offered->len > self->params.prune_peers)
        g_ptr_array_set_size (offered, self->params.prune_peers);
    }
  satori_gossipsub_outbox_add_prune (peer->outbox, topic, offered, TRUE,
                                     backoff_us / G_USEC_PER_SEC);
}

static void
mark_ready (SatoriGossipsubSession *self, Peer *peer)
{
  if (!peer->ready && satori_gossipsub_outbox_has_pending (peer->outbox))
    {
      peer->ready = TRUE;
      g_queue_push_tail (&self->ready, g_bytes_ref (peer->id));
    }
}

void
satori_gossipsub_flush (SatoriGossipsubSession *self)
{
  GHashTableIter iter;
  Peer *peer;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      if (!peer->dirty)
        continue;
      self->stats.outbound_dropped += satori_gossipsub_outbox_take_dropped (peer->outbox);
      peer->dirty = FALSE;
      mark_ready (self, peer);
    }
}

void
satori_gossipsub_push_event (SatoriGossipsubSession *self, SatoriPubsubCoreEvent *event)
{
  g_queue_push_tail (&self->events, g_memdup2 (event, sizeof *event));
}

GBytes *
satori_gossipsub_binary (const ProtobufCBinaryData *data)
{
  return g_bytes_new (data->data, data->len);
}
