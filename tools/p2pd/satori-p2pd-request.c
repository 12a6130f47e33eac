/* satori-p2pd-request.c — control requests of the libp2p daemon protocol:
 * decoded and checked, and the responses to them encoded
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "satori-p2pd-request.h"
#include "satori-p2pd-cid.h"
#include "satori-p2pd-pack.h"
#include "p2pd.pb-c.h"

static gboolean
fail (GError **error, const char *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
  return FALSE;
}

/* Reports @cause (consumed) as invalid data, after @what. */
static gboolean
fail_with (GError **error, const char *what, GError *cause)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", what, cause->message);
  g_error_free (cause);
  return FALSE;
}

static gboolean
take_peer (SatoriP2pdRequest *request, protobuf_c_boolean has_peer,
           const ProtobufCBinaryData *peer, GError **error)
{
  if (!has_peer)
    return fail (error, _("The request names no peer"));
  GError *cause = NULL;
  request->peer = satori_peer_id_new_from_bytes (peer->data, peer->len, &cause);
  return request->peer != NULL || fail_with (error, _("Bad peer id"), cause);
}

static gboolean
take_protocols (SatoriP2pdRequest *request, char **protocols, gsize n_protocols, GError **error)
{
  if (n_protocols == 0)
    return fail (error, _("The request names no protocol"));
  for (gsize i = 0; i < n_protocols; i++)
    if (protocols[i][0] != '/' || !g_utf8_validate (protocols[i], -1, NULL))
      return fail (error, _("A protocol id must be UTF-8 and start with “/”"));
  /* protobuf-c's repeated strings are counted, not NULL-terminated. */
  request->protocols = g_new0 (char *, n_protocols + 1);
  for (gsize i = 0; i < n_protocols; i++)
    request->protocols[i] = g_strdup (protocols[i]);
  return TRUE;
}

static gboolean
take_handler_address (SatoriP2pdRequest *request, protobuf_c_boolean has_addr,
                      const ProtobufCBinaryData *addr, GError **error)
{
  if (!has_addr)
    return fail (error, _("The request names no address"));
  GError *cause = NULL;
  request->handler_address = satori_multiaddr_new_from_bytes (addr->data, addr->len, &cause);
  return request->handler_address != NULL || fail_with (error, _("Bad address"), cause);
}

static gboolean
take_connect (SatoriP2pdRequest *request, const P2pd__Pb__ConnectRequest *connect,
              GError **error)
{
  if (connect == NULL)
    return fail (error, _("CONNECT without its ConnectRequest"));
  if (!take_peer (request, connect->has_peer, &connect->peer, error))
    return FALSE;
  for (gsize i = 0; i < connect->n_addrs; i++)
    {
      GError *cause = NULL;
      SatoriMultiaddr *address = satori_multiaddr_new_from_bytes (connect->addrs[i].data,
                                                                  connect->addrs[i].len, &cause);
      if (address == NULL)
        return fail_with (error, _("Bad address"), cause);
      g_ptr_array_add (request->addresses, address);
    }
  request->timeout_seconds = connect->has_timeout ? connect->timeout : 0;
  return TRUE;
}

static gboolean
take_stream_open (SatoriP2pdRequest *request, const P2pd__Pb__StreamOpenRequest *open,
                  GError **error)
{
  if (open == NULL)
    return fail (error, _("STREAM_OPEN without its StreamOpenRequest"));
  request->timeout_seconds = open->has_timeout ? open->timeout : 0;
  return take_peer (request, open->has_peer, &open->peer, error) &&
         take_protocols (request, open->proto, open->n_proto, error);
}

static gboolean
take_pubsub (SatoriP2pdRequest *request, const P2pd__Pb__PSRequest *pubsub, GError **error)
{
  if (pubsub == NULL || !pubsub->has_type)
    return fail (error, _("PUBSUB without its PSRequest type"));
  if (pubsub->topic != NULL && (pubsub->topic[0] == '\0' ||
                                !g_utf8_validate (pubsub->topic, -1, NULL)))
    return fail (error, _("A topic must be non-empty UTF-8"));
  request->pubsub_type = (SatoriP2pdPubsubType) pubsub->type;
  request->topic = g_strdup (pubsub->topic);
  switch (request->pubsub_type)
    {
    case SATORI_P2PD_PUBSUB_GET_TOPICS:
    case SATORI_P2PD_PUBSUB_LIST_PEERS:
      return TRUE;
    case SATORI_P2PD_PUBSUB_PUBLISH:
      if (request->topic == NULL || !pubsub->has_data)
        return fail (error, _("PUBLISH needs a topic and data"));
      request->data = g_bytes_new (pubsub->data.data, pubsub->data.len);
      return TRUE;
    case SATORI_P2PD_PUBSUB_SUBSCRIBE:
      return request->topic != NULL || fail (error, _("SUBSCRIBE needs a topic"));
    default:
      return fail (error, _("Unknown PUBSUB request type"));
    }
}

