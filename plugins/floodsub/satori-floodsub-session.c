/* satori-floodsub-session.c — floodsub (libp2p/specs pubsub/README.md)
 *
 * Every message on a topic goes to every peer subscribed to it, once: the
 * seen cache stops loops. No clock, no I/O: see satori-pubsub-core.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-floodsub-session.h"

#include <string.h>

#include "satori-protobuf.h"
#include "satori-pubsub-error.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-pubsub-rpc-writer.h"
#include "satori-pubsub-seen-cache.h"
#include "satori-pubsub-signing.h"

/* A peer may announce this many topics; more closes its stream. */
#define MAX_PEER_TOPICS 5000
/* Messages waiting for an application validator; more are ignored. */
#define MAX_PENDING 4096
/* How often the seen cache forgets expired ids. */
#define SWEEP_INTERVAL_US (10 * G_USEC_PER_SEC)

typedef struct
{
  SatoriPubsubRpcReader *reader;
  GHashTable *topics;   /* char * → itself */
} FloodPeer;

typedef struct
{
  GBytes *encoded;      /* the Message, as it came */
  GBytes *forwarder;    /* NULL for our own */
  char *topic;
} Pending;

typedef struct
{
  GBytes *peer;
  GBytes *frame;
} Transmit;

typedef struct
{
  SatoriPubsubCore parent;

  SatoriPrivateKey *key;
  SatoriPubsubSignaturePolicy policy;
  gsize max_rpc_size;
  SatoriPubsubCoreProvider provider;
  guint64 seqno;

  GHashTable *peers;      /* GBytes → FloodPeer */
  GHashTable *topics;     /* our subscriptions */
  GHashTable *validated;  /* topics with an application validator */
  GHashTable *pending;    /* GBytes message id → Pending */
  SatoriPubsubSeenCache *seen;
  gint64 next_sweep_us;
  GQueue transmits;       /* Transmit */
  GQueue events;          /* SatoriPubsubCoreEvent */
} FloodsubSession;

static void
flood_peer_free (FloodPeer *peer)
{
  satori_pubsub_rpc_reader_free (peer->reader);
  g_hash_table_unref (peer->topics);
  g_free (peer);
}

static void
pending_free (Pending *pending)
{
  g_bytes_unref (pending->encoded);
  g_clear_pointer (&pending->forwarder, g_bytes_unref);
  g_free (pending->topic);
  g_free (pending);
}

static void
transmit_free (Transmit *transmit)
{
  g_bytes_unref (transmit->peer);
  g_bytes_unref (transmit->frame);
  g_free (transmit);
}

static void
event_free (SatoriPubsubCoreEvent *event)
{
  satori_pubsub_core_event_clear (event);
  g_free (event);
}

static void
send_frame (FloodsubSession *self, GBytes *peer, GBytes *frame)
{
  Transmit *transmit = g_new0 (Transmit, 1);

  transmit->peer = g_bytes_ref (peer);
  transmit->frame = g_bytes_ref (frame);
  g_queue_push_tail (&self->transmits, transmit);
}

static GBytes *
field_bytes (const ProtobufCBinaryData *field, protobuf_c_boolean has)
{
  return has ? g_bytes_new (field->data, field->len) : NULL;
}

static void
push_message_event (FloodsubSession *self, SatoriPubsubCoreEventType type,
                    const Satori__Pubsub__Message *message, GBytes *id, GBytes *forwarder)
{
  SatoriPubsubCoreEvent *event = g_new0 (SatoriPubsubCoreEvent, 1);

  event->type = type;
  event->peer = forwarder ? g_bytes_ref (forwarder) : NULL;
  event->topic = g_strdup (message->topic);
  event->message_id = g_bytes_ref (id);
  event->from = field_bytes (&message->from, message->has_from);
  event->data = message->has_data ? g_bytes_new (message->data.data, message->data.len)
                                  : g_bytes_new (NULL, 0);
  event->seqno = field_bytes (&message->seqno, message->has_seqno);
  event->signature = field_bytes (&message->signature, message->has_signature);
  event->key = field_bytes (&message->key, message->has_key);
  g_queue_push_tail (&self->events, event);
}

static GBytes *
message_id (FloodsubSession *self, const Satori__Pubsub__Message *message)
{
  if (self->policy == SATORI_PUBSUB_STRICT_NO_SIGN)
    return satori_pubsub_content_message_id (message, NULL);
  return satori_pubsub_default_message_id (message, NULL);
}

/* Sends @encoded to every peer on its topic but the one it came from and
 * its author, and delivers it when we subscribe. */
