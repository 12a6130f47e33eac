/* Tests of the seen cache: ids are remembered for the TTL from when they
 * were first seen, then forgotten, and the cache shrinks again.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-pubsub-seen-cache.h"

static void
test_ttl (void)
{
  g_autoptr(SatoriPubsubSeenCache) cache = satori_pubsub_seen_cache_new (10);
  g_autoptr(GBytes) a = g_bytes_new_static ("a", 1);
  g_autoptr(GBytes) b = g_bytes_new_static ("b", 1);

  g_assert_true (satori_pubsub_seen_cache_add (cache, a, 0));
  g_assert_false (satori_pubsub_seen_cache_add (cache, a, 5));   /* does not renew */
  g_assert_true (satori_pubsub_seen_cache_add (cache, b, 5));
  g_assert_true (satori_pubsub_seen_cache_contains (cache, a, 9));
  g_assert_false (satori_pubsub_seen_cache_contains (cache, a, 10));
  g_assert_true (satori_pubsub_seen_cache_contains (cache, b, 10));
  g_assert_cmpuint (satori_pubsub_seen_cache_size (cache), ==, 1);
  g_assert_true (satori_pubsub_seen_cache_add (cache, a, 11));
  satori_pubsub_seen_cache_expire (cache, 100);
  g_assert_cmpuint (satori_pubsub_seen_cache_size (cache), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pubsub/seen-cache/ttl", test_ttl);
  return g_test_run ();
}
