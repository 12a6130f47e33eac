/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-private.h"

#include <string.h>

#include "satori-protobuf.h"
#include "satori-pubsub-error.h"
#include "satori-pubsub-signing.h"

/* A message waiting for the application's verdict. */
typedef struct {
  GBytes *id;
  GBytes *message;     /* encoded */
  GBytes *sender;
  GBytes *source;      /* the author's peer id, or NULL */
  char *topic;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;
  g_bytes_unref (pending->id);
  g_bytes_unref (pending->message);
  g_bytes_unref (pending->sender);
  g_clear_pointer (&pending->source, g_bytes_unref);
  g_free (pending->topic);
  g_free (pending);
}

static void
peer_free (gpointer data)
{
  Peer *peer = data;
  g_bytes_unref (peer->id);
  g_hash_table_unref (peer->topics);
  satori_pubsub_rpc_reader_free (peer->reader);
  satori_gossipsub_outbox_free (peer->outbox);
  g_hash_table_unref (peer->dont_want);
  g_free (peer);
}

static void
event_free (gpointer data)
{
  satori_pubsub_core_event_clear (data);
  g_free (data);
}

static SatoriGossipsubSession *
session (SatoriPubsubCore *core)
{
  return (SatoriGossipsubSession *) core;
}

/* --- helpers shared with the heartbeat --- */

GHashTable *
satori_gossipsub_peer_set_new (void)
{
  return g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                NULL);
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
  if (!peer->ready && satori_gossipsub_outbox_get_queued (peer->outbox) > 0)
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
      guint64 dropped = satori_gossipsub_outbox_get_dropped (peer->outbox);
      satori_gossipsub_outbox_flush (peer->outbox);
      self->stats.frames_dropped += satori_gossipsub_outbox_get_dropped (peer->outbox) - dropped;
      peer->dirty = FALSE;
      mark_ready (self, peer);
    }
}

static void
push_event (SatoriGossipsubSession *self, SatoriPubsubCoreEvent *event)
{
  g_queue_push_tail (&self->events, g_memdup2 (event, sizeof *event));
}

static GBytes *
binary (const ProtobufCBinaryData *data)
{
  return g_bytes_new (data->data, data->len);
}

static void
start (SatoriGossipsubSession *self, gint64 now_us)
{
  if (self->started)
    return;
  self->started = TRUE;
  self->next_heartbeat_us = now_us + self->params.heartbeat_initial_delay_us;
  self->next_decay_us = now_us + self->params.score.decay_interval_us;
}

/* --- peers and subscriptions --- */

static PeerVersion
version_of (const char *protocol)
{
  if (g_strcmp0 (protocol, SATORI_GOSSIPSUB_PROTOCOL_1_2) == 0)
    return PEER_MESHSUB_1_2;
  if (g_strcmp0 (protocol, SATORI_GOSSIPSUB_PROTOCOL_1_1) == 0)
    return PEER_MESHSUB_1_1;
  if (g_strcmp0 (protocol, SATORI_GOSSIPSUB_PROTOCOL_1_0) == 0)
    return PEER_MESHSUB_1_0;
  return PEER_FLOODSUB;
}

static void
gossipsub_add_peer (SatoriPubsubCore *core, GBytes *id, const char *protocol,
                    gboolean outbound, gint64 now_us)
{
  SatoriGossipsubSession *self = session (core);

  start (self, now_us);
  if (g_hash_table_contains (self->peers, id))
    return;

  Peer *peer = g_new0 (Peer, 1);
  peer->id = g_bytes_ref (id);
  peer->version = version_of (protocol);
  peer->outbound = outbound;
  peer->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  peer->reader = satori_pubsub_rpc_reader_new (self->params.max_rpc_size);
  peer->outbox = satori_gossipsub_outbox_new (self->params.max_rpc_size,
                                              self->params.max_outbound_queue);
  peer->dont_want = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                           (GDestroyNotify) g_bytes_unref, NULL);
  g_hash_table_insert (self->peers, peer->id, peer);
  satori_gossipsub_score_add_peer (self->score, id);

  /* Hello: our subscriptions. */
  GHashTableIter iter;
  const char *topic;
  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, (gpointer *) &topic, NULL))
    satori_gossipsub_outbox_add_subscription (peer->outbox, topic, TRUE);
  peer->dirty = TRUE;
  satori_gossipsub_flush (self);
}

