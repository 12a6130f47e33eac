/* satori-sim-topology.h: who is connected to whom at the start of a run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-sim-network.h"

G_BEGIN_DECLS

/* A random graph in which nearly every node has @degree links (the
 * configuration model: @degree stubs per node paired at random, self-links
 * and repeats skipped), drawn from the network's PRNG. Returns the number
 * of links made. */
guint     satori_sim_topology_random (SatoriSimNetwork *network, guint degree);
/* The same among the nodes @first … @first + @n - 1 only. */
guint     satori_sim_topology_random_range (SatoriSimNetwork *network, guint first, guint n,
                                            guint degree);
/* Each node of @first … @first + @n - 1 dials @k distinct random nodes of
 * @target_first … @target_first + @target_n - 1 (all of them if fewer). */
guint     satori_sim_topology_attach_range (SatoriSimNetwork *network, guint first, guint n,
                                            guint target_first, guint target_n, guint k);
/* Every node linked to every other. Returns the number of links made. */
guint     satori_sim_topology_full (SatoriSimNetwork *network);
/* Hops from @source to each node over live links, G_MAXUINT when
 * unreachable or departed; free with g_free(). */
guint    *satori_sim_topology_hops (SatoriSimNetwork *network, guint source);

G_END_DECLS
