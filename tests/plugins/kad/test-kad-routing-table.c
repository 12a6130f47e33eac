/* The k-bucket routing table: closest peers, full buckets with liveness
 * checks and replacements, stale bucket refresh.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kad-test-util.h"

static GBytes *local_id;
static SatoriKadKey local_key;

static guint
cpl_of (guint n)
{
  g_autoptr(GBytes) id = kad_test_peer_id (n);
  SatoriKadKey key;
  satori_kad_key_init_from_bytes (&key, id);
  return satori_kad_key_common_prefix_length (&local_key, &key);
}

static void
test_closest (void)
{
  g_autoptr(SatoriKadRoutingTable) table = satori_kad_routing_table_new (local_id, 20, 5, 0);
  g_autoptr(GPtrArray) kept = satori_kad_peer_array_new ();

  for (guint n = 1; n <= 300; n++)
    {
      g_autoptr(SatoriKadPeer) peer = kad_test_peer (n);
      satori_kad_routing_table_update (table, peer, n, NULL);
    }
  for (guint n = 1; n <= 300; n++)
    {
      g_autoptr(GBytes) id = kad_test_peer_id (n);
      if (satori_kad_routing_table_contains (table, id))
        g_ptr_array_add (kept, kad_test_peer (n));
    }
  /* Bucket 0 holds half the key space but only k peers. */
  g_assert_cmpuint (satori_kad_routing_table_get_bucket_size (table, 0), ==, 20);
  g_assert_cmpuint (satori_kad_routing_table_get_size (table), ==, kept->len);
  g_assert_cmpuint (kept->len, <, 300);

  for (guint t = 1000; t < 1020; t++)
    {
      g_autoptr(GBytes) target_id = kad_test_peer_id (t);
      SatoriKadKey target;
      satori_kad_key_init_from_bytes (&target, target_id);
      g_autoptr(GPtrArray) closest = satori_kad_routing_table_closest (table, &target, 20, NULL);
      g_ptr_array_sort_with_data (kept, kad_test_compare_peers, &target);
      g_assert_cmpuint (closest->len, ==, 20);
      for (guint i = 0; i < closest->len; i++)
        g_assert_true (g_bytes_equal (((SatoriKadPeer *) closest->pdata[i])->id,
                                      ((SatoriKadPeer *) kept->pdata[i])->id));
    }

  /* The asking peer is left out; our own id is never stored. */
  SatoriKadPeer *first = kept->pdata[0];
  SatoriKadKey first_key;
  satori_kad_key_init_from_bytes (&first_key, first->id);
  g_autoptr(GPtrArray) without = satori_kad_routing_table_closest (table, &first_key, 1, first->id);
  g_assert_false (g_bytes_equal (((SatoriKadPeer *) without->pdata[0])->id, first->id));
  g_autoptr(SatoriKadPeer) self = satori_kad_peer_new (local_id, NULL, SATORI_KAD_CONNECTED);
  g_assert_cmpint (satori_kad_routing_table_update (table, self, 0, NULL), ==,
                   SATORI_KAD_UPDATE_IGNORED);
}

/* Peers numbered from @start that land in bucket 0. */
static guint
next_in_bucket0 (guint start)
{
  while (cpl_of (start) != 0)
    start++;
  return start;
}

