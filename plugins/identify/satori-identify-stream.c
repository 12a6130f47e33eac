/* satori-identify-stream.c — Identify messages over a stream: read every
 * length-prefixed message until end of file, or send one and close
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-identify-stream.h"

#define READ_SIZE 4096

typedef struct
{
  SatoriFrameReader *frames;
  SatoriIdentifyMessage *merged;   /* NULL until the first message */
  guint n_messages;
  guint8 buffer[READ_SIZE];
} ReadData;

static void
read_data_free (ReadData *data)
{
  satori_frame_reader_free (data->frames);
  g_clear_pointer (&data->merged, satori_identify_message_unref);
  g_free (data);
}

/* Feeds what was read to the frame reader and decodes whole frames. */
static gboolean
take_bytes (ReadData *data, gsize len, GError **error)
{
  gsize offset = 0;

  while (offset < len)
    {
      g_autoptr(GBytes) frame = NULL;
      gsize consumed = 0;

      if (data->n_messages == SATORI_IDENTIFY_MAX_MESSAGES)
        return TRUE;   /* Enough: the rest is ignored. */
      if (!satori_frame_reader_feed (data->frames, data->buffer + offset, len - offset,
                                     &consumed, &frame, error))
        return FALSE;
      offset += consumed;
      if (frame == NULL)
        continue;

      gsize size;
      const guint8 *payload = g_bytes_get_data (frame, &size);
      g_autoptr(SatoriIdentifyMessage) message = satori_identify_message_decode (payload, size,
                                                                                  error);
      if (message == NULL)
        return FALSE;
      data->n_messages++;
      if (data->merged == NULL)
        data->merged = g_steal_pointer (&message);
      else
        satori_identify_message_merge (data->merged, message);
    }
  return TRUE;
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0 || !take_bytes (data, n, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (n == 0 || data->n_messages == SATORI_IDENTIFY_MAX_MESSAGES)
    {
      /* A frame cut short after whole ones is dropped, as js-libp2p does. */
      if (data->merged == NULL)
        g_task_return_new_error (task, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED,
                                 "The stream ended before an Identify message");
      else
        g_task_return_pointer (task, satori_identify_message_ref (data->merged),
                               (GDestroyNotify) satori_identify_message_unref);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_input_stream_read_async (G_INPUT_STREAM (source), data->buffer, sizeof data->buffer,
                             G_PRIORITY_DEFAULT, cancellable, on_read,
                             g_steal_pointer (&task));
}

/**
 * satori_identify_stream_read_async:
 * @stream: a stream on which the remote sends Identify messages
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the remote closed its side
 * @user_data: its data
 *
 * Reads varint-length-prefixed Identify messages until end of file, at
 * most %SATORI_IDENTIFY_MAX_MESSAGES of at most
 * %SATORI_IDENTIFY_MAX_MESSAGE_SIZE bytes each, and merges them with
 * satori_identify_message_merge(). The caller closes @stream.
 */
void
satori_identify_stream_read_async (GIOStream *stream, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, satori_identify_stream_read_async);
  data->frames = satori_frame_reader_new (SATORI_IDENTIFY_MAX_MESSAGE_SIZE);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_input_stream_read_async (g_io_stream_get_input_stream (stream), data->buffer,
                             sizeof data->buffer, G_PRIORITY_DEFAULT, cancellable, on_read,
                             task);
}

/**
 * satori_identify_stream_read_finish:
 * @stream: the stream
 * @result: the result passed to the callback
 * @error: a #GError: a %SATORI_CODEC_ERROR for a malformed, oversized or
 *   missing message, or the stream's error
 *
 * Returns: (transfer full) (nullable): the merged message, or %NULL
 */
SatoriIdentifyMessage *
satori_identify_stream_read_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_io_stream_close_async (g_task_get_source_object (task), G_PRIORITY_DEFAULT, NULL,
                               NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  GIOStream *stream = g_task_get_source_object (task);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT,
                           cancellable, on_closed, g_steal_pointer (&task));
}

/**
 * satori_identify_stream_send_async:
 * @stream: a stream negotiated to an identify protocol
 * @message: what to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the message is written and @stream closed
 * @user_data: its data
 *
 * Writes @message with its varint length prefix, then closes @stream.
 */
void
satori_identify_stream_send_async (GIOStream *stream, const SatoriIdentifyMessage *message,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (message != NULL);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  g_autoptr(GBytes) payload = satori_identify_message_encode (message);
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  GBytes *frame = satori_frame_encode (data, len);

  g_task_set_source_tag (task, satori_identify_stream_send_async);
  g_task_set_task_data (task, frame, (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (frame, NULL), g_bytes_get_size (frame),
                                   G_PRIORITY_DEFAULT, cancellable, on_sent, task);
}

/**
 * satori_identify_stream_send_finish:
 * @stream: the stream
 * @result: the result passed to the callback
 * @error: a #GError
 *
 * Returns: %TRUE if the message was written and the stream closed
 */
gboolean
satori_identify_stream_send_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
