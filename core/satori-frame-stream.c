/* satori-frame-stream.c — one varint-length-prefixed message read from or
 * written to a stream (kad, rendezvous, any request/response protocol)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-frame-stream.h"

#include "satori-frame.h"

#define READ_SIZE 4096

typedef struct
{
  SatoriFrameReader *frames;
  gboolean started;          /* a byte of the frame came in */
  guint8 buffer[READ_SIZE];
} ReadData;

static void
read_data_free (ReadData *data)
{
  satori_frame_reader_free (data->frames);
  g_free (data);
}

static void read_more (GTask *task);

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) frame = NULL;
  gsize consumed = 0;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  if (n == 0)
    {
      if (data->started)
        g_task_return_new_error (task, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED,
                                 "The stream ended inside a message");
      else
        g_task_return_pointer (task, NULL, NULL);
      return;
    }
  data->started = TRUE;
  /* Never more than the reader wants: it takes everything read. */
  if (!satori_frame_reader_feed (data->frames, data->buffer, n, &consumed, &frame, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (frame != NULL)
    g_task_return_pointer (task, g_steal_pointer (&frame), (GDestroyNotify) g_bytes_unref);
  else
    read_more (g_steal_pointer (&task));
}

/* Reads only up to the end of the frame, so that whatever follows it
 * stays in the stream for the next read. */
static void
read_more (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);
  GInputStream *input = g_io_stream_get_input_stream (g_task_get_source_object (task));
  gsize wanted = MIN (satori_frame_reader_get_wanted (data->frames), sizeof data->buffer);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_input_stream_read_async (input, data->buffer, wanted, G_PRIORITY_DEFAULT, cancellable,
                             on_read, task);
}

/**
 * satori_frame_stream_read_async:
 * @stream: a stream carrying length-prefixed messages
 * @max_size: the largest message accepted, length prefix not counted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the message
 * @user_data: its data
 *
 * Reads one varint-length-prefixed message and nothing after it.
 */
void
satori_frame_stream_read_async (GIOStream *stream, gsize max_size, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, satori_frame_stream_read_async);
  data->frames = satori_frame_reader_new (max_size);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  read_more (task);
}

/**
 * satori_frame_stream_read_finish:
 * @stream: the stream
 * @result: the result passed to the callback
 * @error: a %SATORI_CODEC_ERROR for an oversized or cut message, or the
 *   stream's error
 *
 * Returns: (transfer full) (nullable): the message without its prefix, or
 *   %NULL with @error unset when the stream ended before it
 */
GBytes *
satori_frame_stream_read_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * satori_frame_stream_write_async:
 * @stream: a stream carrying length-prefixed messages
 * @message: the encoded message, without its length prefix
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once it is written
 * @user_data: its data
 *
 * Writes @message with its varint length prefix.
 */
void
satori_frame_stream_write_async (GIOStream *stream, GBytes *message, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (message != NULL);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);
  GBytes *frame = satori_frame_encode (data, len);

  g_task_set_source_tag (task, satori_frame_stream_write_async);
  g_task_set_task_data (task, frame, (GDestroyNotify) g_bytes_unref);
  data = g_bytes_get_data (frame, &len);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, len,
                                   G_PRIORITY_DEFAULT, cancellable, on_written, task);
}

/**
 * satori_frame_stream_write_finish:
 * @stream: the stream
 * @result: the result passed to the callback
 * @error: the stream's error
 *
 * Returns: whether the message was written
 */
gboolean
satori_frame_stream_write_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
