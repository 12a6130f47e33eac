/* satori-kad-message.c — the kad-dht RPC message: encode and decode
 * (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-message.h"

#include "kad.pb-c.h"
#include "satori-errors.h"
#include "satori-protobuf.h"

/**
 * satori_kad_message_new:
 * @type: the message type
 * @key: (nullable): the key, referenced
 *
 * Returns: (transfer full): a message with no record and no peers
 */
SatoriKadMessage *
satori_kad_message_new (SatoriKadMessageType type, GBytes *key)
{
  SatoriKadMessage *message = g_new0 (SatoriKadMessage, 1);

  message->type = type;
  message->key = key != NULL ? g_bytes_ref (key) : NULL;
  message->closer_peers = satori_kad_peer_array_new ();
  message->provider_peers = satori_kad_peer_array_new ();
  return message;
}

/**
 * satori_kad_message_free:
 * @message: (transfer full): a message
 */
void
satori_kad_message_free (SatoriKadMessage *message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->key, g_bytes_unref);
  g_clear_pointer (&message->record_key, g_bytes_unref);
  g_clear_pointer (&message->record_value, g_bytes_unref);
  g_free (message->time_received);
  g_ptr_array_unref (message->closer_peers);
  g_ptr_array_unref (message->provider_peers);
  g_free (message);
}

/**
 * satori_kad_message_type_to_string:
 * @type: a message type
 *
 * Returns: the type's name in the spec, for log messages
 */
const char *
satori_kad_message_type_to_string (SatoriKadMessageType type)
{
  static const char *const names[] = {
    "PUT_VALUE", "GET_VALUE", "ADD_PROVIDER", "GET_PROVIDERS", "FIND_NODE", "PING",
  };
  return (guint) type < G_N_ELEMENTS (names) ? names[type] : "unknown";
}

static ProtobufCBinaryData
binary_of (GBytes *bytes)
{
  ProtobufCBinaryData data = { 0, NULL };
  if (bytes != NULL)
    data.data = (guint8 *) g_bytes_get_data (bytes, &data.len);
  return data;
}

/* Fills @out (and its @addrs storage) from @peers; the protobuf structs
 * borrow the peers' bytes. */
static Satori__Kad__Message__Peer **
peers_to_protobuf (GPtrArray *peers, GPtrArray *keep)
{
  Satori__Kad__Message__Peer **out = g_new0 (Satori__Kad__Message__Peer *, peers->len);
  g_ptr_array_add (keep, out);
  for (guint i = 0; i < peers->len; i++)
    {
      const SatoriKadPeer *peer = peers->pdata[i];
      Satori__Kad__Message__Peer *pb = g_new0 (Satori__Kad__Message__Peer, 1);
      g_ptr_array_add (keep, pb);
      satori__kad__message__peer__init (pb);
      pb->id = binary_of (peer->id);
      pb->connection = (Satori__Kad__Message__ConnectionType) peer->connection;
      pb->n_addrs = peer->addrs->len;
      pb->addrs = g_new0 (ProtobufCBinaryData, peer->addrs->len);
      g_ptr_array_add (keep, pb->addrs);
      for (guint j = 0; j < peer->addrs->len; j++)
        pb->addrs[j] = binary_of (peer->addrs->pdata[j]);
      out[i] = pb;
    }
  return out;
}

/**
 * satori_kad_message_encode:
 * @message: a message
 *
 * Returns: (transfer full): the protobuf encoding of @message, without a
 *   length prefix
 */
GBytes *
satori_kad_message_encode (const SatoriKadMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  Satori__Kad__Message pb = SATORI__KAD__MESSAGE__INIT;
  Satori__Kad__Record record = SATORI__KAD__RECORD__INIT;

  pb.type = (Satori__Kad__Message__MessageType) message->type;
  pb.key = binary_of (message->key);
  if (message->record_value != NULL)
    {
      record.key = binary_of (message->record_key);
      record.value = binary_of (message->record_value);
      if (message->time_received != NULL)
        record.timereceived = message->time_received;
      pb.record = &record;
    }
  pb.n_closerpeers = message->closer_peers->len;
  pb.closerpeers = peers_to_protobuf (message->closer_peers, keep);
  pb.n_providerpeers = message->provider_peers->len;
  pb.providerpeers = peers_to_protobuf (message->provider_peers, keep);
  return satori_protobuf_pack (&pb.base);
}

