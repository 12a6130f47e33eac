/* The gossipsub router (plugins/gossipsub) in the simulator: a few hundred
 * hosts on 100 ms links, with and without sybils that never forward, and
 * sybils pruned by P3 scoring.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-gossipsub-session.h"
#include "satori-sim-pubsub.h"
#include "satori-sim-topology.h"

#define MS 1000
#define TOPIC "satori/gossip"

typedef struct {
  SatoriSimNetwork *network;
  SatoriSimPubsub  *pubsub;
  guint             n_sybils, n_total;
} Run;

/* @honest hosts in a random graph of degree 8; each of @n_sybils sybils
 * dials @sybil_degree of them. All subscribe; the mesh gets 5 s to form. */
static void
run_setup (Run *run, guint honest, guint n_sybils, guint sybil_degree)
{
  static const SatoriSimLinkParams links = { .latency_us = 100 * MS };
  const char *topics[] = { TOPIC, NULL };

  run->n_sybils = n_sybils;
  run->n_total = honest + n_sybils;
  run->network = satori_sim_network_new (5, &links);
  run->pubsub = satori_sim_pubsub_new (run->network, satori_sim_router_lookup ("gossipsub"), 5,
                                       topics);
  satori_sim_pubsub_add_hosts (run->pubsub, run->n_total, n_sybils);
  satori_sim_topology_random_range (run->network, n_sybils, honest, 8);
  satori_sim_topology_attach_range (run->network, 0, n_sybils, n_sybils, honest, sybil_degree);
  for (guint h = 0; h < run->n_total; h++)
    satori_sim_pubsub_subscribe (run->pubsub, h, TOPIC);
  satori_sim_network_run_until (run->network, 5000 * MS);
}

/* @n messages from honest hosts, 200 ms apart, then 10 s to arrive. */
static void
run_publish (Run *run, guint n, SatoriSimSummary *summary)
{
  for (guint m = 0; m < n; m++)
    {
      g_autoptr(GBytes) data = g_bytes_new (&m, sizeof m);
      guint host = run->n_sybils + (m * 37) % (run->n_total - run->n_sybils);
      g_assert_cmpuint (satori_sim_pubsub_publish (run->pubsub, host, TOPIC, data), ==, m);
      satori_sim_network_run_until (run->network, satori_sim_network_get_now (run->network) + 200 * MS);
    }
  satori_sim_network_run_until (run->network, satori_sim_network_get_now (run->network) + 10000 * MS);
  satori_sim_metrics_summarise (satori_sim_pubsub_get_metrics (run->pubsub), summary);
  g_test_message ("delivered %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ", p50 %" G_GINT64_FORMAT
                  " us, p99 %" G_GINT64_FORMAT " us, max %" G_GINT64_FORMAT " us",
                  summary->delivered, summary->expected, summary->p50_us, summary->p99_us,
                  summary->max_us);
  g_assert_cmpuint (satori_sim_network_get_stuck_wakeups (run->network), ==, 0);
}

static void
run_clear (Run *run)
{
  satori_sim_pubsub_free (run->pubsub);
  satori_sim_network_free (run->network);
}

static void
test_honest_200 (void)
{
  Run run;
  SatoriSimSummary summary;
  run_setup (&run, 200, 0, 0);

  /* Every mesh formed within D_low … D_high (4 … 12). */
  for (guint h = 0; h < run.n_total; h++)
    {
      g_autoptr(GPtrArray) mesh = satori_gossipsub_session_get_mesh_peers (
        satori_sim_pubsub_get_core (run.pubsub, h), TOPIC);
      g_assert_cmpuint (mesh->len, >=, 4);
      g_assert_cmpuint (mesh->len, <=, 12);
    }

  run_publish (&run, 10, &summary);
  g_assert_cmpuint (summary.expected, ==, 10 * 199);
  g_assert_cmpfloat (summary.delivery_ratio, ==, 1.0);
  g_assert_cmpuint (summary.duplicates, ==, 0);
  /* log_6(200) ≈ 3 hops at 100 ms; the mesh is a random graph too. */
  g_assert_cmpint (summary.p50_us, >=, 200 * MS);
  g_assert_cmpint (summary.p99_us, <=, 800 * MS);
  g_assert_cmpuint (satori_sim_pubsub_get_disconnects (run.pubsub), ==, 0);
  run_clear (&run);
}

/* Two sybils per honest host, each dialing 8 honest hosts: they take mesh
 * places and forward nothing, yet every honest host still gets every
 * message (flood publishing, gossip, and scores that favour deliverers). */
