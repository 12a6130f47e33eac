/* satori-identify-message.c — the Identify message: encode, decode,
 * validate (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-identify-message.h"

#include "identify.pb-c.h"

G_DEFINE_BOXED_TYPE (SatoriIdentifyMessage, satori_identify_message,
                     satori_identify_message_ref, satori_identify_message_unref)

/**
 * satori_identify_message_new:
 *
 * Returns: (transfer full): an empty message, with no protocols and no
 *   listen addresses
 */
SatoriIdentifyMessage *
satori_identify_message_new (void)
{
  SatoriIdentifyMessage *message = g_atomic_rc_box_new0 (SatoriIdentifyMessage);

  message->listen_addrs = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_multiaddr_unref);
  message->protocols = g_new0 (char *, 1);
  return message;
}

/**
 * satori_identify_message_ref:
 * @message: a #SatoriIdentifyMessage
 *
 * Returns: (transfer full): @message
 */
SatoriIdentifyMessage *
satori_identify_message_ref (SatoriIdentifyMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  return g_atomic_rc_box_acquire (message);
}

static void
message_clear (SatoriIdentifyMessage *message)
{
  g_free (message->protocol_version);
  g_free (message->agent_version);
  g_clear_object (&message->public_key);
  g_ptr_array_unref (message->listen_addrs);
  g_clear_pointer (&message->observed_addr, satori_multiaddr_unref);
  g_strfreev (message->protocols);
  g_clear_pointer (&message->signed_peer_record, g_bytes_unref);
}

/**
 * satori_identify_message_unref:
 * @message: (transfer full): a #SatoriIdentifyMessage
 */
void
satori_identify_message_unref (SatoriIdentifyMessage *message)
{
  g_return_if_fail (message != NULL);
  g_atomic_rc_box_release_full (message, (GDestroyNotify) message_clear);
}

/**
 * satori_identify_message_encode:
 * @message: a #SatoriIdentifyMessage
 *
 * Returns: (transfer full): the message as protobuf, without a length
 *   prefix
 */
GBytes *
satori_identify_message_encode (const SatoriIdentifyMessage *message)
{
  Satori__Identify__Identify pb = SATORI__IDENTIFY__IDENTIFY__INIT;
  g_autoptr(GBytes) key = NULL;

  g_return_val_if_fail (message != NULL, NULL);
  guint n_addrs = message->listen_addrs->len;
  g_autofree ProtobufCBinaryData *addrs = g_new0 (ProtobufCBinaryData, MAX (n_addrs, 1));

  pb.protocolversion = message->protocol_version;
  pb.agentversion = message->agent_version;
  if (message->public_key != NULL)
    {
      key = satori_public_key_to_protobuf (message->public_key);
      pb.has_publickey = TRUE;
      pb.publickey.data = (guint8 *) g_bytes_get_data (key, &pb.publickey.len);
    }
  for (guint i = 0; i < n_addrs; i++)
    addrs[i].data = (guint8 *) satori_multiaddr_get_data (
      g_ptr_array_index (message->listen_addrs, i), &addrs[i].len);
  pb.n_listenaddrs = n_addrs;
  pb.listenaddrs = addrs;
  if (message->observed_addr != NULL)
    {
      pb.has_observedaddr = TRUE;
      pb.observedaddr.data = (guint8 *) satori_multiaddr_get_data (message->observed_addr,
                                                                   &pb.observedaddr.len);
    }
  pb.n_protocols = g_strv_length (message->protocols);
  pb.protocols = message->protocols;
  if (message->signed_peer_record != NULL)
    {
      pb.has_signedpeerrecord = TRUE;
      pb.signedpeerrecord.data = (guint8 *) g_bytes_get_data (message->signed_peer_record,
                                                              &pb.signedpeerrecord.len);
    }

  gsize size = satori__identify__identify__get_packed_size (&pb);
  guint8 *data = g_malloc (MAX (size, 1));
  satori__identify__identify__pack (&pb, data);
  return g_bytes_new_take (data, size);
}

