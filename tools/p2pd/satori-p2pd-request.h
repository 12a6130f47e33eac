/* satori-p2pd-request.h — control requests of the libp2p daemon protocol:
 * decoded and checked, and the responses to them encoded
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satorip2p.h"

G_BEGIN_DECLS

/* The largest request accepted, varint prefix not counted. */
#define SATORI_P2PD_MAX_REQUEST_SIZE (64 * 1024)

/**
 * SatoriP2pdRequestType:
 * @SATORI_P2PD_REQUEST_IDENTIFY: our peer id and listen addresses
 * @SATORI_P2PD_REQUEST_CONNECT: connect to a peer
 * @SATORI_P2PD_REQUEST_STREAM_OPEN: open a stream; the control connection becomes it
 * @SATORI_P2PD_REQUEST_STREAM_HANDLER: route inbound streams to the client
 * @SATORI_P2PD_REQUEST_DHT: a DHT query
 * @SATORI_P2PD_REQUEST_LIST_PEERS: the connected peers
 * @SATORI_P2PD_REQUEST_CONNMANAGER: a connection manager command
 * @SATORI_P2PD_REQUEST_DISCONNECT: close the connections to a peer
 * @SATORI_P2PD_REQUEST_PUBSUB: a pubsub command
 * @SATORI_P2PD_REQUEST_PEERSTORE: go's persistent connection upgrade, or
 *   the js client's peerstore query (both use the number 9)
 * @SATORI_P2PD_REQUEST_REMOVE_STREAM_HANDLER: stop routing protocols to the client
 *
 * The request types, with the numbers of `p2pd.proto`.
 */
typedef enum {
  SATORI_P2PD_REQUEST_IDENTIFY = 0,
  SATORI_P2PD_REQUEST_CONNECT = 1,
  SATORI_P2PD_REQUEST_STREAM_OPEN = 2,
  SATORI_P2PD_REQUEST_STREAM_HANDLER = 3,
  SATORI_P2PD_REQUEST_DHT = 4,
  SATORI_P2PD_REQUEST_LIST_PEERS = 5,
  SATORI_P2PD_REQUEST_CONNMANAGER = 6,
  SATORI_P2PD_REQUEST_DISCONNECT = 7,
  SATORI_P2PD_REQUEST_PUBSUB = 8,
  SATORI_P2PD_REQUEST_PEERSTORE = 9,
  SATORI_P2PD_REQUEST_REMOVE_STREAM_HANDLER = 10,
} SatoriP2pdRequestType;

/**
 * SatoriP2pdPubsubType:
 * @SATORI_P2PD_PUBSUB_GET_TOPICS: the topics we subscribe to
 * @SATORI_P2PD_PUBSUB_LIST_PEERS: the peers on a topic
 * @SATORI_P2PD_PUBSUB_PUBLISH: publish on a topic
 * @SATORI_P2PD_PUBSUB_SUBSCRIBE: subscribe; the connection then carries
 *   the topic's messages
 *
 * The PUBSUB request types, with the numbers of `p2pd.proto`.
 */
typedef enum {
  SATORI_P2PD_PUBSUB_GET_TOPICS = 0,
  SATORI_P2PD_PUBSUB_LIST_PEERS = 1,
  SATORI_P2PD_PUBSUB_PUBLISH = 2,
  SATORI_P2PD_PUBSUB_SUBSCRIBE = 3,
} SatoriP2pdPubsubType;

/**
 * SatoriP2pdDhtType:
 * @SATORI_P2PD_DHT_FIND_PEER: a peer's addresses
 * @SATORI_P2PD_DHT_FIND_PEERS_CONNECTED_TO_PEER: the peers a peer is
 *   connected to (no kad-dht query asks that: refused)
 * @SATORI_P2PD_DHT_FIND_PROVIDERS: the providers of a key, streamed
 * @SATORI_P2PD_DHT_GET_CLOSEST_PEERS: the peers closest to a key, streamed
 * @SATORI_P2PD_DHT_GET_PUBLIC_KEY: a peer's public key
 * @SATORI_P2PD_DHT_GET_VALUE: the best value of a record
 * @SATORI_P2PD_DHT_SEARCH_VALUE: the values of a record, better and
 *   better, streamed
 * @SATORI_P2PD_DHT_PUT_VALUE: store a record
 * @SATORI_P2PD_DHT_PROVIDE: announce that we provide a key
 *
 * The DHT request types, with the numbers of `p2pd.proto`.
 */
