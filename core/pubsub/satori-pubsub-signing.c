/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-signing.h"

#include <string.h>

#include "satori-peer-id.h"
#include "satori-protobuf.h"
#include "satori-pubsub-error.h"

static void
set_binary (ProtobufCBinaryData *field, protobuf_c_boolean *has, GBytes *bytes)
{
  gsize len;
  field->data = (guint8 *) g_bytes_get_data (bytes, &len);
  field->len = len;
  *has = TRUE;
}

/* The bytes a signature covers: the prefix, then @message without its
 * signature and key. */
static GBytes *
signed_bytes (const Satori__Pubsub__Message *message)
{
  Satori__Pubsub__Message bare = *message;
  bare.has_signature = FALSE;
  bare.has_key = FALSE;

  gsize prefix = strlen (SATORI_PUBSUB_SIGN_PREFIX);
  gsize size = satori__pubsub__message__get_packed_size (&bare);
  guint8 *buffer = g_malloc (prefix + size);
  memcpy (buffer, SATORI_PUBSUB_SIGN_PREFIX, prefix);
  satori__pubsub__message__pack (&bare, buffer + prefix);
  return g_bytes_new_take (buffer, prefix + size);
}

/**
 * satori_pubsub_build_message:
 * @topic: the topic
 * @data: the payload
 * @seqno: (nullable): the sequence number, or %NULL for none
 * @key: (nullable): the author's key: the message gets `from`, `signature`
 *   and, when the peer id does not inline it, `key`; %NULL for an
 *   anonymous message (StrictNoSign)
 * @error: %SATORI_PUBSUB_ERROR_SIGN when signing fails
 *
 * Returns: (transfer full) (nullable): the encoded Message
 */
GBytes *
satori_pubsub_build_message (const char *topic, GBytes *data, GBytes *seqno,
                             SatoriPrivateKey *key, GError **error)
{
  Satori__Pubsub__Message message = SATORI__PUBSUB__MESSAGE__INIT;
  g_autoptr(GBytes) from = NULL;
  g_autoptr(GBytes) public_key = NULL;
  g_autoptr(GBytes) signature = NULL;

  g_return_val_if_fail (topic != NULL && data != NULL, NULL);

  message.topic = (char *) topic;
  set_binary (&message.data, &message.has_data, data);
  if (seqno != NULL)
    set_binary (&message.seqno, &message.has_seqno, seqno);
  if (key != NULL)
    {
      SatoriPublicKey *pub = satori_private_key_get_public_key (key);
      g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (pub);
      g_autoptr(SatoriPublicKey) inlined = satori_peer_id_extract_public_key (id);
      from = g_bytes_ref (satori_peer_id_get_bytes (id));
      set_binary (&message.from, &message.has_from, from);

      g_autoptr(GBytes) covered = signed_bytes (&message);
      g_autoptr(GError) local = NULL;
      gsize len;
      const guint8 *bytes = g_bytes_get_data (covered, &len);
      signature = satori_private_key_sign (key, bytes, len, &local);
      if (signature == NULL)
        {
          g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGN,
                       "cannot sign a pubsub message: %s", local->message);
          return NULL;
        }
      set_binary (&message.signature, &message.has_signature, signature);
      /* A hashed peer id (RSA) does not carry the key: send it along. */
      if (inlined == NULL)
        {
          public_key = satori_public_key_to_protobuf (pub);
          set_binary (&message.key, &message.has_key, public_key);
        }
    }
  return satori_protobuf_pack (&message.base);
}

/* The author's key: the `key` field, else the one inlined in `from`; in
 * both cases `from` must be that key's peer id. */
static SatoriPublicKey *
author_key (const Satori__Pubsub__Message *message, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(SatoriPeerId) from = satori_peer_id_new_from_bytes (message->from.data,
                                                                message->from.len, &local);
  if (from == NULL)
    {
      g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGNATURE,
                   "message from is not a peer id: %s", local->message);
      return NULL;
    }
  if (!message->has_key)
    {
      SatoriPublicKey *key = satori_peer_id_extract_public_key (from);
      if (key == NULL)
        g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGNATURE,
                             "message has no key and its from does not inline one");
      return key;
    }

  g_autoptr(SatoriPublicKey) key = satori_public_key_new_from_protobuf (message->key.data,
                                                                        message->key.len,
                                                                        &local);
  if (key == NULL)
    {
      g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGNATURE,
                   "message key does not parse: %s", local->message);
      return NULL;
    }
  if (!satori_peer_id_matches_public_key (from, key))
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGNATURE,
                           "message from does not match its key");
      return NULL;
    }
  return g_steal_pointer (&key);
}

/**
 * satori_pubsub_verify_message:
 * @message: a received message
 * @error: %SATORI_PUBSUB_ERROR_SIGNATURE
 *
 * Checks the signature of @message against its author: the key in `key`,
 * or inlined in `from`, which must be that key's peer id.
 *
 * Returns: whether @message carries a valid signature of its author
 */
gboolean
satori_pubsub_verify_message (const Satori__Pubsub__Message *message, GError **error)
{
  g_return_val_if_fail (message != NULL, FALSE);

  if (!message->has_from || !message->has_signature)
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGNATURE,
                           "message has no from or no signature");
      return FALSE;
    }
  g_autoptr(SatoriPublicKey) key = author_key (message, error);
  if (key == NULL)
    return FALSE;

  g_autoptr(GBytes) covered = signed_bytes (message);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (covered, &len);
  if (!satori_public_key_verify (key, bytes, len, message->signature.data,
                                 message->signature.len))
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGNATURE,
                           "message signature does not verify");
      return FALSE;
    }
  return TRUE;
}