static void
test_with_sybils (void)
{
  Run run;
  SatoriSimSummary summary;
  run_setup (&run, 100, 200, 8);

  run_publish (&run, 10, &summary);
  g_assert_cmpuint (summary.expected, ==, 10 * 99);
  g_assert_cmpfloat (summary.delivery_ratio, ==, 1.0);
  /* The gossipsub v1.1 evaluation's bound for its sybil runs. */
  g_assert_cmpint (summary.p99_us, <=, 1600 * MS);
  /* The sybils got messages too: they are in meshes. */
  g_assert_cmpuint (summary.unexpected, >, 0);
  run_clear (&run);
}

typedef struct {
  Run   *run;
  guint  next;
} Publisher;

static void
publish_next (SatoriSimNetwork *network, gpointer user_data)
{
  Publisher *publisher = user_data;
  Run *run = publisher->run;
  guint m = publisher->next++;
  g_autoptr(GBytes) data = g_bytes_new (&m, sizeof m);
  guint host = run->n_sybils + (m * 37) % (run->n_total - run->n_sybils);
  satori_sim_pubsub_publish (run->pubsub, host, TOPIC, data);
}

/* Ten sybils per honest host, each dialing 2 of them, with P3/P3b on for
 * the topic's 4 messages a second flowing from the start: the sybils take
 * most mesh places, deliver nothing, and once P3 activates (10 s after the
 * GRAFT) they are pruned and kept out; the messages after that reach every
 * honest host within the v1.1 evaluation's bound. */
static void
test_sybils_pruned_by_p3 (void)
{
  static const SatoriSimLinkParams links = { .latency_us = 100 * MS };
  const char *topics[] = { TOPIC, NULL };
  const guint honest = 40, interval_ms = 250, n_messages = 80;
  Run run = { .n_sybils = 400, .n_total = 440 };
  Publisher publisher = { &run, 0 };
  SatoriSimSummary summary;

  run.network = satori_sim_network_new (7, &links);
  run.pubsub = satori_sim_pubsub_new (run.network, satori_sim_router_lookup ("gossipsub"), 7,
                                      topics);
  satori_sim_pubsub_set_topic_rate (run.pubsub, 1000.0 / interval_ms);
  satori_sim_pubsub_add_hosts (run.pubsub, run.n_total, run.n_sybils);
  satori_sim_topology_random_range (run.network, run.n_sybils, honest, 8);
  satori_sim_topology_attach_range (run.network, 0, run.n_sybils, run.n_sybils, honest, 2);
  for (guint h = 0; h < run.n_total; h++)
    satori_sim_pubsub_subscribe (run.pubsub, h, TOPIC);
  for (guint m = 0; m < n_messages; m++)
    satori_sim_network_schedule (run.network, (m + 1) * interval_ms * MS, publish_next,
                                 &publisher);

  satori_sim_network_run_until (run.network, 8000 * MS);
  double before = satori_sim_pubsub_mesh_sybil_share (run.pubsub, TOPIC);
  satori_sim_network_run_until (run.network, 13000 * MS);
  double after = satori_sim_pubsub_mesh_sybil_share (run.pubsub, TOPIC);
  satori_sim_network_run_until (run.network, (n_messages * interval_ms + 3000) * MS);
  double end = satori_sim_pubsub_mesh_sybil_share (run.pubsub, TOPIC);
  g_test_message ("sybils' share of the honest meshes: %.3f at 8 s, %.3f at 13 s, %.3f at %u s",
                  before, after, end, n_messages * interval_ms / 1000 + 3);
  g_assert_cmpfloat (before, >, 0.3);
  g_assert_cmpfloat (after, ==, 0);
  g_assert_cmpfloat (end, ==, 0);

  /* The messages published after 13 s. */
  satori_sim_metrics_summarise_from (satori_sim_pubsub_get_metrics (run.pubsub),
                                     13000 / interval_ms, &summary);
  g_test_message ("after 13 s: delivered %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                  ", p50 %" G_GINT64_FORMAT " us, p99 %" G_GINT64_FORMAT " us",
                  summary.delivered, summary.expected, summary.p50_us, summary.p99_us);
  g_assert_cmpuint (summary.messages, ==, n_messages - 13000 / interval_ms);
  g_assert_cmpfloat (summary.delivery_ratio, ==, 1.0);
  g_assert_cmpint (summary.p99_us, <=, 1600 * MS);
  g_assert_cmpuint (satori_sim_network_get_stuck_wakeups (run.network), ==, 0);
  run_clear (&run);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/gossipsub/honest-200", test_honest_200);
  g_test_add_func ("/sim/gossipsub/with-sybils", test_with_sybils);
  g_test_add_func ("/sim/gossipsub/sybils-pruned-by-p3", test_sybils_pruned_by_p3);
  return g_test_run ();
}
