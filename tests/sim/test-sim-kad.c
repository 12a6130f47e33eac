/* test-sim-kad.c: 300 Kad-DHT hosts on the simulator — lookups find the
 * true closest peers, records and providers are found from any host, also
 * with a fifth of the hosts gone without notice
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-sim-kad.h"

#define N_HOSTS 300
#define LATENCY_US (50 * G_TIME_SPAN_MILLISECOND)
#define JOIN_INTERVAL_US (20 * G_TIME_SPAN_MILLISECOND)
#define N_SEEDS 3

typedef struct {
  SatoriSimNetwork *network;
  SatoriSimKad     *kad;
  SatoriSimRng      rng;
} Fixture;

/* One network for the whole run (joining 300 hosts is most of the cost
 * under the sanitizers), built on first use: 300 hosts join one after the
 * other, each knowing three earlier ones, and the network settles for a
 * minute. The test that departs hosts runs last. */
static Fixture *shared;

static Fixture *
get_fixture (void)
{
  if (shared != NULL)
    return shared;
  SatoriSimLinkParams link = { .latency_us = LATENCY_US, .jitter_us = LATENCY_US / 5 };
  Fixture *f = shared = g_new0 (Fixture, 1);
  f->network = satori_sim_network_new (42, &link);
  f->kad = satori_sim_kad_new (f->network, 42, NULL, 2 * LATENCY_US);
  satori_sim_rng_init (&f->rng, 7);
  satori_sim_kad_add_hosts (f->kad, N_HOSTS);
  satori_sim_kad_schedule_joins (f->kad, 0, JOIN_INTERVAL_US, N_SEEDS);
  satori_sim_network_run_until (f->network, N_HOSTS * JOIN_INTERVAL_US + 60 * G_USEC_PER_SEC);
  return f;
}

static void
fixture_free (Fixture *f)
{
  if (f == NULL)
    return;
  satori_sim_kad_free (f->kad);
  satori_sim_network_free (f->network);
  g_free (f);
}

static guint
random_live_host (Fixture *f)
{
  guint host;
  do
    host = satori_sim_rng_below (&f->rng, N_HOSTS);
  while (satori_sim_network_get_node (f->network, host)->departed);
  return host;
}

static GBytes *
random_key (Fixture *f)
{
  guint8 key[34] = { 0x12, 0x20 };
  for (guint i = 2; i < sizeof key; i++)
    key[i] = satori_sim_rng_u32 (&f->rng);
  return g_bytes_new (key, sizeof key);
}

static void
run_for (Fixture *f, gint64 span_us)
{
  satori_sim_network_run_until (f->network, satori_sim_network_get_now (f->network) + span_us);
}

/* How many of the true k closest live hosts @result names. */
static guint
count_true_closest (Fixture *f, const SatoriSimKadResult *result, GBytes *target, guint k)
{
  g_autofree guint *closest = satori_sim_kad_true_closest (f->kad, target, k);
  guint found = 0;
  for (guint i = 0; i < k; i++)
    for (guint j = 0; j < result->peers->len; j++)
      {
        SatoriKadPeer *peer = result->peers->pdata[j];
        if (satori_sim_kad_lookup_host (f->kad, peer->id) == closest[i])
          {
            found++;
            break;
          }
      }
  return found;
}

/* Each lookup finds at least 18 of the true 20 closest, and all
 * together at least 98 % of them. */
static void
check_find_node (Fixture *f, guint n_lookups)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GArray) ops = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_lookups; i++)
    {
      GBytes *target = random_key (f);
      guint op = satori_sim_kad_find_node (f->kad, random_live_host (f), target);
      g_ptr_array_add (targets, target);
      g_array_append_val (ops, op);
    }
  run_for (f, 120 * G_USEC_PER_SEC);

  guint total = 0;
  for (guint i = 0; i < n_lookups; i++)
    {
      const SatoriSimKadResult *result =
        satori_sim_kad_get_result (f->kad, g_array_index (ops, guint, i));
      g_assert_true (result->done);
      g_assert_cmpint (result->type, ==, SATORI_KAD_EVENT_CLOSEST_PEERS);
      guint found = count_true_closest (f, result, targets->pdata[i], 20);
      g_assert_cmpuint (found, >=, 18);
      total += found;
    }
  g_test_message ("%u lookups: %u of the %u true closest found", n_lookups, total,
                  20 * n_lookups);
  g_assert_cmpuint (total * 100, >=, 98 * 20 * n_lookups);
}

