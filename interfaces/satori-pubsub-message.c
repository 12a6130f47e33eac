/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-message.h"

#include "satori-peer-id.h"

/**
 * SatoriPubsubMessage:
 *
 * A pubsub message as routers deliver it: topic, payload, origin, sequence
 * number, signature, and the message id the router computed. Routers fill
 * it in with the setters before emitting it; after that it is read-only.
 */
struct _SatoriPubsubMessage
{
  gatomicrefcount ref_count;
  char *topic;
  GBytes *data;
  SatoriPeerId *from;
  GBytes *seqno;
  char *id;
  GBytes *signature;
  GBytes *key;
  SatoriPeerId *received_from;
};

G_DEFINE_BOXED_TYPE (SatoriPubsubMessage, satori_pubsub_message,
                     satori_pubsub_message_ref, satori_pubsub_message_unref)

/**
 * satori_pubsub_message_new:
 * @topic: the topic
 * @data: the payload
 * @from: (nullable): the author, or %NULL for anonymous (StrictNoSign) messages
 * @seqno: (nullable): the author's sequence number
 *
 * Returns: (transfer full): a new message
 */
SatoriPubsubMessage *
satori_pubsub_message_new (const char *topic, GBytes *data, SatoriPeerId *from, GBytes *seqno)
{
  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  SatoriPubsubMessage *message = g_new0 (SatoriPubsubMessage, 1);
  g_atomic_ref_count_init (&message->ref_count);
  message->topic = g_strdup (topic);
  message->data = g_bytes_ref (data);
  message->from = from ? satori_peer_id_ref (from) : NULL;
  message->seqno = seqno ? g_bytes_ref (seqno) : NULL;
  return message;
}

/**
 * satori_pubsub_message_ref:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (transfer full): @message
 */
SatoriPubsubMessage *
satori_pubsub_message_ref (SatoriPubsubMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);
  g_atomic_ref_count_inc (&message->ref_count);
  return message;
}

/**
 * satori_pubsub_message_unref:
 * @message: (transfer full): a #SatoriPubsubMessage
 *
 * Drops a reference.
 */
void
satori_pubsub_message_unref (SatoriPubsubMessage *message)
{
  g_return_if_fail (message != NULL);
  if (!g_atomic_ref_count_dec (&message->ref_count))
    return;
  g_free (message->topic);
  g_bytes_unref (message->data);
  g_clear_pointer (&message->from, satori_peer_id_unref);
  g_clear_pointer (&message->seqno, g_bytes_unref);
  g_free (message->id);
  g_clear_pointer (&message->signature, g_bytes_unref);
  g_clear_pointer (&message->key, g_bytes_unref);
  g_clear_pointer (&message->received_from, satori_peer_id_unref);
  g_free (message);
}

/**
 * satori_pubsub_message_get_topic:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: the topic
 */
const char *
satori_pubsub_message_get_topic (const SatoriPubsubMessage *message)
{
  return message->topic;
}

/**
 * satori_pubsub_message_get_data:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (transfer none): the payload
 */
GBytes *
satori_pubsub_message_get_data (const SatoriPubsubMessage *message)
{
  return message->data;
}

/**
 * satori_pubsub_message_get_from:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (transfer none) (nullable): the author
 */
SatoriPeerId *
satori_pubsub_message_get_from (const SatoriPubsubMessage *message)
{
  return message->from;
}

/**
 * satori_pubsub_message_get_seqno:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (transfer none) (nullable): the sequence number bytes
 */
GBytes *
satori_pubsub_message_get_seqno (const SatoriPubsubMessage *message)
{
  return message->seqno;
}

/**
 * satori_pubsub_message_get_id:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (nullable): the message id the router computed
 */
const char *
satori_pubsub_message_get_id (const SatoriPubsubMessage *message)
{
  return message->id;
}

/**
 * satori_pubsub_message_set_id:
 * @message: a #SatoriPubsubMessage not yet delivered
 * @id: the message id
 *
 * Sets the message id (routers do this).
 */
void
satori_pubsub_message_set_id (SatoriPubsubMessage *message, const char *id)
{
  g_free (message->id);
  message->id = g_strdup (id);
}

/**
 * satori_pubsub_message_get_signature:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (transfer none) (nullable): the author's signature
 */
GBytes *
satori_pubsub_message_get_signature (const SatoriPubsubMessage *message)
{
  return message->signature;
}

/**
 * satori_pubsub_message_get_key:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (transfer none) (nullable): the author's public key protobuf,
 *   when it was not inlined in the peer id
 */
GBytes *
satori_pubsub_message_get_key (const SatoriPubsubMessage *message)
{
  return message->key;
}

/**
 * satori_pubsub_message_set_signature:
 * @message: a #SatoriPubsubMessage not yet delivered
 * @signature: (nullable): the signature
 * @key: (nullable): the public key protobuf
 *
 * Sets the signature fields (routers do this).
 */
void
satori_pubsub_message_set_signature (SatoriPubsubMessage *message, GBytes *signature, GBytes *key)
{
  g_clear_pointer (&message->signature, g_bytes_unref);
  g_clear_pointer (&message->key, g_bytes_unref);
  message->signature = signature ? g_bytes_ref (signature) : NULL;
  message->key = key ? g_bytes_ref (key) : NULL;
}

/**
 * satori_pubsub_message_get_received_from:
 * @message: a #SatoriPubsubMessage
 *
 * Returns: (transfer none) (nullable): the peer that forwarded it to us, or
 *   %NULL for our own messages
 */
SatoriPeerId *
satori_pubsub_message_get_received_from (const SatoriPubsubMessage *message)
{
  return message->received_from;
}

/**
 * satori_pubsub_message_set_received_from:
 * @message: a #SatoriPubsubMessage not yet delivered
 * @peer: (nullable): the forwarding peer
 *
 * Sets the forwarding peer (routers do this).
 */
void
satori_pubsub_message_set_received_from (SatoriPubsubMessage *message, SatoriPeerId *peer)
{
  g_clear_pointer (&message->received_from, satori_peer_id_unref);
  message->received_from = peer ? satori_peer_id_ref (peer) : NULL;
}
