/* satori-sim-network.c: the discrete-event engine
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-network.h"

#include "satori-sim-queue.h"

enum {
  EVENT_DELIVER,  /* node: receiver, peer: sender, tag: link epoch, data: GBytes */
  EVENT_TIMER,    /* node */
  EVENT_CALL,     /* data: Call */
};

/* One direction of a connection. Kept after a disconnect so that frames
 * still in flight can tell, by the epoch, that they belong to a dead link. */
typedef struct {
  SatoriSimLinkParams params;
  gboolean up;
  guint    epoch;
  gint64   busy_until_us;    /* serialisation: the sender's side is busy */
  gint64   last_arrival_us;  /* keeps the direction in order */
} Link;

typedef struct {
  SatoriSimFunc func;
  gpointer      user_data;
} Call;

struct _SatoriSimNetwork {
  SatoriSimLinkParams defaults;
  SatoriSimRng    rng;
  SatoriSimQueue *queue;
  GPtrArray      *nodes;   /* of SatoriSimNode */
  GPtrArray      *links;   /* per node: GHashTable peer index → Link */
  gint64          now_us;
  guint64         events;
  guint64         frames_lost;
  guint64         frames_silenced;
  guint64         trace;
  guint64         stuck_wakeups;
};

static void
clear_event (SatoriSimEvent *event)
{
  if (event->kind == EVENT_DELIVER)
    g_bytes_unref (event->data);
  else if (event->kind == EVENT_CALL)
    g_free (event->data);
}

static void
free_node (gpointer data)
{
  SatoriSimNode *node = data;
  node->klass->free (node);
}

SatoriSimNetwork *
satori_sim_network_new (guint64 seed, const SatoriSimLinkParams *defaults)
{
  SatoriSimNetwork *network = g_new0 (SatoriSimNetwork, 1);
  network->defaults = *defaults;
  satori_sim_rng_init (&network->rng, seed);
  network->queue = satori_sim_queue_new (clear_event);
  network->nodes = g_ptr_array_new_with_free_func (free_node);
  network->links = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  network->trace = 0xcbf29ce484222325ULL;  /* FNV-1a offset basis */
  return network;
}

void
satori_sim_network_free (SatoriSimNetwork *network)
{
  if (network == NULL)
    return;
  satori_sim_queue_free (network->queue);
  g_ptr_array_unref (network->nodes);
  g_ptr_array_unref (network->links);
  g_free (network);
}

guint
satori_sim_network_add_node (SatoriSimNetwork *network, SatoriSimNode *node)
{
  node->network = network;
  node->index = network->nodes->len;
  node->departed = FALSE;
  node->timer_us = G_MAXINT64;
  g_ptr_array_add (network->nodes, node);
  g_ptr_array_add (network->links, g_hash_table_new_full (NULL, NULL, NULL, g_free));
  return node->index;
}

SatoriSimNode *
satori_sim_network_get_node (SatoriSimNetwork *network, guint index)
{
  g_return_val_if_fail (index < network->nodes->len, NULL);
  return g_ptr_array_index (network->nodes, index);
}

guint
satori_sim_network_get_n_nodes (SatoriSimNetwork *network)
{
  return network->nodes->len;
}

static Link *
lookup_link (SatoriSimNetwork *network, guint from, guint to)
{
  return g_hash_table_lookup (g_ptr_array_index (network->links, from), GUINT_TO_POINTER (to));
}

static void
open_link (SatoriSimNetwork *network, guint from, guint to, const SatoriSimLinkParams *params)
{
  Link *link = lookup_link (network, from, to);
  if (link == NULL)
    {
      link = g_new0 (Link, 1);
      g_hash_table_insert (g_ptr_array_index (network->links, from), GUINT_TO_POINTER (to), link);
    }
  link->params = *params;
  link->up = TRUE;
  link->epoch++;
  link->busy_until_us = network->now_us;
  link->last_arrival_us = network->now_us;
}

gboolean
satori_sim_network_is_connected (SatoriSimNetwork *network, guint a, guint b)
{
  g_return_val_if_fail (a < network->nodes->len && b < network->nodes->len, FALSE);
  Link *link = lookup_link (network, a, b);
  return link != NULL && link->up;
}

gboolean
satori_sim_network_connect (SatoriSimNetwork *network, guint a, guint b,
                            const SatoriSimLinkParams *params)
{
  g_return_val_if_fail (a < network->nodes->len && b < network->nodes->len, FALSE);
  SatoriSimNode *na = g_ptr_array_index (network->nodes, a);
  SatoriSimNode *nb = g_ptr_array_index (network->nodes, b);

  if (a == b || na->departed || nb->departed || satori_sim_network_is_connected (network, a, b))
    return FALSE;
  if (params == NULL)
    params = &network->defaults;
  open_link (network, a, b, params);
  open_link (network, b, a, params);
  na->klass->connected (na, b, TRUE, network->now_us);
  nb->klass->connected (nb, a, FALSE, network->now_us);
  satori_sim_network_rearm (network, a);
  satori_sim_network_rearm (network, b);
  return TRUE;
}

