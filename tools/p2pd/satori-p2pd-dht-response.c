/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-p2pd-dht-response.h"

#include "p2pd.pb-c.h"
#include "satori-p2pd-pack.h"

static void
fill (P2pd__Pb__DHTResponse *dht, P2pd__Pb__PeerInfo *info, SatoriP2pdDhtResponseType type,
      SatoriPeerInfo *peer, GBytes *value, SatoriP2pdKeep *keep)
{
  dht->has_type = TRUE;
  dht->type = (P2pd__Pb__DHTResponse__Type) type;
  if (peer != NULL)
    {
      info->has_id = TRUE;
      satori_p2pd_keep_set_bytes (keep, &info->id,
                                  satori_peer_id_get_bytes (satori_peer_info_get_peer_id (peer)));
      satori_p2pd_keep_set_addresses (keep, &info->addrs, &info->n_addrs,
                                      satori_peer_info_get_addresses (peer));
      dht->peer = info;
    }
  if (value != NULL)
    {
      dht->has_value = TRUE;
      satori_p2pd_keep_set_bytes (keep, &dht->value, value);
    }
}

/**
 * satori_p2pd_response_dht:
 * @type: BEGIN for a stream, VALUE for a single answer
 * @peer: (nullable): the peer answered (FIND_PEER)
 * @value: (nullable): the bytes answered (GET_VALUE, GET_PUBLIC_KEY)
 *
 * Returns: (transfer full): a delimited `Response{type=OK}` with a
 *   `DHTResponse`
 */
GBytes *
satori_p2pd_response_dht (SatoriP2pdDhtResponseType type, SatoriPeerInfo *peer, GBytes *value)
{
  P2pd__Pb__Response response = P2PD__PB__RESPONSE__INIT;
  P2pd__Pb__DHTResponse dht = P2PD__PB__DHTRESPONSE__INIT;
  P2pd__Pb__PeerInfo info = P2PD__PB__PEER_INFO__INIT;
  g_auto(SatoriP2pdKeep) keep;

  satori_p2pd_keep_init (&keep);
  fill (&dht, &info, type, peer, value, &keep);
  response.has_type = TRUE;
  response.type = P2PD__PB__RESPONSE__TYPE__OK;
  response.dht = &dht;
  return satori_protobuf_pack_delimited (&response.base);
}

/**
 * satori_p2pd_dht_item:
 * @type: VALUE within a stream, or END
 * @peer: (nullable): a peer found (FIND_PROVIDERS)
 * @value: (nullable): bytes found (SEARCH_VALUE; GET_CLOSEST_PEERS's
 *   peer ids)
 *
 * Returns: (transfer full): a delimited bare `DHTResponse`, as streams
 *   carry them after BEGIN (go-libp2p-daemon's behaviour)
 */
GBytes *
satori_p2pd_dht_item (SatoriP2pdDhtResponseType type, SatoriPeerInfo *peer, GBytes *value)
{
  P2pd__Pb__DHTResponse dht = P2PD__PB__DHTRESPONSE__INIT;
  P2pd__Pb__PeerInfo info = P2PD__PB__PEER_INFO__INIT;
  g_auto(SatoriP2pdKeep) keep;

  satori_p2pd_keep_init (&keep);
  fill (&dht, &info, type, peer, value, &keep);
  return satori_protobuf_pack_delimited (&dht.base);
}