static gboolean
is_utf8 (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

/**
 * satori_identify_message_decode:
 * @data: (array length=len): one Identify protobuf, without its prefix
 * @len: its length, at most %SATORI_IDENTIFY_MAX_MESSAGE_SIZE
 * @error: a #GError: %SATORI_CODEC_ERROR_TOO_LARGE or
 *   %SATORI_CODEC_ERROR_MALFORMED (bad protobuf, text that is not UTF-8,
 *   a public key or observed address that does not parse)
 *
 * Listen addresses that do not parse are skipped, as are those past
 * %SATORI_IDENTIFY_MAX_LISTEN_ADDRS; a signed peer record is kept as
 * bytes, unchecked.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL
 */
SatoriIdentifyMessage *
satori_identify_message_decode (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  Satori__Identify__Identify *pb = (Satori__Identify__Identify *) satori_protobuf_unpack (
    &satori__identify__identify__descriptor, data, len, SATORI_IDENTIFY_MAX_MESSAGE_SIZE,
    error);
  if (pb == NULL)
    return NULL;

  g_autoptr(SatoriIdentifyMessage) message = satori_identify_message_new ();
  gboolean ok = is_utf8 (pb->protocolversion) && is_utf8 (pb->agentversion);
  for (gsize i = 0; ok && i < pb->n_protocols; i++)
    ok = is_utf8 (pb->protocols[i]);
  if (!ok)
    g_set_error (&local_error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                 "Identify message has text that is not UTF-8");
  if (ok && pb->has_publickey)
    message->public_key = satori_public_key_new_from_protobuf (pb->publickey.data,
                                                               pb->publickey.len, &local_error);
  if (ok && pb->has_observedaddr)
    message->observed_addr = satori_multiaddr_new_from_bytes (pb->observedaddr.data,
                                                              pb->observedaddr.len,
                                                              &local_error);
  if (local_error != NULL)
    {
      protobuf_c_message_free_unpacked (&pb->base, NULL);
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "Bad Identify message: %s", local_error->message);
      return NULL;
    }

  message->protocol_version = g_strdup (pb->protocolversion);
  message->agent_version = g_strdup (pb->agentversion);
  for (gsize i = 0; i < pb->n_listenaddrs; i++)
    {
      if (message->listen_addrs->len == SATORI_IDENTIFY_MAX_LISTEN_ADDRS)
        break;
      SatoriMultiaddr *address = satori_multiaddr_new_from_bytes (pb->listenaddrs[i].data,
                                                                  pb->listenaddrs[i].len, NULL);
      if (address != NULL)
        g_ptr_array_add (message->listen_addrs, address);
    }
  g_strfreev (message->protocols);
  message->protocols = g_new0 (char *, pb->n_protocols + 1);
  for (gsize i = 0; i < pb->n_protocols; i++)
    message->protocols[i] = g_strdup (pb->protocols[i]);
  message->has_protocols = pb->n_protocols > 0;
  if (pb->has_signedpeerrecord)
    message->signed_peer_record = g_bytes_new (pb->signedpeerrecord.data,
                                               pb->signedpeerrecord.len);
  protobuf_c_message_free_unpacked (&pb->base, NULL);
  return g_steal_pointer (&message);
}

/**
 * satori_identify_message_merge:
 * @into: the message so far
 * @from: a later message of the same exchange
 *
 * Folds @from into @into as js-libp2p does for a multi-message identify:
 * a value @from carries replaces @into's, listen addresses and protocols
 * are joined without duplicates.
 */
void
satori_identify_message_merge (SatoriIdentifyMessage *into, const SatoriIdentifyMessage *from)
{
  g_return_if_fail (into != NULL && from != NULL);

  if (from->protocol_version != NULL)
    {
      g_free (into->protocol_version);
      into->protocol_version = g_strdup (from->protocol_version);
    }
  if (from->agent_version != NULL)
    {
      g_free (into->agent_version);
      into->agent_version = g_strdup (from->agent_version);
    }
  if (from->public_key != NULL)
    g_set_object (&into->public_key, from->public_key);
  if (from->signed_peer_record != NULL)
    {
      g_clear_pointer (&into->signed_peer_record, g_bytes_unref);
      into->signed_peer_record = g_bytes_ref (from->signed_peer_record);
    }
  if (from->observed_addr != NULL)
    {
      g_clear_pointer (&into->observed_addr, satori_multiaddr_unref);
      into->observed_addr = satori_multiaddr_ref (from->observed_addr);
    }
  for (guint i = 0; i < from->listen_addrs->len; i++)
    {
      SatoriMultiaddr *address = g_ptr_array_index (from->listen_addrs, i);
      if (into->listen_addrs->len < SATORI_IDENTIFY_MAX_LISTEN_ADDRS &&
          !g_ptr_array_find_with_equal_func (into->listen_addrs, address,
                                             satori_multiaddr_equal, NULL))
        g_ptr_array_add (into->listen_addrs, satori_multiaddr_ref (address));
    }
  if (from->has_protocols)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_strv_builder_addv (builder, (const char **) into->protocols);
      for (guint i = 0; from->protocols[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) into->protocols, from->protocols[i]))
          g_strv_builder_add (builder, from->protocols[i]);
      g_strfreev (into->protocols);
      into->protocols = g_strv_builder_end (builder);
      into->has_protocols = TRUE;
    }
}

/**
 * satori_identify_message_validate:
 * @message: a decoded message
 * @peer: the peer it came from, as the connection authenticated it
 * @need_key: whether the message must carry a public key (identify does;
 *   a push may leave it out)
 * @error: a #GError, %SATORI_CODEC_ERROR_MALFORMED when invalid
 *
 * Checks that the message's public key, if any, is @peer's.
 *
 * Returns: %TRUE if the message may be believed
 */
gboolean
satori_identify_message_validate (const SatoriIdentifyMessage *message, SatoriPeerId *peer,
                                  gboolean need_key, GError **error)
{
  g_return_val_if_fail (message != NULL && peer != NULL, FALSE);

  if (message->public_key == NULL && need_key)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "Identify message has no public key");
      return FALSE;
    }
  if (message->public_key != NULL &&
      !satori_peer_id_matches_public_key (peer, message->public_key))
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "Identify message's public key is not the peer's");
      return FALSE;
    }
  return TRUE;
}