static void
remove_from_sets (GHashTable *sets, GBytes *id)
{
  GHashTableIter iter;
  GHashTable *set;
  g_hash_table_iter_init (&iter, sets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &set))
    g_hash_table_remove (set, id);
}

static void
gossipsub_remove_peer (SatoriPubsubCore *core, GBytes *id, gint64 now_us)
{
  SatoriGossipsubSession *self = session (core);

  if (!g_hash_table_contains (self->peers, id))
    return;
  remove_from_sets (self->mesh, id);
  remove_from_sets (self->fanout, id);
  remove_from_sets (self->topic_peers, id);
  satori_gossipsub_score_remove_peer (self->score, id, now_us);
  g_hash_table_remove (self->peers, id);
}

static void
handle_subscription (SatoriGossipsubSession *self, Peer *peer,
                     const Satori__Pubsub__RPC__SubOpts *opts, gint64 now_us)
{
  const char *topic = opts->topicid;
  gboolean subscribe = opts->has_subscribe && opts->subscribe;

  if (topic == NULL || !g_utf8_validate (topic, -1, NULL))
    return;
  if (subscribe)
    {
      if (g_hash_table_contains (peer->topics, topic)
          || g_hash_table_size (peer->topics) >= self->params.max_peer_topics)
        return;
      g_hash_table_add (peer->topics, g_strdup (topic));
      GHashTable *set = g_hash_table_lookup (self->topic_peers, topic);
      if (set == NULL)
        {
          set = satori_gossipsub_peer_set_new ();
          g_hash_table_insert (self->topic_peers, g_strdup (topic), set);
        }
      g_hash_table_add (set, g_bytes_ref (peer->id));
    }
  else
    {
      if (!g_hash_table_remove (peer->topics, topic))
        return;
      GHashTable *set = g_hash_table_lookup (self->topic_peers, topic);
      g_hash_table_remove (set, peer->id);
      if (g_hash_table_size (set) == 0)
        g_hash_table_remove (self->topic_peers, topic);
      GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
      if (mesh != NULL && g_hash_table_remove (mesh, peer->id))
        satori_gossipsub_score_prune (self->score, peer->id, topic, now_us);
      GHashTable *fanout = g_hash_table_lookup (self->fanout, topic);
      if (fanout != NULL)
        g_hash_table_remove (fanout, peer->id);
    }

  SatoriPubsubCoreEvent event = {
    .type = SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION,
    .peer = g_bytes_ref (peer->id),
    .topic = g_strdup (topic),
    .subscribed = subscribe,
  };
  push_event (self, &event);
}

/* --- messages --- */

static gboolean
wants_message (Peer *peer, GBytes *id, GBytes *exclude, GBytes *source)
{
  if (exclude != NULL && g_bytes_equal (peer->id, exclude))
    return FALSE;
  if (source != NULL && g_bytes_equal (peer->id, source))
    return FALSE;
  return !g_hash_table_contains (peer->dont_want, id);
}

/* Sends @message to every peer in @targets (GBytes set or array) but the
 * sender, the author and those that said IDONTWANT. */
static void
send_to (SatoriGossipsubSession *self, GBytes *peer_id, GBytes *id, GBytes *message,
         GBytes *exclude, GBytes *source)
{
  Peer *peer = g_hash_table_lookup (self->peers, peer_id);
  if (peer == NULL)
    return;
  if (!wants_message (peer, id, exclude, source))
    {
      if (g_hash_table_contains (peer->dont_want, id))
        self->stats.idontwant_skipped++;
      return;
    }
  peer->dirty = TRUE;
  satori_gossipsub_outbox_add_message (peer->outbox, message);
}

static gboolean
is_floodsub_peer (SatoriGossipsubSession *self, Peer *peer, gpointer data, gint64 now_us)
{
  return peer->version == PEER_FLOODSUB
         && satori_gossipsub_peer_score (self, peer->id, now_us)
            >= self->params.score.publish_threshold;
}