static int
compare_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return (x > y) - (x < y);
}

guint *
satori_sim_network_get_peers (SatoriSimNetwork *network, guint node, guint *n_peers)
{
  g_return_val_if_fail (node < network->nodes->len, NULL);
  GHashTable *links = g_ptr_array_index (network->links, node);
  guint *peers = g_new (guint, g_hash_table_size (links) + 1);
  guint n = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Link *) value)->up)
      peers[n++] = GPOINTER_TO_UINT (key);
  qsort (peers, n, sizeof *peers, compare_guint);
  *n_peers = n;
  return peers;
}

static gboolean
close_link (SatoriSimNetwork *network, guint from, guint to)
{
  Link *link = lookup_link (network, from, to);
  if (link == NULL || !link->up)
    return FALSE;
  link->up = FALSE;
  return TRUE;
}

void
satori_sim_network_fail_link (SatoriSimNetwork *network, guint a, guint b)
{
  g_return_if_fail (a < network->nodes->len && b < network->nodes->len);
  close_link (network, a, b);
  close_link (network, b, a);
}

void
satori_sim_network_disconnect (SatoriSimNetwork *network, guint a, guint b)
{
  g_return_if_fail (a < network->nodes->len && b < network->nodes->len);
  gboolean was_up = close_link (network, a, b);
  was_up = close_link (network, b, a) && was_up;
  if (!was_up)
    return;
  guint ends[2][2] = { { a, b }, { b, a } };
  for (guint i = 0; i < 2; i++)
    {
      SatoriSimNode *node = g_ptr_array_index (network->nodes, ends[i][0]);
      if (node->departed || node->klass->disconnected == NULL)
        continue;
      node->klass->disconnected (node, ends[i][1], network->now_us);
      satori_sim_network_rearm (network, ends[i][0]);
    }
}

void
satori_sim_network_depart (SatoriSimNetwork *network, guint node)
{
  g_return_if_fail (node < network->nodes->len);
  SatoriSimNode *n = g_ptr_array_index (network->nodes, node);
  n->departed = TRUE;
  n->timer_us = G_MAXINT64;
}

void
satori_sim_network_send (SatoriSimNetwork *network, guint from, guint to, GBytes *frame)
{
  g_return_if_fail (from < network->nodes->len && to < network->nodes->len);
  SatoriSimNode *sender = g_ptr_array_index (network->nodes, from);
  Link *link = lookup_link (network, from, to);
  gsize size = g_bytes_get_size (frame);

  sender->stats.frames_sent++;
  sender->stats.bytes_sent += size;
  if (link == NULL || !link->up || sender->departed)
    {
      network->frames_silenced++;
      return;
    }

  /* The frame leaves when the link is free and takes its serialisation
   * time; a lost frame still used the link. */
  gint64 start = MAX (network->now_us, link->busy_until_us);
  if (link->params.bandwidth_bps > 0)
    start += (gint64) (size * 8 * G_USEC_PER_SEC / link->params.bandwidth_bps);
  link->busy_until_us = start;
  if (link->params.loss > 0 && satori_sim_rng_double (&network->rng) < link->params.loss)
    {
      network->frames_lost++;
      return;
    }

  gint64 arrival = start + link->params.latency_us;
  if (link->params.jitter_us > 0)
    arrival += satori_sim_rng_below (&network->rng, link->params.jitter_us);
  arrival = MAX (arrival, link->last_arrival_us);
  link->last_arrival_us = arrival;

  SatoriSimEvent event = {
    .time_us = arrival, .kind = EVENT_DELIVER, .node = to, .peer = from,
    .tag = link->epoch, .data = g_bytes_ref (frame),
  };
  satori_sim_queue_push (network->queue, &event);
}

void
satori_sim_network_rearm (SatoriSimNetwork *network, guint node)
{
  g_return_if_fail (node < network->nodes->len);
  SatoriSimNode *n = g_ptr_array_index (network->nodes, node);
  if (n->departed)
    return;

  /* A later deadline needs no new event: the armed one fires and re-reads. */
  gint64 deadline = n->klass->next_deadline_us (n);
  if (deadline == G_MAXINT64 || deadline >= n->timer_us)
    return;
  n->timer_us = MAX (deadline, network->now_us);
  SatoriSimEvent event = { .time_us = n->timer_us, .kind = EVENT_TIMER, .node = node };
  satori_sim_queue_push (network->queue, &event);
}

