/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The control messages a gossipsub peer sends: IHAVE (answered with IWANT
 * within the per-heartbeat limits, with a promise), IWANT, GRAFT (refused
 * and penalised during backoff), PRUNE (backoff, peer exchange) and
 * IDONTWANT.
 */
#include "satori-gossipsub-private.h"

static void
handle_ihave (SatoriGossipsubSession *self, Peer *peer,
              const Satori__Pubsub__ControlIHave *ihave, gint64 now_us)
{
  if (ihave->topicid == NULL || !g_hash_table_contains (self->mesh, ihave->topicid))
    return;
  if (++peer->ihave_count > self->params.max_ihave_messages
      || peer->iasked >= self->params.max_ihave_length)
    {
      self->stats.ihave_ignored++;
      return;
    }

  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GHashTable) unique = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  for (gsize i = 0; i < ihave->n_messageids; i++)
    {
      GBytes *id = satori_gossipsub_binary (&ihave->messageids[i]);
      if (satori_pubsub_seen_cache_contains (self->seen, id, now_us)
          || g_hash_table_contains (unique, id))
        {
          g_bytes_unref (id);
          continue;
        }
      g_hash_table_add (unique, id);
      g_ptr_array_add (wanted, id);
    }
  guint room = self->params.max_ihave_length - peer->iasked;
  satori_gossipsub_shuffle (self, wanted);
  if (wanted->len > room)
    g_ptr_array_set_size (wanted, room);
  if (wanted->len == 0)
    return;

  peer->iasked += wanted->len;
  peer->dirty = TRUE;
  for (guint i = 0; i < wanted->len; i++)
    satori_gossipsub_outbox_add_iwant (peer->outbox, g_ptr_array_index (wanted, i));
  self->stats.iwant_sent += wanted->len;
  /* One promise per IWANT, on a random id of it (as go-libp2p-pubsub). */
  GBytes *promised = g_ptr_array_index (wanted, 0);
  satori_gossipsub_promises_add (self->promises, peer->id, promised,
                                 now_us + self->params.iwant_followup_time_us);
}

static void
handle_iwant (SatoriGossipsubSession *self, Peer *peer,
              const Satori__Pubsub__ControlIWant *iwant)
{
  for (gsize i = 0; i < iwant->n_messageids; i++)
    {
      g_autoptr(GBytes) id = satori_gossipsub_binary (&iwant->messageids[i]);
      guint count;
      GBytes *message = satori_gossipsub_mcache_get_for_peer (self->mcache, id, peer->id,
                                                              &count);
      if (message == NULL || count > self->params.gossip_retransmission)
        continue;
      peer->dirty = TRUE;
      satori_gossipsub_outbox_add_message (peer->outbox, id, message);
      self->stats.iwant_served++;
    }
}

static void
handle_graft (SatoriGossipsubSession *self, Peer *peer,
              const Satori__Pubsub__ControlGraft *graft, gint64 now_us)
{
  const char *topic = graft->topicid;
  GHashTable *mesh = topic != NULL ? g_hash_table_lookup (self->mesh, topic) : NULL;

  /* Not our topic: ignored, so that GRAFTs for made-up topics cost us no
   * backoff entries (go-libp2p-pubsub does the same). */
  if (mesh == NULL || g_hash_table_contains (mesh, peer->id))
    return;
  /* Direct peers get everything anyway: no mesh with them, no penalty. */
  if (peer->direct)
    {
      self->stats.grafts_refused++;
      satori_gossipsub_send_prune (self, topic, peer->id, FALSE, FALSE, now_us);
      return;
    }

  gint64 until = satori_gossipsub_backoff_until (self->backoff, topic, peer->id);
  if (until > now_us)
    {
      /* GRAFT during backoff: a penalty, two when it comes right after the
       * PRUNE (within graft_flood_threshold of it). */
      gint64 pruned_at = until - self->params.prune_backoff_us;
      double penalty = now_us < pruned_at + self->params.graft_flood_threshold_us ? 2 : 1;
      satori_gossipsub_score_add_penalty (self->score, peer->id, penalty);
      self->stats.grafts_refused++;
      satori_gossipsub_send_prune (self, topic, peer->id, FALSE, FALSE, now_us);
      return;
    }
  if (satori_gossipsub_peer_score (self, peer->id, now_us) < 0)
    {
      self->stats.grafts_refused++;
      satori_gossipsub_send_prune (self, topic, peer->id, FALSE, FALSE, now_us);
      return;
    }
  if (g_hash_table_size (mesh) >= self->params.d_high && !peer->outbound)
    {
      self->stats.grafts_refused++;
      satori_gossipsub_send_prune (self, topic, peer->id, TRUE, FALSE, now_us);
      return;
    }
  g_hash_table_add (mesh, g_bytes_ref (peer->id));
  satori_gossipsub_score_graft (self->score, peer->id, topic, now_us);
}