static void
route (FloodsubSession *self, const Satori__Pubsub__Message *message, GBytes *encoded,
       GBytes *id, GBytes *forwarder)
{
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  g_autoptr(GBytes) frame = NULL;
  GHashTableIter iter;
  gpointer key, value;

  satori_pubsub_rpc_writer_add_message (writer, encoded);
  frame = satori_pubsub_rpc_writer_finish (writer);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GBytes *peer = key;
      FloodPeer *state = value;
      gboolean is_author = message->has_from && message->from.len == g_bytes_get_size (peer) &&
                           memcmp (message->from.data, g_bytes_get_data (peer, NULL),
                                   message->from.len) == 0;
      if (is_author || (forwarder != NULL && g_bytes_equal (peer, forwarder)) ||
          !g_hash_table_contains (state->topics, message->topic))
        continue;
      send_frame (self, peer, frame);
    }
  if (forwarder != NULL && g_hash_table_contains (self->topics, message->topic))
    push_message_event (self, SATORI_PUBSUB_CORE_EVENT_MESSAGE, message, id, forwarder);
}

static void
push_subscription_event (FloodsubSession *self, GBytes *peer, const char *topic,
                         gboolean subscribed)
{
  SatoriPubsubCoreEvent *event = g_new0 (SatoriPubsubCoreEvent, 1);

  event->type = SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION;
  event->peer = g_bytes_ref (peer);
  event->topic = g_strdup (topic);
  event->subscribed = subscribed;
  g_queue_push_tail (&self->events, event);
}

static gboolean
apply_subscriptions (FloodsubSession *self, GBytes *peer, FloodPeer *state,
                     const Satori__Pubsub__RPC *rpc, GError **error)
{
  for (gsize i = 0; i < rpc->n_subscriptions; i++)
    {
      const Satori__Pubsub__RPC__SubOpts *opts = rpc->subscriptions[i];
      if (opts->topicid == NULL || !g_utf8_validate (opts->topicid, -1, NULL))
        continue;
      gboolean changed;
      if (opts->subscribe)
        {
          if (g_hash_table_size (state->topics) >= MAX_PEER_TOPICS &&
              !g_hash_table_contains (state->topics, opts->topicid))
            {
              g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE,
                           "more than %d subscriptions", MAX_PEER_TOPICS);
              return FALSE;
            }
          changed = g_hash_table_add (state->topics, g_strdup (opts->topicid));
        }
      else
        changed = g_hash_table_remove (state->topics, opts->topicid);
      if (changed)
        push_subscription_event (self, peer, opts->topicid, opts->subscribe);
    }
  return TRUE;
}

static void
receive_message (FloodsubSession *self, GBytes *peer, const Satori__Pubsub__Message *message,
                 gint64 now_us)
{
  g_autoptr(GError) error = NULL;

  if (!satori_pubsub_check_message_full (message, self->policy,
                                         SATORI_PUBSUB_CHECK_SHORT_SEQNO, &error))
    {
      g_debug ("Dropping a floodsub message: %s", error->message);
      return;
    }
  g_autoptr(GBytes) id = message_id (self, message);
  if (!satori_pubsub_seen_cache_add (self->seen, id, now_us))
    return;
  g_autoptr(GBytes) encoded = satori_protobuf_pack (&message->base);
  if (!g_hash_table_contains (self->validated, message->topic))
    {
      route (self, message, encoded, id, peer);
      return;
    }
  if (g_hash_table_size (self->pending) >= MAX_PENDING)
    {
      g_debug ("Ignoring a floodsub message: %d wait for validation", MAX_PENDING);
      return;
    }
  Pending *pending = g_new0 (Pending, 1);
  pending->encoded = g_steal_pointer (&encoded);
  pending->forwarder = g_bytes_ref (peer);
  pending->topic = g_strdup (message->topic);
  g_hash_table_insert (self->pending, g_bytes_ref (id), pending);
  push_message_event (self, SATORI_PUBSUB_CORE_EVENT_VALIDATE, message, id, peer);
}

/* --- the contract --- */

static FloodsubSession *
session_of (SatoriPubsubCore *core)
{
  return (FloodsubSession *) core;
}

static void
floodsub_add_peer (SatoriPubsubCore *core, GBytes *peer, const char *protocol,
                   gboolean outbound, gint64 now_us)
{
  FloodsubSession *self = session_of (core);

  if (g_hash_table_contains (self->peers, peer))
    return;
  FloodPeer *state = g_new0 (FloodPeer, 1);
  state->reader = satori_pubsub_rpc_reader_new (self->max_rpc_size);
  state->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (self->peers, g_bytes_ref (peer), state);

  /* A new peer learns every topic we subscribe to. */
  if (g_hash_table_size (self->topics) == 0)
    return;
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  GHashTableIter iter;
  gpointer topic;
  g_hash_table_iter_init (&iter, self->topics);
  while (g_hash_table_iter_next (&iter, &topic, NULL))
    satori_pubsub_rpc_writer_add_subscription (writer, topic, TRUE);
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (writer);
  send_frame (self, peer, frame);
}

