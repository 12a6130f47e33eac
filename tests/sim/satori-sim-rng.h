/* satori-sim-rng.h: a small seeded PRNG for the simulator (xoshiro256**)
 *
 * Each user holds its own state, so runs are reproducible from one seed and
 * nothing is global. Not for cryptography.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
} SatoriSimRng;

void    satori_sim_rng_init (SatoriSimRng *rng, guint64 seed);
guint64 satori_sim_rng_next (SatoriSimRng *rng);
/* Uniform in [0, bound); @bound > 0. */
guint64 satori_sim_rng_below (SatoriSimRng *rng, guint64 bound);
/* Uniform in [0, 1). */
double  satori_sim_rng_double (SatoriSimRng *rng);
/* A SatoriPubsubCoreProvider-shaped callback: @user_data is a SatoriSimRng. */
guint32 satori_sim_rng_u32 (gpointer user_data);

G_END_DECLS
