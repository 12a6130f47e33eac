/* /satori/1.0.0 has no framing: the whole stream is the message, as the
 * Python peers write it (write once, close). Reading stops at a limit.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-message-stream.h"

#include <glib/gi18n-lib.h>

#define CHUNK 16384

typedef struct
{
  GByteArray *buffer;
  gsize limit;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static void read_more (GTask *task);

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gsize len = g_bytes_get_size (chunk);
  if (len == 0)
    {
      GByteArray *whole = g_steal_pointer (&data->buffer);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (whole),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (data->buffer->len + len > data->limit)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("The message is over the limit of %lu bytes"),
                               (unsigned long) data->limit);
      return;
    }
  g_byte_array_append (data->buffer, g_bytes_get_data (chunk, NULL), len);
  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);
  GIOStream *stream = g_task_get_source_object (task);
  /* One byte past the limit is enough to know it is exceeded. */
  gsize room = data->limit - data->buffer->len + 1;
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (stream), MIN (room, CHUNK),
                                   G_PRIORITY_DEFAULT, cancellable, on_read, task);
}

/**
 * satori_message_stream_read_async:
 * @stream: an inbound stream
 * @limit: the largest message accepted, in bytes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called at the end of the stream, or when over @limit
 * @user_data: data for @callback
 *
 * Reads everything until the peer closes its side.
 */
void
satori_message_stream_read_async (GIOStream *stream, gsize limit, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, satori_message_stream_read_async);
  data->buffer = g_byte_array_new ();
  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  read_more (task);
}

/**
 * satori_message_stream_read_finish:
 * @stream: the stream
 * @result: the #GAsyncResult
 * @error: %G_IO_ERROR_MESSAGE_TOO_LARGE over the limit, the stream's error
 *   otherwise
 *
 * Returns: (transfer full): the whole message
 */
GBytes *
satori_message_stream_read_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
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
  /* Read from the task before the call steals it: argument order is unspecified. */
  GCancellable *cancellable = g_task_get_cancellable (task);
  GIOStream *stream = g_task_get_source_object (task);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, cancellable, on_closed,
                           g_steal_pointer (&task));
}

/**
 * satori_message_stream_write_async:
 * @stream: an outbound stream
 * @message: the whole message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when written and closed
 * @user_data: data for @callback
 *
 * Writes @message and closes @stream: the peer reads it to the end.
 */
void
satori_message_stream_write_async (GIOStream *stream, GBytes *message,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (message, &len);

  g_task_set_source_tag (task, satori_message_stream_write_async);
  g_task_set_task_data (task, g_bytes_ref (message), (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, len,
                                   G_PRIORITY_DEFAULT, cancellable, on_written, task);
}

/**
 * satori_message_stream_write_finish:
 * @stream: the stream
 * @result: the #GAsyncResult
 * @error: the stream's error
 *
 * Returns: %TRUE when the message was written and the stream closed
 */
gboolean
satori_message_stream_write_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