static GBytes *
bytes_of (ProtobufCBinaryData data)
{
  return g_bytes_new (data.data, data.len);
}

static gboolean
peers_from_protobuf (Satori__Kad__Message__Peer **pb, gsize n, GPtrArray *out, GError **error)
{
  for (gsize i = 0; i < n; i++)
    {
      if (pb[i]->id.len == 0 || pb[i]->id.len > SATORI_KAD_MAX_PEER_ID_SIZE)
        {
          g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                       "kad peer entry with a peer id of %" G_GSIZE_FORMAT " bytes",
                       pb[i]->id.len);
          return FALSE;
        }
      g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      for (gsize j = 0; j < pb[i]->n_addrs; j++)
        g_ptr_array_add (addrs, bytes_of (pb[i]->addrs[j]));
      SatoriKadConnection connection = (guint) pb[i]->connection <= SATORI_KAD_CANNOT_CONNECT
                                       ? (SatoriKadConnection) pb[i]->connection
                                       : SATORI_KAD_NOT_CONNECTED;
      g_autoptr(GBytes) id = bytes_of (pb[i]->id);
      g_ptr_array_add (out, satori_kad_peer_new (id, addrs, connection));
    }
  return TRUE;
}

/**
 * satori_kad_message_decode:
 * @data: (array length=len): one message, without its length prefix
 * @len: its size
 * @max_size: the largest message to accept
 * @error: %SATORI_CODEC_ERROR_TOO_LARGE or %SATORI_CODEC_ERROR_MALFORMED
 *
 * Decodes and checks a message: a known type, keys of at most
 * %SATORI_KAD_MAX_KEY_SIZE bytes, peers with a non-empty id of at most
 * %SATORI_KAD_MAX_PEER_ID_SIZE bytes. Unknown connection types read as
 * %SATORI_KAD_NOT_CONNECTED.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL on error
 */
SatoriKadMessage *
satori_kad_message_decode (const guint8 *data, gsize len, gsize max_size, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  Satori__Kad__Message *pb = (Satori__Kad__Message *)
    satori_protobuf_unpack (&satori__kad__message__descriptor, data, len, max_size, error);
  if (pb == NULL)
    return NULL;

  g_autoptr(SatoriKadMessage) message = NULL;
  if ((guint) pb->type > SATORI_KAD_PING)
    g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                 "kad message of unknown type %d", (int) pb->type);
  else if (pb->key.len > SATORI_KAD_MAX_KEY_SIZE
           || (pb->record != NULL && pb->record->key.len > SATORI_KAD_MAX_KEY_SIZE))
    g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE,
                 "kad message key over %d bytes", SATORI_KAD_MAX_KEY_SIZE);
  else
    {
      g_autoptr(GBytes) key = pb->key.len > 0 ? bytes_of (pb->key) : NULL;
      message = satori_kad_message_new ((SatoriKadMessageType) pb->type, key);
      if (pb->record != NULL)
        {
          message->record_key = bytes_of (pb->record->key);
          message->record_value = bytes_of (pb->record->value);
          if (pb->record->timereceived != NULL && pb->record->timereceived[0] != '\0')
            message->time_received = g_strdup (pb->record->timereceived);
        }
      if (!peers_from_protobuf (pb->closerpeers, pb->n_closerpeers, message->closer_peers, error)
          || !peers_from_protobuf (pb->providerpeers, pb->n_providerpeers,
                                   message->provider_peers, error))
        g_clear_pointer (&message, satori_kad_message_free);
    }
  protobuf_c_message_free_unpacked (&pb->base, NULL);
  return g_steal_pointer (&message);
}
