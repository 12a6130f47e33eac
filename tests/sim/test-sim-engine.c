/* Tests of the simulator's engine: event queue, PRNG, links, timers,
 * failures and reproducibility, with a small recording node.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-sim-network.h"
#include "satori-sim-queue.h"
#include "satori-sim-topology.h"

#define MS 1000

/* --- a node that records what it gets, may relay it, and may keep timers --- */

typedef struct {
  gint64 time_us;
  guint  from;
  guint  size;
} Arrival;

typedef struct {
  SatoriSimNode parent;
  GArray  *arrivals;       /* of Arrival */
  GArray  *fired;          /* timer times (gint64) */
  GArray  *deadlines;      /* pending, ascending (gint64) */
  guint    connects, disconnects;
  gint     relay_to;       /* -1: none; else forward every frame there */
  guint    gossip_fanout;  /* > 0: forward each first-seen frame to that many random peers */
  gboolean sticky;         /* a buggy node: its deadlines stay when it is woken */
  GHashTable *seen;
} Recorder;

static void
recorder_connected (SatoriSimNode *node, guint peer, gboolean outbound, gint64 now_us)
{
  ((Recorder *) node)->connects++;
}

static void
recorder_disconnected (SatoriSimNode *node, guint peer, gint64 now_us)
{
  ((Recorder *) node)->disconnects++;
}

static void
recorder_receive (SatoriSimNode *node, guint peer, GBytes *frame, gint64 now_us)
{
  Recorder *self = (Recorder *) node;
  Arrival arrival = { now_us, peer, g_bytes_get_size (frame) };
  g_array_append_val (self->arrivals, arrival);

  if (self->relay_to >= 0)
    satori_sim_network_send (node->network, node->index, self->relay_to, frame);
  if (self->gossip_fanout > 0 && g_hash_table_add (self->seen, g_bytes_ref (frame)))
    {
      guint n_peers;
      g_autofree guint *peers = satori_sim_network_get_peers (node->network, node->index, &n_peers);
      SatoriSimRng *rng = satori_sim_network_get_rng (node->network);
      for (guint i = 0; i < self->gossip_fanout && n_peers > 0; i++)
        satori_sim_network_send (node->network, node->index,
                                 peers[satori_sim_rng_below (rng, n_peers)], frame);
    }
}

static gint64
recorder_next_deadline_us (SatoriSimNode *node)
{
  Recorder *self = (Recorder *) node;
  return self->deadlines->len > 0 ? g_array_index (self->deadlines, gint64, 0) : G_MAXINT64;
}

static void
recorder_timeout (SatoriSimNode *node, gint64 now_us)
{
  Recorder *self = (Recorder *) node;
  if (self->sticky)
    {
      g_array_append_val (self->fired, now_us);
      return;
    }
  while (self->deadlines->len > 0 && g_array_index (self->deadlines, gint64, 0) <= now_us)
    {
      g_array_append_val (self->fired, now_us);
      g_array_remove_index (self->deadlines, 0);
    }
}

static void
recorder_free (SatoriSimNode *node)
{
  Recorder *self = (Recorder *) node;
  g_array_unref (self->arrivals);
  g_array_unref (self->fired);
  g_array_unref (self->deadlines);
  g_hash_table_unref (self->seen);
  g_free (self);
}

static const SatoriSimNodeClass recorder_class = {
  .connected = recorder_connected,
  .disconnected = recorder_disconnected,
  .receive = recorder_receive,
  .next_deadline_us = recorder_next_deadline_us,
  .timeout = recorder_timeout,
  .free = recorder_free,
};

static Recorder *
add_recorder (SatoriSimNetwork *network)
{
  Recorder *self = g_new0 (Recorder, 1);
  self->parent.klass = &recorder_class;
  self->arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  self->fired = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->deadlines = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                      (GDestroyNotify) g_bytes_unref, NULL);
  self->relay_to = -1;
  satori_sim_network_add_node (network, &self->parent);
  return self;
}

static void
add_deadline (Recorder *self, gint64 at_us)
{
  guint i = 0;
  while (i < self->deadlines->len && g_array_index (self->deadlines, gint64, i) <= at_us)
    i++;
  g_array_insert_val (self->deadlines, i, at_us);
  satori_sim_network_rearm (self->parent.network, self->parent.index);
}