static void
forward (SatoriGossipsubSession *self, const char *topic, GBytes *id, GBytes *message,
         GBytes *sender, GBytes *source, gint64 now_us)
{
  GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
  if (mesh != NULL)
    {
      GHashTableIter iter;
      GBytes *peer;
      g_hash_table_iter_init (&iter, mesh);
      while (g_hash_table_iter_next (&iter, (gpointer *) &peer, NULL))
        send_to (self, peer, id, message, sender, source);
    }
  g_autoptr(GPtrArray) flood = satori_gossipsub_collect_peers (self, topic, is_floodsub_peer,
                                                               NULL, now_us);
  for (guint i = 0; i < flood->len; i++)
    send_to (self, g_ptr_array_index (flood, i), id, message, sender, source);
}

static void
deliver (SatoriGossipsubSession *self, const char *topic, GBytes *id, GBytes *message,
         GBytes *sender, GBytes *source, gint64 now_us)
{
  satori_gossipsub_mcache_put (self->mcache, id, topic, message);
  satori_gossipsub_score_deliver (self->score, sender, id, topic, now_us);
  forward (self, topic, id, message, sender, source, now_us);
  self->stats.messages_delivered++;

  g_autoptr(Satori__Pubsub__Message) decoded = NULL;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (message, &len);
  decoded = satori__pubsub__message__unpack (NULL, len, bytes);
  SatoriPubsubCoreEvent event = {
    .type = SATORI_PUBSUB_CORE_EVENT_MESSAGE,
    .peer = g_bytes_ref (sender),
    .topic = g_strdup (topic),
    .message_id = g_bytes_ref (id),
    .from = decoded->has_from ? binary (&decoded->from) : NULL,
    .data = decoded->has_data ? binary (&decoded->data) : g_bytes_new (NULL, 0),
    .seqno = decoded->has_seqno ? binary (&decoded->seqno) : NULL,
    .signature = decoded->has_signature ? binary (&decoded->signature) : NULL,
    .key = decoded->has_key ? binary (&decoded->key) : NULL,
  };
  push_event (self, &event);
}

static void
send_idontwant (SatoriGossipsubSession *self, const char *topic, GBytes *id, GBytes *sender)
{
  GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
  GHashTableIter iter;
  GBytes *peer_id;

  if (mesh == NULL)
    return;
  g_hash_table_iter_init (&iter, mesh);
  while (g_hash_table_iter_next (&iter, (gpointer *) &peer_id, NULL))
    {
      Peer *peer = g_hash_table_lookup (self->peers, peer_id);
      if (peer == NULL || peer->version < PEER_MESHSUB_1_2 || g_bytes_equal (peer_id, sender))
        continue;
      peer->dirty = TRUE;
      satori_gossipsub_outbox_add_idontwant (peer->outbox, id);
    }
}

static void
handle_message (SatoriGossipsubSession *self, Peer *peer, Satori__Pubsub__Message *message,
                gint64 now_us)
{
  g_autoptr(GError) error = NULL;

  self->stats.messages_received++;
  /* Only our topics: we neither relay nor score the others. */
  if (message->topic == NULL || !g_hash_table_contains (self->subscriptions, message->topic))
    return;
  if (!satori_pubsub_check_message (message, self->params.signature_policy, &error))
    {
      g_debug ("message from a peer rejected: %s", error->message);
      self->stats.rejected++;
      satori_gossipsub_score_reject (self->score, peer->id, NULL, message->topic);
      return;
    }
  g_autoptr(GBytes) id = self->params.message_id_fn (message, self->params.message_id_data);
  if (id == NULL)
    {
      self->stats.rejected++;
      satori_gossipsub_score_reject (self->score, peer->id, NULL, message->topic);
      return;
    }
  satori_gossipsub_promises_fulfil (self->promises, id);
  if (!satori_pubsub_seen_cache_add (self->seen, id, now_us))
    {
      self->stats.duplicates++;
      satori_gossipsub_score_duplicate (self->score, peer->id, id, message->topic, now_us);
      return;
    }
  satori_gossipsub_score_validate (self->score, peer->id, id, now_us);

  g_autoptr(GBytes) encoded = satori_protobuf_pack (&message->base);
  g_autoptr(GBytes) source = message->has_from ? binary (&message->from) : NULL;
  if (g_bytes_get_size (encoded) >= self->params.idontwant_message_threshold)
    send_idontwant (self, message->topic, id, peer->id);

  if (!g_hash_table_contains (self->validated_topics, message->topic))
    {
      deliver (self, message->topic, id, encoded, peer->id, source, now_us);
      return;
    }
  if (g_hash_table_size (self->pending) >= self->params.max_pending_validations)
    {
      self->stats.ignored++;
      satori_gossipsub_score_ignore (self->score, id);
      return;
    }
  Pending *pending = g_new0 (Pending, 1);
  pending->id = g_bytes_ref (id);
  pending->message = g_bytes_ref (encoded);
  pending->sender = g_bytes_ref (peer->id);
  pending->source = source != NULL ? g_bytes_ref (source) : NULL;
  pending->topic = g_strdup (message->topic);
  g_hash_table_insert (self->pending, pending->id, pending);

  SatoriPubsubCoreEvent event = {
    .type = SATORI_PUBSUB_CORE_EVENT_VALIDATE,
    .peer = g_bytes_ref (peer->id),
    .topic = g_strdup (message->topic),
    .message_id = g_bytes_ref (id),
    .from = source != NULL ? g_bytes_ref (source) : NULL,
    .data = message->has_data ? binary (&message->data) : g_bytes_new (NULL, 0),
    .seqno = message->has_seqno ? binary (&message->seqno) : NULL,
    .signature = message->has_signature ? binary (&message->signature) : NULL,
    .key = message->has_key ? binary (&message->key) : NULL,
  };
  push_event (self, &event);
}