static void
handle_prune (SatoriGossipsubSession *self, Peer *peer,
              const Satori__Pubsub__ControlPrune *prune, gint64 now_us)
{
  const char *topic = prune->topicid;
  GHashTable *mesh = topic != NULL ? g_hash_table_lookup (self->mesh, topic) : NULL;

  /* Only our topics: a PRUNE for any other would just grow the backoff
   * table. */
  if (mesh == NULL)
    return;
  if (g_hash_table_remove (mesh, peer->id))
    satori_gossipsub_score_prune (self->score, peer->id, topic, now_us);

  gint64 backoff_us = self->params.prune_backoff_us;
  if (prune->has_backoff)
    backoff_us = (gint64) MIN (prune->backoff, (guint64) G_MAXINT32) * G_USEC_PER_SEC;
  satori_gossipsub_backoff_set (self->backoff, topic, peer->id, now_us + backoff_us);

  if (prune->n_peers == 0 || peer->version < PEER_MESHSUB_1_1
      || satori_gossipsub_peer_score (self, peer->id, now_us)
         < self->params.score.accept_px_threshold)
    return;
  for (gsize i = 0; i < prune->n_peers && i < self->params.prune_peers; i++)
    {
      const Satori__Pubsub__PeerInfo *info = prune->peers[i];
      if (!info->has_peerid)
        continue;
      g_autoptr(GBytes) id = satori_gossipsub_binary (&info->peerid);
      if (g_hash_table_contains (self->peers, id))
        continue;
      SatoriPubsubCoreEvent event = {
        .type = SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER,
        .peer = g_bytes_ref (id),
        .topic = g_strdup (topic),
        .signed_peer_record = info->has_signedpeerrecord
                              ? satori_gossipsub_binary (&info->signedpeerrecord) : NULL,
      };
      satori_gossipsub_push_event (self, &event);
    }
}

static void
handle_idontwant (SatoriGossipsubSession *self, Peer *peer,
                  const Satori__Pubsub__ControlIDontWant *idontwant)
{
  for (gsize i = 0; i < idontwant->n_messageids; i++)
    {
      if (peer->idontwant_count >= self->params.max_idontwant_messages)
        return;
      peer->idontwant_count++;
      GBytes *id = satori_gossipsub_binary (&idontwant->messageids[i]);
      /* Queued for the peer but not yet taken: it goes too. */
      if (satori_gossipsub_outbox_drop_message (peer->outbox, id))
        self->stats.idontwant_skipped++;
      g_hash_table_replace (peer->dont_want, id,
                            GUINT_TO_POINTER (self->ticks + self->params.idontwant_message_ttl));
    }
}

void
satori_gossipsub_handle_control (SatoriGossipsubSession *self, Peer *peer,
                const Satori__Pubsub__ControlMessage *control, gint64 now_us)
{
  gboolean may_gossip = satori_gossipsub_peer_score (self, peer->id, now_us)
                        >= self->params.score.gossip_threshold;

  if (peer->version == PEER_FLOODSUB)
    return;
  for (gsize i = 0; i < control->n_graft; i++)
    handle_graft (self, peer, control->graft[i], now_us);
  for (gsize i = 0; i < control->n_prune; i++)
    handle_prune (self, peer, control->prune[i], now_us);
  for (gsize i = 0; may_gossip && i < control->n_ihave; i++)
    handle_ihave (self, peer, control->ihave[i], now_us);
  for (gsize i = 0; may_gossip && i < control->n_iwant; i++)
    handle_iwant (self, peer, control->iwant[i]);
  for (gsize i = 0; peer->version >= PEER_MESHSUB_1_2 && i < control->n_idontwant; i++)
    handle_idontwant (self, peer, control->idontwant[i]);
}
