/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-rpc-writer.h"

#include "satori-frame.h"
#include "satori-protobuf.h"
#include "satori-varint.h"

/* RPC field tags with wire type 2 (length-delimited). */
#define TAG_SUBSCRIPTIONS 0x0a
#define TAG_PUBLISH       0x12
#define TAG_CONTROL       0x1a

struct _SatoriPubsubRpcWriter
{
  GByteArray *body;   /* the RPC without its frame prefix */
};

/**
 * satori_pubsub_rpc_writer_new:
 *
 * Returns: (transfer full): a writer of an empty RPC
 */
SatoriPubsubRpcWriter *
satori_pubsub_rpc_writer_new (void)
{
  SatoriPubsubRpcWriter *writer = g_new0 (SatoriPubsubRpcWriter, 1);
  writer->body = g_byte_array_new ();
  return writer;
}

/**
 * satori_pubsub_rpc_writer_free:
 * @writer: (transfer full) (nullable): a writer
 */
void
satori_pubsub_rpc_writer_free (SatoriPubsubRpcWriter *writer)
{
  if (writer == NULL)
    return;
  g_byte_array_unref (writer->body);
  g_free (writer);
}

static void
append_field (GByteArray *body, guint8 tag, const guint8 *data, gsize len)
{
  g_byte_array_append (body, &tag, 1);
  satori_frame_append (body, data, len);
}

static void
append_message_field (GByteArray *body, guint8 tag, const ProtobufCMessage *message)
{
  g_autoptr(GBytes) packed = satori_protobuf_pack (message);
  gsize len;
  const guint8 *data = g_bytes_get_data (packed, &len);
  append_field (body, tag, data, len);
}

/**
 * satori_pubsub_rpc_writer_add_subscription:
 * @writer: a writer
 * @topic: a topic
 * @subscribe: %TRUE to subscribe, %FALSE to unsubscribe
 */
void
satori_pubsub_rpc_writer_add_subscription (SatoriPubsubRpcWriter *writer, const char *topic,
                                           gboolean subscribe)
{
  Satori__Pubsub__RPC__SubOpts opts = SATORI__PUBSUB__RPC__SUB_OPTS__INIT;
  opts.has_subscribe = TRUE;
  opts.subscribe = subscribe;
  opts.topicid = (char *) topic;
  append_message_field (writer->body, TAG_SUBSCRIPTIONS, &opts.base);
}

/**
 * satori_pubsub_rpc_writer_add_message:
 * @writer: a writer
 * @encoded_message: an encoded Message, sent as it is
 */
void
satori_pubsub_rpc_writer_add_message (SatoriPubsubRpcWriter *writer, GBytes *encoded_message)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (encoded_message, &len);
  append_field (writer->body, TAG_PUBLISH, data, len);
}

/**
 * satori_pubsub_rpc_writer_set_control:
 * @writer: a writer
 * @control: the control part; call at most once per RPC
 */
void
satori_pubsub_rpc_writer_set_control (SatoriPubsubRpcWriter *writer,
                                      const Satori__Pubsub__ControlMessage *control)
{
  append_message_field (writer->body, TAG_CONTROL, &control->base);
}

/**
 * satori_pubsub_rpc_writer_get_size:
 * @writer: a writer
 *
 * Returns: the size of the RPC so far, without its frame prefix
 */
gsize
satori_pubsub_rpc_writer_get_size (SatoriPubsubRpcWriter *writer)
{
  return writer->body->len;
}

/**
 * satori_pubsub_rpc_writer_is_empty:
 * @writer: a writer
 *
 * Returns: whether nothing was added yet
 */
gboolean
satori_pubsub_rpc_writer_is_empty (SatoriPubsubRpcWriter *writer)
{
  return writer->body->len == 0;
}

/**
 * satori_pubsub_rpc_writer_finish:
 * @writer: a writer
 *
 * Ends the RPC and starts a new, empty one.
 *
 * Returns: (transfer full): the frame: the varint size, then the RPC
 */
GBytes *
satori_pubsub_rpc_writer_finish (SatoriPubsubRpcWriter *writer)
{
  GBytes *frame = satori_frame_encode (writer->body->data, writer->body->len);
  g_byte_array_set_size (writer->body, 0);
  return frame;
}