static gboolean
take_key (SatoriP2pdRequest *request, protobuf_c_boolean has_key,
          const ProtobufCBinaryData *key, GError **error)
{
  if (!has_key || key->len == 0)
    return fail (error, _("The DHT request names no key"));
  request->key = g_bytes_new (key->data, key->len);
  return TRUE;
}

static gboolean
take_cid (SatoriP2pdRequest *request, protobuf_c_boolean has_cid,
          const ProtobufCBinaryData *cid, GError **error)
{
  GError *cause = NULL;

  if (!has_cid)
    return fail (error, _("The DHT request names no CID"));
  request->key = satori_p2pd_cid_to_key (cid->data, cid->len, &cause);
  return request->key != NULL || fail_with (error, _("Bad CID"), cause);
}

static gboolean
take_dht (SatoriP2pdRequest *request, const P2pd__Pb__DHTRequest *dht, GError **error)
{
  if (dht == NULL || !dht->has_type)
    return fail (error, _("DHT without its DHTRequest type"));
  request->dht_type = (SatoriP2pdDhtType) dht->type;
  request->timeout_seconds = dht->has_timeout ? dht->timeout : 0;
  request->count = dht->has_count && dht->count > 0 ? (guint) dht->count : 0;
  switch (request->dht_type)
    {
    case SATORI_P2PD_DHT_FIND_PEER:
    case SATORI_P2PD_DHT_FIND_PEERS_CONNECTED_TO_PEER:
    case SATORI_P2PD_DHT_GET_PUBLIC_KEY:
      return take_peer (request, dht->has_peer, &dht->peer, error);
    case SATORI_P2PD_DHT_FIND_PROVIDERS:
    case SATORI_P2PD_DHT_PROVIDE:
      return take_cid (request, dht->has_cid, &dht->cid, error);
    case SATORI_P2PD_DHT_GET_CLOSEST_PEERS:
    case SATORI_P2PD_DHT_GET_VALUE:
    case SATORI_P2PD_DHT_SEARCH_VALUE:
      return take_key (request, dht->has_key, &dht->key, error);
    case SATORI_P2PD_DHT_PUT_VALUE:
      if (!dht->has_value)
        return fail (error, _("PUT_VALUE needs a value"));
      request->data = g_bytes_new (dht->value.data, dht->value.len);
      return take_key (request, dht->has_key, &dht->key, error);
    default:
      return fail (error, _("Unknown DHT request type"));
    }
}

static gboolean
take_fields (SatoriP2pdRequest *request, const P2pd__Pb__Request *message, GError **error)
{
  switch (request->type)
    {
    case SATORI_P2PD_REQUEST_IDENTIFY:
    case SATORI_P2PD_REQUEST_LIST_PEERS:
      return TRUE;
    case SATORI_P2PD_REQUEST_CONNECT:
      return take_connect (request, message->connect, error);
    case SATORI_P2PD_REQUEST_DISCONNECT:
      if (message->disconnect == NULL)
        return fail (error, _("DISCONNECT without its DisconnectRequest"));
      return take_peer (request, message->disconnect->has_peer, &message->disconnect->peer, error);
    case SATORI_P2PD_REQUEST_STREAM_OPEN:
      return take_stream_open (request, message->streamopen, error);
    case SATORI_P2PD_REQUEST_STREAM_HANDLER:
      if (message->streamhandler == NULL)
        return fail (error, _("STREAM_HANDLER without its StreamHandlerRequest"));
      return take_handler_address (request, message->streamhandler->has_addr,
                                   &message->streamhandler->addr, error) &&
             take_protocols (request, message->streamhandler->proto,
                             message->streamhandler->n_proto, error);
    case SATORI_P2PD_REQUEST_REMOVE_STREAM_HANDLER:
      if (message->removestreamhandler == NULL)
        return fail (error, _("REMOVE_STREAM_HANDLER without its RemoveStreamHandlerRequest"));
      return take_protocols (request, message->removestreamhandler->proto,
                             message->removestreamhandler->n_proto, error);
    case SATORI_P2PD_REQUEST_PUBSUB:
      return take_pubsub (request, message->pubsub, error);
    case SATORI_P2PD_REQUEST_DHT:
      return take_dht (request, message->dht, error);
    case SATORI_P2PD_REQUEST_CONNMANAGER:
    case SATORI_P2PD_REQUEST_PEERSTORE:
      return TRUE;
    default:
      return fail (error, _("Unknown request type"));
    }
}

