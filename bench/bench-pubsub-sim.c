/* bench-pubsub-sim: a pubsub network of N hosts in one process, on the
 * simulator's virtual time, printing one JSON line of figures.
 *
 *   bench-pubsub-sim [--hosts 1000] [--degree 8] [--latency-ms 100]
 *                    [--jitter-ms 0] [--loss 0] [--bandwidth-mbps 0] [--sybil-ratio 0]
 *                    [--sybil-degree 0] [--messages 100] [--interval-ms 100]
 *                    [--topics 1] [--router flood-fixture] [--p3 auto] [--seed 1]
 *
 * --hosts counts honest hosts; --sybil-ratio R adds R sybils per honest
 * host (40 for "40:1"). With --sybil-degree 0 everyone is in one random
 * graph of --degree; with K > 0 the honest hosts form that graph among
 * themselves and each sybil dials K honest hosts (an attack on the honest
 * hosts' meshes that cannot cut them apart). Messages come from honest hosts drawn at random,
 * one every --interval-ms, round-robin over the topics every host joins.
 * --p3 1 (the default with sybils) is the sybil mode: gossipsub's topic
 * scores get P3/P3b sized for that rate (tests/sim/satori-sim-routers.c),
 * messages flow from the start (P3 needs traffic to tell deliverers from
 * sybils), the figures are over the messages after --warmup-ms (default
 * 30 s then), and the sybils' share of the honest hosts' meshes is sampled
 * every --sample-ms to show whether they are pruned.
 * Memory is the malloc heap (mallinfo2): per peer is what one end of a
 * connection costs the router (the simulator's own link records measured
 * apart and taken out), per topic what one host's subscription costs once
 * it has reached its peers. Router throughput: deliveries (all hosts) per
 * CPU second spent inside router calls while the messages flowed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "satori-sim-pubsub.h"
#include "satori-sim-topology.h"

typedef struct {
  gint    hosts, degree, sybil_degree, messages, topics, p3;
  double  latency_ms, jitter_ms, loss, bandwidth_mbps, sybil_ratio, interval_ms, warmup_ms, drain_ms;
  double  sample_ms;
  char   *router;
  gint64  seed;
} Options;

typedef struct {
  SatoriSimPubsub *pubsub;
  SatoriSimRng     rng;
  guint            n_sybils, n_total, next_topic;
  GStrv            topics;
} Publisher;

static void
publish_one (SatoriSimNetwork *network, gpointer user_data)
{
  Publisher *publisher = user_data;
  guint host = publisher->n_sybils
    + satori_sim_rng_below (&publisher->rng, publisher->n_total - publisher->n_sybils);
  const char *topic = publisher->topics[publisher->next_topic++ % g_strv_length (publisher->topics)];
  g_autofree char *text = g_strdup_printf ("message %u from %u", publisher->next_topic, host);
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  satori_sim_pubsub_publish (publisher->pubsub, host, topic, data);
}

/* The sybils' share of the honest meshes, every interval until the end. */
typedef struct {
  SatoriSimPubsub *pubsub;
  const char      *topic;
  gint64           interval_us, end_us;
  GString         *json;     /* [[seconds, share], ...] */
} Sampler;

static void
sample_meshes (SatoriSimNetwork *network, gpointer user_data)
{
  Sampler *sampler = user_data;
  gint64 now = satori_sim_network_get_now (network);
  g_string_append_printf (sampler->json, "%s[%g,%.4f]", sampler->json->len > 1 ? "," : "",
                          now / 1e6, satori_sim_pubsub_mesh_sybil_share (sampler->pubsub, sampler->topic));
  if (now + sampler->interval_us <= sampler->end_us)
    satori_sim_network_schedule (network, now + sampler->interval_us, sample_meshes, sampler);
}

/* The simulator's own cost of a set of links: the same graph between idle nodes. */
static void idle_nop (SatoriSimNode *node, guint peer, gboolean outbound, gint64 now_us) { }
static void idle_receive (SatoriSimNode *node, guint peer, GBytes *frame, gint64 now_us) { }
static gint64 idle_deadline (SatoriSimNode *node) { return G_MAXINT64; }
static void idle_timeout (SatoriSimNode *node, gint64 now_us) { }
static void idle_free (SatoriSimNode *node) { g_free (node); }
static const SatoriSimNodeClass idle_class = {
  idle_nop, NULL, idle_receive, idle_deadline, idle_timeout, idle_free,
};

