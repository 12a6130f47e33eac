/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-outbox.h"

#include "pubsub-rpc.pb-c.h"
#include "satori-pubsub-rpc-writer.h"

typedef struct {
  char *topic;
  GPtrArray *ids;        /* IHAVE: GBytes; PRUNE: PX peer ids */
  gboolean with_backoff;
  guint64 backoff_s;
  gboolean subscribe;    /* subscriptions */
} TopicControl;

typedef struct {
  GBytes *id;
  GBytes *message;
} Queued;

/* Nothing is encoded before the peer can take it: pop() builds each frame
 * from what waits, so that the router decides what a slow peer loses.
 * Mesh state (subscriptions, GRAFT, PRUNE) is never dropped: it is kept
 * as the latest word per topic, so it cannot grow past the topic count.
 * Gossip goes first: a new IHAVE replaces the unsent one of its topic,
 * and IWANT / IDONTWANT ids past max_ids are dropped. Messages wait in a
 * queue of max_queue messages and four times max_rpc_size bytes; past it
 * new ones are dropped, and a peer's IDONTWANT takes its message out of
 * the queue. */
struct _SatoriGossipsubOutbox
{
  gsize max_rpc_size;
  guint max_queue, max_ids;
  SatoriPubsubRpcWriter *writer;                /* reused: it keeps its buffer */
  GPtrArray *subscriptions, *grafts, *prunes;   /* of TopicControl, one per topic */
  GPtrArray *ihaves;                            /* of TopicControl, one per topic */
  GPtrArray *iwant, *idontwant;                 /* of GBytes */
  GQueue messages;                              /* of Queued */
  gsize queued_bytes;
  guint64 dropped;
};

static void
topic_control_free (gpointer data)
{
  TopicControl *control = data;
  g_free (control->topic);
  g_clear_pointer (&control->ids, g_ptr_array_unref);
  g_free (control);
}

static void
queued_free (gpointer data)
{
  Queued *queued = data;
  g_bytes_unref (queued->id);
  g_bytes_unref (queued->message);
  g_free (queued);
}

static GPtrArray *
bytes_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

/**
 * satori_gossipsub_outbox_new:
 * @max_rpc_size: the largest frame to build
 * @max_queue: messages waiting before more are dropped (and at most
 *   4 × @max_rpc_size bytes of them)
 * @max_ids: IWANT ids, and IDONTWANT ids, waiting before more are dropped
 *
 * Returns: (transfer full): an empty outbox
 */
SatoriGossipsubOutbox *
satori_gossipsub_outbox_new (gsize max_rpc_size, guint max_queue, guint max_ids)
{
  SatoriGossipsubOutbox *outbox = g_new0 (SatoriGossipsubOutbox, 1);
  outbox->max_rpc_size = max_rpc_size;
  outbox->max_queue = max_queue;
  outbox->max_ids = max_ids;
  outbox->writer = satori_pubsub_rpc_writer_new ();
  outbox->subscriptions = g_ptr_array_new_with_free_func (topic_control_free);
  outbox->grafts = g_ptr_array_new_with_free_func (topic_control_free);
  outbox->prunes = g_ptr_array_new_with_free_func (topic_control_free);
  outbox->ihaves = g_ptr_array_new_with_free_func (topic_control_free);
  outbox->iwant = bytes_array ();
  outbox->idontwant = bytes_array ();
  g_queue_init (&outbox->messages);
  return outbox;
}

/**
 * satori_gossipsub_outbox_free:
 * @outbox: (transfer full) (nullable): an outbox
 */
void
satori_gossipsub_outbox_free (SatoriGossipsubOutbox *outbox)
{
  if (outbox == NULL)
    return;
  satori_pubsub_rpc_writer_free (outbox->writer);
  g_ptr_array_unref (outbox->subscriptions);
  g_ptr_array_unref (outbox->grafts);
  g_ptr_array_unref (outbox->prunes);
  g_ptr_array_unref (outbox->ihaves);
  g_ptr_array_unref (outbox->iwant);
  g_ptr_array_unref (outbox->idontwant);
  g_queue_clear_full (&outbox->messages, queued_free);
  g_free (outbox);
}

static TopicControl *
topic_control (const char *topic, GPtrArray *ids)
{
  TopicControl *control = g_new0 (TopicControl, 1);
  control->topic = g_strdup (topic);
  control->ids = ids;
  return control;
}

/* Drops the entry of @topic from @list, if any. */
static void
forget_topic (GPtrArray *list, const char *topic)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((TopicControl *) list->pdata[i])->topic, topic))
      {
        g_ptr_array_remove_index (list, i);
        return;
      }
}

