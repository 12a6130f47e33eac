/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-outbox.h"

#include "pubsub-rpc.pb-c.h"
#include "satori-pubsub-rpc-writer.h"

typedef struct {
  char *topic;
  GPtrArray *ids;        /* IHAVE: GBytes; PRUNE: PX peer ids */
  gboolean with_backoff;
  guint64 backoff_s;
} TopicControl;

/* Frames are dropped whole once the queue is full, except those that carry
 * GRAFT, PRUNE or subscriptions (the mesh state the peer must learn), which
 * may use a second allowance of the same size; past it everything drops. */
struct _SatoriGossipsubOutbox
{
  gsize max_rpc_size;
  guint max_queue;
  SatoriPubsubRpcWriter *writer;   /* subscriptions and messages */
  gboolean has_state;              /* subscriptions, GRAFT or PRUNE pending */
  GPtrArray *grafts, *prunes, *ihaves;   /* of TopicControl */
  GPtrArray *iwant, *idontwant;          /* of GBytes */
  GQueue queue;
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

static GPtrArray *
bytes_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

/**
 * satori_gossipsub_outbox_new:
 * @max_rpc_size: the largest frame to build
 * @max_queue: frames queued before more are dropped
 *
 * Returns: (transfer full): an empty outbox
 */
SatoriGossipsubOutbox *
satori_gossipsub_outbox_new (gsize max_rpc_size, guint max_queue)
{
  SatoriGossipsubOutbox *outbox = g_new0 (SatoriGossipsubOutbox, 1);
  outbox->max_rpc_size = max_rpc_size;
  outbox->max_queue = max_queue;
  outbox->writer = satori_pubsub_rpc_writer_new ();
  outbox->grafts = g_ptr_array_new_with_free_func (topic_control_free);
  outbox->prunes = g_ptr_array_new_with_free_func (topic_control_free);
  outbox->ihaves = g_ptr_array_new_with_free_func (topic_control_free);
  outbox->iwant = bytes_array ();
  outbox->idontwant = bytes_array ();
  g_queue_init (&outbox->queue);
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
  g_ptr_array_unref (outbox->grafts);
  g_ptr_array_unref (outbox->prunes);
  g_ptr_array_unref (outbox->ihaves);
  g_ptr_array_unref (outbox->iwant);
  g_ptr_array_unref (outbox->idontwant);
  g_queue_clear_full (&outbox->queue, (GDestroyNotify) g_bytes_unref);
  g_free (outbox);
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
  satori_pubsub_rpc_writer_add_subscription (outbox->writer, topic, subscribe);
  outbox->has_state = TRUE;
}

/**
 * satori_gossipsub_outbox_add_message:
 * @outbox: an outbox
 * @message: an encoded Message; a frame is finished first when it would
 *   not fit in the current one
 */
void
satori_gossipsub_outbox_add_message (SatoriGossipsubOutbox *outbox, GBytes *message)
{
  /* Room for the field tag and length, and for the control part. */
  gsize need = g_bytes_get_size (message) + 16;
  if (satori_pubsub_rpc_writer_get_size (outbox->writer) + need > outbox->max_rpc_size / 2)
    satori_gossipsub_outbox_flush (outbox);
  satori_pubsub_rpc_writer_add_message (outbox->writer, message);
}

static TopicControl *
topic_control (const char *topic, GPtrArray *ids)
{
  TopicControl *control = g_new0 (TopicControl, 1);
  control->topic = g_strdup (topic);
  control->ids = ids;
  return control;
}

/**
 * satori_gossipsub_outbox_add_graft:
 * @outbox: an outbox
 * @topic: the topic whose mesh we add the peer to
 */
void
satori_gossipsub_outbox_add_graft (SatoriGossipsubOutbox *outbox, const char *topic)
{
  g_ptr_array_add (outbox->grafts, topic_control (topic, NULL));
  outbox->has_state = TRUE;
}

/**
 * satori_gossipsub_outbox_add_prune:
 * @outbox: an outbox
 * @topic: the topic whose mesh we remove the peer from
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
  g_ptr_array_add (outbox->prunes, control);
  outbox->has_state = TRUE;
}

/**
 * satori_gossipsub_outbox_add_ihave:
 * @outbox: an outbox
 * @topic: a topic
 * @ids: (element-type GBytes): message ids (taken over)
 */
void
satori_gossipsub_outbox_add_ihave (SatoriGossipsubOutbox *outbox, const char *topic,
                                   GPtrArray *ids)
{
  g_ptr_array_add (outbox->ihaves, topic_control (topic, ids));
}

/**
 * satori_gossipsub_outbox_add_iwant:
 * @outbox: an outbox
 * @id: a message id we ask for
 */
void
satori_gossipsub_outbox_add_iwant (SatoriGossipsubOutbox *outbox, GBytes *id)
{
  g_ptr_array_add (outbox->iwant, g_bytes_ref (id));
}

/**
 * satori_gossipsub_outbox_add_idontwant:
 * @outbox: an outbox
 * @id: a message id we have
 */
void
satori_gossipsub_outbox_add_idontwant (SatoriGossipsubOutbox *outbox, GBytes *id)
{
  g_ptr_array_add (outbox->idontwant, g_bytes_ref (id));
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
 * satori_gossipsub_outbox_flush:
 * @outbox: an outbox
 *
 * Finishes the RPC gathered so far into a frame and queues it, or drops
 * it when the queue is full (see #SatoriGossipsubOutbox).
 */
void
satori_gossipsub_outbox_flush (SatoriGossipsubOutbox *outbox)
{
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

  if (build_control (outbox, &control, keep))
    satori_pubsub_rpc_writer_set_control (outbox->writer, &control);
  gboolean has_state = outbox->has_state;
  gboolean empty = satori_pubsub_rpc_writer_is_empty (outbox->writer);
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (outbox->writer);

  g_ptr_array_set_size (outbox->grafts, 0);
  g_ptr_array_set_size (outbox->prunes, 0);
  g_ptr_array_set_size (outbox->ihaves, 0);
  g_ptr_array_set_size (outbox->iwant, 0);
  g_ptr_array_set_size (outbox->idontwant, 0);
  outbox->has_state = FALSE;
  if (empty)
    return;

  guint limit = has_state ? 2 * outbox->max_queue : outbox->max_queue;
  if (outbox->queue.length >= limit)
    {
      outbox->dropped++;
      return;
    }
  g_queue_push_tail (&outbox->queue, g_steal_pointer (&frame));
}

/**
 * satori_gossipsub_outbox_pop:
 * @outbox: an outbox
 *
 * Returns: (transfer full) (nullable): the oldest queued frame
 */
GBytes *
satori_gossipsub_outbox_pop (SatoriGossipsubOutbox *outbox)
{
  return g_queue_pop_head (&outbox->queue);
}

/**
 * satori_gossipsub_outbox_get_queued:
 * @outbox: an outbox
 *
 * Returns: the number of frames waiting
 */
guint
satori_gossipsub_outbox_get_queued (SatoriGossipsubOutbox *outbox)
{
  return outbox->queue.length;
}

/**
 * satori_gossipsub_outbox_get_dropped:
 * @outbox: an outbox
 *
 * Returns: the number of frames dropped because the queue was full
 */
guint64
satori_gossipsub_outbox_get_dropped (SatoriGossipsubOutbox *outbox)
{
  return outbox->dropped;
}