/* --- control --- */

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
      GBytes *id = binary (&ihave->messageids[i]);
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
      g_autoptr(GBytes) id = binary (&iwant->messageids[i]);
      guint count;
      GBytes *message = satori_gossipsub_mcache_get_for_peer (self->mcache, id, peer->id,
                                                              &count);
      if (message == NULL || count > self->params.gossip_retransmission)
        continue;
      peer->dirty = TRUE;
      satori_gossipsub_outbox_add_message (peer->outbox, message);
      self->stats.iwant_served++;
    }
}

static void
handle_graft (SatoriGossipsubSession *self, Peer *peer,
              const Satori__Pubsub__ControlGraft *graft, gint64 now_us)
{
  const char *topic = graft->topicid;
  GHashTable *mesh = topic != NULL ? g_hash_table_lookup (self->mesh, topic) : NULL;

  if (topic == NULL || peer->version == PEER_FLOODSUB)
    return;
  if (mesh == NULL)
    {
      /* Not our topic: refuse without PX, so as not to leak our peers. */
      self->stats.grafts_refused++;
      satori_gossipsub_send_prune (self, topic, peer->id, FALSE, FALSE, now_us);
      return;
    }
  if (g_hash_table_contains (mesh, peer->id))
    return;

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
  if (topic == NULL)
    return;
  GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
  if (mesh != NULL && g_hash_table_remove (mesh, peer->id))
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
      g_autoptr(GBytes) id = binary (&info->peerid);
      if (g_hash_table_contains (self->peers, id))
        continue;
      SatoriPubsubCoreEvent event = {
        .type = SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER,
        .peer = g_bytes_ref (id),
        .topic = g_strdup (topic),
        .signed_peer_record = info->has_signedpeerrecord ? binary (&info->signedpeerrecord)
                                                         : NULL,
      };
      push_event (self, &event);
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
      g_hash_table_replace (peer->dont_want, binary (&idontwant->messageids[i]),
                            GUINT_TO_POINTER (self->ticks + self->params.idontwant_message_ttl));
    }
}

