/* satori-sim-flood-fixture.c: the flooding test router
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-flood-fixture.h"

#include "pubsub-rpc.pb-c.h"
#include "satori-protobuf.h"
#include "satori-pubsub-message-id.h"
#include "satori-pubsub-rpc-reader.h"

typedef struct {
  GBytes                *id;
  SatoriPubsubRpcReader *reader;
  GHashTable        *topics;  /* the peer's subscriptions (char *) */
} Peer;

typedef struct {
  GBytes *peer;
  GBytes *frame;
} Transmit;

typedef struct {
  SatoriPubsubCore parent;
  GBytes     *self;
  GPtrArray  *peers;     /* of Peer, in the order they came: forwarding order */
  GHashTable *topics;    /* ours (char *) */
  GHashTable *seen;      /* message ids (GBytes) */
  GQueue      transmits; /* of Transmit */
  GQueue      events;    /* of SatoriPubsubCoreEvent */
  guint64     seqno;
} FloodFixture;

static void
peer_free (gpointer data)
{
  Peer *peer = data;
  g_bytes_unref (peer->id);
  satori_pubsub_rpc_reader_free (peer->reader);
  g_hash_table_unref (peer->topics);
  g_free (peer);
}

static Peer *
find_peer (FloodFixture *self, GBytes *id)
{
  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);
      if (g_bytes_equal (peer->id, id))
        return peer;
    }
  return NULL;
}

static void
queue_rpc (FloodFixture *self, GBytes *peer, const Satori__Pubsub__RPC *rpc)
{
  Transmit *transmit = g_new (Transmit, 1);
  transmit->peer = g_bytes_ref (peer);
  transmit->frame = satori_protobuf_pack_delimited (&rpc->base);
  g_queue_push_tail (&self->transmits, transmit);
}

static void
send_subscription (FloodFixture *self, GBytes *peer, const char *topic, gboolean subscribe)
{
  Satori__Pubsub__RPC__SubOpts opts = SATORI__PUBSUB__RPC__SUB_OPTS__INIT;
  Satori__Pubsub__RPC__SubOpts *list[] = { &opts };
  Satori__Pubsub__RPC rpc = SATORI__PUBSUB__RPC__INIT;

  opts.has_subscribe = TRUE;
  opts.subscribe = subscribe;
  opts.topicid = (char *) topic;
  rpc.n_subscriptions = 1;
  rpc.subscriptions = list;
  queue_rpc (self, peer, &rpc);
}

static void
announce (FloodFixture *self, const char *topic, gboolean subscribe)
{
  for (guint i = 0; i < self->peers->len; i++)
    send_subscription (self, ((Peer *) g_ptr_array_index (self->peers, i))->id, topic, subscribe);
}

static void
push_event (FloodFixture *self, const SatoriPubsubCoreEvent *event)
{
  g_queue_push_tail (&self->events, g_memdup2 (event, sizeof *event));
}

/* Sends @message to every peer on its topic but @source and its author. */
static void
forward (FloodFixture *self, Satori__Pubsub__Message *message, GBytes *source, GBytes *author)
{
  Satori__Pubsub__Message *list[] = { message };
  Satori__Pubsub__RPC rpc = SATORI__PUBSUB__RPC__INIT;
  rpc.n_publish = 1;
  rpc.publish = list;

  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);
      if ((source != NULL && g_bytes_equal (peer->id, source)) || g_bytes_equal (peer->id, author)
          || !g_hash_table_contains (peer->topics, message->topic))
        continue;
      queue_rpc (self, peer->id, &rpc);
    }
}

static void
handle_message (FloodFixture *self, Peer *source, Satori__Pubsub__Message *message)
{
  if (message->topic == NULL || !message->has_from || !message->has_seqno)
    return;
  g_autoptr(GBytes) id = satori_pubsub_default_message_id (message, NULL);
  if (g_hash_table_contains (self->seen, id))
    return;
  g_hash_table_add (self->seen, g_bytes_ref (id));

  g_autoptr(GBytes) author = g_bytes_new (message->from.data, message->from.len);
  if (g_hash_table_contains (self->topics, message->topic))
    {
      SatoriPubsubCoreEvent event = {
        .type = SATORI_PUBSUB_CORE_EVENT_MESSAGE,
        .peer = g_bytes_ref (source->id),
        .topic = g_strdup (message->topic),
        .message_id = g_bytes_ref (id),
        .from = g_bytes_ref (author),
        .data = g_bytes_new (message->data.data, message->data.len),
        .seqno = g_bytes_new (message->seqno.data, message->seqno.len),
      };
      push_event (self, &event);
    }
  forward (self, message, source->id, author);
}

