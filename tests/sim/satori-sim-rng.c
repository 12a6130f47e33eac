/* satori-sim-rng.c: xoshiro256** seeded through splitmix64
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-rng.h"

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
satori_sim_rng_init (SatoriSimRng *rng, guint64 seed)
{
  for (guint i = 0; i < G_N_ELEMENTS (rng->s); i++)
    rng->s[i] = splitmix64 (&seed);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
satori_sim_rng_next (SatoriSimRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

guint64
satori_sim_rng_below (SatoriSimRng *rng, guint64 bound)
{
  g_return_val_if_fail (bound > 0, 0);
  /* Rejection sampling keeps the draw unbiased. */
  guint64 limit = G_MAXUINT64 - G_MAXUINT64 % bound;
  guint64 x;
  do
    x = satori_sim_rng_next (rng);
  while (x >= limit);
  return x % bound;
}

double
satori_sim_rng_double (SatoriSimRng *rng)
{
  return (satori_sim_rng_next (rng) >> 11) * 0x1.0p-53;
}

guint32
satori_sim_rng_u32 (gpointer user_data)
{
  return satori_sim_rng_next (user_data) >> 32;
}