static void
handle_control (SatoriGossipsubSession *self, Peer *peer,
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

static void
handle_rpc (SatoriGossipsubSession *self, Peer *peer, const Satori__Pubsub__RPC *rpc,
            gint64 now_us)
{
  if (satori_gossipsub_peer_score (self, peer->id, now_us)
      < self->params.score.graylist_threshold)
    {
      self->stats.graylisted_rpcs++;
      return;
    }
  for (gsize i = 0; i < rpc->n_subscriptions; i++)
    handle_subscription (self, peer, rpc->subscriptions[i], now_us);
  for (gsize i = 0; i < rpc->n_publish; i++)
    handle_message (self, peer, rpc->publish[i], now_us);
  if (rpc->control != NULL)
    handle_control (self, peer, rpc->control, now_us);
}

static gboolean
gossipsub_handle_input (SatoriPubsubCore *core, GBytes *id, const guint8 *data, gsize len,
                        gint64 now_us, GError **error)
{
  SatoriGossipsubSession *self = session (core);
  Peer *peer = g_hash_table_lookup (self->peers, id);
  gsize offset = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (peer != NULL, FALSE);
  start (self, now_us);
  while (offset < len)
    {
      g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
      gsize consumed;
      if (!satori_pubsub_rpc_reader_feed (peer->reader, data + offset, len - offset, &consumed,
                                          &rpc, error))
        {
          ok = FALSE;
          break;
        }
      offset += consumed;
      if (rpc != NULL)
        handle_rpc (self, peer, rpc, now_us);
    }
  satori_gossipsub_flush (self);
  return ok;
}

/* --- commands --- */

/* A peer we may GRAFT in topic @data: gossipsub, not in the mesh yet, not
 * in backoff, not negative. */
gboolean
satori_gossipsub_mesh_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer data,
                                 gint64 now_us)
{
  const char *topic = data;
  GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
  return peer->version != PEER_FLOODSUB
         && (mesh == NULL || !g_hash_table_contains (mesh, peer->id))
         && !satori_gossipsub_backoff_active (self->backoff, topic, peer->id, now_us)
         && satori_gossipsub_peer_score (self, peer->id, now_us) >= 0;
}

static void
gossipsub_subscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  SatoriGossipsubSession *self = session (core);
  GHashTableIter iter;
  Peer *peer;

  start (self, now_us);
  if (g_hash_table_contains (self->subscriptions, topic))
    return;
  g_hash_table_add (self->subscriptions, g_strdup (topic));
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      satori_gossipsub_outbox_add_subscription (peer->outbox, topic, TRUE);
      peer->dirty = TRUE;
    }

  /* Join: the fanout peers first, then others up to D. */
  GHashTable *mesh = satori_gossipsub_peer_set_new ();
  g_hash_table_insert (self->mesh, g_strdup (topic), mesh);
  GHashTable *fanout = g_hash_table_lookup (self->fanout, topic);
  if (fanout != NULL)
    {
      GHashTableIter fiter;
      GBytes *id;
      g_hash_table_iter_init (&fiter, fanout);
      while (g_hash_table_iter_next (&fiter, (gpointer *) &id, NULL))
        {
          Peer *fpeer = g_hash_table_lookup (self->peers, id);
          if (g_hash_table_size (mesh) < self->params.d && fpeer != NULL
              && satori_gossipsub_mesh_candidate (self, fpeer, (gpointer) topic, now_us))
            g_hash_table_add (mesh, g_bytes_ref (id));
        }
      g_hash_table_remove (self->fanout, topic);
      g_hash_table_remove (self->fanout_last_publish, topic);
    }
  g_autoptr(GPtrArray) more = satori_gossipsub_collect_peers (self, topic, satori_gossipsub_mesh_candidate,
                                                              (gpointer) topic, now_us);
  satori_gossipsub_shuffle (self, more);
  for (guint i = 0; i < more->len && g_hash_table_size (mesh) < self->params.d; i++)
    g_hash_table_add (mesh, g_bytes_ref (g_ptr_array_index (more, i)));

  GBytes *id;
  g_hash_table_iter_init (&iter, mesh);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    satori_gossipsub_send_graft (self, topic, id, now_us);
  satori_gossipsub_flush (self);
}

static void
gossipsub_unsubscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  SatoriGossipsubSession *self = session (core);
  GHashTableIter iter;
  Peer *peer;

  if (!g_hash_table_remove (self->subscriptions, topic))
    return;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      satori_gossipsub_outbox_add_subscription (peer->outbox, topic, FALSE);
      peer->dirty = TRUE;
    }
  g_autoptr(GHashTable) mesh = NULL;
  g_autofree char *key = NULL;
  g_hash_table_steal_extended (self->mesh, topic, (gpointer *) &key, (gpointer *) &mesh);
  if (mesh != NULL)
    {
      GBytes *id;
      g_hash_table_iter_init (&iter, mesh);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        {
          satori_gossipsub_score_prune (self->score, id, topic, now_us);
          satori_gossipsub_send_prune (self, topic, id, TRUE, TRUE, now_us);
        }
    }
  satori_gossipsub_flush (self);
}