static void
floodsub_remove_peer (SatoriPubsubCore *core, GBytes *peer, gint64 now_us)
{
  g_hash_table_remove (session_of (core)->peers, peer);
}

static gboolean
floodsub_handle_input (SatoriPubsubCore *core, GBytes *peer, const guint8 *data, gsize len,
                       gint64 now_us, GError **error)
{
  FloodsubSession *self = session_of (core);
  FloodPeer *state = g_hash_table_lookup (self->peers, peer);

  if (state == NULL)
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_MALFORMED,
                           "input from a peer the router does not know");
      return FALSE;
    }
  while (len > 0)
    {
      g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
      gsize consumed = 0;
      if (!satori_pubsub_rpc_reader_feed (state->reader, data, len, &consumed, &rpc, error))
        return FALSE;
      data += consumed;
      len -= consumed;
      if (rpc == NULL)
        continue;
      if (!apply_subscriptions (self, peer, state, rpc, error))
        return FALSE;
      for (gsize i = 0; i < rpc->n_publish; i++)
        receive_message (self, peer, rpc->publish[i], now_us);
    }
  return TRUE;
}

static void
announce (FloodsubSession *self, const char *topic, gboolean subscribe)
{
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  GHashTableIter iter;
  gpointer peer;

  satori_pubsub_rpc_writer_add_subscription (writer, topic, subscribe);
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (writer);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, &peer, NULL))
    send_frame (self, peer, frame);
}

static void
floodsub_subscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  FloodsubSession *self = session_of (core);

  if (g_hash_table_add (self->topics, g_strdup (topic)))
    announce (self, topic, TRUE);
}

static void
floodsub_unsubscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  FloodsubSession *self = session_of (core);

  if (g_hash_table_remove (self->topics, topic))
    announce (self, topic, FALSE);
}

static GBytes *
next_seqno (FloodsubSession *self)
{
  guint64 be = GUINT64_TO_BE (self->seqno++);

  return g_bytes_new (&be, sizeof be);
}

static gboolean
floodsub_publish (SatoriPubsubCore *core, const char *topic, GBytes *data, gint64 now_us,
                  GBytes **message_id_out, GError **error)
{
  FloodsubSession *self = session_of (core);
  gboolean sign = self->policy == SATORI_PUBSUB_STRICT_SIGN;
  g_autoptr(GBytes) seqno = sign ? next_seqno (self) : NULL;

  if (g_bytes_get_size (data) >= self->max_rpc_size)
    {
      g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE,
                   "a message of %" G_GSIZE_FORMAT " bytes does not fit in an RPC",
                   g_bytes_get_size (data));
      return FALSE;
    }
  g_autoptr(GBytes) encoded = satori_pubsub_build_message (topic, data, seqno,
                                                           sign ? self->key : NULL, error);
  if (encoded == NULL)
    return FALSE;
  Satori__Pubsub__Message *message = satori__pubsub__message__unpack (
    NULL, g_bytes_get_size (encoded), g_bytes_get_data (encoded, NULL));
  g_autoptr(GBytes) id = message_id (self, message);
  satori_pubsub_seen_cache_add (self->seen, id, now_us);
  route (self, message, encoded, id, NULL);
  satori__pubsub__message__free_unpacked (message, NULL);
  if (message_id_out != NULL)
    *message_id_out = g_steal_pointer (&id);
  return TRUE;
}

static void
floodsub_set_topic_validated (SatoriPubsubCore *core, const char *topic, gboolean validated)
{
  FloodsubSession *self = session_of (core);

  if (validated)
    g_hash_table_add (self->validated, g_strdup (topic));
  else
    g_hash_table_remove (self->validated, topic);
}

static void
floodsub_report_validation (SatoriPubsubCore *core, GBytes *message_id,
                            SatoriPubsubCoreVerdict verdict, gint64 now_us)
{
  FloodsubSession *self = session_of (core);
  Pending *pending = g_hash_table_lookup (self->pending, message_id);

  if (pending == NULL)
    return;
  if (verdict == SATORI_PUBSUB_CORE_ACCEPT)
    {
      Satori__Pubsub__Message *message = satori__pubsub__message__unpack (
        NULL, g_bytes_get_size (pending->encoded), g_bytes_get_data (pending->encoded, NULL));
      route (self, message, pending->encoded, message_id, pending->forwarder);
      satori__pubsub__message__free_unpacked (message, NULL);
    }
  g_hash_table_remove (self->pending, message_id);
}