static void
send_bytes (SatoriSimNetwork *network, guint from, guint to, gsize size, guint8 fill)
{
  g_autofree guint8 *data = g_malloc (size);
  memset (data, fill, size);
  g_autoptr(GBytes) frame = g_bytes_new (data, size);
  satori_sim_network_send (network, from, to, frame);
}

static const SatoriSimLinkParams link_100ms = { .latency_us = 100 * MS };

/* --- queue and PRNG --- */

static void
test_queue_stable_order (void)
{
  g_autoptr(SatoriSimQueue) queue = satori_sim_queue_new (NULL);
  SatoriSimRng rng;
  satori_sim_rng_init (&rng, 7);

  /* Few distinct times, many ties; node carries the push order. */
  for (guint i = 0; i < 2000; i++)
    {
      SatoriSimEvent event = { .time_us = satori_sim_rng_below (&rng, 10), .node = i };
      satori_sim_queue_push (queue, &event);
    }
  g_assert_cmpuint (satori_sim_queue_get_length (queue), ==, 2000);

  SatoriSimEvent last = { .time_us = -1 }, event;
  guint popped = 0;
  while (satori_sim_queue_pop (queue, &event))
    {
      g_assert_cmpint (event.time_us, >=, last.time_us);
      if (event.time_us == last.time_us)
        g_assert_cmpuint (event.node, >, last.node);
      last = event;
      popped++;
    }
  g_assert_cmpuint (popped, ==, 2000);
  g_assert_cmpint (satori_sim_queue_peek_time (queue), ==, G_MAXINT64);
}

static void
test_rng_seeded (void)
{
  SatoriSimRng a, b, c;
  satori_sim_rng_init (&a, 42);
  satori_sim_rng_init (&b, 42);
  satori_sim_rng_init (&c, 43);
  guint differ = 0;
  for (guint i = 0; i < 100; i++)
    {
      guint64 x = satori_sim_rng_next (&a);
      g_assert_cmpuint (x, ==, satori_sim_rng_next (&b));
      differ += x != satori_sim_rng_next (&c);
    }
  g_assert_cmpuint (differ, ==, 100);

  /* Every value of a small range comes up, none outside it. */
  guint counts[6] = { 0 };
  for (guint i = 0; i < 6000; i++)
    counts[satori_sim_rng_below (&a, 6)]++;
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (counts[i], >, 800);
  for (guint i = 0; i < 1000; i++)
    {
      double d = satori_sim_rng_double (&a);
      g_assert_cmpfloat (d, >=, 0.0);
      g_assert_cmpfloat (d, <, 1.0);
    }
}

/* --- links --- */

static void
test_latency_adds_up (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  Recorder *a = add_recorder (network), *b = add_recorder (network), *c = add_recorder (network);
  SatoriSimLinkParams slow = { .latency_us = 30 * MS };

  g_assert_true (satori_sim_network_connect (network, 0, 1, NULL));
  g_assert_true (satori_sim_network_connect (network, 1, 2, &slow));
  g_assert_false (satori_sim_network_connect (network, 1, 0, NULL));
  g_assert_cmpuint (a->connects, ==, 1);
  g_assert_cmpuint (b->connects, ==, 2);
  b->relay_to = 2;

  satori_sim_network_run_until (network, 5 * MS);
  send_bytes (network, 0, 1, 10, 0xaa);
  satori_sim_network_run (network, G_MAXINT64);

  g_assert_cmpuint (b->arrivals->len, ==, 1);
  g_assert_cmpint (g_array_index (b->arrivals, Arrival, 0).time_us, ==, 105 * MS);
  g_assert_cmpuint (c->arrivals->len, ==, 1);
  g_assert_cmpint (g_array_index (c->arrivals, Arrival, 0).time_us, ==, 135 * MS);
  g_assert_cmpuint (g_array_index (c->arrivals, Arrival, 0).from, ==, 1);
  g_assert_cmpuint (b->parent.stats.frames_sent, ==, 1);
  g_assert_cmpuint (c->parent.stats.bytes_received, ==, 10);
}

static void
test_bandwidth_queues_frames (void)
{
  /* 8 Mbit/s: 1000 bytes take 1 ms to leave. */
  SatoriSimLinkParams params = { .latency_us = 10 * MS, .bandwidth_bps = 8000000 };
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &params);
  add_recorder (network);
  Recorder *b = add_recorder (network);
  satori_sim_network_connect (network, 0, 1, NULL);

  for (guint i = 0; i < 3; i++)
    send_bytes (network, 0, 1, 1000, i);
  satori_sim_network_run (network, G_MAXINT64);

  g_assert_cmpuint (b->arrivals->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (g_array_index (b->arrivals, Arrival, i).time_us, ==, (11 + i) * MS);
}