static gboolean
publish_target (SatoriGossipsubSession *self, Peer *peer, gpointer data, gint64 now_us)
{
  return satori_gossipsub_peer_score (self, peer->id, now_us)
         >= self->params.score.publish_threshold;
}

gboolean
satori_gossipsub_fanout_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer data,
                                   gint64 now_us)
{
  return peer->version != PEER_FLOODSUB && publish_target (self, peer, data, now_us);
}

/* The peers a message we publish goes to. */
static GPtrArray *
publish_targets (SatoriGossipsubSession *self, const char *topic, gint64 now_us)
{
  if (self->params.flood_publish)
    return satori_gossipsub_collect_peers (self, topic, publish_target, NULL, now_us);

  GPtrArray *targets = satori_gossipsub_collect_peers (self, topic, is_floodsub_peer, NULL,
                                                       now_us);
  GHashTable *set = g_hash_table_lookup (self->mesh, topic);
  if (set == NULL)
    {
      set = g_hash_table_lookup (self->fanout, topic);
      if (set == NULL)
        {
          set = satori_gossipsub_peer_set_new ();
          g_hash_table_insert (self->fanout, g_strdup (topic), set);
          g_autoptr(GPtrArray) pick = satori_gossipsub_collect_peers (self, topic,
                                                                      satori_gossipsub_fanout_candidate, NULL,
                                                                      now_us);
          satori_gossipsub_shuffle (self, pick);
          for (guint i = 0; i < pick->len && i < self->params.d; i++)
            g_hash_table_add (set, g_bytes_ref (g_ptr_array_index (pick, i)));
        }
      g_hash_table_insert (self->fanout_last_publish, g_strdup (topic),
                           g_memdup2 (&now_us, sizeof now_us));
    }
  GHashTableIter iter;
  GBytes *id;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_ptr_array_add (targets, g_bytes_ref (id));
  return targets;
}

static gboolean
gossipsub_publish (SatoriPubsubCore *core, const char *topic, GBytes *data, gint64 now_us,
                   GBytes **message_id_out, GError **error)
{
  SatoriGossipsubSession *self = session (core);
  gboolean sign = self->params.signature_policy == SATORI_PUBSUB_STRICT_SIGN;
  g_autoptr(GBytes) seqno = NULL;

  start (self, now_us);
  if (sign && self->key == NULL)
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGN,
                           "StrictSign needs a key to publish with");
      return FALSE;
    }
  if (sign)
    {
      guint64 be = GUINT64_TO_BE (++self->seqno);
      seqno = g_bytes_new (&be, sizeof be);
    }
  g_autoptr(GBytes) message = satori_pubsub_build_message (topic, data, seqno,
                                                           sign ? self->key : NULL, error);
  if (message == NULL)
    return FALSE;
  if (g_bytes_get_size (message) + 16 > self->params.max_rpc_size)
    {
      g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE,
                   "message of %" G_GSIZE_FORMAT " bytes is over the limit of %" G_GSIZE_FORMAT,
                   g_bytes_get_size (message), self->params.max_rpc_size);
      return FALSE;
    }
  gsize len;
  const guint8 *bytes = g_bytes_get_data (message, &len);
  g_autoptr(Satori__Pubsub__Message) decoded = satori__pubsub__message__unpack (NULL, len, bytes);
  g_autoptr(GBytes) id = self->params.message_id_fn (decoded, self->params.message_id_data);
  if (id == NULL)
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_POLICY,
                           "the message id function gave no id");
      return FALSE;
    }
  satori_pubsub_seen_cache_add (self->seen, id, now_us);
  satori_gossipsub_mcache_put (self->mcache, id, topic, message);

  g_autoptr(GPtrArray) targets = publish_targets (self, topic, now_us);
  for (guint i = 0; i < targets->len; i++)
    send_to (self, g_ptr_array_index (targets, i), id, message, NULL, NULL);
  satori_gossipsub_flush (self);
  if (message_id_out != NULL)
    *message_id_out = g_steal_pointer (&id);
  return TRUE;
}

static void
gossipsub_set_topic_validated (SatoriPubsubCore *core, const char *topic, gboolean validated)
{
  SatoriGossipsubSession *self = session (core);
  if (validated)
    g_hash_table_add (self->validated_topics, g_strdup (topic));
  else
    g_hash_table_remove (self->validated_topics, topic);
}

