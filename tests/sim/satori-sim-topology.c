/* satori-sim-topology.c: random and full graphs, breadth-first hop counts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-topology.h"

guint
satori_sim_topology_random (SatoriSimNetwork *network, guint degree)
{
  return satori_sim_topology_random_range (network, 0, satori_sim_network_get_n_nodes (network),
                                           degree);
}

guint
satori_sim_topology_random_range (SatoriSimNetwork *network, guint first, guint n, guint degree)
{
  g_return_val_if_fail (first + n <= satori_sim_network_get_n_nodes (network), 0);
  if (degree == 0)
    return 0;
  SatoriSimRng *rng = satori_sim_network_get_rng (network);
  gsize n_stubs = (gsize) n * degree;
  g_autofree guint *stubs = g_new (guint, n_stubs + 1);
  guint links = 0;

  for (gsize i = 0; i < n_stubs; i++)
    stubs[i] = first + i / degree;
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
satori_sim_topology_attach_range (SatoriSimNetwork *network, guint first, guint n,
                                  guint target_first, guint target_n, guint k)
{
  g_return_val_if_fail (first + n <= satori_sim_network_get_n_nodes (network), 0);
  g_return_val_if_fail (target_first + target_n <= satori_sim_network_get_n_nodes (network), 0);
  SatoriSimRng *rng = satori_sim_network_get_rng (network);
  g_autofree guint *targets = g_new (guint, target_n + 1);
  guint links = 0;

  for (guint i = 0; i < target_n; i++)
    targets[i] = target_first + i;
  for (guint node = first; node < first + n; node++)
    {
      /* A partial Fisher–Yates shuffle draws k distinct targets. */
      guint made = 0;
      for (guint i = 0; i < target_n && made < k; i++)
        {
          guint j = i + satori_sim_rng_below (rng, target_n - i);
          guint t = targets[i];
          targets[i] = targets[j];
          targets[j] = t;
          if (satori_sim_network_connect (network, node, targets[i], NULL))
            made++;
        }
      links += made;
    }
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
