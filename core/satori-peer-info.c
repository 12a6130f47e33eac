/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-peer-info.h"

#include "satori-multiaddr.h"
#include "satori-peer-id.h"

/**
 * SatoriPeerInfo:
 *
 * A peer and the addresses it is reachable at, as discovery finds it.
 * Immutable.
 */
struct _SatoriPeerInfo
{
  gatomicrefcount ref_count;
  SatoriPeerId *peer_id;
  GPtrArray *addresses;
};

G_DEFINE_BOXED_TYPE (SatoriPeerInfo, satori_peer_info, satori_peer_info_ref,
                     satori_peer_info_unref)

/**
 * satori_peer_info_new:
 * @peer_id: the peer
 * @addresses: (nullable) (element-type SatoriMultiaddr): its addresses; copied
 *
 * Returns: (transfer full): a new #SatoriPeerInfo
 */
SatoriPeerInfo *
satori_peer_info_new (SatoriPeerId *peer_id, GPtrArray *addresses)
{
  g_return_val_if_fail (peer_id != NULL, NULL);

  SatoriPeerInfo *info = g_new0 (SatoriPeerInfo, 1);
  g_atomic_ref_count_init (&info->ref_count);
  info->peer_id = satori_peer_id_ref (peer_id);
  info->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  for (guint i = 0; addresses != NULL && i < addresses->len; i++)
    g_ptr_array_add (info->addresses, satori_multiaddr_ref (g_ptr_array_index (addresses, i)));
  return info;
}

/**
 * satori_peer_info_ref:
 * @info: a #SatoriPeerInfo
 *
 * Returns: (transfer full): @info
 */
SatoriPeerInfo *
satori_peer_info_ref (SatoriPeerInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  g_atomic_ref_count_inc (&info->ref_count);
  return info;
}

/**
 * satori_peer_info_unref:
 * @info: (transfer full): a #SatoriPeerInfo
 *
 * Drops a reference.
 */
void
satori_peer_info_unref (SatoriPeerInfo *info)
{
  g_return_if_fail (info != NULL);
  if (!g_atomic_ref_count_dec (&info->ref_count))
    return;
  satori_peer_id_unref (info->peer_id);
  g_ptr_array_unref (info->addresses);
  g_free (info);
}

/**
 * satori_peer_info_get_peer_id:
 * @info: a #SatoriPeerInfo
 *
 * Returns: (transfer none): the peer
 */
SatoriPeerId *
satori_peer_info_get_peer_id (const SatoriPeerInfo *info)
{
  return info->peer_id;
}

/**
 * satori_peer_info_get_addresses:
 * @info: a #SatoriPeerInfo
 *
 * Returns: (transfer none) (element-type SatoriMultiaddr): its addresses
 */
GPtrArray *
satori_peer_info_get_addresses (const SatoriPeerInfo *info)
{
  return info->addresses;
}