static void
test_full_bucket (void)
{
  g_autoptr(SatoriKadRoutingTable) table = satori_kad_routing_table_new (local_id, 2, 2, 0);
  guint p[5];
  p[0] = next_in_bucket0 (1);
  for (guint i = 1; i < 5; i++)
    p[i] = next_in_bucket0 (p[i - 1] + 1);

  SatoriKadPeer *check = NULL;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SatoriKadPeer) peer = kad_test_peer (p[i]);
      g_assert_cmpint (satori_kad_routing_table_update (table, peer, i, &check), ==,
                       SATORI_KAD_UPDATE_ADDED);
      g_assert_null (check);
    }

  /* Full: p2 waits, p0 (least recently seen) is to be checked, once. */
  g_autoptr(SatoriKadPeer) peer2 = kad_test_peer (p[2]);
  g_assert_cmpint (satori_kad_routing_table_update (table, peer2, 10, &check), ==,
                   SATORI_KAD_UPDATE_PENDING);
  g_assert_nonnull (check);
  g_autoptr(GBytes) id0 = kad_test_peer_id (p[0]);
  g_assert_true (g_bytes_equal (check->id, id0));
  g_clear_pointer (&check, satori_kad_peer_unref);
  g_autoptr(SatoriKadPeer) peer3 = kad_test_peer (p[3]);
  g_assert_cmpint (satori_kad_routing_table_update (table, peer3, 11, &check), ==,
                   SATORI_KAD_UPDATE_PENDING);
  g_assert_null (check);

  /* p0 answers: it stays, the newcomers stay out. */
  satori_kad_routing_table_check_done (table, id0, TRUE, 12);
  g_assert_true (satori_kad_routing_table_contains (table, id0));
  g_assert_false (satori_kad_routing_table_contains (table, peer2->id));
  g_assert_false (satori_kad_routing_table_contains (table, peer3->id));

  /* Next newcomer: p1 is now least recently seen; it is gone, and the most
   * recent replacement (p4) takes its place. */
  g_autoptr(SatoriKadPeer) peer4 = kad_test_peer (p[4]);
  g_assert_cmpint (satori_kad_routing_table_update (table, peer4, 13, &check), ==,
                   SATORI_KAD_UPDATE_PENDING);
  g_autoptr(GBytes) id1 = kad_test_peer_id (p[1]);
  g_assert_true (g_bytes_equal (check->id, id1));
  g_clear_pointer (&check, satori_kad_peer_unref);
  satori_kad_routing_table_check_done (table, id1, FALSE, 14);
  g_assert_false (satori_kad_routing_table_contains (table, id1));
  g_assert_true (satori_kad_routing_table_contains (table, peer4->id));
  g_assert_cmpuint (satori_kad_routing_table_get_size (table), ==, 2);

  /* A seen peer is refreshed, not duplicated. */
  g_autoptr(SatoriKadPeer) again = kad_test_peer (p[0]);
  g_assert_cmpint (satori_kad_routing_table_update (table, again, 15, NULL), ==,
                   SATORI_KAD_UPDATE_REFRESHED);
  g_assert_cmpuint (satori_kad_routing_table_get_size (table), ==, 2);
}

static void
test_refresh (void)
{
  const gint64 interval = 600 * G_USEC_PER_SEC;
  guint32 seed = 7;
  SatoriKadProvider provider = kad_test_provider (&seed);
  g_autoptr(SatoriKadRoutingTable) table = satori_kad_routing_table_new (local_id, 20, 5, 0);
  guint cpl;

  g_assert_false (satori_kad_routing_table_next_stale (table, interval, interval, 15, &cpl));
  for (guint n = 1; n <= 100; n++)
    {
      g_autoptr(SatoriKadPeer) peer = kad_test_peer (n);
      satori_kad_routing_table_update (table, peer, 0, NULL);
    }
  g_assert_cmpint (satori_kad_routing_table_next_stale_time (table, interval, 15), ==, interval);
  g_assert_false (satori_kad_routing_table_next_stale (table, interval - 1, interval, 15, &cpl));

  /* Every bucket up to the deepest non-empty one goes stale, one by one. */
  guint refreshed = 0;
  while (satori_kad_routing_table_next_stale (table, interval, interval, 15, &cpl))
    {
      g_autoptr(GBytes) id = satori_kad_routing_table_random_id (table, cpl, &provider);
      SatoriKadKey key;
      satori_kad_key_init_from_bytes (&key, id);
      g_assert_cmpuint (satori_kad_key_common_prefix_length (&local_key, &key), ==, cpl);
      satori_kad_routing_table_mark_refreshed (table, cpl, interval);
      refreshed++;
    }
  g_assert_cmpuint (refreshed, >=, 4);
  g_assert_cmpuint (refreshed, <=, 16);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("The DHT routing table");
  local_id = kad_test_peer_id (0);
  satori_kad_key_init_from_bytes (&local_key, local_id);
  g_test_add_func ("/kad/routing-table/closest", test_closest);
  g_test_add_func ("/kad/routing-table/full-bucket", test_full_bucket);
  g_test_add_func ("/kad/routing-table/refresh", test_refresh);
  int rc = g_test_run ();
  g_bytes_unref (local_id);
  return rc;
}
