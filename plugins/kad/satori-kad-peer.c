/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-kad-peer.h"

/**
 * satori_kad_peer_new:
 * @id: the binary peer id
 * @addrs: (element-type GBytes) (nullable): binary multiaddrs, copied
 * @connection: the connection type
 *
 * Returns: (transfer full): a new peer entry
 */
SatoriKadPeer *
satori_kad_peer_new (GBytes *id, GPtrArray *addrs, SatoriKadConnection connection)
{
  g_return_val_if_fail (id != NULL, NULL);

  SatoriKadPeer *peer = g_atomic_rc_box_new0 (SatoriKadPeer);
  peer->id = g_bytes_ref (id);
  peer->addrs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; addrs != NULL && i < addrs->len; i++)
    g_ptr_array_add (peer->addrs, g_bytes_ref (addrs->pdata[i]));
  peer->connection = connection;
  return peer;
}

/**
 * satori_kad_peer_ref:
 * @peer: a #SatoriKadPeer
 *
 * Returns: (transfer full): @peer
 */
SatoriKadPeer *
satori_kad_peer_ref (SatoriKadPeer *peer)
{
  return g_atomic_rc_box_acquire (peer);
}

static void
peer_clear (SatoriKadPeer *peer)
{
  g_bytes_unref (peer->id);
  g_ptr_array_unref (peer->addrs);
}

/**
 * satori_kad_peer_unref:
 * @peer: (transfer full): a #SatoriKadPeer
 */
void
satori_kad_peer_unref (SatoriKadPeer *peer)
{
  g_atomic_rc_box_release_full (peer, (GDestroyNotify) peer_clear);
}

/**
 * satori_kad_peer_array_new:
 *
 * Returns: (transfer full) (element-type SatoriKadPeer): an empty array
 *   that unrefs its peers
 */
GPtrArray *
satori_kad_peer_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) satori_kad_peer_unref);
}
