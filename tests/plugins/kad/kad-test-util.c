/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kad-test-util.h"

#include "satori-crypto.h"
#include "satori-kad-error.h"

/* A SHA-256 multihash peer id (as RSA keys give), derived from @n. */
GBytes *
kad_test_peer_id (guint n)
{
  g_autofree char *seed = g_strdup_printf ("peer-%u", n);
  guint8 id[34] = { 0x12, 0x20 };
  satori_crypto_sha256 ((const guint8 *) seed, strlen (seed), id + 2);
  return g_bytes_new (id, sizeof id);
}

/* Peer @n with one made-up address (/ip4/10.0.x.y/tcp/4001 in binary). */
SatoriKadPeer *
kad_test_peer (guint n)
{
  g_autoptr(GBytes) id = kad_test_peer_id (n);
  guint8 addr[] = { 0x04, 10, 0, (guint8) (n >> 8), (guint8) n, 0x06, 0x0f, 0xa1 };
  g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (addrs, g_bytes_new (addr, sizeof addr));
  return satori_kad_peer_new (id, addrs, SATORI_KAD_NOT_CONNECTED);
}

/* xorshift32: deterministic, seeded by the test. */
guint32
kad_test_random_u32 (gpointer state)
{
  guint32 *x = state;
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  return *x;
}

SatoriKadProvider
kad_test_provider (guint32 *state)
{
  return (SatoriKadProvider) { kad_test_random_u32, state };
}

/* For g_ptr_array_sort_with_data() on binary peer ids (GBytes *), closest
 * to @target (a SatoriKadKey *) first. */
gint
kad_test_compare_ids (gconstpointer a, gconstpointer b, gpointer target)
{
  SatoriKadKey ka, kb;
  satori_kad_key_init_from_bytes (&ka, *(GBytes *const *) a);
  satori_kad_key_init_from_bytes (&kb, *(GBytes *const *) b);
  return satori_kad_key_compare_distance (target, &ka, &kb);
}

/* The same on SatoriKadPeer *. */
gint
kad_test_compare_peers (gconstpointer a, gconstpointer b, gpointer target)
{
  return kad_test_compare_ids (&(*(SatoriKadPeer *const *) a)->id,
                               &(*(SatoriKadPeer *const *) b)->id, target);
}

/* The "test" namespace of the tests: values start with 'v', and the
 * highest (bytewise) wins. */
gboolean
kad_test_validate_versioned (GBytes *key, GBytes *value, gpointer user_data, GError **error)
{
  if (g_bytes_get_size (value) > 0 && ((const char *) g_bytes_get_data (value, NULL))[0] == 'v')
    return TRUE;
  g_set_error_literal (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD, "no version");
  return FALSE;
}

guint
kad_test_select_highest (GBytes *key, GPtrArray *values, gpointer user_data)
{
  guint best = 0;
  for (guint i = 1; i < values->len; i++)
    if (g_bytes_compare (values->pdata[i], values->pdata[best]) > 0)
      best = i;
  return best;
}
