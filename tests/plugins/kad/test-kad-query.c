/* The iterative lookup on its own, against 300 routing tables that answer
 * directly: it finds the true k closest, keeps alpha requests in flight,
 * copes with silent and lying peers, and keeps disjoint paths apart.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kad-test-util.h"
#include "satori-kad-query.h"

#define N_PEERS 300

static SatoriKadRoutingTable *tables[N_PEERS];
static GHashTable *index_of;   /* peer id -> peer number + 1 */

static const SatoriKadQueryConfig default_config = {
  .k = 20, .alpha = 3, .disjoint_paths = 1, .max_candidates = 100,
};

static guint
number_of (GBytes *id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (index_of, id)) - 1;
}

static GPtrArray *
true_closest (const SatoriKadKey *target, guint asker, guint k)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint n = 0; n < N_PEERS; n++)
    if (n != asker)
      g_ptr_array_add (all, kad_test_peer_id (n));
  g_ptr_array_sort_with_data (all, kad_test_compare_ids, (gpointer) target);
  g_ptr_array_set_size (all, k);
  return all;
}

typedef gboolean (*Behaviour) (guint peer);

/* Runs @query to the end; peers for which @silent is TRUE never answer
 * (reported failed, as a timeout would). Returns the requests sent. */
static guint
run (SatoriKadQuery *query, const SatoriKadKey *target, Behaviour silent, guint alpha_limit)
{
  g_autoptr(GPtrArray) waiting = satori_kad_peer_array_new ();
  guint sent = 0;

  while (!satori_kad_query_is_finished (query))
    {
      SatoriKadPeer *next;
      while ((next = satori_kad_query_next (query)) != NULL)
        {
          g_ptr_array_add (waiting, next);
          sent++;
        }
      g_assert_cmpuint (waiting->len, <=, alpha_limit);
      g_assert_cmpuint (waiting->len, >, 0);
      /* Answer the oldest request. */
      g_autoptr(SatoriKadPeer) asked = g_ptr_array_steal_index (waiting, 0);
      guint n = number_of (asked->id);
      if (silent != NULL && silent (n))
        satori_kad_query_failed (query, asked->id);
      else
        {
          g_autoptr(GPtrArray) closer = satori_kad_routing_table_closest (tables[n], target, 20,
                                                                          NULL);
          g_assert_true (satori_kad_query_succeeded (query, asked->id, closer));
        }
    }
  /* Requests still out once the k closest answered are simply dropped. */
  return sent;
}

static SatoriKadQuery *
start (guint asker, const SatoriKadKey *target, const SatoriKadQueryConfig *config)
{
  g_autoptr(GBytes) id = kad_test_peer_id (asker);
  g_autoptr(GPtrArray) seeds = satori_kad_routing_table_closest (tables[asker], target, 20, NULL);
  return satori_kad_query_new (target, config, id, seeds);
}

static void
assert_found (SatoriKadQuery *query, const SatoriKadKey *target, guint asker, guint k,
              Behaviour silent)
{
  g_autoptr(GPtrArray) expected = true_closest (target, asker, N_PEERS - 1);
  g_autoptr(GPtrArray) closest = satori_kad_query_get_closest (query, k);
  if (silent != NULL)
    {
      /* Silent peers among the closest hide those just beyond (nobody
       * else names them): most of the live closest are found, fewer than k. */
      guint live_found = 0;
      for (guint i = 0; i < closest->len; i++)
        for (guint e = 0, live = 0; e < expected->len && live < k; e++)
          {
            if (silent (number_of (expected->pdata[e])))
              continue;
            live++;
            live_found += g_bytes_equal (((SatoriKadPeer *) closest->pdata[i])->id,
                                         expected->pdata[e]);
          }
      g_assert_cmpuint (live_found, >=, k * 3 / 4);
      return;
    }
  g_assert_cmpuint (closest->len, ==, k);
  for (guint i = 0; i < closest->len; i++)
    g_assert_true (g_bytes_equal (((SatoriKadPeer *) closest->pdata[i])->id, expected->pdata[i]));
}

static void
test_closest (void)
{
  for (guint t = 0; t < 20; t++)
    {
      g_autoptr(GBytes) target_id = kad_test_peer_id (10000 + t);
      SatoriKadKey target;
      satori_kad_key_init_from_bytes (&target, target_id);
      guint asker = (t * 37) % N_PEERS;
      g_autoptr(SatoriKadQuery) query = start (asker, &target, &default_config);
      guint sent = run (query, &target, NULL, default_config.alpha);
      assert_found (query, &target, asker, 20, NULL);
      /* Bounded work: the k closest, plus what the walk there took. */
      g_assert_cmpuint (sent, <, 80);
      g_assert_cmpuint (satori_kad_query_get_hops (query), >=, 1);
      g_assert_cmpuint (satori_kad_query_get_hops (query), <=, 4);
      g_assert_cmpuint (satori_kad_query_get_n_known (query), <=, 2 * default_config.max_candidates);
    }
}

