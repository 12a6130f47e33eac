/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-protobuf.h"

#include "satori-frame.h"
#include "satori-varint.h"

/**
 * satori_protobuf_append_delimited:
 * @array: where to append
 * @message: a protobuf-c message
 *
 * Appends @message, prefixed with the varint of its packed size, to @array.
 */
void
satori_protobuf_append_delimited (GByteArray *array, const ProtobufCMessage *message)
{
  g_return_if_fail (array != NULL);
  g_return_if_fail (message != NULL);

  gsize size = protobuf_c_message_get_packed_size (message);
  satori_varint_append (array, size);

  guint old_len = array->len;
  g_byte_array_set_size (array, old_len + size);
  gsize packed = protobuf_c_message_pack (message, array->data + old_len);
  g_assert (packed == size);
}

/**
 * satori_protobuf_pack:
 * @message: a protobuf-c message
 *
 * Returns: (transfer full): the wire encoding of @message
 */
GBytes *
satori_protobuf_pack (const ProtobufCMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  gsize size = protobuf_c_message_get_packed_size (message);
  guint8 *data = g_malloc (size);
  gsize packed = protobuf_c_message_pack (message, data);
  g_assert (packed == size);
  return g_bytes_new_take (data, size);
}

/**
 * satori_protobuf_pack_delimited:
 * @message: a protobuf-c message
 *
 * Returns: (transfer full): the wire encoding of @message, prefixed with
 *   the varint of its size
 */
GBytes *
satori_protobuf_pack_delimited (const ProtobufCMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  GByteArray *array = g_byte_array_new ();
  satori_protobuf_append_delimited (array, message);
  return g_byte_array_free_to_bytes (array);
}

/**
 * satori_protobuf_unpack:
 * @descriptor: the type of message expected
 * @data: (array length=len): the wire encoding of one message
 * @len: its size
 * @max_size: the largest encoding to accept
 * @error: %SATORI_CODEC_ERROR_TOO_LARGE when @len is over @max_size,
 *   %SATORI_CODEC_ERROR_MALFORMED when @data is not a valid message of
 *   that type
 *
 * Returns: (transfer full) (nullable): the message, to free with
 *   protobuf_c_message_free_unpacked(), or %NULL on error
 */
ProtobufCMessage *
satori_protobuf_unpack (const ProtobufCMessageDescriptor *descriptor,
                        const guint8 *data, gsize len, gsize max_size, GError **error)
{
  g_return_val_if_fail (descriptor != NULL, NULL);
  g_return_val_if_fail (descriptor->magic == PROTOBUF_C__MESSAGE_DESCRIPTOR_MAGIC, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > max_size)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE,
                   "%s message of %" G_GSIZE_FORMAT " bytes is over the limit of %"
                   G_GSIZE_FORMAT " bytes", descriptor->name, len, max_size);
      return NULL;
    }

  /* protobuf-c says only NULL, whatever went wrong. */
  ProtobufCMessage *message = protobuf_c_message_unpack (descriptor, NULL, len, data);
  if (message == NULL)
    g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                 "not a valid %s message (%" G_GSIZE_FORMAT " bytes)",
                 descriptor->name, len);
  return message;
}

/**
 * satori_protobuf_unpack_delimited:
 * @descriptor: the type of message expected
 * @data: (array length=len): bytes that start with a varint-prefixed message
 * @len: how many bytes @data holds
 * @max_size: the largest encoding to accept, prefix not counted
 * @consumed: (out) (optional): the size of the prefixed message
 * @error: %SATORI_CODEC_ERROR_TRUNCATED when @data ends inside the message
 *   (read more and try again), %SATORI_CODEC_ERROR_TOO_LARGE when the
 *   prefix announces more than @max_size bytes, a varint error, or
 *   %SATORI_CODEC_ERROR_MALFORMED when the message does not parse
 *
 * Returns: (transfer full) (nullable): the message, to free with
 *   protobuf_c_message_free_unpacked(), or %NULL on error
 */
ProtobufCMessage *
satori_protobuf_unpack_delimited (const ProtobufCMessageDescriptor *descriptor,
                                  const guint8 *data, gsize len, gsize max_size,
                                  gsize *consumed, GError **error)
{
  const guint8 *payload;
  gsize payload_len, frame_len;

  g_return_val_if_fail (descriptor != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (!satori_frame_decode (data, len, max_size, &payload, &payload_len, &frame_len, error))
    return NULL;
  ProtobufCMessage *message = satori_protobuf_unpack (descriptor, payload, payload_len,
                                                      max_size, error);
  if (message != NULL && consumed != NULL)
    *consumed = frame_len;
  return message;
}