static void
handle_rpc (FloodFixture *self, Peer *source, Satori__Pubsub__RPC *rpc)
{
  for (size_t i = 0; i < rpc->n_subscriptions; i++)
    {
      Satori__Pubsub__RPC__SubOpts *opts = rpc->subscriptions[i];
      if (opts->topicid == NULL)
        continue;
      if (opts->subscribe)
        g_hash_table_add (source->topics, g_strdup (opts->topicid));
      else
        g_hash_table_remove (source->topics, opts->topicid);
      SatoriPubsubCoreEvent event = {
        .type = SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION,
        .peer = g_bytes_ref (source->id),
        .topic = g_strdup (opts->topicid),
        .subscribed = opts->subscribe,
      };
      push_event (self, &event);
    }
  for (size_t i = 0; i < rpc->n_publish; i++)
    handle_message (self, source, rpc->publish[i]);
}

static void
fixture_add_peer (SatoriPubsubCore *core, GBytes *peer, const char *protocol,
                  gboolean outbound, gint64 now_us)
{
  FloodFixture *self = (FloodFixture *) core;
  if (find_peer (self, peer) != NULL)
    return;

  Peer *p = g_new0 (Peer, 1);
  p->id = g_bytes_ref (peer);
  p->reader = satori_pubsub_rpc_reader_new (SATORI_PUBSUB_DEFAULT_MAX_RPC_SIZE);
  p->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_add (self->peers, p);

  GHashTableIter iter;
  gpointer topic;
  g_hash_table_iter_init (&iter, self->topics);
  while (g_hash_table_iter_next (&iter, &topic, NULL))
    send_subscription (self, peer, topic, TRUE);
}

static void
fixture_remove_peer (SatoriPubsubCore *core, GBytes *peer, gint64 now_us)
{
  FloodFixture *self = (FloodFixture *) core;
  Peer *p = find_peer (self, peer);
  if (p != NULL)
    g_ptr_array_remove (self->peers, p);
}

static gboolean
fixture_handle_input (SatoriPubsubCore *core, GBytes *peer, const guint8 *data, gsize len,
                      gint64 now_us, GError **error)
{
  FloodFixture *self = (FloodFixture *) core;
  Peer *source = find_peer (self, peer);
  g_return_val_if_fail (source != NULL, FALSE);

  while (len > 0)
    {
      g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
      gsize consumed;
      if (!satori_pubsub_rpc_reader_feed (source->reader, data, len, &consumed, &rpc, error))
        return FALSE;
      data += consumed;
      len -= consumed;
      if (rpc != NULL)
        handle_rpc (self, source, rpc);
    }
  return TRUE;
}

static void
fixture_subscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  FloodFixture *self = (FloodFixture *) core;
  if (g_hash_table_add (self->topics, g_strdup (topic)))
    announce (self, topic, TRUE);
}

static void
fixture_unsubscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  FloodFixture *self = (FloodFixture *) core;
  if (g_hash_table_remove (self->topics, topic))
    announce (self, topic, FALSE);
}

static gboolean
fixture_publish (SatoriPubsubCore *core, const char *topic, GBytes *data, gint64 now_us,
                 GBytes **message_id_out, GError **error)
{
  FloodFixture *self = (FloodFixture *) core;
  guint64 seqno = GUINT64_TO_BE (++self->seqno);
  Satori__Pubsub__Message message = SATORI__PUBSUB__MESSAGE__INIT;
  gsize size;

  message.has_from = TRUE;
  message.from.data = (guint8 *) g_bytes_get_data (self->self, &size);
  message.from.len = size;
  message.has_data = TRUE;
  message.data.data = (guint8 *) g_bytes_get_data (data, &size);
  message.data.len = size;
  message.has_seqno = TRUE;
  message.seqno.data = (guint8 *) &seqno;
  message.seqno.len = sizeof seqno;
  message.topic = (char *) topic;

  GBytes *id = satori_pubsub_default_message_id (&message, NULL);
  g_hash_table_add (self->seen, g_bytes_ref (id));
  forward (self, &message, NULL, self->self);
  if (message_id_out != NULL)
    *message_id_out = id;
  else
    g_bytes_unref (id);
  return TRUE;
}