typedef enum {
  SATORI_P2PD_DHT_FIND_PEER = 0,
  SATORI_P2PD_DHT_FIND_PEERS_CONNECTED_TO_PEER = 1,
  SATORI_P2PD_DHT_FIND_PROVIDERS = 2,
  SATORI_P2PD_DHT_GET_CLOSEST_PEERS = 3,
  SATORI_P2PD_DHT_GET_PUBLIC_KEY = 4,
  SATORI_P2PD_DHT_GET_VALUE = 5,
  SATORI_P2PD_DHT_SEARCH_VALUE = 6,
  SATORI_P2PD_DHT_PUT_VALUE = 7,
  SATORI_P2PD_DHT_PROVIDE = 8,
} SatoriP2pdDhtType;

/**
 * SatoriP2pdRequest:
 * @type: what is asked
 * @peer: (nullable): the peer of CONNECT, DISCONNECT, STREAM_OPEN, and of
 *   the DHT's FIND_PEER, FIND_PEERS_CONNECTED_TO_PEER and GET_PUBLIC_KEY
 * @addresses: (element-type SatoriMultiaddr): CONNECT's addresses (may be empty)
 * @handler_address: (nullable): where STREAM_HANDLER's client listens
 *   (also given, and ignored, in REMOVE_STREAM_HANDLER)
 * @protocols: (nullable): the protocols of STREAM_OPEN, STREAM_HANDLER and
 *   REMOVE_STREAM_HANDLER, never empty for those
 * @timeout_seconds: CONNECT's, STREAM_OPEN's and DHT's timeout, 0 for the
 *   default
 * @pubsub_type: what a PUBSUB request asks
 * @topic: (nullable): PUBSUB's topic: set for PUBLISH and SUBSCRIBE, and
 *   for LIST_PEERS when given
 * @data: (nullable): PUBLISH's payload, or the value of a DHT PUT_VALUE
 * @dht_type: what a DHT request asks
 * @key: (nullable): the DHT key: the record's (GET_VALUE, SEARCH_VALUE,
 *   PUT_VALUE, GET_CLOSEST_PEERS), or the provider key a CID names
 *   (FIND_PROVIDERS, PROVIDE; see satori_p2pd_cid_to_key())
 * @count: the most providers FIND_PROVIDERS wants, 0 for the default
 *
 * A request that decoded and carries what its type needs. Requests of
 * types this daemon does not serve decode with only @type set.
 */
typedef struct
{
  SatoriP2pdRequestType type;
  SatoriPeerId *peer;
  GPtrArray *addresses;
  SatoriMultiaddr *handler_address;
  GStrv protocols;
  gint64 timeout_seconds;
  SatoriP2pdPubsubType pubsub_type;
  char *topic;
  GBytes *data;
  SatoriP2pdDhtType dht_type;
  GBytes *key;
  guint count;
} SatoriP2pdRequest;

SatoriP2pdRequest *satori_p2pd_request_decode (const guint8  *data,
                                               gsize          len,
                                               GError       **error);
void               satori_p2pd_request_free (SatoriP2pdRequest *request);
const char        *satori_p2pd_request_type_unsupported (SatoriP2pdRequestType type);

GBytes *satori_p2pd_response_ok (void);
GBytes *satori_p2pd_response_error (const char *message);
GBytes *satori_p2pd_response_identify (SatoriPeerId *peer,
                                       GPtrArray    *addresses);
GBytes *satori_p2pd_response_peers (GPtrArray *connections);
GBytes *satori_p2pd_response_stream_info (SatoriPeerId    *peer,
                                          SatoriMultiaddr *address,
                                          const char      *protocol);
GBytes *satori_p2pd_response_pubsub (const char * const *topics,
                                     GPtrArray          *peers);
GBytes *satori_p2pd_pubsub_message (SatoriPubsubMessage *message);
GBytes *satori_p2pd_stream_info (SatoriPeerId    *peer,
                                 SatoriMultiaddr *address,
                                 const char      *protocol);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriP2pdRequest, satori_p2pd_request_free)

G_END_DECLS