void
satori_sim_network_schedule (SatoriSimNetwork *network, gint64 at_us,
                             SatoriSimFunc func, gpointer user_data)
{
  Call *call = g_new (Call, 1);
  call->func = func;
  call->user_data = user_data;
  SatoriSimEvent event = {
    .time_us = MAX (at_us, network->now_us), .kind = EVENT_CALL, .data = call,
  };
  satori_sim_queue_push (network->queue, &event);
}

static void
trace_mix (SatoriSimNetwork *network, const void *data, gsize len)
{
  const guint8 *p = data;
  for (gsize i = 0; i < len; i++)
    network->trace = (network->trace ^ p[i]) * 0x100000001b3ULL;  /* FNV-1a prime */
}

static void
deliver (SatoriSimNetwork *network, SatoriSimEvent *event)
{
  SatoriSimNode *receiver = g_ptr_array_index (network->nodes, event->node);
  Link *link = lookup_link (network, event->peer, event->node);

  /* Frames a departed node sent before it left still arrive. */
  if (receiver->departed || !link->up || link->epoch != event->tag)
    {
      network->frames_silenced++;
      return;
    }

  gsize size;
  const guint8 *bytes = g_bytes_get_data (event->data, &size);
  trace_mix (network, &event->time_us, sizeof event->time_us);
  trace_mix (network, &event->peer, sizeof event->peer);
  trace_mix (network, &event->node, sizeof event->node);
  trace_mix (network, bytes, size);

  receiver->stats.frames_received++;
  receiver->stats.bytes_received += size;
  receiver->klass->receive (receiver, event->peer, event->data, network->now_us);
  satori_sim_network_rearm (network, event->node);
}

static void
fire_timer (SatoriSimNetwork *network, SatoriSimEvent *event)
{
  SatoriSimNode *node = g_ptr_array_index (network->nodes, event->node);

  /* Superseded by an earlier timer, or the node left. */
  if (node->departed || node->timer_us != event->time_us)
    return;
  node->timer_us = G_MAXINT64;
  if (node->klass->next_deadline_us (node) <= network->now_us)
    {
      trace_mix (network, &event->time_us, sizeof event->time_us);
      trace_mix (network, &event->node, sizeof event->node);
      node->klass->timeout (node, network->now_us);
      /* A node that stays due after its timeout would stop virtual time. */
      if (node->klass->next_deadline_us (node) <= network->now_us)
        {
          g_debug ("node %u is still due at %" G_GINT64_FORMAT " us after its timeout; "
                   "waking it 1 ms later", event->node, network->now_us);
          network->stuck_wakeups++;
          node->timer_us = network->now_us + 1000;
          SatoriSimEvent later = { .time_us = node->timer_us, .kind = EVENT_TIMER, .node = event->node };
          satori_sim_queue_push (network->queue, &later);
          return;
        }
    }
  satori_sim_network_rearm (network, event->node);
}

static void
process (SatoriSimNetwork *network, SatoriSimEvent *event)
{
  network->now_us = event->time_us;
  network->events++;
  switch (event->kind)
    {
    case EVENT_DELIVER:
      deliver (network, event);
      break;
    case EVENT_TIMER:
      fire_timer (network, event);
      break;
    case EVENT_CALL:
      {
        Call *call = event->data;
        call->func (network, call->user_data);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  clear_event (event);
}

guint64
satori_sim_network_run (SatoriSimNetwork *network, gint64 limit_us)
{
  guint64 before = network->events;
  SatoriSimEvent event;

  while (satori_sim_queue_get_length (network->queue) > 0
         && satori_sim_queue_peek_time (network->queue) <= limit_us)
    {
      satori_sim_queue_pop (network->queue, &event);
      process (network, &event);
    }
  return network->events - before;
}

guint64
satori_sim_network_run_until (SatoriSimNetwork *network, gint64 until_us)
{
  guint64 processed = satori_sim_network_run (network, until_us);
  network->now_us = MAX (network->now_us, until_us);
  return processed;
}

gint64
satori_sim_network_get_now (SatoriSimNetwork *network)
{
  return network->now_us;
}

SatoriSimRng *
satori_sim_network_get_rng (SatoriSimNetwork *network)
{
  return &network->rng;
}

guint64
satori_sim_network_get_events_processed (SatoriSimNetwork *network)
{
  return network->events;
}

guint64
satori_sim_network_get_frames_lost (SatoriSimNetwork *network)
{
  return network->frames_lost;
}

guint64
satori_sim_network_get_frames_silenced (SatoriSimNetwork *network)
{
  return network->frames_silenced;
}

guint64
satori_sim_network_get_stuck_wakeups (SatoriSimNetwork *network)
{
  return network->stuck_wakeups;
}

guint64
satori_sim_network_get_trace_hash (SatoriSimNetwork *network)
{
  return network->trace;
}
