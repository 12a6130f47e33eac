/* satori-store-stream.c — one unframed JSON object read from or written
 * to a stream, and waiting for the peer's end of it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-stream.h"

#include <glib/gi18n-lib.h>

#include "satori-store-error.h"
#include "satori-store-scanner.h"

#define READ_SIZE 16384

/* What a peer may still send after its message before closing: a
 * trailing newline, not a second message. */
#define MAX_TRAILING 1024

typedef struct
{
  SatoriStoreScanner scanner;
  GByteArray *message;
  gsize max_size;
  guint8 buffer[READ_SIZE];
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_byte_array_unref (data->message);
  g_free (data);
}

static void read_more (GTask *task);

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  gsize before = data->scanner.length;
  if (n > 0 && !satori_store_scanner_feed (&data->scanner, data->buffer, n, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Only the object's bytes are kept; a peer that closes without ending
   * it leaves the decoder something to refuse. */
  g_byte_array_append (data->message, data->buffer, data->scanner.length - before);
  if (data->message->len > data->max_size)
    g_task_return_new_error (task, SATORI_STORE_ERROR, SATORI_STORE_ERROR_TOO_LARGE,
                             _("Message over %lu bytes"), (unsigned long) data->max_size);
  else if (data->scanner.done || n == 0)
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_byte_array_ref (data->message)),
                           (GDestroyNotify) g_bytes_unref);
  else
    read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);
  GInputStream *input = g_io_stream_get_input_stream (g_task_get_source_object (task));
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_input_stream_read_async (input, data->buffer, sizeof data->buffer, G_PRIORITY_DEFAULT,
                             cancellable, on_read, task);
}

/**
 * satori_store_stream_read_async:
 * @stream: a stream
 * @max_size: the largest message accepted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the message
 * @user_data: its data
 *
 * Reads one JSON object, up to its closing brace or to the end of the
 * stream, whichever comes first: the store protocol has no framing, and
 * Python's client waits for the answer without closing its side.
 */
void
satori_store_stream_read_async (GIOStream *stream, gsize max_size, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, satori_store_stream_read_async);
  data->message = g_byte_array_new ();
  data->max_size = max_size;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  read_more (task);
}

/**
 * satori_store_stream_read_finish:
 * @stream: the stream
 * @result: the result passed to the callback
 * @error: %SATORI_STORE_ERROR_TOO_LARGE, %SATORI_STORE_ERROR_MALFORMED
 *   for bytes that cannot start an object, or the stream's error
 *
 * Returns: (transfer full) (nullable): the object's bytes (whatever came
 *   before the end of the stream if it did not end), or %NULL on error
 */
GBytes *
satori_store_stream_read_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GBytes *message;
  gboolean close_side;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_bytes_unref (data->message);
  g_free (data);
}

static void
on_output_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  WriteData *data = g_task_get_task_data (task);
  if (!data->close_side)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_output_stream_close_async (G_OUTPUT_STREAM (source), G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task), on_output_closed, task);
}

/**
 * satori_store_stream_write_async:
 * @stream: a stream
 * @message: the whole message
 * @close_side: whether to close the writing side of @stream after it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once it is written
 * @user_data: its data
 *
 * Writes @message and, with @close_side, closes the writing side of
 * @stream: the peer then sees the end of the message as the end of the
 * stream.
 */
void
satori_store_stream_write_async (GIOStream *stream, GBytes *message, gboolean close_side,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (message != NULL);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  gsize len;
  const guint8 *data = g_bytes_get_data (message, &len);

  g_task_set_source_tag (task, satori_store_stream_write_async);
  WriteData *write = g_new0 (WriteData, 1);
  write->message = g_bytes_ref (message);
  write->close_side = close_side;
  g_task_set_task_data (task, write, (GDestroyNotify) write_data_free);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, len,
                                   G_PRIORITY_DEFAULT, cancellable, on_written, task);
}

/**
 * satori_store_stream_write_finish:
 * @stream: the stream
 * @result: the result passed to the callback
 * @error: the stream's error
 *
 * Returns: whether the message was written (and the side closed)
 */
gboolean
satori_store_stream_write_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  gsize trailing;
  guint8 buffer[256];
} EndData;

static void read_end (GTask *task);

static void
on_end_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  EndData *data = g_task_get_task_data (task);
  GError *error = NULL;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    g_task_return_error (task, error);
  else if (n == 0)
    g_task_return_boolean (task, TRUE);
  else if ((data->trailing += n) > MAX_TRAILING)
    g_task_return_new_error (task, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                             _("More bytes after the message"));
  else
    read_end (g_steal_pointer (&task));
}

static void
read_end (GTask *task)
{
  EndData *data = g_task_get_task_data (task);
  GInputStream *input = g_io_stream_get_input_stream (g_task_get_source_object (task));
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_input_stream_read_async (input, data->buffer, sizeof data->buffer, G_PRIORITY_DEFAULT,
                             cancellable, on_end_read, task);
}

/**
 * satori_store_stream_wait_end_async:
 * @stream: a stream whose message was read
 * @cancellable: (nullable): a #GCancellable; the only timeout
 * @callback: called once the peer closed its side
 * @user_data: its data
 *
 * Waits for the peer to close its writing side, which a client does once
 * it has read the response: the holder's acknowledgement.
 */
void
satori_store_stream_wait_end_async (GIOStream *stream, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (G_IS_IO_STREAM (stream));
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_store_stream_wait_end_async);
  g_task_set_task_data (task, g_new0 (EndData, 1), g_free);
  read_end (task);
}

/**
 * satori_store_stream_wait_end_finish:
 * @stream: the stream
 * @result: the result passed to the callback
 * @error: the stream's error (a reset, a cancellation), or
 *   %SATORI_STORE_ERROR_MALFORMED when the peer went on sending
 *
 * Returns: whether the peer closed its side cleanly
 */
gboolean
satori_store_stream_wait_end_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