static void
test_jitter_keeps_order (void)
{
  SatoriSimLinkParams params = { .latency_us = 50 * MS, .jitter_us = 40 * MS };
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (3, &params);
  add_recorder (network);
  Recorder *b = add_recorder (network);
  satori_sim_network_connect (network, 0, 1, NULL);

  /* The size tells the sending order. */
  for (guint i = 1; i <= 200; i++)
    {
      send_bytes (network, 0, 1, i, 0);
      satori_sim_network_run_until (network, satori_sim_network_get_now (network) + MS);
    }
  satori_sim_network_run (network, G_MAXINT64);

  g_assert_cmpuint (b->arrivals->len, ==, 200);
  gint64 min_delay = G_MAXINT64, max_delay = 0;
  for (guint i = 0; i < 200; i++)
    {
      Arrival *arrival = &g_array_index (b->arrivals, Arrival, i);
      g_assert_cmpuint (arrival->size, ==, i + 1);
      gint64 delay = arrival->time_us - (gint64) i * MS;
      min_delay = MIN (min_delay, delay);
      max_delay = MAX (max_delay, delay);
    }
  g_assert_cmpint (min_delay, >=, 50 * MS);
  /* Waiting behind an earlier frame never costs more than its jitter. */
  g_assert_cmpint (max_delay, <, 90 * MS);
  g_assert_cmpint (max_delay - min_delay, >, 20 * MS);  /* the jitter is there */
}

static void
test_loss_drops (void)
{
  SatoriSimLinkParams params = { .latency_us = MS, .loss = 0.25 };
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (5, &params);
  add_recorder (network);
  Recorder *b = add_recorder (network);
  satori_sim_network_connect (network, 0, 1, NULL);

  for (guint i = 0; i < 10000; i++)
    send_bytes (network, 0, 1, 1, 0);
  satori_sim_network_run (network, G_MAXINT64);

  guint64 lost = satori_sim_network_get_frames_lost (network);
  g_assert_cmpuint (b->arrivals->len + lost, ==, 10000);
  /* 2500 expected, sigma about 43. */
  g_assert_cmpuint (lost, >, 2300);
  g_assert_cmpuint (lost, <, 2700);
}

static void
test_departed_node_is_silent (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  Recorder *a = add_recorder (network), *b = add_recorder (network);
  satori_sim_network_connect (network, 0, 1, NULL);
  add_deadline (b, 500 * MS);

  /* One frame each way in flight, then b leaves. */
  send_bytes (network, 0, 1, 4, 1);
  send_bytes (network, 1, 0, 4, 2);
  satori_sim_network_run_until (network, 50 * MS);
  satori_sim_network_depart (network, 1);
  send_bytes (network, 1, 0, 4, 3);
  send_bytes (network, 0, 1, 4, 4);
  satori_sim_network_run (network, G_MAXINT64);

  /* What b sent before leaving still arrives; nothing after; nothing reaches b. */
  g_assert_cmpuint (a->arrivals->len, ==, 1);
  g_assert_cmpint (g_array_index (a->arrivals, Arrival, 0).time_us, ==, 100 * MS);
  g_assert_cmpuint (b->arrivals->len, ==, 0);
  g_assert_cmpuint (b->fired->len, ==, 0);
  g_assert_cmpuint (a->disconnects, ==, 0);
  g_assert_false (satori_sim_network_connect (network, 0, 1, NULL));
  g_assert_cmpuint (satori_sim_network_get_frames_silenced (network), ==, 3);
}

static void
test_link_failure (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  Recorder *a = add_recorder (network), *b = add_recorder (network);
  satori_sim_network_connect (network, 0, 1, NULL);

  send_bytes (network, 0, 1, 4, 1);
  satori_sim_network_run_until (network, 50 * MS);
  satori_sim_network_fail_link (network, 0, 1);
  g_assert_false (satori_sim_network_is_connected (network, 0, 1));
  send_bytes (network, 1, 0, 4, 2);

  /* A new link at once: the frame in flight on the old one stays lost. */
  g_assert_true (satori_sim_network_connect (network, 0, 1, NULL));
  send_bytes (network, 0, 1, 7, 3);
  satori_sim_network_run (network, G_MAXINT64);

  g_assert_cmpuint (a->disconnects + b->disconnects, ==, 0);
  g_assert_cmpuint (a->arrivals->len, ==, 0);
  g_assert_cmpuint (b->arrivals->len, ==, 1);
  g_assert_cmpuint (g_array_index (b->arrivals, Arrival, 0).size, ==, 7);
  g_assert_cmpint (g_array_index (b->arrivals, Arrival, 0).time_us, ==, 150 * MS);

  /* With notice, both ends hear of it. */
  satori_sim_network_disconnect (network, 1, 0);
  g_assert_cmpuint (a->disconnects, ==, 1);
  g_assert_cmpuint (b->disconnects, ==, 1);
  satori_sim_network_disconnect (network, 1, 0);
  g_assert_cmpuint (a->disconnects, ==, 1);
}

