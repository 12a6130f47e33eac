/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kad-test-util.h"

#include "satori-crypto.h"

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