static gboolean
one_in_five_silent (guint peer)
{
  return peer % 5 == 1;
}

static void
test_silent_peers (void)
{
  for (guint t = 0; t < 10; t++)
    {
      g_autoptr(GBytes) target_id = kad_test_peer_id (20000 + t);
      SatoriKadKey target;
      satori_kad_key_init_from_bytes (&target, target_id);
      guint asker = 5 * t;   /* not silent itself */
      g_autoptr(SatoriKadQuery) query = start (asker, &target, &default_config);
      run (query, &target, one_in_five_silent, default_config.alpha);
      assert_found (query, &target, asker, 20, one_in_five_silent);
    }
}

static void
test_no_seeds (void)
{
  SatoriKadKey target = { { 0 } };
  g_autoptr(GBytes) id = kad_test_peer_id (0);
  g_autoptr(GPtrArray) none = satori_kad_peer_array_new ();
  g_autoptr(SatoriKadQuery) query = satori_kad_query_new (&target, &default_config, id, none);
  g_assert_true (satori_kad_query_is_finished (query));
  g_assert_null (satori_kad_query_next (query));
  g_assert_cmpuint (satori_kad_query_get_hops (query), ==, 0);

  /* Answers from peers never asked are ignored. */
  g_autoptr(GBytes) stranger = kad_test_peer_id (1);
  g_assert_false (satori_kad_query_succeeded (query, stranger, NULL));
}

/* A liar answers with peers that do not exist; the candidate list stays
 * bounded and the lookup still ends. */
static void
test_liars (void)
{
  g_autoptr(GBytes) target_id = kad_test_peer_id (30000);
  SatoriKadKey target;
  satori_kad_key_init_from_bytes (&target, target_id);
  g_autoptr(SatoriKadQuery) query = start (0, &target, &default_config);
  guint fake = 1000000;
  guint rounds = 0;

  while (!satori_kad_query_is_finished (query))
    {
      g_autoptr(SatoriKadPeer) asked = satori_kad_query_next (query);
      g_assert_nonnull (asked);
      if (g_hash_table_contains (index_of, asked->id))
        {
          g_autoptr(GPtrArray) lies = satori_kad_peer_array_new ();
          for (guint i = 0; i < 20; i++)
            g_ptr_array_add (lies, kad_test_peer (fake++));
          satori_kad_query_succeeded (query, asked->id, lies);
        }
      else
        satori_kad_query_failed (query, asked->id);
      g_assert_cmpuint (satori_kad_query_get_n_known (query), <=,
                        default_config.max_candidates + satori_kad_query_get_n_requests (query));
      g_assert_cmpuint (++rounds, <, 10000);
    }
}

static void
test_disjoint (void)
{
  SatoriKadQueryConfig config = default_config;
  config.disjoint_paths = 3;
  for (guint t = 0; t < 10; t++)
    {
      g_autoptr(GBytes) target_id = kad_test_peer_id (40000 + t);
      SatoriKadKey target;
      satori_kad_key_init_from_bytes (&target, target_id);
      g_autoptr(SatoriKadQuery) query = start (t, &target, &config);
      run (query, &target, NULL, config.alpha * config.disjoint_paths);
      assert_found (query, &target, t, 20, NULL);
    }
}

/* Peers 1 to @n as seeds, in the order the lookup asks them. */
static SatoriKadQuery *
small_query (const SatoriKadQueryConfig *config, guint n, GPtrArray **order_out)
{
  g_autoptr(GBytes) target_id = kad_test_peer_id (50000);
  g_autoptr(GBytes) local = kad_test_peer_id (0);
  SatoriKadKey target;
  satori_kad_key_init_from_bytes (&target, target_id);
  g_autoptr(GPtrArray) seeds = satori_kad_peer_array_new ();
  for (guint i = 1; i <= n; i++)
    g_ptr_array_add (seeds, kad_test_peer (i));
  g_ptr_array_sort_with_data (seeds, kad_test_compare_peers, &target);
  *order_out = g_ptr_array_ref (seeds);
  return satori_kad_query_new (&target, config, local, seeds);
}

