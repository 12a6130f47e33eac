/* satori-autonat-message.c — the AutoNAT v1 message: encode, decode
 * (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-autonat-message.h"

#include "autonat.pb-c.h"

/**
 * satori_autonat_message_encode_dial:
 * @peer_id: the sender's peer id (multihash bytes)
 * @addrs: (element-type SatoriMultiaddr): the addresses to dial back
 *
 * Returns: (transfer full): a DIAL message, without a length prefix
 */
GBytes *
satori_autonat_message_encode_dial (GBytes *peer_id, GPtrArray *addrs)
{
  Satori__Autonat__Message pb = SATORI__AUTONAT__MESSAGE__INIT;
  Satori__Autonat__Message__Dial dial = SATORI__AUTONAT__MESSAGE__DIAL__INIT;
  Satori__Autonat__Message__PeerInfo peer = SATORI__AUTONAT__MESSAGE__PEER_INFO__INIT;

  g_return_val_if_fail (peer_id != NULL && addrs != NULL, NULL);
  g_autofree ProtobufCBinaryData *data = g_new0 (ProtobufCBinaryData, MAX (addrs->len, 1));

  for (guint i = 0; i < addrs->len; i++)
    data[i].data = (guint8 *) satori_multiaddr_get_data (g_ptr_array_index (addrs, i),
                                                         &data[i].len);
  peer.has_id = TRUE;
  peer.id.data = (guint8 *) g_bytes_get_data (peer_id, &peer.id.len);
  peer.n_addrs = addrs->len;
  peer.addrs = data;
  dial.peer = &peer;
  pb.has_type = TRUE;
  pb.type = SATORI__AUTONAT__MESSAGE__MESSAGE_TYPE__DIAL;
  pb.dial = &dial;
  return satori_protobuf_pack (&pb.base);
}

/**
 * satori_autonat_message_encode_response:
 * @status: the outcome
 * @status_text: (nullable): why, for people
 * @addr: (nullable): the address dialed
 *
 * Returns: (transfer full): a DIAL_RESPONSE message, without a length
 *   prefix
 */
GBytes *
satori_autonat_message_encode_response (SatoriAutonatStatus status, const char *status_text,
                                        SatoriMultiaddr *addr)
{
  Satori__Autonat__Message pb = SATORI__AUTONAT__MESSAGE__INIT;
  Satori__Autonat__Message__DialResponse response =
    SATORI__AUTONAT__MESSAGE__DIAL_RESPONSE__INIT;

  response.has_status = TRUE;
  response.status = (Satori__Autonat__Message__ResponseStatus) status;
  response.statustext = (char *) status_text;
  if (addr != NULL)
    {
      response.has_addr = TRUE;
      response.addr.data = (guint8 *) satori_multiaddr_get_data (addr, &response.addr.len);
    }
  pb.has_type = TRUE;
  pb.type = SATORI__AUTONAT__MESSAGE__MESSAGE_TYPE__DIAL_RESPONSE;
  pb.dialresponse = &response;
  return satori_protobuf_pack (&pb.base);
}

static SatoriAutonatMessage *
message_new (SatoriAutonatMessageType type)
{
  SatoriAutonatMessage *message = g_new0 (SatoriAutonatMessage, 1);

  message->type = type;
  message->addrs = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  return message;
}

static void
read_dial (SatoriAutonatMessage *message, const Satori__Autonat__Message__Dial *dial)
{
  const Satori__Autonat__Message__PeerInfo *peer = dial->peer;

  if (peer == NULL)
    return;
  if (peer->has_id)
    message->peer_id = g_bytes_new (peer->id.data, peer->id.len);
  for (gsize i = 0; i < peer->n_addrs && message->addrs->len < SATORI_AUTONAT_MAX_ADDRS; i++)
    {
      SatoriMultiaddr *address = satori_multiaddr_new_from_bytes (peer->addrs[i].data,
                                                                  peer->addrs[i].len, NULL);
      if (address != NULL)
        g_ptr_array_add (message->addrs, address);
    }
}

static gboolean
read_response (SatoriAutonatMessage *message,
               const Satori__Autonat__Message__DialResponse *response, GError **error)
{
  message->has_status = response->has_status;
  message->status = (int) response->status;
  if (response->statustext != NULL && !g_utf8_validate (response->statustext, -1, NULL))
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "AutoNAT status text is not UTF-8");
      return FALSE;
    }
  message->status_text = g_strdup (response->statustext);
  /* An address that does not parse is only left out: the status counts. */
  if (response->has_addr)
    message->addr = satori_multiaddr_new_from_bytes (response->addr.data, response->addr.len,
                                                     NULL);
  return TRUE;
}

/**
 * satori_autonat_message_decode:
 * @data: (array length=len): one message, without its length prefix
 * @len: its length, at most %SATORI_AUTONAT_MAX_MESSAGE_SIZE
 * @error: %SATORI_CODEC_ERROR_TOO_LARGE, or %SATORI_CODEC_ERROR_MALFORMED
 *   (bad protobuf, no type, a DIAL without its dial or a DIAL_RESPONSE
 *   without its response, a status text that is not UTF-8)
 *
 * Addresses that do not parse are left out.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL
 */
SatoriAutonatMessage *
satori_autonat_message_decode (const guint8 *data, gsize len, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  Satori__Autonat__Message *pb = (Satori__Autonat__Message *) satori_protobuf_unpack (
    &satori__autonat__message__descriptor, data, len, SATORI_AUTONAT_MAX_MESSAGE_SIZE, error);
  if (pb == NULL)
    return NULL;

  g_autoptr(SatoriAutonatMessage) message = NULL;
  gboolean ok = FALSE;
  if (pb->has_type && pb->type == SATORI__AUTONAT__MESSAGE__MESSAGE_TYPE__DIAL &&
      pb->dial != NULL)
    {
      message = message_new (SATORI_AUTONAT_MESSAGE_DIAL);
      read_dial (message, pb->dial);
      ok = TRUE;
    }
  else if (pb->has_type && pb->type == SATORI__AUTONAT__MESSAGE__MESSAGE_TYPE__DIAL_RESPONSE &&
           pb->dialresponse != NULL)
    {
      message = message_new (SATORI_AUTONAT_MESSAGE_DIAL_RESPONSE);
      ok = read_response (message, pb->dialresponse, error);
    }
  else
    g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                 "AutoNAT message without a type and its body");
  protobuf_c_message_free_unpacked (&pb->base, NULL);
  return ok ? g_steal_pointer (&message) : NULL;
}

/**
 * satori_autonat_message_free:
 * @message: (transfer full): a decoded message
 */
void
satori_autonat_message_free (SatoriAutonatMessage *message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->peer_id, g_bytes_unref);
  g_ptr_array_unref (message->addrs);
  g_free (message->status_text);
  g_clear_pointer (&message->addr, satori_multiaddr_unref);
  g_free (message);
}
