/* satori-autonat-server.c — the AutoNAT server: one inbound DIAL request
 * read, checked, dialed back and answered
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-autonat-service-private.h"
#include "satori-autonat-targets.h"
#include "satori-multiaddr-protocols.h"

typedef struct
{
  SatoriAutonatService *service;
  GIOStream *stream;
  SatoriPeerId *peer;
  SatoriMultiaddr *observed;
  GPtrArray *targets;         /* SatoriMultiaddr, dialed in order */
  guint next;
  GCancellable *service_cancellable;
  gulong cancelled_id;
  GCancellable *cancellable;  /* this request: service stopped, or read timed out */
  GCancellable *dial;         /* the dial in progress */
  guint timeout_source;       /* reading the request, then each dial */
  gboolean timed_out;
  char *last_error;
} Request;

static void
request_free (Request *request)
{
  g_clear_handle_id (&request->timeout_source, g_source_remove);
  g_cancellable_disconnect (request->service_cancellable, request->cancelled_id);
  g_object_unref (request->service_cancellable);
  g_io_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (request->stream);
  g_object_unref (request->service);
  satori_peer_id_unref (request->peer);
  satori_multiaddr_unref (request->observed);
  g_clear_pointer (&request->targets, g_ptr_array_unref);
  g_object_unref (request->cancellable);
  g_clear_object (&request->dial);
  g_free (request->last_error);
  g_free (request);
}

static void
on_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_frame_stream_write_finish (G_IO_STREAM (source), result, &error))
    g_debug ("AutoNAT answer not sent: %s", error->message);
  request_free (request);
}

static void
answer (Request *request, SatoriAutonatStatus status, const char *text, SatoriMultiaddr *addr)
{
  g_autoptr(GBytes) message = satori_autonat_message_encode_response (status, text, addr);

  g_debug ("AutoNAT request: status %d%s%s", status, text ? ", " : "", text ? text : "");
  satori_frame_stream_write_async (request->stream, message, request->cancellable, on_answered,
                                   request);
}

static gboolean
on_timeout (gpointer user_data)
{
  Request *request = user_data;

  request->timeout_source = 0;
  request->timed_out = TRUE;
  g_cancellable_cancel (request->dial != NULL ? request->dial : request->cancellable);
  return G_SOURCE_REMOVE;
}

static void dial_next (Request *request);

static void
on_dialed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection = satori_host_connect_finish (SATORI_HOST (source),
                                                                       result, &error);

  g_clear_handle_id (&request->timeout_source, g_source_remove);
  g_clear_object (&request->dial);
  if (connection != NULL &&
      !satori_peer_id_equal (satori_connection_get_remote_peer (connection), request->peer))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "another peer answered");
  if (connection != NULL)
    satori_connection_close_async (connection, NULL, NULL, NULL);
  if (error == NULL)
    {
      answer (request, SATORI_AUTONAT_STATUS_OK, NULL,
              g_ptr_array_index (request->targets, request->next - 1));
      return;
    }
  g_free (request->last_error);
  request->last_error = request->timed_out ? g_strdup ("dial timed out")
                                           : g_strdup (error->message);
  dial_next (request);
}

/* Whether we hold a connection we dialed to @target, with the requester
 * at the other end: proof enough. (Dialing it again from the port we
 * share with our listener would even fail: the same four-tuple.) */
static gboolean
dialed_before (SatoriHost *host, SatoriPeerId *peer, SatoriMultiaddr *target)
{
  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);

  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      g_autoptr(SatoriMultiaddr) remote = satori_multiaddr_decapsulate (
        satori_connection_get_remote_address (connection), SATORI_PROTO_P2P);
      if (satori_connection_get_direction (connection) == SATORI_DIRECTION_OUTBOUND &&
          !satori_connection_is_closed (connection) &&
          satori_peer_id_equal (satori_connection_get_remote_peer (connection), peer) &&
          satori_multiaddr_equal (remote, target))
        return TRUE;
    }
  return FALSE;
}

/* Dials the targets one after the other until one answers as the
 * requester. */
