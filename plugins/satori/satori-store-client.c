/* satori-store-client.c — one store or retrieve request to one holder
 *
 * The request is written without closing our side; once the response is
 * read the stream is closed, and that end of stream is what tells the
 * holder the response arrived (it deletes retrieved messages only then).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-client.h"

#include "satori-store-message.h"
#include "satori-store-stream.h"

typedef struct
{
  GIOStream *stream;
  GBytes *request;
  char *target;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->stream);
  g_bytes_unref (request->request);
  g_free (request->target);
  g_free (request);
}

static void
on_response (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) response = satori_store_stream_read_finish (request->stream, result, &error);
  GPtrArray *messages = NULL;

  if (response != NULL)
    messages = satori_store_response_decode (g_bytes_get_data (response, NULL),
                                             g_bytes_get_size (response), request->target,
                                             &error);
  g_io_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (messages == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (!satori_store_stream_write_finish (request->stream, result, &error))
    {
      g_io_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  satori_store_stream_read_async (request->stream, SATORI_STORE_MAX_RESPONSE_SIZE,
                                  g_task_get_cancellable (task), on_response, task);
}

static void
on_stream (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;

  request->stream = satori_host_new_stream_finish (SATORI_HOST (source), result, NULL, &error);
  if (request->stream == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  satori_store_stream_write_async (request->stream, request->request, FALSE,
                                   g_task_get_cancellable (task), on_written, task);
}

/**
 * satori_store_client_request_async:
 * @host: the host to open the stream from
 * @holder: the peer to ask (dialed if need be, at the addresses the
 *   peerstore knows)
 * @request: an encoded store or retrieve request
 * @target: the target of the request, set in the messages returned
 * @cancellable: (nullable): a #GCancellable; the only timeout
 * @callback: called with the response
 * @user_data: its data
 *
 * Sends @request on a new `/satori/store/1.0.0` stream and reads the
 * response.
 */
void
satori_store_client_request_async (SatoriHost *host, SatoriPeerId *holder, GBytes *request,
                                   const char *target, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  const char *protocols[] = { SATORI_STORE_PROTOCOL, NULL };
  GTask *task = g_task_new (host, cancellable, callback, user_data);
  Request *data = g_new0 (Request, 1);

  g_task_set_source_tag (task, satori_store_client_request_async);
  data->request = g_bytes_ref (request);
  data->target = g_strdup (target);
  g_task_set_task_data (task, data, (GDestroyNotify) request_free);
  satori_host_new_stream_async (host, holder, protocols, cancellable, on_stream, task);
}

/**
 * satori_store_client_request_finish:
 * @host: the host
 * @result: the result passed to the callback
 * @error: the stream's error, a %SATORI_STORE_ERROR for a bad response,
 *   or %SATORI_STORE_ERROR_REFUSED with the holder's message
 *
 * Returns: (transfer full) (element-type SatoriStoreEnvelope) (nullable):
 *   the messages of a retrieve response (none for a store response), or
 *   %NULL on error
 */
GPtrArray *
satori_store_client_request_finish (SatoriHost *host, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
