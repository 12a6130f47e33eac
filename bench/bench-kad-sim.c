/* bench-kad-sim: a Kad-DHT network of N hosts in one process, on the
 * simulator's virtual time, printing one JSON line of figures.
 *
 *   bench-kad-sim [--hosts 1000] [--latency-ms 100] [--jitter-ms 0]
 *                 [--dial-rtts 1] [--join-interval-ms 10] [--seeds 3]
 *                 [--settle-s 60] [--lookups 200] [--records 50] [--departed 0.2]
 *                 [--slow-ms 1000] [--dial-timeout-ms 5000] [--seed 1]
 *
 * Hosts join one after the other, each dialing --seeds random hosts that
 * joined before it and looking itself up; the network then settles for
 * --settle-s (past 600 s the core's 10-minute bucket refresh runs).
 * --records values are stored (PUT_VALUE) from random hosts. Then
 * two rounds, the second after --departed of the hosts left without
 * notice (nothing repaired yet): --lookups FIND_NODE of live hosts' ids
 * and as many GET_VALUE of the records, from random live hosts, one every
 * 100 ms. A FIND_NODE succeeds when the target is found, a GET_VALUE when
 * the value is; recall is the share of the true 20 closest live hosts the
 * lookup returned. Hops and requests per lookup come from the core's
 * events; a new connection costs --dial-rtts round trips before its first
 * frame; a dial to a departed host fails silently: the core's dial
 * timeout (--dial-timeout-ms) ends it, and its lookup asks the next peer
 * once the request is slow (--slow-ms; 0 turns slow requests off).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "satori-sim-kad.h"

typedef struct {
  gint   hosts, seeds, lookups, records;
  double latency_ms, jitter_ms, dial_rtts, join_interval_ms, departed, settle_s;
  double slow_ms, dial_timeout_ms;
  gint64 seed;
} Options;

typedef struct {
  SatoriSimKad *kad;
  SatoriSimRng  rng;
  GPtrArray    *record_keys;
  GArray       *find_ops;     /* guint */
  GPtrArray    *find_targets; /* GBytes */
  GArray       *get_ops;      /* guint */
  GArray       *get_records;  /* guint: index into record_keys */
} Round;

static gint64
ms (double value)
{
  return (gint64) (value * 1000);
}

static guint
random_live_host (SatoriSimKad *kad, SatoriSimNetwork *network, SatoriSimRng *rng)
{
  guint host;
  do
    host = satori_sim_rng_below (rng, satori_sim_kad_get_n_hosts (kad));
  while (satori_sim_network_get_node (network, host)->departed);
  return host;
}