static gboolean
floodsub_poll_transmit (SatoriPubsubCore *core, GBytes **peer_out, GBytes **frame_out)
{
  Transmit *transmit = g_queue_pop_head (&session_of (core)->transmits);

  if (transmit == NULL)
    return FALSE;
  *peer_out = g_steal_pointer (&transmit->peer);
  *frame_out = g_steal_pointer (&transmit->frame);
  g_free (transmit);
  return TRUE;
}

static gboolean
floodsub_poll_event (SatoriPubsubCore *core, SatoriPubsubCoreEvent *event_out)
{
  SatoriPubsubCoreEvent *event = g_queue_pop_head (&session_of (core)->events);

  if (event == NULL)
    return FALSE;
  *event_out = *event;
  g_free (event);
  return TRUE;
}

static gint64
floodsub_next_deadline_us (SatoriPubsubCore *core)
{
  FloodsubSession *self = session_of (core);

  return satori_pubsub_seen_cache_size (self->seen) > 0 ? self->next_sweep_us : G_MAXINT64;
}

static void
floodsub_handle_timeout (SatoriPubsubCore *core, gint64 now_us)
{
  FloodsubSession *self = session_of (core);

  if (now_us < self->next_sweep_us)
    return;
  satori_pubsub_seen_cache_expire (self->seen, now_us);
  self->next_sweep_us = now_us + SWEEP_INTERVAL_US;
}

static GPtrArray *
floodsub_topic_peers (SatoriPubsubCore *core, const char *topic)
{
  FloodsubSession *self = session_of (core);
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GHashTableIter iter;
  gpointer peer, state;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, &peer, &state))
    if (g_hash_table_contains (((FloodPeer *) state)->topics, topic))
      g_ptr_array_add (peers, g_bytes_ref (peer));
  return peers;
}

static void
floodsub_free (SatoriPubsubCore *core)
{
  FloodsubSession *self = session_of (core);

  g_clear_object (&self->key);
  g_hash_table_unref (self->peers);
  g_hash_table_unref (self->topics);
  g_hash_table_unref (self->validated);
  g_hash_table_unref (self->pending);
  satori_pubsub_seen_cache_free (self->seen);
  g_queue_clear_full (&self->transmits, (GDestroyNotify) transmit_free);
  g_queue_clear_full (&self->events, (GDestroyNotify) event_free);
  g_free (self);
}

static const SatoriPubsubCoreClass floodsub_class = {
  .name = "floodsub",
  .add_peer = floodsub_add_peer,
  .remove_peer = floodsub_remove_peer,
  .handle_input = floodsub_handle_input,
  .subscribe = floodsub_subscribe,
  .unsubscribe = floodsub_unsubscribe,
  .publish = floodsub_publish,
  .set_topic_validated = floodsub_set_topic_validated,
  .report_validation = floodsub_report_validation,
  .poll_transmit = floodsub_poll_transmit,
  .poll_event = floodsub_poll_event,
  .next_deadline_us = floodsub_next_deadline_us,
  .handle_timeout = floodsub_handle_timeout,
  .topic_peers = floodsub_topic_peers,
  .free = floodsub_free,
};

/**
 * satori_floodsub_session_new:
 * @config: the router's configuration
 * @provider: randomness (the first sequence number); copied
 *
 * Returns: (transfer full): a floodsub core; free it with its class's free
 */
SatoriPubsubCore *
satori_floodsub_session_new (const SatoriFloodsubConfig *config,
                             const SatoriPubsubCoreProvider *provider)
{
  g_return_val_if_fail (config->policy == SATORI_PUBSUB_STRICT_NO_SIGN || config->key != NULL,
                        NULL);
  FloodsubSession *self = g_new0 (FloodsubSession, 1);

  self->parent.klass = &floodsub_class;
  self->key = config->key ? g_object_ref (config->key) : NULL;
  self->policy = config->policy;
  self->max_rpc_size = config->max_rpc_size;
  self->provider = *provider;
  /* Sequence numbers start at random, as js-libp2p's do, so that a
   * restarted peer does not reuse ids its network still remembers. The
   * top bit is set: js-libp2p's floodsub checks a signature over the
   * seqno re-encoded without leading zero bytes, so it drops a message
   * whose seqno starts with one (1 in 256 of random ones). */
  self->seqno = (guint64) provider->random_u32 (provider->user_data) << 32 |
                provider->random_u32 (provider->user_data) | G_GUINT64_CONSTANT (1) << 63;
  self->peers = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                       (GDestroyNotify) g_bytes_unref,
                                       (GDestroyNotify) flood_peer_free);
  self->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->validated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                         (GDestroyNotify) g_bytes_unref,
                                         (GDestroyNotify) pending_free);
  self->seen = satori_pubsub_seen_cache_new (config->seen_ttl_us);
  g_queue_init (&self->transmits);
  g_queue_init (&self->events);
  return &self->parent;
}
