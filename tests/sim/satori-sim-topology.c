/* satori-sim-topology.c: random and full graphs, breadth-first hop counts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-topology.h"

guint
satori_sim_topology_random (SatoriSimNetwork *network, guint degree)
{
  guint n = satori_sim_network_get_n_nodes (network);
  SatoriSimRng *rng = satori_sim_network_get_rng (network);
  gsize n_stubs = (gsize) n * degree;
  g_autofree guint *stubs = g_new (guint, n_stubs + 1);
  guint links = 0;

  for (gsize i = 0; i < n_stubs; i++)
    stubs[i] = i / degree;
  /* Fisher–Yates. */
  for (gsize i = n_stubs; i > 1; i--)
    {
      gsize j = satori_sim_rng_below (rng, i);
      guint t = stubs[i - 1];
      stubs[i - 1] = stubs[j];
      stubs[j] = t;
    }
  for (gsize i = 0; i + 1 < n_stubs; i += 2)
    links += satori_sim_network_connect (network, stubs[i], stubs[i + 1], NULL);
  return links;
}

guint
satori_sim_topology_full (SatoriSimNetwork *network)
{
  guint n = satori_sim_network_get_n_nodes (network);
  guint links = 0;

  for (guint a = 0; a < n; a++)
    for (guint b = a + 1; b < n; b++)
      links += satori_sim_network_connect (network, a, b, NULL);
  return links;
}

guint *
satori_sim_topology_hops (SatoriSimNetwork *network, guint source)
{
  guint n = satori_sim_network_get_n_nodes (network);
  guint *hops = g_new (guint, n);
  g_autofree guint *queue = g_new (guint, n);
  guint head = 0, tail = 0;

  for (guint i = 0; i < n; i++)
    hops[i] = G_MAXUINT;
  if (satori_sim_network_get_node (network, source)->departed)
    return hops;
  hops[source] = 0;
  queue[tail++] = source;
  while (head < tail)
    {
      guint node = queue[head++];
      guint n_peers;
      g_autofree guint *peers = satori_sim_network_get_peers (network, node, &n_peers);
      for (guint i = 0; i < n_peers; i++)
        {
          guint peer = peers[i];
          if (hops[peer] != G_MAXUINT || satori_sim_network_get_node (network, peer)->departed)
            continue;
          hops[peer] = hops[node] + 1;
          queue[tail++] = peer;
        }
    }
  return hops;
}