static void
gossipsub_report_validation (SatoriPubsubCore *core, GBytes *message_id,
                             SatoriPubsubCoreVerdict verdict, gint64 now_us)
{
  SatoriGossipsubSession *self = session (core);
  Pending *pending = NULL;

  if (!g_hash_table_steal_extended (self->pending, message_id, NULL, (gpointer *) &pending))
    return;
  switch (verdict)
    {
    case SATORI_PUBSUB_CORE_ACCEPT:
      deliver (self, pending->topic, pending->id, pending->message, pending->sender,
               pending->source, now_us);
      break;
    case SATORI_PUBSUB_CORE_REJECT:
      self->stats.rejected++;
      satori_gossipsub_score_reject (self->score, pending->sender, pending->id, pending->topic);
      break;
    case SATORI_PUBSUB_CORE_IGNORE:
      self->stats.ignored++;
      satori_gossipsub_score_ignore (self->score, pending->id);
      break;
    }
  pending_free (pending);
  satori_gossipsub_flush (self);
}

static gboolean
gossipsub_poll_transmit_peer (SatoriPubsubCore *core, GBytes *id, GBytes **frame_out)
{
  Peer *peer = g_hash_table_lookup (session (core)->peers, id);
  *frame_out = peer != NULL ? satori_gossipsub_outbox_pop (peer->outbox) : NULL;
  return *frame_out != NULL;
}

static gboolean
gossipsub_poll_transmit (SatoriPubsubCore *core, GBytes **peer_out, GBytes **frame_out)
{
  SatoriGossipsubSession *self = session (core);
  GBytes *id;

  while ((id = g_queue_pop_head (&self->ready)) != NULL)
    {
      Peer *peer = g_hash_table_lookup (self->peers, id);
      GBytes *frame = peer != NULL ? satori_gossipsub_outbox_pop (peer->outbox) : NULL;
      if (frame == NULL)
        {
          if (peer != NULL)
            peer->ready = FALSE;
          g_bytes_unref (id);
          continue;
        }
      /* Round robin: back to the tail while it has more. */
      if (satori_gossipsub_outbox_get_queued (peer->outbox) > 0)
        g_queue_push_tail (&self->ready, g_bytes_ref (id));
      else
        peer->ready = FALSE;
      *peer_out = id;
      *frame_out = frame;
      return TRUE;
    }
  return FALSE;
}

static gboolean
gossipsub_poll_event (SatoriPubsubCore *core, SatoriPubsubCoreEvent *event_out)
{
  SatoriPubsubCoreEvent *event = g_queue_pop_head (&session (core)->events);
  if (event == NULL)
    return FALSE;
  *event_out = *event;
  g_free (event);
  return TRUE;
}

static gint64
gossipsub_next_deadline_us (SatoriPubsubCore *core)
{
  SatoriGossipsubSession *self = session (core);
  return self->started ? self->next_heartbeat_us : G_MAXINT64;
}

static void
gossipsub_handle_timeout (SatoriPubsubCore *core, gint64 now_us)
{
  SatoriGossipsubSession *self = session (core);

  start (self, now_us);
  if (now_us < self->next_heartbeat_us)
    return;
  satori_gossipsub_heartbeat (self, now_us);
  self->next_heartbeat_us += self->params.heartbeat_interval_us;
  /* After a long stall, one heartbeat, not a burst of them. */
  if (self->next_heartbeat_us <= now_us)
    self->next_heartbeat_us = now_us + self->params.heartbeat_interval_us;
  satori_gossipsub_flush (self);
}

static GPtrArray *
copy_set (GHashTable *set)
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

static GPtrArray *
gossipsub_topic_peers (SatoriPubsubCore *core, const char *topic)
{
  SatoriGossipsubSession *self = session (core);
  GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
  return copy_set (mesh != NULL ? mesh : g_hash_table_lookup (self->topic_peers, topic));
}