static void
start_lookups (SatoriSimNetwork *network, gpointer user_data)
{
  Round *round = user_data;
  guint target = random_live_host (round->kad, network, &round->rng);
  GBytes *target_id = satori_sim_kad_get_peer_id (round->kad, target);
  guint op = satori_sim_kad_find_node (round->kad,
                                       random_live_host (round->kad, network, &round->rng),
                                       target_id);
  g_array_append_val (round->find_ops, op);
  g_ptr_array_add (round->find_targets, g_bytes_ref (target_id));

  guint record = satori_sim_rng_below (&round->rng, round->record_keys->len);
  op = satori_sim_kad_get_value (round->kad, random_live_host (round->kad, network, &round->rng),
                                 round->record_keys->pdata[record]);
  g_array_append_val (round->get_ops, op);
  g_array_append_val (round->get_records, record);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Nearest rank; @values sorted. */
static double
percentile (GArray *values, double p)
{
  if (values->len == 0)
    return -1;
  guint rank = (guint) ceil (p / 100 * values->len);
  return g_array_index (values, double, MAX (rank, 1) - 1);
}

static double
mean (GArray *values)
{
  double sum = 0;
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return values->len > 0 ? sum / values->len : -1;
}

static gboolean
names_peer (const SatoriSimKadResult *result, GBytes *id)
{
  if (result->peer != NULL && g_bytes_equal (result->peer->id, id))
    return TRUE;
  for (guint i = 0; result->peers != NULL && i < result->peers->len; i++)
    if (g_bytes_equal (((SatoriKadPeer *) result->peers->pdata[i])->id, id))
      return TRUE;
  return FALSE;
}

/* The figures of one round as a JSON object. */
static char *
summarise (Round *round, SatoriSimKad *kad)
{
  g_autoptr(GArray) hops = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) requests = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) recall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) get_latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) get_requests = g_array_new (FALSE, FALSE, sizeof (double));
  guint found = 0, values = 0, unfinished = 0;

  for (guint i = 0; i < round->find_ops->len; i++)
    {
      const SatoriSimKadResult *r =
        satori_sim_kad_get_result (kad, g_array_index (round->find_ops, guint, i));
      GBytes *target = round->find_targets->pdata[i];
      if (!r->done)
        {
          unfinished++;
          continue;
        }
      found += names_peer (r, target);
      double h = r->hops, q = r->n_requests, l = (r->ended_us - r->started_us) / 1e3;
      g_array_append_val (hops, h);
      g_array_append_val (requests, q);
      g_array_append_val (latency, l);
      g_autofree guint *closest = satori_sim_kad_true_closest (kad, target, 20);
      guint hits = 0;
      for (guint c = 0; c < 20; c++)
        hits += names_peer (r, satori_sim_kad_get_peer_id (kad, closest[c]));
      double share = hits / 20.0;
      g_array_append_val (recall, share);
    }
  for (guint i = 0; i < round->get_ops->len; i++)
    {
      const SatoriSimKadResult *r =
        satori_sim_kad_get_result (kad, g_array_index (round->get_ops, guint, i));
      GBytes *key = round->record_keys->pdata[g_array_index (round->get_records, guint, i)];
      if (!r->done)
        {
          unfinished++;
          continue;
        }
      values += r->value != NULL && g_bytes_equal (r->value, key);
      double l = (r->ended_us - r->started_us) / 1e3, q = r->n_requests;
      g_array_append_val (get_latency, l);
      g_array_append_val (get_requests, q);
    }
  GArray *sorted[] = { hops, requests, latency, recall, get_latency, get_requests };
  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++)
    g_array_sort (sorted[i], compare_double);

  return g_strdup_printf (
    "{\"find_node\":%u,\"found_ratio\":%.4f,\"recall_k20_mean\":%.4f,\"recall_k20_min\":%.2f,"
    "\"hops_mean\":%.2f,\"hops_p50\":%.0f,\"hops_p90\":%.0f,\"hops_max\":%.0f,"
    "\"requests_mean\":%.1f,\"requests_p50\":%.0f,\"requests_p90\":%.0f,"
    "\"latency_p50_ms\":%.1f,\"latency_p90_ms\":%.1f,\"latency_p99_ms\":%.1f,\"latency_max_ms\":%.1f,"
    "\"get_value\":%u,\"get_value_ratio\":%.4f,\"get_requests_mean\":%.1f,"
    "\"get_latency_p50_ms\":%.1f,\"get_latency_p90_ms\":%.1f,\"get_latency_p99_ms\":%.1f,"
    "\"unfinished\":%u}",
    round->find_ops->len, (double) found / MAX (round->find_ops->len, 1), mean (recall),
    percentile (recall, 0), mean (hops), percentile (hops, 50), percentile (hops, 90),
    percentile (hops, 100), mean (requests), percentile (requests, 50),
    percentile (requests, 90), percentile (latency, 50), percentile (latency, 90),
    percentile (latency, 99), percentile (latency, 100), round->get_ops->len,
    (double) values / MAX (round->get_ops->len, 1), mean (get_requests),
    percentile (get_latency, 50), percentile (get_latency, 90), percentile (get_latency, 99),
    unfinished);
}

