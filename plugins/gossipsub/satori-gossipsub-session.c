/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The router's life cycle and input side: peers come and go, their bytes
 * become RPCs, messages are checked, deduplicated, validated (at once or
 * by the application), delivered and forwarded; and the
 * SatoriPubsubCoreClass table.
 */
#include "satori-gossipsub-private.h"

#include <string.h>

#include "satori-protobuf.h"

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

void
satori_gossipsub_start (SatoriGossipsubSession *self, gint64 now_us)
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
  SatoriGossipsubSession *self = SESSION (core);

  satori_gossipsub_start (self, now_us);
  if (g_hash_table_contains (self->peers, id))
    return;

  Peer *peer = g_new0 (Peer, 1);
  peer->id = g_bytes_ref (id);
  peer->version = version_of (protocol);
  peer->outbound = outbound;
  for (guint i = 0; i < self->params.direct_peers->len; i++)
    peer->direct |= g_bytes_equal (self->params.direct_peers->pdata[i], id);
  peer->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  peer->reader = satori_pubsub_rpc_reader_new (self->params.max_rpc_size);
  peer->outbox = satori_gossipsub_outbox_new (self->params.max_rpc_size,
                                              self->params.max_outbound_queue,
                                              MAX (self->params.max_ihave_length,
                                                   self->params.max_idontwant_messages));
  peer->dont_want = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                           (GDestroyNotify) g_bytes_unref, NULL);
  g_hash_table_insert (self->peers, peer->id, peer);
  self->n_flood_peers += peer->direct || peer->version == PEER_FLOODSUB;
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
  SatoriGossipsubSession *self = SESSION (core);

  if (!g_hash_table_contains (self->peers, id))
    return;
  remove_from_sets (self->mesh, id);
  remove_from_sets (self->fanout, id);
  remove_from_sets (self->topic_peers, id);
  satori_gossipsub_score_remove_peer (self->score, id, now_us);
  Peer *peer = g_hash_table_lookup (self->peers, id);
  self->n_flood_peers -= peer->direct || peer->version == PEER_FLOODSUB;
  if (peer->ready)
    {
      GList *link = g_queue_find_custom (&self->ready, id, (GCompareFunc) g_bytes_compare);
      g_bytes_unref (link->data);
      g_queue_delete_link (&self->ready, link);
    }
  g_hash_table_remove (self->peers, id);
}

static void
handle_subscription (SatoriGossipsubSession *self, Peer *peer,
                     const Satori__Pubsub__RPC__SubOpts *opts, gint64 now_us)
{
  const char *topic = opts->topicid;
  gboolean subscribe = opts->has_subscribe && opts->subscribe;

  /* Both limits bound what a peer's subscriptions can cost us. */
  if (topic == NULL || strlen (topic) > self->params.max_topic_length
      || !g_utf8_validate (topic, -1, NULL))
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
  satori_gossipsub_push_event (self, &event);
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

/* Queues @message for @peer_id unless it is the sender (@exclude), the
 * author (@source) or said IDONTWANT for it. */
void
satori_gossipsub_send_message (SatoriGossipsubSession *self, GBytes *peer_id, GBytes *id,
                               GBytes *message, GBytes *exclude, GBytes *source)
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
  satori_gossipsub_outbox_add_message (peer->outbox, id, message);
}

/* Who gets every message of their topics, outside the mesh: floodsub
 * peers above the publish threshold, and direct peers. */
gboolean
satori_gossipsub_flood_target (SatoriGossipsubSession *self, Peer *peer, gpointer data,
                               gint64 now_us)
{
  if (peer->direct)
    return TRUE;
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
        satori_gossipsub_send_message (self, peer, id, message, sender, source);
    }
  if (self->n_flood_peers == 0)
    return;
  g_autoptr(GPtrArray) flood = satori_gossipsub_collect_peers (self, topic,
                                                               satori_gossipsub_flood_target,
                                                               NULL, now_us);
  for (guint i = 0; i < flood->len; i++)
    satori_gossipsub_send_message (self, g_ptr_array_index (flood, i), id, message, sender, source);
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
    .from = decoded->has_from ? satori_gossipsub_binary (&decoded->from) : NULL,
    .data = decoded->has_data ? satori_gossipsub_binary (&decoded->data) : g_bytes_new (NULL, 0),
    .seqno = decoded->has_seqno ? satori_gossipsub_binary (&decoded->seqno) : NULL,
    .signature = decoded->has_signature ? satori_gossipsub_binary (&decoded->signature) : NULL,
    .key = decoded->has_key ? satori_gossipsub_binary (&decoded->key) : NULL,
  };
  satori_gossipsub_push_event (self, &event);
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
  g_autoptr(GBytes) source = message->has_from ? satori_gossipsub_binary (&message->from) : NULL;
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
    .data = message->has_data ? satori_gossipsub_binary (&message->data) : g_bytes_new (NULL, 0),
    .seqno = message->has_seqno ? satori_gossipsub_binary (&message->seqno) : NULL,
    .signature = message->has_signature ? satori_gossipsub_binary (&message->signature) : NULL,
    .key = message->has_key ? satori_gossipsub_binary (&message->key) : NULL,
  };
  satori_gossipsub_push_event (self, &event);
}