static void
test_find_node_true_closest (void)
{
  check_find_node (get_fixture (), 30);
}

/* Stores N records and N provider announcements from random hosts. */
static void
store_records (Fixture *f, guint n, GPtrArray *keys, GArray *providers)
{
  guint first = satori_sim_kad_get_n_results (f->kad);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("/sim/record-%u", first + i);
      g_autoptr(GBytes) value = g_bytes_new (key, strlen (key));
      g_ptr_array_add (keys, g_bytes_new (key, strlen (key)));
      guint host = random_live_host (f);
      g_assert_cmpuint (satori_sim_kad_put_value (f->kad, host, keys->pdata[i], value),
                        !=, G_MAXUINT);
      host = random_live_host (f);
      g_array_append_val (providers, host);
      g_assert_cmpuint (satori_sim_kad_provide (f->kad, host, keys->pdata[i]), !=, G_MAXUINT);
    }
  run_for (f, 120 * G_USEC_PER_SEC);
  for (guint op = first; op < satori_sim_kad_get_n_results (f->kad); op++)
    {
      const SatoriSimKadResult *result = satori_sim_kad_get_result (f->kad, op);
      g_assert_true (result->done);
      g_assert_cmpuint (result->n_succeeded, >=, 15);
    }
}

/* Every record and provider is found from random other live hosts. */
static void
check_records (Fixture *f, GPtrArray *keys, GArray *providers)
{
  guint n = keys->len, first = satori_sim_kad_get_n_results (f->kad);

  for (guint i = 0; i < n; i++)
    {
      satori_sim_kad_get_value (f->kad, random_live_host (f), keys->pdata[i]);
      satori_sim_kad_get_providers (f->kad, random_live_host (f), keys->pdata[i]);
    }
  run_for (f, 120 * G_USEC_PER_SEC);
  for (guint i = 0; i < n; i++)
    {
      const SatoriSimKadResult *value = satori_sim_kad_get_result (f->kad, first + 2 * i);
      const SatoriSimKadResult *found = satori_sim_kad_get_result (f->kad, first + 2 * i + 1);
      GBytes *provider = satori_sim_kad_get_peer_id (f->kad, g_array_index (providers, guint, i));
      gboolean named = FALSE;

      g_assert_true (value->done && found->done);
      g_assert_cmpint (value->type, ==, SATORI_KAD_EVENT_VALUE);
      g_assert_nonnull (value->value);
      g_assert_true (g_bytes_equal (value->value, keys->pdata[i]));
      g_assert_cmpint (found->type, ==, SATORI_KAD_EVENT_PROVIDERS);
      for (guint j = 0; j < found->peers->len; j++)
        named |= g_bytes_equal (((SatoriKadPeer *) found->peers->pdata[j])->id, provider);
      g_assert_true (named);
    }
}

static void
test_values_from_any_host (void)
{
  Fixture *f = get_fixture ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GArray) providers = g_array_new (FALSE, FALSE, sizeof (guint));

  store_records (f, 10, keys, providers);
  check_records (f, keys, providers);
}

/* A fifth of the hosts leave without notice after the records were
 * stored; lookups still find the closest live hosts (their first answers
 * are timeouts), and records and providers are still found. Providers
 * are kept alive: their records name them. */
static void
test_departures (void)
{
  Fixture *f = get_fixture ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GArray) providers = g_array_new (FALSE, FALSE, sizeof (guint));

  store_records (f, 10, keys, providers);
  guint gone = 0;
  while (gone < N_HOSTS / 5)
    {
      guint host = satori_sim_rng_below (&f->rng, N_HOSTS);
      gboolean provider = FALSE;
      for (guint i = 0; i < providers->len; i++)
        provider |= g_array_index (providers, guint, i) == host;
      if (provider || satori_sim_network_get_node (f->network, host)->departed)
        continue;
      satori_sim_network_depart (f->network, host);
      gone++;
    }
  check_records (f, keys, providers);
  check_find_node (f, 30);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/kad/find-node/true-closest", test_find_node_true_closest);
  g_test_add_func ("/sim/kad/values/from-any-host", test_values_from_any_host);
  g_test_add_func ("/sim/kad/departures/fifth-gone-without-notice", test_departures);
  int status = g_test_run ();
  fixture_free (shared);
  return status;
}