static void
test_timers (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  Recorder *a = add_recorder (network);

  add_deadline (a, 300 * MS);
  add_deadline (a, 100 * MS);   /* earlier: arms a new event */
  add_deadline (a, 100 * MS);   /* same time: fires with it */
  satori_sim_network_run_until (network, 200 * MS);
  g_assert_cmpuint (a->fired->len, ==, 2);
  g_assert_cmpint (g_array_index (a->fired, gint64, 0), ==, 100 * MS);
  g_assert_cmpint (satori_sim_network_get_now (network), ==, 200 * MS);

  add_deadline (a, 50 * MS);    /* in the past: fires now */
  satori_sim_network_run (network, G_MAXINT64);
  g_assert_cmpuint (a->fired->len, ==, 4);
  g_assert_cmpint (g_array_index (a->fired, gint64, 2), ==, 200 * MS);
  g_assert_cmpint (g_array_index (a->fired, gint64, 3), ==, 300 * MS);
  g_assert_cmpuint (satori_sim_network_get_stuck_wakeups (network), ==, 0);
}

/* A node that stays due is woken again 1 ms later, and counted, instead
 * of stopping virtual time. */
static void
test_stuck_timer (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  Recorder *a = add_recorder (network);
  a->sticky = TRUE;

  add_deadline (a, MS);
  satori_sim_network_run_until (network, 3 * MS + 500);
  g_assert_cmpuint (satori_sim_network_get_stuck_wakeups (network), ==, 3);
  g_assert_cmpuint (a->fired->len, ==, 3);
  g_assert_cmpint (g_array_index (a->fired, gint64, 2), ==, 3 * MS);
}

static void
add_one (SatoriSimNetwork *network, gpointer user_data)
{
  GArray *times = user_data;
  gint64 now = satori_sim_network_get_now (network);
  g_array_append_val (times, now);
}

static void
test_schedule (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));

  satori_sim_network_schedule (network, 20 * MS, add_one, times);
  satori_sim_network_schedule (network, 10 * MS, add_one, times);
  g_assert_cmpuint (satori_sim_network_run (network, 15 * MS), ==, 1);
  g_assert_cmpuint (satori_sim_network_run (network, G_MAXINT64), ==, 1);
  g_assert_cmpuint (times->len, ==, 2);
  g_assert_cmpint (g_array_index (times, gint64, 1), ==, 20 * MS);
  g_assert_cmpuint (satori_sim_network_get_events_processed (network), ==, 2);
}

/* --- whole runs --- */

/* Random gossip on a jittery, lossy random graph; returns the trace hash. */
static guint64
gossip_run (guint64 seed, guint64 *delivered_out)
{
  SatoriSimLinkParams params = { .latency_us = 100 * MS, .jitter_us = 30 * MS, .loss = 0.05 };
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (seed, &params);
  for (guint i = 0; i < 100; i++)
    add_recorder (network)->gossip_fanout = 3;
  g_assert_cmpuint (satori_sim_topology_random (network, 6), >, 250);

  for (guint m = 0; m < 10; m++)
    {
      guint n_peers;
      g_autofree guint *peers = satori_sim_network_get_peers (network, m, &n_peers);
      send_bytes (network, m, peers[0], 16, m);
    }
  satori_sim_network_run (network, G_MAXINT64);

  guint64 delivered = 0;
  for (guint i = 0; i < 100; i++)
    delivered += satori_sim_network_get_node (network, i)->stats.frames_received;
  *delivered_out = delivered;
  return satori_sim_network_get_trace_hash (network);
}