/**
 * satori_p2pd_request_decode:
 * @data: (array length=len): a `Request` message, without its length prefix
 * @len: how many bytes @data holds
 * @error: a #GError, %G_IO_ERROR_INVALID_DATA when the bytes are not a
 *   request or lack what its type needs
 *
 * Decodes and checks a control request: peer ids, multiaddrs and CIDs
 * must parse, and protocol lists and DHT keys must not be empty.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL on error
 */
SatoriP2pdRequest *
satori_p2pd_request_decode (const guint8 *data, gsize len, GError **error)
{
  GError *cause = NULL;
  P2pd__Pb__Request *message =
    (P2pd__Pb__Request *) satori_protobuf_unpack (&p2pd__pb__request__descriptor, data, len,
                                                  SATORI_P2PD_MAX_REQUEST_SIZE, &cause);
  if (message == NULL)
    {
      fail_with (error, _("Malformed request"), cause);
      return NULL;
    }

  g_autoptr(SatoriP2pdRequest) request = g_new0 (SatoriP2pdRequest, 1);
  request->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  request->type = (SatoriP2pdRequestType) message->type;
  gboolean ok = message->has_type ? take_fields (request, message, error)
                                  : fail (error, _("The request has no type"));
  protobuf_c_message_free_unpacked (&message->base, NULL);
  return ok ? g_steal_pointer (&request) : NULL;
}

/**
 * satori_p2pd_request_free:
 * @request: (transfer full): a #SatoriP2pdRequest
 *
 * Frees @request.
 */
void
satori_p2pd_request_free (SatoriP2pdRequest *request)
{
  g_clear_pointer (&request->peer, satori_peer_id_unref);
  g_clear_pointer (&request->addresses, g_ptr_array_unref);
  g_clear_pointer (&request->handler_address, satori_multiaddr_unref);
  g_clear_pointer (&request->protocols, g_strfreev);
  g_free (request->topic);
  g_clear_pointer (&request->data, g_bytes_unref);
  g_clear_pointer (&request->key, g_bytes_unref);
  g_free (request);
}

/**
 * satori_p2pd_request_type_unsupported:
 * @type: a request type
 *
 * Returns: (nullable): why requests of @type are not served (translated),
 *   or %NULL when they are (PUBSUB and DHT are, when the host has a pubsub
 *   router or a routing)
 */
const char *
satori_p2pd_request_type_unsupported (SatoriP2pdRequestType type)
{
  switch (type)
    {
    case SATORI_P2PD_REQUEST_CONNMANAGER:
      return _("CONNMANAGER requests are not supported yet");
    case SATORI_P2PD_REQUEST_PEERSTORE:
      return _("PEERSTORE and PERSISTENT_CONN_UPGRADE requests are not supported yet");
    default:
      return NULL;
    }
}

static GBytes *
pack_response (P2pd__Pb__Response *response)
{
  response->has_type = TRUE;
  return satori_protobuf_pack_delimited (&response->base);
}

/**
 * satori_p2pd_response_ok:
 *
 * Returns: (transfer full): a delimited `Response{type=OK}`
 */
GBytes *
satori_p2pd_response_ok (void)
{
  P2pd__Pb__Response response = P2PD__PB__RESPONSE__INIT;

  response.type = P2PD__PB__RESPONSE__TYPE__OK;
  return pack_response (&response);
}

/**
 * satori_p2pd_response_error:
 * @message: what went wrong
 *
 * Returns: (transfer full): a delimited `Response{type=ERROR}` carrying @message
 */
GBytes *
satori_p2pd_response_error (const char *message)
{
  P2pd__Pb__Response response = P2PD__PB__RESPONSE__INIT;
  P2pd__Pb__ErrorResponse error = P2PD__PB__ERROR_RESPONSE__INIT;

  error.msg = (char *) message;
  response.type = P2PD__PB__RESPONSE__TYPE__ERROR;
  response.error = &error;
  return pack_response (&response);
}

