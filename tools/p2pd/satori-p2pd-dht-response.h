/* satori-p2pd-dht-response.h — the DHT answers of the libp2p daemon
 * protocol: single ones in a `Response`, streamed ones as bare
 * `DHTResponse`s after a `Response` carrying BEGIN
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satorip2p.h"

G_BEGIN_DECLS

/**
 * SatoriP2pdDhtResponseType:
 * @SATORI_P2PD_DHT_BEGIN: a stream of values follows
 * @SATORI_P2PD_DHT_VALUE: a value (a peer, bytes)
 * @SATORI_P2PD_DHT_END: the stream ended
 *
 * The `DHTResponse` types, with the numbers of `p2pd.proto`.
 */
typedef enum {
  SATORI_P2PD_DHT_BEGIN = 0,
  SATORI_P2PD_DHT_VALUE = 1,
  SATORI_P2PD_DHT_END = 2,
} SatoriP2pdDhtResponseType;

GBytes *satori_p2pd_response_dht (SatoriP2pdDhtResponseType  type,
                                  SatoriPeerInfo            *peer,
                                  GBytes                    *value);
GBytes *satori_p2pd_dht_item (SatoriP2pdDhtResponseType  type,
                              SatoriPeerInfo            *peer,
                              GBytes                    *value);

G_END_DECLS