static void
round_init (Round *round, SatoriSimKad *kad, GPtrArray *record_keys, guint64 seed)
{
  round->kad = kad;
  satori_sim_rng_init (&round->rng, seed);
  round->record_keys = record_keys;
  round->find_ops = g_array_new (FALSE, FALSE, sizeof (guint));
  round->find_targets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  round->get_ops = g_array_new (FALSE, FALSE, sizeof (guint));
  round->get_records = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
round_clear (Round *round)
{
  g_array_unref (round->find_ops);
  g_ptr_array_unref (round->find_targets);
  g_array_unref (round->get_ops);
  g_array_unref (round->get_records);
}

/* Runs --lookups of each kind, 100 ms apart, and waits for the last. */
static char *
run_round (SatoriSimNetwork *network, SatoriSimKad *kad, GPtrArray *record_keys,
           const Options *o, guint64 seed)
{
  Round round;
  gint64 start = satori_sim_network_get_now (network);

  round_init (&round, kad, record_keys, seed);
  for (gint i = 0; i < o->lookups; i++)
    satori_sim_network_schedule (network, start + i * ms (100), start_lookups, &round);
  satori_sim_network_run_until (network, start + o->lookups * ms (100) + 120 * G_USEC_PER_SEC);
  char *json = summarise (&round, kad);
  round_clear (&round);
  return json;
}

static double
cpu_seconds (void)
{
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static long
max_rss_kib (void)
{
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int
main (int argc, char **argv)
{
  Options o = {
    .hosts = 1000, .seeds = 3, .lookups = 200, .records = 50, .latency_ms = 100,
    .dial_rtts = 1, .join_interval_ms = 10, .departed = 0.2, .settle_s = 60, .seed = 1,
    .slow_ms = 1000, .dial_timeout_ms = 5000,
  };
  GOptionEntry entries[] = {
    { "hosts", 0, 0, G_OPTION_ARG_INT, &o.hosts, "Hosts", "N" },
    { "latency-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.latency_ms, "One-way link latency", "MS" },
    { "jitter-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.jitter_ms, "Plus uniform jitter up to", "MS" },
    { "dial-rtts", 0, 0, G_OPTION_ARG_DOUBLE, &o.dial_rtts, "Round trips a new connection costs", "R" },
    { "join-interval-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.join_interval_ms, "Between joins", "MS" },
    { "settle-s", 0, 0, G_OPTION_ARG_DOUBLE, &o.settle_s, "Virtual time after the last join", "S" },
    { "seeds", 0, 0, G_OPTION_ARG_INT, &o.seeds, "Hosts a newcomer knows", "S" },
    { "lookups", 0, 0, G_OPTION_ARG_INT, &o.lookups, "FIND_NODE (and GET_VALUE) per round", "L" },
    { "records", 0, 0, G_OPTION_ARG_INT, &o.records, "Records stored", "R" },
    { "departed", 0, 0, G_OPTION_ARG_DOUBLE, &o.departed, "Share of hosts gone before round 2", "P" },
    { "slow-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.slow_ms, "A lookup request is slow after (0: never)", "MS" },
    { "dial-timeout-ms", 0, 0, G_OPTION_ARG_DOUBLE, &o.dial_timeout_ms, "Dial timeout", "MS" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "PRNG seed", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Kad-DHT in the network simulator");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (o.hosts < 2 || o.seeds < 1 || o.lookups < 1 || o.records < 1 || o.departed < 0
      || o.departed >= 1 || o.latency_ms < 0 || o.dial_rtts < 0 || o.settle_s < 0
      || o.slow_ms < 0 || o.dial_timeout_ms <= 0)
    {
      g_printerr ("bad arguments\n");
      return 2;
    }

  gint64 wall0 = g_get_monotonic_time ();
  double cpu0 = cpu_seconds ();
  SatoriSimLinkParams params = { .latency_us = ms (o.latency_ms), .jitter_us = ms (o.jitter_ms) };
  SatoriSimNetwork *network = satori_sim_network_new (o.seed, &params);
  SatoriKadConfig config;
  satori_kad_config_init (&config);
  config.slow_request_us = o.slow_ms > 0 ? ms (o.slow_ms) : G_MAXINT64 / 2;
  config.dial_timeout_us = ms (o.dial_timeout_ms);
  SatoriSimKad *kad = satori_sim_kad_new (network, o.seed, &config,
                                          (gint64) (o.dial_rtts * 2 * params.latency_us));
  satori_sim_kad_add_hosts (kad, o.hosts);
  satori_sim_kad_schedule_joins (kad, 0, ms (o.join_interval_ms), o.seeds);
  satori_sim_network_run_until (network, o.hosts * ms (o.join_interval_ms) + ms (o.settle_s * 1000));
  double join_wall_s = (g_get_monotonic_time () - wall0) / 1e6;

  SatoriSimRng rng;
  satori_sim_rng_init (&rng, o.seed + 1);
  g_autoptr(GPtrArray) record_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint puts_ok = 0, first_put = satori_sim_kad_get_n_results (kad);
  for (gint i = 0; i < o.records; i++)
    {
      g_autofree char *text = g_strdup_printf ("/sim/bench-%d", i);
      GBytes *key = g_bytes_new (text, strlen (text));
      g_ptr_array_add (record_keys, key);
      satori_sim_kad_put_value (kad, random_live_host (kad, network, &rng), key, key);
    }
  satori_sim_network_run_until (network, satori_sim_network_get_now (network) + 120 * G_USEC_PER_SEC);
  for (guint op = first_put; op < satori_sim_kad_get_n_results (kad); op++)
    puts_ok += satori_sim_kad_get_result (kad, op)->n_succeeded >= 1;

  g_autofree char *live = run_round (network, kad, record_keys, &o, o.seed + 2);

  guint n_departed = (guint) (o.hosts * o.departed + 0.5), gone = 0;
  while (gone < n_departed)
    {
      guint host = satori_sim_rng_below (&rng, o.hosts);
      if (satori_sim_network_get_node (network, host)->departed)
        continue;
      satori_sim_network_depart (network, host);
      gone++;
    }
  g_autofree char *departed = run_round (network, kad, record_keys, &o, o.seed + 3);

  printf ("{\"hosts\":%d,\"log2_n\":%.2f,\"latency_ms\":%g,\"jitter_ms\":%g,\"dial_rtts\":%g,"
          "\"seeds\":%d,\"slow_ms\":%g,\"dial_timeout_ms\":%g,\"settle_s\":%g,\"records\":%d,\"records_stored\":%u,\"requests_sent\":%" G_GUINT64_FORMAT ","
          "\"live\":%s,\"departed_ratio\":%g,\"departed\":%s,"
          "\"events\":%" G_GUINT64_FORMAT ",\"stuck_wakeups\":%" G_GUINT64_FORMAT ","
          "\"virtual_s\":%.1f,\"join_wall_s\":%.1f,\"wall_s\":%.1f,\"cpu_s\":%.1f,"
          "\"max_rss_mib\":%.0f}\n",
          o.hosts, log2 (o.hosts), o.latency_ms, o.jitter_ms, o.dial_rtts, o.seeds, o.slow_ms,
          o.dial_timeout_ms, o.settle_s, o.records,
          puts_ok, satori_sim_kad_get_requests_sent (kad), live, o.departed, departed,
          satori_sim_network_get_events_processed (network),
          satori_sim_network_get_stuck_wakeups (network),
          satori_sim_network_get_now (network) / 1e6, join_wall_s,
          (g_get_monotonic_time () - wall0) / 1e6, cpu_seconds () - cpu0, max_rss_kib () / 1024.0);

  satori_sim_kad_free (kad);
  satori_sim_network_free (network);
  return 0;
}