static void
dial_next (Request *request)
{
  SatoriHost *host = request->service->host;

  if (g_cancellable_is_cancelled (request->cancellable) || host == NULL)
    {
      request_free (request);
      return;
    }
  if (request->next == request->targets->len)
    {
      answer (request, SATORI_AUTONAT_STATUS_E_DIAL_ERROR, request->last_error, NULL);
      return;
    }
  SatoriMultiaddr *target = g_ptr_array_index (request->targets, request->next++);
  if (dialed_before (host, request->peer, target))
    {
      answer (request, SATORI_AUTONAT_STATUS_OK, NULL, target);
      return;
    }
  request->dial = g_cancellable_new ();
  request->timed_out = FALSE;
  request->timeout_source = g_timeout_add_seconds (request->service->dial_timeout, on_timeout,
                                                   request);
  /* Without /p2p/ in the address the host dials anew instead of reusing
   * the connection the request came on. */
  satori_host_connect_async (host, target, request->dial, on_dialed, request);
}

static void
handle_request (Request *request, GBytes *frame)
{
  SatoriAutonatService *self = request->service;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);
  g_autoptr(SatoriAutonatMessage) message = satori_autonat_message_decode (data, len, &error);
  const char *refusal = NULL;

  if (message == NULL || message->type != SATORI_AUTONAT_MESSAGE_DIAL)
    {
      answer (request, SATORI_AUTONAT_STATUS_E_BAD_REQUEST,
              message == NULL ? error->message : "not a DIAL message", NULL);
      return;
    }
  if (message->peer_id == NULL ||
      !g_bytes_equal (message->peer_id, satori_peer_id_get_bytes (request->peer)))
    {
      answer (request, SATORI_AUTONAT_STATUS_E_BAD_REQUEST, "peer id mismatch", NULL);
      return;
    }
  if (!self->server)
    {
      answer (request, SATORI_AUTONAT_STATUS_E_DIAL_REFUSED, "not serving AutoNAT", NULL);
      return;
    }
  request->targets = satori_autonat_dial_targets (message->addrs, request->observed,
                                                  self->allow_private, &refusal);
  if (refusal != NULL)
    {
      answer (request, SATORI_AUTONAT_STATUS_E_DIAL_REFUSED, refusal, NULL);
      return;
    }
  if (!satori_autonat_throttle_admit (self->throttle, request->peer, g_get_monotonic_time ()))
    {
      answer (request, SATORI_AUTONAT_STATUS_E_DIAL_REFUSED, "too many requests", NULL);
      return;
    }
  dial_next (request);
}

static void
on_request_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Request *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = satori_frame_stream_read_finish (G_IO_STREAM (source), result,
                                                             &error);

  g_clear_handle_id (&request->timeout_source, g_source_remove);
  if (frame == NULL || request->service->host == NULL)
    {
      g_debug ("AutoNAT request not read: %s",
               error != NULL ? error->message : frame == NULL ? "the stream ended" : "detached");
      request_free (request);
      return;
    }
  handle_request (request, frame);
}

static void
on_service_cancelled (GCancellable *cancellable, Request *request)
{
  /* The pending read, dial or write then ends, and frees the request. */
  g_cancellable_cancel (request->cancellable);
  if (request->dial != NULL)
    g_cancellable_cancel (request->dial);
}

/* Serves one inbound stream: one DIAL in, one DIAL_RESPONSE out. */
void
_satori_autonat_service_serve (SatoriAutonatService *self, GIOStream *stream,
                               SatoriPeerId *remote_peer, SatoriMultiaddr *remote_address)
{
  if (self->host == NULL || self->cancellable == NULL)
    {
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  Request *request = g_new0 (Request, 1);
  request->service = g_object_ref (self);
  request->stream = g_object_ref (stream);
  request->peer = satori_peer_id_ref (remote_peer);
  request->observed = satori_multiaddr_ref (remote_address);
  request->cancellable = g_cancellable_new ();
  request->service_cancellable = g_object_ref (self->cancellable);
  request->cancelled_id = g_cancellable_connect (self->cancellable,
                                                 G_CALLBACK (on_service_cancelled), request,
                                                 NULL);
  request->timeout_source = g_timeout_add_seconds (self->request_timeout, on_timeout, request);
  satori_frame_stream_read_async (stream, SATORI_AUTONAT_MAX_MESSAGE_SIZE, request->cancellable,
                                  on_request_read, request);
}
