/* satori-perf-transfer.c — runs a perf session over a stream (GIO adapter)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reads, writes and closes as the session's state says, one asynchronous
 * call at a time, with one large buffer; the stream is closed at the end,
 * whether the exchange succeeded or not.
 */
#include "satori-perf-transfer.h"

typedef struct
{
  GIOStream *stream;
  SatoriPerfSession *session;    /* the caller's */
  guint8 *buffer;
  gint64 write_closed_us;
  gint64 first_input_us;
  GError *error;                 /* kept while the stream closes */
} Transfer;

static void
transfer_free (Transfer *transfer)
{
  g_object_unref (transfer->stream);
  g_free (transfer->buffer);
  g_clear_error (&transfer->error);
  g_free (transfer);
}

static void step (GTask *task);

static void
on_stream_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Transfer *transfer = g_task_get_task_data (task);

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  if (transfer->error != NULL)
    g_task_return_error (task, g_steal_pointer (&transfer->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
finish (GTask *task, GError *error)
{
  Transfer *transfer = g_task_get_task_data (task);

  transfer->error = error;
  g_io_stream_close_async (transfer->stream, G_PRIORITY_DEFAULT, NULL, on_stream_closed, task);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Transfer *transfer = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    finish (task, error);
  else if (n == 0 && !satori_perf_session_handle_eof (transfer->session, &error))
    finish (task, error);
  else
    {
      if (n > 0 && transfer->first_input_us == 0)
        transfer->first_input_us = g_get_monotonic_time ();
      if (n > 0)
        satori_perf_session_handle_input (transfer->session, transfer->buffer, n);
      step (task);
    }
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    finish (task, error);
  else
    step (task);
}

static void
on_write_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Transfer *transfer = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      finish (task, error);
      return;
    }
  transfer->write_closed_us = g_get_monotonic_time ();
  satori_perf_session_write_closed (transfer->session);
  step (task);
}

/* One I/O call for the session's state; the task's reference rides along. */
static void
step (GTask *task)
{
  Transfer *transfer = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gsize n;

  switch (satori_perf_session_get_state (transfer->session))
    {
    case SATORI_PERF_STATE_HEADER:
    case SATORI_PERF_STATE_RECEIVING:
      g_input_stream_read_async (g_io_stream_get_input_stream (transfer->stream),
                                 transfer->buffer, SATORI_PERF_BUFFER_SIZE, G_PRIORITY_DEFAULT,
                                 cancellable, on_read, task);
      break;
    case SATORI_PERF_STATE_SENDING:
      n = satori_perf_session_poll_transmit (transfer->session, transfer->buffer,
                                             SATORI_PERF_BUFFER_SIZE);
      if (n == 0)
        {
          step (task);
          break;
        }
      g_output_stream_write_all_async (g_io_stream_get_output_stream (transfer->stream),
                                       transfer->buffer, n, G_PRIORITY_DEFAULT, cancellable,
                                       on_written, task);
      break;
    case SATORI_PERF_STATE_CLOSING:
      g_output_stream_close_async (g_io_stream_get_output_stream (transfer->stream),
                                   G_PRIORITY_DEFAULT, cancellable, on_write_closed, task);
      break;
    case SATORI_PERF_STATE_DONE:
      finish (task, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * satori_perf_transfer_async:
 * @stream: a stream negotiated to /perf/1.0.0
 * @session: (transfer none): a client or server session, kept alive by the
 *   caller until @callback runs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the exchange is over and @stream is closed
 * @user_data: data for @callback
 *
 * Runs @session over @stream to the end, then closes @stream.
 */
void
satori_perf_transfer_async (GIOStream *stream, SatoriPerfSession *session,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  Transfer *transfer = g_new0 (Transfer, 1);

  g_task_set_source_tag (task, satori_perf_transfer_async);
  transfer->stream = g_object_ref (stream);
  transfer->session = session;
  transfer->buffer = g_malloc0 (SATORI_PERF_BUFFER_SIZE);
  g_task_set_task_data (task, transfer, (GDestroyNotify) transfer_free);
  step (task);
}

/**
 * satori_perf_transfer_finish:
 * @result: the result given to the callback
 * @write_closed_us: (out) (optional): when the write side was closed
 *   (monotonic time), or 0
 * @first_input_us: (out) (optional): when the first bytes were read, or 0
 * @error: return location for a #GError
 *
 * Returns: whether the exchange completed as the protocol says
 */
gboolean
satori_perf_transfer_finish (GAsyncResult *result, gint64 *write_closed_us,
                             gint64 *first_input_us, GError **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == satori_perf_transfer_async,
                        FALSE);
  Transfer *transfer = g_task_get_task_data (G_TASK (result));

  if (write_closed_us != NULL)
    *write_closed_us = transfer->write_closed_us;
  if (first_input_us != NULL)
    *first_input_us = transfer->first_input_us;
  return g_task_propagate_boolean (G_TASK (result), error);
}