/* @control becomes the word on its topic in @list. */
static void
replace_topic (GPtrArray *list, TopicControl *control)
{
  forget_topic (list, control->topic);
  g_ptr_array_add (list, control);
}

/**
 * satori_gossipsub_outbox_add_subscription:
 * @outbox: an outbox
 * @topic: a topic
 * @subscribe: whether we joined or left it
 */
void
satori_gossipsub_outbox_add_subscription (SatoriGossipsubOutbox *outbox, const char *topic,
                                          gboolean subscribe)
{
  TopicControl *control = topic_control (topic, NULL);
  control->subscribe = subscribe;
  replace_topic (outbox->subscriptions, control);
}

/**
 * satori_gossipsub_outbox_add_message:
 * @outbox: an outbox
 * @id: the message id
 * @message: an encoded Message
 *
 * Returns: %FALSE when the queue was full and @message was dropped
 */
gboolean
satori_gossipsub_outbox_add_message (SatoriGossipsubOutbox *outbox, GBytes *id, GBytes *message)
{
  gsize size = g_bytes_get_size (message);
  if (outbox->messages.length >= outbox->max_queue
      || outbox->queued_bytes + size > 4 * outbox->max_rpc_size)
    {
      outbox->dropped++;
      return FALSE;
    }
  Queued *queued = g_new (Queued, 1);
  queued->id = g_bytes_ref (id);
  queued->message = g_bytes_ref (message);
  g_queue_push_tail (&outbox->messages, queued);
  outbox->queued_bytes += size;
  return TRUE;
}

/**
 * satori_gossipsub_outbox_drop_message:
 * @outbox: an outbox
 * @id: a message id the peer said it does not want
 *
 * Returns: whether a queued copy was dropped
 */