/**
 * satori_p2pd_response_identify:
 * @peer: our peer id
 * @addresses: (element-type SatoriMultiaddr): our listen addresses
 *
 * Returns: (transfer full): a delimited `Response{type=OK}` with an
 *   `IdentifyResponse`
 */
GBytes *
satori_p2pd_response_identify (SatoriPeerId *peer, GPtrArray *addresses)
{
  P2pd__Pb__Response response = P2PD__PB__RESPONSE__INIT;
  P2pd__Pb__IdentifyResponse identify = P2PD__PB__IDENTIFY_RESPONSE__INIT;
  g_auto(SatoriP2pdKeep) keep;

  satori_p2pd_keep_init (&keep);
  identify.has_id = TRUE;
  satori_p2pd_keep_set_bytes (&keep, &identify.id, satori_peer_id_get_bytes (peer));
  satori_p2pd_keep_set_addresses (&keep, &identify.addrs, &identify.n_addrs, addresses);
  response.type = P2PD__PB__RESPONSE__TYPE__OK;
  response.identify = &identify;
  return pack_response (&response);
}

/**
 * satori_p2pd_response_peers:
 * @connections: (element-type SatoriConnection): the open connections
 *
 * Returns: (transfer full): a delimited `Response{type=OK}` listing each
 *   connected peer once, with the remote addresses of its connections
 */
GBytes *
satori_p2pd_response_peers (GPtrArray *connections)
{
  P2pd__Pb__Response response = P2PD__PB__RESPONSE__INIT;
  g_auto(SatoriP2pdKeep) keep;
  g_autoptr(GHashTable) by_peer =
    g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal, NULL,
                           (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  satori_p2pd_keep_init (&keep);
  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
      GPtrArray *addresses = g_hash_table_lookup (by_peer, peer);

      if (satori_connection_is_closed (connection))
        continue;
      if (addresses == NULL)
        {
          addresses = g_ptr_array_new ();
          g_hash_table_insert (by_peer, peer, addresses);
          g_ptr_array_add (order, peer);
        }
      g_ptr_array_add (addresses, satori_connection_get_remote_address (connection));
    }

  P2pd__Pb__PeerInfo *infos = g_new0 (P2pd__Pb__PeerInfo, order->len);
  P2pd__Pb__PeerInfo **pointers = g_new0 (P2pd__Pb__PeerInfo *, order->len);
  g_ptr_array_add (keep.blocks, infos);
  g_ptr_array_add (keep.blocks, pointers);
  for (guint i = 0; i < order->len; i++)
    {
      SatoriPeerId *peer = g_ptr_array_index (order, i);

      p2pd__pb__peer_info__init (&infos[i]);
      infos[i].has_id = TRUE;
      satori_p2pd_keep_set_bytes (&keep, &infos[i].id, satori_peer_id_get_bytes (peer));
      satori_p2pd_keep_set_addresses (&keep, &infos[i].addrs, &infos[i].n_addrs,
                                      g_hash_table_lookup (by_peer, peer));
      pointers[i] = &infos[i];
    }
  response.type = P2PD__PB__RESPONSE__TYPE__OK;
  response.n_peers = order->len;
  response.peers = pointers;
  return pack_response (&response);
}

static void
fill_stream_info (P2pd__Pb__StreamInfo *info, SatoriPeerId *peer, SatoriMultiaddr *address,
                  const char *protocol, SatoriP2pdKeep *keep)
{
  info->has_peer = TRUE;
  satori_p2pd_keep_set_bytes (keep, &info->peer, satori_peer_id_get_bytes (peer));
  info->has_addr = TRUE;
  satori_p2pd_keep_set_bytes (keep, &info->addr, satori_multiaddr_get_bytes (address));
  info->proto = (char *) protocol;
}

/**
 * satori_p2pd_response_stream_info:
 * @peer: the remote peer of the stream
 * @address: the remote address of its connection
 * @protocol: the protocol negotiated
 *
 * Returns: (transfer full): a delimited `Response{type=OK}` with a `StreamInfo`
 */
