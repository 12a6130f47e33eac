/* satori-perf-client.c — runs /perf/1.0.0 against a peer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-perf-client.h"

#include "satori-perf-transfer.h"

typedef struct
{
  SatoriPerfSession *session;
  gint64 start_us;
  gint64 open_us;
} Run;

static void
run_free (Run *run)
{
  satori_perf_session_free (run->session);
  g_free (run);
}

static double
seconds_between (gint64 from_us, gint64 to_us)
{
  return to_us > 0 ? (double) (to_us - from_us) / G_USEC_PER_SEC : 0.0;
}

static void
on_transferred (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 write_closed_us, first_input_us;

  if (!satori_perf_transfer_finish (result, &write_closed_us, &first_input_us, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  SatoriPerfResult measured = {
    .upload_bytes = satori_perf_session_get_sent (run->session),
    .download_bytes = satori_perf_session_get_received (run->session),
    .seconds = seconds_between (run->start_us, g_get_monotonic_time ()),
    .stream_open_seconds = seconds_between (run->start_us, run->open_us),
    .upload_seconds = seconds_between (run->open_us, write_closed_us),
    .time_to_first_byte_seconds = seconds_between (run->start_us, first_input_us),
  };
  g_task_return_pointer (task, satori_perf_result_copy (&measured),
                         (GDestroyNotify) satori_perf_result_free);
}

static void
on_stream (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (SATORI_HOST (source), result,
                                                               NULL, &error);

  if (stream == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  run->open_us = g_get_monotonic_time ();
  satori_perf_transfer_async (stream, run->session, g_task_get_cancellable (task),
                              on_transferred, task);
}

/**
 * satori_perf_run_async:
 * @host: a host
 * @peer: the server, connected or known to @host's peerstore
 * @upload_bytes: how many bytes to send
 * @download_bytes: how many bytes to ask the server to send back
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the exchange is over
 * @user_data: data for @callback
 *
 * Opens a /perf/1.0.0 stream to @peer, uploads @upload_bytes, then
 * downloads @download_bytes, timing each part.
 */
void
satori_perf_run_async (SatoriHost *host, SatoriPeerId *peer, guint64 upload_bytes,
                       guint64 download_bytes, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  const char *protocols[] = { SATORI_PERF_PROTOCOL_ID, NULL };
  GTask *task;
  Run *run;

  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (peer != NULL);

  task = g_task_new (host, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_perf_run_async);
  run = g_new0 (Run, 1);
  run->session = satori_perf_session_new_client (upload_bytes, download_bytes);
  run->start_us = g_get_monotonic_time ();
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  satori_host_new_stream_async (host, peer, protocols, cancellable, on_stream, task);
}

/**
 * satori_perf_run_finish:
 * @host: a host
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the measurements, or %NULL with @error set
 *   (%G_IO_ERROR_INVALID_DATA if the server sent the wrong amount)
 */
SatoriPerfResult *
satori_perf_run_finish (SatoriHost *host, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == satori_perf_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