static void
gossipsub_free (SatoriPubsubCore *core)
{
  SatoriGossipsubSession *self = session (core);

  g_hash_table_unref (self->peers);
  g_hash_table_unref (self->topic_peers);
  g_hash_table_unref (self->subscriptions);
  g_hash_table_unref (self->validated_topics);
  g_hash_table_unref (self->mesh);
  g_hash_table_unref (self->fanout);
  g_hash_table_unref (self->fanout_last_publish);
  g_hash_table_unref (self->pending);
  satori_gossipsub_mcache_free (self->mcache);
  satori_pubsub_seen_cache_free (self->seen);
  satori_gossipsub_score_free (self->score);
  satori_gossipsub_backoff_free (self->backoff);
  satori_gossipsub_promises_free (self->promises);
  g_queue_clear_full (&self->events, event_free);
  g_queue_clear_full (&self->ready, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&self->key);
  satori_gossipsub_params_clear (&self->params);
  g_free (self);
}

static const SatoriPubsubCoreClass gossipsub_class = {
  .name = "gossipsub",
  .add_peer = gossipsub_add_peer,
  .remove_peer = gossipsub_remove_peer,
  .handle_input = gossipsub_handle_input,
  .subscribe = gossipsub_subscribe,
  .unsubscribe = gossipsub_unsubscribe,
  .publish = gossipsub_publish,
  .set_topic_validated = gossipsub_set_topic_validated,
  .report_validation = gossipsub_report_validation,
  .poll_transmit = gossipsub_poll_transmit,
  .poll_event = gossipsub_poll_event,
  .next_deadline_us = gossipsub_next_deadline_us,
  .handle_timeout = gossipsub_handle_timeout,
  .topic_peers = gossipsub_topic_peers,
  .free = gossipsub_free,
  .poll_transmit_peer = gossipsub_poll_transmit_peer,
};

static GHashTable *
topic_sets (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) g_hash_table_unref);
}

/**
 * satori_gossipsub_session_new:
 * @params: the parameters (copied; the topic score table is shared)
 * @key: (nullable): the key our messages are signed with; %NULL only under
 *   StrictNoSign
 * @provider: where random numbers come from
 *
 * Returns: (transfer full): a router with no peers and no subscriptions;
 *   free it with its class's free()
 */
SatoriPubsubCore *
satori_gossipsub_session_new (const SatoriGossipsubParams *params, SatoriPrivateKey *key,
                              const SatoriPubsubCoreProvider *provider)
{
  SatoriGossipsubSession *self = g_new0 (SatoriGossipsubSession, 1);

  g_return_val_if_fail (params != NULL && provider != NULL && provider->random_u32 != NULL,
                        NULL);
  self->parent.klass = &gossipsub_class;
  self->params = *params;
  self->params.score.topics = g_hash_table_ref (params->score.topics);
  self->key = key != NULL ? g_object_ref (key) : NULL;
  self->provider = *provider;
  self->peers = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, NULL, peer_free);
  self->topic_peers = topic_sets ();
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->validated_topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->mesh = topic_sets ();
  self->fanout = topic_sets ();
  self->fanout_last_publish = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->pending = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, NULL, pending_free);
  self->mcache = satori_gossipsub_mcache_new (params->history_length, params->history_gossip);
  self->seen = satori_pubsub_seen_cache_new (params->seen_ttl_us);
  self->score = satori_gossipsub_score_new (&self->params.score, params->seen_ttl_us);
  self->backoff = satori_gossipsub_backoff_new ();
  self->promises = satori_gossipsub_promises_new ();
  g_queue_init (&self->events);
  g_queue_init (&self->ready);
  /* Seqnos start at a random point so that a restart does not reuse ids. */
  self->seqno = (guint64) provider->random_u32 (provider->user_data) << 32;
  return &self->parent;
}

/* --- introspection, for tests, the simulator and metrics --- */

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
  return copy_set (g_hash_table_lookup (session (core)->mesh, topic));
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
  return copy_set (g_hash_table_lookup (session (core)->fanout, topic));
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
  return satori_gossipsub_peer_score (session (core), peer, now_us);
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
  return satori_gossipsub_score_get_counters (session (core)->score, peer, topic, now_us,
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
  return satori_gossipsub_score_get_behaviour_penalty (session (core)->score, peer);
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
  return satori_gossipsub_backoff_active (session (core)->backoff, topic, peer, now_us);
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
  Peer *p = g_hash_table_lookup (session (core)->peers, peer);
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
  *stats = session (core)->stats;
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
  return satori_gossipsub_mcache_size (session (core)->mcache);
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
  satori_gossipsub_score_set_app_score (session (core)->score, peer, value);
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
  satori_gossipsub_score_set_ip (session (core)->score, peer, ip);
}