static void
fixture_set_topic_validated (SatoriPubsubCore *core, const char *topic, gboolean validated)
{
  /* The fixture validates nothing. */
}

static void
fixture_report_validation (SatoriPubsubCore *core, GBytes *message_id,
                           SatoriPubsubCoreVerdict verdict, gint64 now_us)
{
}

static gboolean
fixture_poll_transmit (SatoriPubsubCore *core, GBytes **peer_out, GBytes **frame_out)
{
  FloodFixture *self = (FloodFixture *) core;
  g_autofree Transmit *transmit = g_queue_pop_head (&self->transmits);
  if (transmit == NULL)
    return FALSE;
  *peer_out = transmit->peer;
  *frame_out = transmit->frame;
  return TRUE;
}

static gboolean
fixture_poll_event (SatoriPubsubCore *core, SatoriPubsubCoreEvent *event_out)
{
  FloodFixture *self = (FloodFixture *) core;
  g_autofree SatoriPubsubCoreEvent *event = g_queue_pop_head (&self->events);
  if (event == NULL)
    return FALSE;
  *event_out = *event;
  return TRUE;
}

static gint64
fixture_next_deadline_us (SatoriPubsubCore *core)
{
  return G_MAXINT64;
}

static void
fixture_handle_timeout (SatoriPubsubCore *core, gint64 now_us)
{
}

static GPtrArray *
fixture_topic_peers (SatoriPubsubCore *core, const char *topic)
{
  FloodFixture *self = (FloodFixture *) core;
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < self->peers->len; i++)
    {
      Peer *peer = g_ptr_array_index (self->peers, i);
      if (g_hash_table_contains (peer->topics, topic))
        g_ptr_array_add (peers, g_bytes_ref (peer->id));
    }
  return peers;
}

static void
transmit_free (gpointer data)
{
  Transmit *transmit = data;
  g_bytes_unref (transmit->peer);
  g_bytes_unref (transmit->frame);
  g_free (transmit);
}

static void
event_free (gpointer data)
{
  satori_pubsub_core_event_clear (data);
  g_free (data);
}

static void
fixture_free (SatoriPubsubCore *core)
{
  FloodFixture *self = (FloodFixture *) core;
  g_bytes_unref (self->self);
  g_ptr_array_unref (self->peers);
  g_hash_table_unref (self->topics);
  g_hash_table_unref (self->seen);
  g_queue_clear_full (&self->transmits, transmit_free);
  g_queue_clear_full (&self->events, event_free);
  g_free (self);
}

static const SatoriPubsubCoreClass flood_fixture_class = {
  .name = "flood-fixture",
  .add_peer = fixture_add_peer,
  .remove_peer = fixture_remove_peer,
  .handle_input = fixture_handle_input,
  .subscribe = fixture_subscribe,
  .unsubscribe = fixture_unsubscribe,
  .publish = fixture_publish,
  .set_topic_validated = fixture_set_topic_validated,
  .report_validation = fixture_report_validation,
  .poll_transmit = fixture_poll_transmit,
  .poll_event = fixture_poll_event,
  .next_deadline_us = fixture_next_deadline_us,
  .handle_timeout = fixture_handle_timeout,
  .topic_peers = fixture_topic_peers,
  .free = fixture_free,
};

SatoriPubsubCore *
satori_sim_flood_fixture_new (GBytes *peer_id)
{
  FloodFixture *self = g_new0 (FloodFixture, 1);
  self->parent.klass = &flood_fixture_class;
  self->self = g_bytes_ref (peer_id);
  self->peers = g_ptr_array_new_with_free_func (peer_free);
  self->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                      (GDestroyNotify) g_bytes_unref, NULL);
  g_queue_init (&self->transmits);
  g_queue_init (&self->events);
  return &self->parent;
}
