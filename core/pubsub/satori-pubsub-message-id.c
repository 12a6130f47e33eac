/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-message-id.h"

#include "satori-peer-id.h"

/**
 * satori_pubsub_default_message_id:
 * @message: a message
 * @user_data: unused
 *
 * The spec's default id: the `from` bytes followed by the `seqno` bytes
 * (what go- and js-libp2p use under StrictSign).
 *
 * Returns: (transfer full): the id
 */
GBytes *
satori_pubsub_default_message_id (const Satori__Pubsub__Message *message, gpointer user_data)
{
  GByteArray *id = g_byte_array_sized_new (message->from.len + message->seqno.len);
  if (message->has_from)
    g_byte_array_append (id, message->from.data, message->from.len);
  if (message->has_seqno)
    g_byte_array_append (id, message->seqno.data, message->seqno.len);
  return g_byte_array_free_to_bytes (id);
}

/**
 * satori_pubsub_content_message_id:
 * @message: a message
 * @user_data: unused
 *
 * A content-addressed id: the SHA-256 of the `data` field (what js-libp2p
 * uses under StrictNoSign, where there is no `from` nor `seqno`).
 *
 * Returns: (transfer full): the 32-byte id
 */
GBytes *
satori_pubsub_content_message_id (const Satori__Pubsub__Message *message, gpointer user_data)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  if (message->has_data)
    g_checksum_update (sha, message->data.data, message->data.len);
  g_checksum_get_digest (sha, digest, &len);
  return g_bytes_new (digest, len);
}

/**
 * satori_pubsub_key_message_id:
 * @message: a message that passed satori_pubsub_check_message() under
 *   StrictSign
 * @user_data: unused
 *
 * js-libp2p's id under StrictSign: the author's public key as a
 * PublicKey protobuf, then the `seqno`. Use it in a network of js peers,
 * whose IHAVE and IDONTWANT name messages so.
 *
 * Returns: (transfer full) (nullable): the id, %NULL for a message without
 *   an author key
 */
GBytes *
satori_pubsub_key_message_id (const Satori__Pubsub__Message *message, gpointer user_data)
{
  g_autoptr(GBytes) key = NULL;

  if (message->has_key)
    key = g_bytes_new (message->key.data, message->key.len);
  else if (message->has_from)
    {
      g_autoptr(SatoriPeerId) from = satori_peer_id_new_from_bytes (message->from.data,
                                                                    message->from.len, NULL);
      g_autoptr(SatoriPublicKey) inlined = from ? satori_peer_id_extract_public_key (from) : NULL;
      if (inlined != NULL)
        key = satori_public_key_to_protobuf (inlined);
    }
  if (key == NULL)
    return NULL;

  GByteArray *id = g_byte_array_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (key, &len);
  g_byte_array_append (id, data, len);
  if (message->has_seqno)
    g_byte_array_append (id, message->seqno.data, message->seqno.len);
  return g_byte_array_free_to_bytes (id);
}