GBytes *
satori_p2pd_response_stream_info (SatoriPeerId *peer, SatoriMultiaddr *address,
                                  const char *protocol)
{
  P2pd__Pb__Response response = P2PD__PB__RESPONSE__INIT;
  P2pd__Pb__StreamInfo info = P2PD__PB__STREAM_INFO__INIT;
  g_auto(SatoriP2pdKeep) keep;

  satori_p2pd_keep_init (&keep);
  fill_stream_info (&info, peer, address, protocol, &keep);
  response.type = P2PD__PB__RESPONSE__TYPE__OK;
  response.streaminfo = &info;
  return pack_response (&response);
}

/**
 * satori_p2pd_response_pubsub:
 * @topics: (nullable): the topics to list
 * @peers: (nullable) (element-type SatoriPeerId): the peers to list
 *
 * Returns: (transfer full): a delimited `Response{type=OK}` with a
 *   `PSResponse` (present even when both lists are empty: clients expect it)
 */
GBytes *
satori_p2pd_response_pubsub (const char * const *topics, GPtrArray *peers)
{
  P2pd__Pb__Response response = P2PD__PB__RESPONSE__INIT;
  P2pd__Pb__PSResponse pubsub = P2PD__PB__PSRESPONSE__INIT;
  g_auto(SatoriP2pdKeep) keep;

  satori_p2pd_keep_init (&keep);
  pubsub.n_topics = topics != NULL ? g_strv_length ((char **) topics) : 0;
  pubsub.topics = (char **) topics;
  if (peers != NULL)
    {
      pubsub.n_peerids = peers->len;
      pubsub.peerids = g_new0 (ProtobufCBinaryData, peers->len);
      g_ptr_array_add (keep.blocks, pubsub.peerids);
      for (guint i = 0; i < peers->len; i++)
        satori_p2pd_keep_set_bytes (&keep, &pubsub.peerids[i],
                                    satori_peer_id_get_bytes (g_ptr_array_index (peers, i)));
    }
  response.type = P2PD__PB__RESPONSE__TYPE__OK;
  response.pubsub = &pubsub;
  return pack_response (&response);
}

static void
set_optional_bytes (ProtobufCBinaryData *field, protobuf_c_boolean *has, GBytes *bytes,
                    SatoriP2pdKeep *keep)
{
  if (bytes == NULL)
    return;
  *has = TRUE;
  satori_p2pd_keep_set_bytes (keep, field, bytes);
}

/**
 * satori_p2pd_pubsub_message:
 * @message: a message delivered on a subscribed topic
 *
 * Returns: (transfer full): a delimited `PSMessage`, as a SUBSCRIBE
 *   connection carries them
 */
GBytes *
satori_p2pd_pubsub_message (SatoriPubsubMessage *message)
{
  P2pd__Pb__PSMessage ps = P2PD__PB__PSMESSAGE__INIT;
  char *topics[] = { (char *) satori_pubsub_message_get_topic (message) };
  SatoriPeerId *from = satori_pubsub_message_get_from (message);
  g_auto(SatoriP2pdKeep) keep;

  satori_p2pd_keep_init (&keep);
  if (from != NULL)
    set_optional_bytes (&ps.from, &ps.has_from, satori_peer_id_get_bytes (from), &keep);
  set_optional_bytes (&ps.data, &ps.has_data, satori_pubsub_message_get_data (message), &keep);
  set_optional_bytes (&ps.seqno, &ps.has_seqno, satori_pubsub_message_get_seqno (message),
                      &keep);
  set_optional_bytes (&ps.signature, &ps.has_signature,
                      satori_pubsub_message_get_signature (message), &keep);
  set_optional_bytes (&ps.key, &ps.has_key, satori_pubsub_message_get_key (message), &keep);
  ps.n_topicids = 1;
  ps.topicids = topics;
  return satori_protobuf_pack_delimited (&ps.base);
}

/**
 * satori_p2pd_stream_info:
 * @peer: the remote peer of an inbound stream
 * @address: the remote address of its connection
 * @protocol: the protocol negotiated
 *
 * Returns: (transfer full): a delimited bare `StreamInfo`, the first thing
 *   sent to a stream handler's client
 */
GBytes *
satori_p2pd_stream_info (SatoriPeerId *peer, SatoriMultiaddr *address, const char *protocol)
{
  P2pd__Pb__StreamInfo info = P2PD__PB__STREAM_INFO__INIT;
  g_auto(SatoriP2pdKeep) keep;

  satori_p2pd_keep_init (&keep);
  fill_stream_info (&info, peer, address, protocol, &keep);
  return satori_protobuf_pack_delimited (&info.base);
}
