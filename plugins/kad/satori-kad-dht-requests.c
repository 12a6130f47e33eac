/* satori-kad-dht-requests.c — the requests SatoriKadDht sends, one stream
 * each, and its liveness checks of full buckets' oldest peers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-dht-private.h"
#include "satori-frame-stream.h"

typedef struct
{
  SatoriKadDht *dht;
  guint64 id;
  GBytes *message;
  gboolean expects_response;
  GCancellable *cancellable;   /* cancelled by the dial, then the request timeout */
  guint timeout_source;
  GIOStream *stream;
} Request;

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->timeout_source, g_source_remove);
  if (request->stream != NULL)
    g_io_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&request->stream);
  g_object_unref (request->cancellable);
  g_bytes_unref (request->message);
  g_object_unref (request->dht);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static gboolean
on_request_timeout (gpointer user_data)
{
  Request *request = user_data;

  request->timeout_source = 0;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

static void
request_failed (Request *request, GError *error)
{
  SatoriKadDht *self = request->dht;

  g_debug ("DHT request %" G_GUINT64_FORMAT " failed: %s", request->id, error->message);
  if (self->session == NULL)
    return;
  satori_kad_session_handle_request_failed (self->session, request->id, g_get_real_time ());
  _satori_kad_dht_drive (self);
}

static void
on_response_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  SatoriKadDht *self = request->dht;

  g_autoptr(GBytes) response = satori_frame_stream_read_finish (G_IO_STREAM (source), result,
                                                              &error);
  if (response == NULL && error == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "The stream ended before the response");
  if (error != NULL)
    {
      request_failed (request, error);
      return;
    }
  if (self->session == NULL)
    return;
  gsize len;
  const guint8 *data = g_bytes_get_data (response, &len);
  satori_kad_session_handle_response (self->session, request->id, data, len,
                                      g_get_real_time ());
  _satori_kad_dht_drive (self);
}

static void
on_request_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_frame_stream_write_finish (G_IO_STREAM (source), result, &error))
    {
      request_failed (request, error);
      return;
    }
  if (!request->expects_response)
    return;
  GIOStream *stream = request->stream;
  GCancellable *cancellable = request->cancellable;
  satori_frame_stream_read_async (stream, SATORI_KAD_MAX_MESSAGE_SIZE, cancellable,
                                on_response_read, g_steal_pointer (&request));
}

static void
on_request_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  request->stream = satori_host_new_stream_finish (SATORI_HOST (source), result, NULL, &error);
  if (request->stream == NULL)
    {
      request_failed (request, error);
      return;
    }
  /* Open: the answer now has the request timeout, the session knows it too. */
  g_clear_handle_id (&request->timeout_source, g_source_remove);
  request->timeout_source = g_timeout_add (request->dht->request_timeout, on_request_timeout,
                                           request);
  if (request->dht->session != NULL)
    satori_kad_session_handle_request_opened (request->dht->session, request->id,
                                              g_get_real_time ());
  GIOStream *stream = request->stream;
  GBytes *message = request->message;
  GCancellable *cancellable = request->cancellable;
  satori_frame_stream_write_async (stream, message, cancellable, on_request_written,
                                 g_steal_pointer (&request));
}

/* Opens a stream to the transmit's peer, writes the request and reads the
 * answer, within the dial timeout until the stream is open and the request
 * timeout after. */
void
_satori_kad_dht_send_request (SatoriKadDht *self, SatoriKadTransmit *transmit)
{
  g_autoptr(SatoriPeerId) peer = _satori_kad_dht_remember_peer (self, transmit->peer, NULL);

  if (peer == NULL || self->host == NULL)
    {
      satori_kad_session_handle_request_failed (self->session, transmit->request_id,
                                                g_get_real_time ());
      self->drive_again = TRUE;
      return;
    }
  Request *request = g_new0 (Request, 1);
  const char *protocols[] = { self->protocol_id, NULL };

  request->dht = g_object_ref (self);
  request->id = transmit->request_id;
  request->message = g_bytes_ref (transmit->message);
  request->expects_response = transmit->expects_response;
  request->cancellable = g_cancellable_new ();
  request->timeout_source = g_timeout_add (self->dial_timeout, on_request_timeout, request);
  satori_host_new_stream_async (self->host, peer, protocols, request->cancellable,
                                on_request_opened, request);
}

/* --- liveness checks of full buckets' oldest peers --- */

typedef struct
{
  SatoriKadDht *dht;
  GBytes *id;
} Check;

static void
on_check_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Check *check = user_data;
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (SATORI_HOST (source), result,
                                                               NULL, NULL);
  SatoriKadDht *self = check->dht;

  if (stream != NULL)
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self->session != NULL)
    {
      satori_kad_session_report_liveness (self->session, check->id, stream != NULL,
                                          g_get_real_time ());
      _satori_kad_dht_drive (self);
    }
  g_bytes_unref (check->id);
  g_object_unref (check->dht);
  g_free (check);
}

/* Alive: it still opens a DHT stream. */
void
_satori_kad_dht_check_peer (SatoriKadDht *self, SatoriKadPeer *peer)
{
  g_autoptr(SatoriPeerId) id = _satori_kad_dht_remember_peer (self, peer, NULL);
  const char *protocols[] = { self->protocol_id, NULL };

  if (id == NULL || self->host == NULL)
    {
      satori_kad_session_report_liveness (self->session, peer->id, FALSE, g_get_real_time ());
      self->drive_again = TRUE;
      return;
    }
  Check *check = g_new0 (Check, 1);
  check->dht = g_object_ref (self);
  check->id = g_bytes_ref (peer->id);
  satori_host_new_stream_async (self->host, id, protocols, self->cancellable, on_check_opened,
                                check);
}