static void
test_same_seed_same_trace (void)
{
  guint64 d1, d2, d3;
  guint64 h1 = gossip_run (11, &d1);
  guint64 h2 = gossip_run (11, &d2);
  guint64 h3 = gossip_run (12, &d3);

  g_assert_cmpuint (d1, >, 1000);
  g_assert_cmpuint (h1, ==, h2);
  g_assert_cmpuint (d1, ==, d2);
  g_assert_cmpuint (h1, !=, h3);
}

static void
test_topology (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (9, &link_100ms);
  for (guint i = 0; i < 300; i++)
    add_recorder (network);
  guint links = satori_sim_topology_random (network, 8);
  /* 1200 stubs pairs, a few self-links or repeats skipped. */
  g_assert_cmpuint (links, <=, 1200);
  g_assert_cmpuint (links, >, 1170);

  g_autofree guint *hops = satori_sim_topology_hops (network, 0);
  guint max_hops = 0;
  for (guint i = 0; i < 300; i++)
    {
      g_assert_cmpuint (hops[i], !=, G_MAXUINT);
      max_hops = MAX (max_hops, hops[i]);
    }
  /* log(300)/log(7) is about 3. */
  g_assert_cmpuint (max_hops, >=, 3);
  g_assert_cmpuint (max_hops, <=, 6);

  g_autoptr(SatoriSimNetwork) small = satori_sim_network_new (9, &link_100ms);
  for (guint i = 0; i < 10; i++)
    add_recorder (small);
  g_assert_cmpuint (satori_sim_topology_full (small), ==, 45);
  guint n_peers;
  g_autofree guint *peers = satori_sim_network_get_peers (small, 3, &n_peers);
  g_assert_cmpuint (n_peers, ==, 9);
  g_assert_cmpuint (peers[0], ==, 0);
  g_assert_cmpuint (peers[8], ==, 9);
}

/* Sybil-style graphs: a random graph among some nodes, others attached to it. */
static void
test_topology_ranges (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (4, &link_100ms);
  for (guint i = 0; i < 150; i++)
    add_recorder (network);

  /* Nodes 50… form the graph; 0…49 each dial 5 of them. */
  g_assert_cmpuint (satori_sim_topology_random_range (network, 50, 100, 6), >, 280);
  g_assert_cmpuint (satori_sim_topology_attach_range (network, 0, 50, 50, 100, 5), ==, 250);
  for (guint a = 0; a < 50; a++)
    {
      guint n_peers;
      g_autofree guint *peers = satori_sim_network_get_peers (network, a, &n_peers);
      g_assert_cmpuint (n_peers, ==, 5);
      g_assert_cmpuint (peers[0], >=, 50);
    }

  /* The graph alone connects its nodes; the attached ones hang off it. */
  g_autofree guint *hops = satori_sim_topology_hops (network, 0);
  for (guint i = 0; i < 150; i++)
    g_assert_cmpuint (hops[i], !=, G_MAXUINT);
  g_assert_cmpuint (hops[0], ==, 0);

  /* Asking for more targets than there are takes them all. */
  g_autoptr(SatoriSimNetwork) small = satori_sim_network_new (4, &link_100ms);
  for (guint i = 0; i < 4; i++)
    add_recorder (small);
  g_assert_cmpuint (satori_sim_topology_attach_range (small, 0, 1, 1, 3, 10), ==, 3);
  g_assert_cmpuint (satori_sim_topology_random_range (small, 1, 3, 0), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/queue/stable-order", test_queue_stable_order);
  g_test_add_func ("/sim/rng/seeded", test_rng_seeded);
  g_test_add_func ("/sim/network/latency-adds-up", test_latency_adds_up);
  g_test_add_func ("/sim/network/bandwidth-queues-frames", test_bandwidth_queues_frames);
  g_test_add_func ("/sim/network/jitter-keeps-order", test_jitter_keeps_order);
  g_test_add_func ("/sim/network/loss-drops", test_loss_drops);
  g_test_add_func ("/sim/network/departed-node-is-silent", test_departed_node_is_silent);
  g_test_add_func ("/sim/network/link-failure", test_link_failure);
  g_test_add_func ("/sim/network/timers", test_timers);
  g_test_add_func ("/sim/network/stuck-timer", test_stuck_timer);
  g_test_add_func ("/sim/network/schedule", test_schedule);
  g_test_add_func ("/sim/network/same-seed-same-trace", test_same_seed_same_trace);
  g_test_add_func ("/sim/topology/random-and-full", test_topology);
  g_test_add_func ("/sim/topology/ranges", test_topology_ranges);
  return g_test_run ();
}