static void
assert_next (SatoriKadQuery *query, SatoriKadPeer *expected)
{
  g_autoptr(SatoriKadPeer) next = satori_kad_query_next (query);
  if (expected == NULL)
    g_assert_null (next);
  else
    g_assert_true (next != NULL && g_bytes_equal (next->id, expected->id));
}

/* A slow peer gives its alpha slot to the next closest, at most max_slow
 * of them per path; a failure frees a slow place again. */
static void
test_slow_peers (void)
{
  SatoriKadQueryConfig config = { .k = 20, .alpha = 2, .disjoint_paths = 1,
                                  .max_candidates = 100, .max_slow = 1 };
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(SatoriKadQuery) query = small_query (&config, 6, &order);
  SatoriKadPeer **p = (SatoriKadPeer **) order->pdata;

  assert_next (query, p[0]);
  assert_next (query, p[1]);
  assert_next (query, NULL);
  g_assert_true (satori_kad_query_slow (query, p[0]->id));
  assert_next (query, p[2]);
  assert_next (query, NULL);
  g_assert_false (satori_kad_query_slow (query, p[0]->id));   /* already slow */
  g_assert_false (satori_kad_query_slow (query, p[1]->id));   /* max_slow reached */
  assert_next (query, NULL);
  satori_kad_query_failed (query, p[0]->id);
  g_assert_true (satori_kad_query_slow (query, p[1]->id));
  assert_next (query, p[3]);
  assert_next (query, NULL);
  g_assert_false (satori_kad_query_slow (query, p[5]->id));   /* never asked */
  g_assert_cmpuint (satori_kad_query_get_n_requests (query), ==, 4);
}

/* The lookup does not wait for slow peers before it ends, and a slow
 * peer's late answer counts like any other. */
static void
test_slow_answer (void)
{
  SatoriKadQueryConfig config = { .k = 20, .alpha = 3, .disjoint_paths = 1,
                                  .max_candidates = 100, .max_slow = 3 };
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(SatoriKadQuery) query = small_query (&config, 3, &order);
  SatoriKadPeer **p = (SatoriKadPeer **) order->pdata;

  for (guint i = 0; i < 3; i++)
    assert_next (query, p[i]);
  g_assert_true (satori_kad_query_succeeded (query, p[1]->id, NULL));
  g_assert_true (satori_kad_query_slow (query, p[0]->id));
  g_assert_false (satori_kad_query_is_finished (query));      /* p[2] is waited for */
  g_autoptr(GPtrArray) named = satori_kad_peer_array_new ();
  g_ptr_array_add (named, kad_test_peer (7));
  g_assert_true (satori_kad_query_succeeded (query, p[0]->id, named));
  g_autoptr(SatoriKadPeer) seven = kad_test_peer (7);
  assert_next (query, seven);
  g_assert_true (satori_kad_query_succeeded (query, seven->id, NULL));
  g_assert_true (satori_kad_query_slow (query, p[2]->id));
  g_assert_true (satori_kad_query_is_finished (query));
  g_autoptr(GPtrArray) closest = satori_kad_query_get_closest (query, 20);
  g_assert_cmpuint (closest->len, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("The iterative DHT lookup against 300 routing tables");

  index_of = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                    (GDestroyNotify) g_bytes_unref, NULL);
  for (guint n = 0; n < N_PEERS; n++)
    {
      g_autoptr(GBytes) id = kad_test_peer_id (n);
      tables[n] = satori_kad_routing_table_new (id, 20, 0, 0);
      g_hash_table_insert (index_of, g_bytes_ref (id), GUINT_TO_POINTER (n + 1));
    }
  for (guint n = 0; n < N_PEERS; n++)
    for (guint m = 0; m < N_PEERS; m++)
      {
        g_autoptr(SatoriKadPeer) peer = kad_test_peer (m);
        satori_kad_routing_table_update (tables[n], peer, 0, NULL);
      }

  g_test_add_func ("/kad/query/closest", test_closest);
  g_test_add_func ("/kad/query/silent-peers", test_silent_peers);
  g_test_add_func ("/kad/query/no-seeds", test_no_seeds);
  g_test_add_func ("/kad/query/liars", test_liars);
  g_test_add_func ("/kad/query/disjoint", test_disjoint);
  g_test_add_func ("/kad/query/slow-peers", test_slow_peers);
  g_test_add_func ("/kad/query/slow-answer", test_slow_answer);
  int rc = g_test_run ();

  for (guint n = 0; n < N_PEERS; n++)
    satori_kad_routing_table_free (tables[n]);
  g_hash_table_unref (index_of);
  return rc;
}