static void
handle_rpc (SatoriGossipsubSession *self, Peer *peer, const Satori__Pubsub__RPC *rpc,
            gint64 now_us)
{
  if (!peer->direct && satori_gossipsub_peer_score (self, peer->id, now_us)
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
    satori_gossipsub_handle_control (self, peer, rpc->control, now_us);
}

static gboolean
gossipsub_handle_input (SatoriPubsubCore *core, GBytes *id, const guint8 *data, gsize len,
                        gint64 now_us, GError **error)
{
  SatoriGossipsubSession *self = SESSION (core);
  Peer *peer = g_hash_table_lookup (self->peers, id);
  gsize offset = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (peer != NULL, FALSE);
  satori_gossipsub_start (self, now_us);
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

static void
gossipsub_set_topic_validated (SatoriPubsubCore *core, const char *topic, gboolean validated)
{
  SatoriGossipsubSession *self = SESSION (core);
  if (validated)
    g_hash_table_add (self->validated_topics, g_strdup (topic));
  else
    g_hash_table_remove (self->validated_topics, topic);
}

static void
gossipsub_report_validation (SatoriPubsubCore *core, GBytes *message_id,
                             SatoriPubsubCoreVerdict verdict, gint64 now_us)
{
  SatoriGossipsubSession *self = SESSION (core);
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
  Peer *peer = g_hash_table_lookup (SESSION (core)->peers, id);
  *frame_out = peer != NULL ? satori_gossipsub_outbox_pop (peer->outbox) : NULL;
  return *frame_out != NULL;
}

static gboolean
gossipsub_poll_transmit (SatoriPubsubCore *core, GBytes **peer_out, GBytes **frame_out)
{
  SatoriGossipsubSession *self = SESSION (core);
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
      if (satori_gossipsub_outbox_has_pending (peer->outbox))
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
  SatoriPubsubCoreEvent *event = g_queue_pop_head (&SESSION (core)->events);
  if (event == NULL)
    return FALSE;
  *event_out = *event;
  g_free (event);
  return TRUE;
}

static gint64
gossipsub_next_deadline_us (SatoriPubsubCore *core)
{
  SatoriGossipsubSession *self = SESSION (core);
  return self->started ? self->next_heartbeat_us : G_MAXINT64;
}

static void
gossipsub_handle_timeout (SatoriPubsubCore *core, gint64 now_us)
{
  SatoriGossipsubSession *self = SESSION (core);

  satori_gossipsub_start (self, now_us);
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
gossipsub_topic_peers (SatoriPubsubCore *core, const char *topic)
{
  SatoriGossipsubSession *self = SESSION (core);
  GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
  if (mesh == NULL)
    mesh = g_hash_table_lookup (self->topic_peers, topic);
  return satori_gossipsub_set_to_array (mesh);
}

static void
gossipsub_free (SatoriPubsubCore *core)
{
  SatoriGossipsubSession *self = SESSION (core);

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
  .subscribe = satori_gossipsub_subscribe,
  .unsubscribe = satori_gossipsub_unsubscribe,
  .publish = satori_gossipsub_publish,
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
 * @params: the parameters (copied; the topic score table and the direct
 *   peers are shared)
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
  g_return_val_if_fail (params != NULL && provider != NULL && provider->random_u32 != NULL,
                        NULL);

  SatoriGossipsubSession *self = g_new0 (SatoriGossipsubSession, 1);
  self->parent.klass = &gossipsub_class;
  self->params = *params;
  self->params.score.topics = g_hash_table_ref (params->score.topics);
  self->params.direct_peers = g_ptr_array_ref (params->direct_peers);
  /* from+seqno is empty without signing: every message would have the
   * same id. Content ids are what js-libp2p uses then. */
  if (params->signature_policy == SATORI_PUBSUB_STRICT_NO_SIGN
      && params->message_id_fn == satori_pubsub_default_message_id)
    self->params.message_id_fn = satori_pubsub_content_message_id;
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