static guint
build_topology (SatoriSimNetwork *network, const Options *o, guint n_sybils)
{
  if (o->sybil_degree == 0)
    return satori_sim_topology_random (network, o->degree);
  return satori_sim_topology_random_range (network, n_sybils, o->hosts, o->degree)
         + satori_sim_topology_attach_range (network, 0, n_sybils, n_sybils, o->hosts,
                                             o->sybil_degree);
}

static size_t
heap_bytes (void)
{
  return mallinfo2 ().uordblks;
}

static double
link_overhead_bytes (const Options *o, guint n_sybils, guint n_total,
                     const SatoriSimLinkParams *params, guint *links_out)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (o->seed, params);
  for (guint i = 0; i < n_total; i++)
    {
      SatoriSimNode *node = g_new0 (SatoriSimNode, 1);
      node->klass = &idle_class;
      satori_sim_network_add_node (network, node);
    }
  size_t before = heap_bytes ();
  *links_out = build_topology (network, o, n_sybils);
  return (double) (heap_bytes () - before);
}

static gint64
ms (double value)
{
  return (gint64) (value * 1000);
}

int
main (int argc, char **argv)
{
  Options o = {
    .hosts = 1000, .degree = 8, .messages = 100, .topics = 1, .latency_ms = 100,
    .interval_ms = 100, .warmup_ms = -1, .drain_ms = 10000, .sample_ms = 5000, .p3 = -1, .seed = 1,
  };
  g_autofree char *names = satori_sim_router_list_names ();
  g_autofree char *router_help = g_strdup_printf ("Router: %s", names);
  GOptionEntry entries[] = {
    { "hosts", 0, 0, G_OPTION_ARG_INT, &o.hosts, "Honest hosts", "N" },
    { "degree", 0, 0, G_OPTION_ARG_INT, &o.degree, "Links per host (random graph)", "D" },
    { "latency-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.latency_ms, "One-way link latency", "MS" },
    { "jitter-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.jitter_ms, "Plus uniform jitter up to", "MS" },
    { "loss", 0, 0, G_OPTION_ARG_DOUBLE, &o.loss, "Frame loss probability", "P" },
    { "bandwidth-mbps", 0, 0, G_OPTION_ARG_DOUBLE, &o.bandwidth_mbps, "Per link and direction (0: unlimited)", "MBIT" },
    { "sybil-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &o.sybil_ratio, "Sybils per honest host", "R" },
    { "sybil-degree", 0, 0, G_OPTION_ARG_INT, &o.sybil_degree, "Honest hosts each sybil dials (0: one graph for all)", "K" },
    { "messages", 0, 0, G_OPTION_ARG_INT, &o.messages, "Messages to publish", "M" },
    { "interval-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.interval_ms, "Between publishes", "MS" },
    { "topics", 0, 0, G_OPTION_ARG_INT, &o.topics, "Topics every host joins", "T" },
    { "warmup-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.warmup_ms, "Virtual time before the measured messages (default 5000, 30000 with P3)", "MS" },
    { "drain-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.drain_ms, "Virtual time after the last publish", "MS" },
    { "router", 0, 0, G_OPTION_ARG_STRING, &o.router, router_help, "NAME" },
    { "p3", 0, 0, G_OPTION_ARG_INT, &o.p3, "1: P3/P3b scoring, traffic during the warmup (default with sybils); 0: off", "0|1" },
    { "sample-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.sample_ms, "With P3: sample the meshes every", "MS" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "PRNG seed", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- pubsub in the network simulator");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  const SatoriSimRouter *router = satori_sim_router_lookup (o.router != NULL ? o.router : "flood-fixture");
  if (router == NULL || o.hosts < 2 || o.degree < 1 || o.sybil_degree < 0 || o.messages < 0 || o.topics < 1
      || o.sybil_ratio < 0 || o.loss < 0 || o.loss > 1 || o.bandwidth_mbps < 0 || o.p3 > 1
      || o.interval_ms <= 0 || o.sample_ms <= 0)
    {
      g_printerr ("bad arguments (routers: %s)\n", names);
      return 2;
    }

  guint n_sybils = (guint) (o.hosts * o.sybil_ratio + 0.5);
  gboolean p3 = o.p3 < 0 ? n_sybils > 0 : o.p3 == 1;
  if (o.warmup_ms < 0)
    o.warmup_ms = p3 ? 30000 : 5000;
  guint n_total = o.hosts + n_sybils;
  SatoriSimLinkParams params = {
    .latency_us = ms (o.latency_ms), .jitter_us = ms (o.jitter_ms), .loss = o.loss,
    .bandwidth_bps = (guint64) (o.bandwidth_mbps * 1e6),
  };
  guint idle_links;
  double link_overhead = link_overhead_bytes (&o, n_sybils, n_total, &params, &idle_links);
  g_auto(GStrv) topics = g_new0 (char *, o.topics + 1);
  for (guint t = 0; t < (guint) o.topics; t++)
    topics[t] = g_strdup_printf ("bench-%u", t);

  size_t heap0 = heap_bytes ();
  SatoriSimNetwork *network = satori_sim_network_new (o.seed, &params);
  SatoriSimPubsub *pubsub = satori_sim_pubsub_new (network, router, o.seed,
                                                   (const char *const *) topics);
  if (p3)
    satori_sim_pubsub_set_topic_rate (pubsub, 1000 / o.interval_ms / o.topics);
  satori_sim_pubsub_add_hosts (pubsub, n_total, n_sybils);
  size_t heap_hosts = heap_bytes ();
  guint links = build_topology (network, &o, n_sybils);
  size_t heap_links = heap_bytes ();
  g_assert (links == idle_links);

  for (guint t = 0; t < (guint) o.topics; t++)
    for (guint h = 0; h < n_total; h++)
      satori_sim_pubsub_subscribe (pubsub, h, topics[t]);
  /* Until the subscriptions have reached every peer. */
  satori_sim_network_run_until (network, 2 * params.latency_us + params.jitter_us);
  size_t heap_topics = heap_bytes ();

  /* With P3, messages flow during the warmup too; the meshes are sampled. */
  Publisher publisher = { pubsub, { { 0 } }, n_sybils, n_total, 0, topics };
  satori_sim_rng_init (&publisher.rng, o.seed + 1);
  gint64 end_us = ms (o.warmup_ms) + (o.messages > 0 ? o.messages - 1 : 0) * ms (o.interval_ms)
                  + ms (o.drain_ms);
  Sampler sampler = { pubsub, topics[0], ms (o.sample_ms), end_us, g_string_new ("[") };
  guint warmup_messages = 0;
  if (p3)
    {
      gint64 now = satori_sim_network_get_now (network);
      for (gint64 at = now; at < ms (o.warmup_ms); at += ms (o.interval_ms), warmup_messages++)
        satori_sim_network_schedule (network, at, publish_one, &publisher);
      satori_sim_network_schedule (network, now, sample_meshes, &sampler);
    }
  satori_sim_network_run_until (network, ms (o.warmup_ms));

  /* The measured messages. */
  gint64 start_us = satori_sim_network_get_now (network);
  for (guint m = 0; m < (guint) o.messages; m++)
    satori_sim_network_schedule (network, start_us + m * ms (o.interval_ms), publish_one, &publisher);
  guint64 events0 = satori_sim_network_get_events_processed (network);
  guint64 router_ns0 = satori_sim_pubsub_get_router_ns (pubsub);
  g_autofree guint64 *bytes0 = g_new (guint64, n_total);
  g_autofree guint64 *frames0 = g_new (guint64, n_total);
  for (guint h = 0; h < n_total; h++)
    {
      bytes0[h] = satori_sim_network_get_node (network, h)->stats.bytes_sent;
      frames0[h] = satori_sim_network_get_node (network, h)->stats.frames_sent;
    }

  gint64 wall0 = g_get_monotonic_time ();
  double cpu0 = satori_sim_cpu_seconds ();
  satori_sim_network_run_until (network, end_us);
  double wall_s = (g_get_monotonic_time () - wall0) / 1e6;
  double cpu_s = satori_sim_cpu_seconds () - cpu0;
  guint64 events = satori_sim_network_get_events_processed (network) - events0;
  /* Router time is measured on the wall clock, which also runs while other
   * processes have the CPU: take its share of the wall time, apply it to
   * the CPU time. */
  double router_share = (satori_sim_pubsub_get_router_ns (pubsub) - router_ns0) / 1e9
                        / MAX (wall_s, 1e-9);
  double router_cpu_s = cpu_s * MIN (router_share, 1.0);

  SatoriSimSummary s, all;
  satori_sim_metrics_summarise_from (satori_sim_pubsub_get_metrics (pubsub), warmup_messages, &s);
  satori_sim_metrics_summarise (satori_sim_pubsub_get_metrics (pubsub), &all);
  g_string_append_c (sampler.json, ']');
  guint64 deliveries = s.delivered + s.unexpected;
  guint64 frames_sum = 0, bytes_sum = 0, bytes_max = 0;
  for (guint h = n_sybils; h < n_total; h++)
    {
      SatoriSimNodeStats *stats = &satori_sim_network_get_node (network, h)->stats;
      frames_sum += stats->frames_sent - frames0[h];
      bytes_sum += stats->bytes_sent - bytes0[h];
      bytes_max = MAX (bytes_max, stats->bytes_sent - bytes0[h]);
    }

  printf ("{\"router\":\"%s\",\"honest\":%d,\"sybils\":%u,\"degree\":%d,\"sybil_degree\":%d,"
          "\"links\":%u,"
          "\"p3\":%s,\"warmup_messages\":%u,\"all_delivery_ratio\":%.6f,\"all_p99_ms\":%.1f,"
          "\"mesh_sybil_share\":%s,"
          "\"latency_ms\":%g,\"jitter_ms\":%g,\"loss\":%g,\"bandwidth_mbps\":%g,\"topics\":%d,\"messages\":%u,"
          "\"delivery_ratio\":%.6f,\"complete_messages\":%u,\"expected\":%" G_GUINT64_FORMAT
          ",\"delivered\":%" G_GUINT64_FORMAT ",\"p50_ms\":%.1f,\"p90_ms\":%.1f,"
          "\"p99_ms\":%.1f,\"max_ms\":%.1f,"
          "\"frames_sent_per_honest_host\":%.1f,\"bytes_sent_per_honest_host\":%.0f,"
          "\"bytes_sent_max_honest_host\":%" G_GUINT64_FORMAT ","
          "\"frames_lost\":%" G_GUINT64_FORMAT ",\"router_disconnects\":%" G_GUINT64_FORMAT ","
          "\"stuck_wakeups\":%" G_GUINT64_FORMAT ","
          "\"events\":%" G_GUINT64_FORMAT ",\"wall_s\":%.3f,\"cpu_s\":%.3f,\"events_per_s\":%.0f,\"events_per_cpu_s\":%.0f,"
          "\"router_share\":%.2f,\"router_deliveries_per_cpu_s\":%.0f,"
          "\"heap_per_host_bytes\":%.0f,\"heap_per_peer_bytes\":%.0f,"
          "\"sim_link_bytes_per_peer\":%.0f,\"heap_per_topic_per_host_bytes\":%.0f}\n",
          router->name, o.hosts, n_sybils, o.degree, o.sybil_degree, links,
          p3 ? "true" : "false", warmup_messages, all.delivery_ratio, all.p99_us / 1e3,
          p3 ? sampler.json->str : "null", o.latency_ms, o.jitter_ms, o.loss, o.bandwidth_mbps,
          o.topics, s.messages, s.delivery_ratio, s.complete, s.expected, s.delivered,
          s.p50_us / 1e3, s.p90_us / 1e3, s.p99_us / 1e3, s.max_us / 1e3,
          (double) frames_sum / o.hosts, (double) bytes_sum / o.hosts, bytes_max,
          satori_sim_network_get_frames_lost (network), satori_sim_pubsub_get_disconnects (pubsub),
          satori_sim_network_get_stuck_wakeups (network),
          events, wall_s, cpu_s, events / MAX (wall_s, 1e-9), events / MAX (cpu_s, 1e-9),
          router_share, deliveries / MAX (router_cpu_s, 1e-9),
          (double) (heap_hosts - heap0) / n_total,
          ((double) (heap_links - heap_hosts) - link_overhead) / (2.0 * links),
          link_overhead / (2.0 * links),
          (double) ((gssize) heap_topics - (gssize) heap_links) / ((double) n_total * o.topics));

  g_string_free (sampler.json, TRUE);
  satori_sim_pubsub_free (pubsub);
  satori_sim_network_free (network);
  g_free (o.router);
  return 0;
}