gboolean
satori_gossipsub_outbox_drop_message (SatoriGossipsubOutbox *outbox, GBytes *id)
{
  for (GList *link = outbox->messages.head; link != NULL; link = link->next)
    {
      Queued *queued = link->data;
      if (g_bytes_equal (queued->id, id))
        {
          g_queue_delete_link (&outbox->messages, link);
          outbox->queued_bytes -= g_bytes_get_size (queued->message);
          queued_free (queued);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * satori_gossipsub_outbox_add_graft:
 * @outbox: an outbox
 * @topic: the topic whose mesh we add the peer to (replaces a PRUNE not
 *   yet sent)
 */
void
satori_gossipsub_outbox_add_graft (SatoriGossipsubOutbox *outbox, const char *topic)
{
  forget_topic (outbox->prunes, topic);
  replace_topic (outbox->grafts, topic_control (topic, NULL));
}

/**
 * satori_gossipsub_outbox_add_prune:
 * @outbox: an outbox
 * @topic: the topic whose mesh we remove the peer from (replaces a GRAFT
 *   or PRUNE not yet sent)
 * @px_peers: (nullable) (element-type GBytes): peer ids offered (taken over)
 * @with_backoff: whether to send the backoff field (v1.1+)
 * @backoff_s: the backoff in seconds
 */
void
satori_gossipsub_outbox_add_prune (SatoriGossipsubOutbox *outbox, const char *topic,
                                   GPtrArray *px_peers, gboolean with_backoff, guint64 backoff_s)
{
  TopicControl *control = topic_control (topic, px_peers);
  control->with_backoff = with_backoff;
  control->backoff_s = backoff_s;
  forget_topic (outbox->grafts, topic);
  replace_topic (outbox->prunes, control);
}

/**
 * satori_gossipsub_outbox_add_ihave:
 * @outbox: an outbox
 * @topic: a topic
 * @ids: (element-type GBytes): message ids (taken over); they replace an
 *   IHAVE of @topic not yet sent
 */
void
satori_gossipsub_outbox_add_ihave (SatoriGossipsubOutbox *outbox, const char *topic,
                                   GPtrArray *ids)
{
  replace_topic (outbox->ihaves, topic_control (topic, ids));
}

static void
add_id (SatoriGossipsubOutbox *outbox, GPtrArray *ids, GBytes *id)
{
  if (ids->len >= outbox->max_ids)
    {
      outbox->dropped++;
      return;
    }
  g_ptr_array_add (ids, g_bytes_ref (id));
}

/**
 * satori_gossipsub_outbox_add_iwant:
 * @outbox: an outbox
 * @id: a message id we ask for
 */
void
satori_gossipsub_outbox_add_iwant (SatoriGossipsubOutbox *outbox, GBytes *id)
{
  add_id (outbox, outbox->iwant, id);
}

/**
 * satori_gossipsub_outbox_add_idontwant:
 * @outbox: an outbox
 * @id: a message id we have
 */
void
satori_gossipsub_outbox_add_idontwant (SatoriGossipsubOutbox *outbox, GBytes *id)
{
  add_id (outbox, outbox->idontwant, id);
}

static ProtobufCBinaryData *
binary_list (GPtrArray *ids)
{
  ProtobufCBinaryData *list = g_new0 (ProtobufCBinaryData, MAX (ids->len, 1));
  for (guint i = 0; i < ids->len; i++)
    {
      gsize len;
      list[i].data = (guint8 *) g_bytes_get_data (g_ptr_array_index (ids, i), &len);
      list[i].len = len;
    }
  return list;
}

/* The control part, built over the outbox's arrays; @keep collects what
 * the structures allocate, to be freed after packing. */
static gboolean
build_control (SatoriGossipsubOutbox *outbox, Satori__Pubsub__ControlMessage *control,
               GPtrArray *keep)
{
  control->n_graft = outbox->grafts->len;
  control->graft = g_new0 (Satori__Pubsub__ControlGraft *, MAX (control->n_graft, 1));
  g_ptr_array_add (keep, control->graft);
  for (guint i = 0; i < outbox->grafts->len; i++)
    {
      TopicControl *tc = g_ptr_array_index (outbox->grafts, i);
      Satori__Pubsub__ControlGraft *graft = g_new (Satori__Pubsub__ControlGraft, 1);
      satori__pubsub__control_graft__init (graft);
      graft->topicid = tc->topic;
      control->graft[i] = graft;
      g_ptr_array_add (keep, graft);
    }

  control->n_prune = outbox->prunes->len;
  control->prune = g_new0 (Satori__Pubsub__ControlPrune *, MAX (control->n_prune, 1));
  g_ptr_array_add (keep, control->prune);
  for (guint i = 0; i < outbox->prunes->len; i++)
    {
      TopicControl *tc = g_ptr_array_index (outbox->prunes, i);
      Satori__Pubsub__ControlPrune *prune = g_new (Satori__Pubsub__ControlPrune, 1);
      satori__pubsub__control_prune__init (prune);
      prune->topicid = tc->topic;
      prune->has_backoff = tc->with_backoff;
      prune->backoff = tc->backoff_s;
      if (tc->ids != NULL && tc->ids->len > 0)
        {
          prune->n_peers = tc->ids->len;
          prune->peers = g_new0 (Satori__Pubsub__PeerInfo *, tc->ids->len);
          g_ptr_array_add (keep, prune->peers);
          for (guint p = 0; p < tc->ids->len; p++)
            {
              Satori__Pubsub__PeerInfo *info = g_new (Satori__Pubsub__PeerInfo, 1);
              gsize len;
              satori__pubsub__peer_info__init (info);
              info->has_peerid = TRUE;
              info->peerid.data = (guint8 *) g_bytes_get_data (g_ptr_array_index (tc->ids, p),
                                                               &len);
              info->peerid.len = len;
              prune->peers[p] = info;
              g_ptr_array_add (keep, info);
            }
        }
      control->prune[i] = prune;
      g_ptr_array_add (keep, prune);
    }

  control->n_ihave = outbox->ihaves->len;
  control->ihave = g_new0 (Satori__Pubsub__ControlIHave *, MAX (control->n_ihave, 1));
  g_ptr_array_add (keep, control->ihave);
  for (guint i = 0; i < outbox->ihaves->len; i++)
    {
      TopicControl *tc = g_ptr_array_index (outbox->ihaves, i);
      Satori__Pubsub__ControlIHave *ihave = g_new (Satori__Pubsub__ControlIHave, 1);
      satori__pubsub__control_ihave__init (ihave);
      ihave->topicid = tc->topic;
      ihave->n_messageids = tc->ids->len;
      ihave->messageids = binary_list (tc->ids);
      g_ptr_array_add (keep, ihave->messageids);
      control->ihave[i] = ihave;
      g_ptr_array_add (keep, ihave);
    }

  static Satori__Pubsub__ControlIWant iwant_init = SATORI__PUBSUB__CONTROL_IWANT__INIT;
  static Satori__Pubsub__ControlIDontWant idontwant_init = SATORI__PUBSUB__CONTROL_IDONT_WANT__INIT;
  if (outbox->iwant->len > 0)
    {
      Satori__Pubsub__ControlIWant *iwant = g_memdup2 (&iwant_init, sizeof iwant_init);
      iwant->n_messageids = outbox->iwant->len;
      iwant->messageids = binary_list (outbox->iwant);
      control->n_iwant = 1;
      control->iwant = g_new (Satori__Pubsub__ControlIWant *, 1);
      control->iwant[0] = iwant;
      g_ptr_array_add (keep, iwant->messageids);
      g_ptr_array_add (keep, iwant);
      g_ptr_array_add (keep, control->iwant);
    }
  if (outbox->idontwant->len > 0)
    {
      Satori__Pubsub__ControlIDontWant *idw = g_memdup2 (&idontwant_init, sizeof idontwant_init);
      idw->n_messageids = outbox->idontwant->len;
      idw->messageids = binary_list (outbox->idontwant);
      control->n_idontwant = 1;
      control->idontwant = g_new (Satori__Pubsub__ControlIDontWant *, 1);
      control->idontwant[0] = idw;
      g_ptr_array_add (keep, idw->messageids);
      g_ptr_array_add (keep, idw);
      g_ptr_array_add (keep, control->idontwant);
    }
  return control->n_graft + control->n_prune + control->n_ihave + control->n_iwant
         + control->n_idontwant > 0;
}

/**
 * satori_gossipsub_outbox_pop:
 * @outbox: an outbox
 *
 * The next frame: all the control and subscriptions waiting, and the
 * oldest messages that fit in half the largest frame (at least one).
 *
 * Returns: (transfer full) (nullable): a frame, %NULL when nothing waits
 */
GBytes *
satori_gossipsub_outbox_pop (SatoriGossipsubOutbox *outbox)
{
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  SatoriPubsubRpcWriter *writer = outbox->writer;
  guint taken = 0;

  if (!satori_gossipsub_outbox_has_pending (outbox))
    return NULL;
  for (guint i = 0; i < outbox->subscriptions->len; i++)
    {
      TopicControl *tc = outbox->subscriptions->pdata[i];
      satori_pubsub_rpc_writer_add_subscription (writer, tc->topic, tc->subscribe);
    }
  if (build_control (outbox, &control, keep))
    satori_pubsub_rpc_writer_set_control (writer, &control);
  Queued *queued;
  while ((queued = g_queue_peek_head (&outbox->messages)) != NULL)
    {
      /* Room for the field tag and length. */
      gsize need = g_bytes_get_size (queued->message) + 16;
      if (taken > 0 && satori_pubsub_rpc_writer_get_size (writer) + need > outbox->max_rpc_size / 2)
        break;
      satori_pubsub_rpc_writer_add_message (writer, queued->message);
      outbox->queued_bytes -= g_bytes_get_size (queued->message);
      queued_free (g_queue_pop_head (&outbox->messages));
      taken++;
    }
  GBytes *frame = satori_pubsub_rpc_writer_finish (writer);
  g_ptr_array_set_size (outbox->subscriptions, 0);
  g_ptr_array_set_size (outbox->grafts, 0);
  g_ptr_array_set_size (outbox->prunes, 0);
  g_ptr_array_set_size (outbox->ihaves, 0);
  g_ptr_array_set_size (outbox->iwant, 0);
  g_ptr_array_set_size (outbox->idontwant, 0);
  return frame;
}

/**
 * satori_gossipsub_outbox_has_pending:
 * @outbox: an outbox
 *
 * Returns: whether pop() has a frame to give
 */
gboolean
satori_gossipsub_outbox_has_pending (SatoriGossipsubOutbox *outbox)
{
  return outbox->messages.length > 0 || outbox->subscriptions->len > 0
         || outbox->grafts->len > 0 || outbox->prunes->len > 0 || outbox->ihaves->len > 0
         || outbox->iwant->len > 0 || outbox->idontwant->len > 0;
}

/**
 * satori_gossipsub_outbox_get_queued:
 * @outbox: an outbox
 *
 * Returns: the number of messages waiting
 */
guint
satori_gossipsub_outbox_get_queued (SatoriGossipsubOutbox *outbox)
{
  return outbox->messages.length;
}

/**
 * satori_gossipsub_outbox_take_dropped:
 * @outbox: an outbox
 *
 * Returns: the messages and ids dropped on a full queue since the last call
 */
guint64
satori_gossipsub_outbox_take_dropped (SatoriGossipsubOutbox *outbox)
{
  guint64 dropped = outbox->dropped;
  outbox->dropped = 0;
  return dropped;
}
