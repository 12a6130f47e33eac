/* satori-ping-service.c — /ipfs/ping/1.0.0: echo server and RTT client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-ping-service.h"

#include <string.h>

#include "satori-ping-responder.h"

/* Inbound ping streams served at once per peer, as go-libp2p allows. */
#define MAX_INBOUND_PER_PEER 2

/**
 * SatoriPingService:
 *
 * The libp2p ping protocol (libp2p/specs `ping/ping.md`). As a handler it
 * echoes 32-byte payloads for as long as the remote keeps a stream open,
 * at most two streams per peer at once. As a client,
 * satori_ping_service_ping_async() measures the round trip to a peer
 * through the host the service is attached to and records it in the
 * host's peerstore. It implements #SatoriPinger, for code that finds it
 * as the host's handler of %SATORI_PING_PROTOCOL: several pings then go
 * one after the other on one stream, as the spec allows.
 */
struct _SatoriPingService
{
  GObject parent_instance;

  GWeakRef host;
  GHashTable *inbound;       /* SatoriPeerId → guint streams being served */
  GCancellable *cancellable; /* cancelled on dispose */
};

static void satori_ping_service_iface_init (SatoriProtocolHandlerInterface *iface);
static void satori_ping_service_pinger_init (SatoriPingerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriPingService, satori_ping_service, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_ping_service_iface_init)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PINGER, satori_ping_service_pinger_init))

/* --- serving --- */

typedef struct
{
  GWeakRef service;
  SatoriPeerId *peer;
} Ticket;

static void
ticket_done (gpointer data)
{
  Ticket *ticket = data;
  g_autoptr(SatoriPingService) self = g_weak_ref_get (&ticket->service);

  if (self != NULL)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->inbound, ticket->peer));
      if (count <= 1)
        g_hash_table_remove (self->inbound, ticket->peer);
      else
        g_hash_table_insert (self->inbound, satori_peer_id_ref (ticket->peer),
                             GUINT_TO_POINTER (count - 1));
    }
  g_weak_ref_clear (&ticket->service);
  satori_peer_id_unref (ticket->peer);
  g_free (ticket);
}

static void
satori_ping_service_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                   const char *protocol_id, SatoriPeerId *remote_peer,
                                   SatoriMultiaddr *remote_address)
{
  SatoriPingService *self = SATORI_PING_SERVICE (handler);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->inbound, remote_peer));

  if (count >= MAX_INBOUND_PER_PEER)
    {
      g_autofree char *text = satori_peer_id_to_string (remote_peer);
      g_debug ("Refusing a ping stream from %s: %u already open", text, count);
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  g_hash_table_insert (self->inbound, satori_peer_id_ref (remote_peer),
                       GUINT_TO_POINTER (count + 1));

  Ticket *ticket = g_new0 (Ticket, 1);
  g_weak_ref_init (&ticket->service, self);
  ticket->peer = satori_peer_id_ref (remote_peer);
  satori_ping_responder_serve (stream, self->cancellable, ticket_done, ticket);
}

static void
satori_ping_service_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  g_weak_ref_set (&SATORI_PING_SERVICE (handler)->host, host);
}

static void
satori_ping_service_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  g_weak_ref_set (&SATORI_PING_SERVICE (handler)->host, NULL);
}

static void
satori_ping_service_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_ping_service_attach;
  iface->detach = satori_ping_service_detach;
  iface->handle_stream = satori_ping_service_handle_stream;
}

/* --- the client --- */

/* @count pings, one after the other, on one stream. */
typedef struct
{
  SatoriHost *host;
  SatoriPeerId *peer;
  GIOStream *stream;
  guint count;
  GArray *rtts;   /* gint64 µs, one per echo so far */
  gint64 started_us;
  guint8 sent[SATORI_PING_PAYLOAD_SIZE];
  guint8 echo[SATORI_PING_PAYLOAD_SIZE];
} PingData;

static void
ping_data_free (PingData *data)
{
  if (data->stream != NULL)
    g_io_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&data->stream);
  g_object_unref (data->host);
  satori_peer_id_unref (data->peer);
  g_array_unref (data->rtts);
  g_free (data);
}

static void send_ping (GTask *task);

static void
on_echo_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  PingData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize got = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &got, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  gint64 rtt_us = g_get_monotonic_time () - data->started_us;
  if (got != sizeof data->echo || memcmp (data->sent, data->echo, sizeof data->echo) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Ping echo does not match: got %" G_GSIZE_FORMAT " bytes", got);
      return;
    }
  satori_peerstore_record_latency (satori_host_get_peerstore (data->host), data->peer, rtt_us);
  g_array_append_val (data->rtts, rtt_us);
  if (data->rtts->len < data->count)
    send_ping (g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_ping_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  PingData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_input_stream_read_all_async (g_io_stream_get_input_stream (data->stream), data->echo,
                                 sizeof data->echo, G_PRIORITY_DEFAULT,
                                 cancellable, on_echo_read,
                                 g_steal_pointer (&task));
}

/* Takes @task. */
static void
send_ping (GTask *task)
{
  PingData *data = g_task_get_task_data (task);

  for (gsize i = 0; i < sizeof data->sent; i += sizeof (guint32))
    {
      guint32 word = g_random_int ();
      memcpy (data->sent + i, &word, sizeof word);
    }
  data->started_us = g_get_monotonic_time ();
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (data->stream), data->sent,
                                   sizeof data->sent, G_PRIORITY_DEFAULT,
                                   cancellable, on_ping_written, task);
}

static void
on_stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  PingData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->stream = satori_host_new_stream_finish (SATORI_HOST (source), result, NULL, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  send_ping (g_steal_pointer (&task));
}

static void
start_pings (SatoriPingService *service, SatoriPeerId *peer, guint count, gpointer source_tag,
             GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (service, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  SatoriHost *host = g_weak_ref_get (&service->host);
  if (host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "The ping service is not attached to a host");
      return;
    }
  PingData *data = g_new0 (PingData, 1);
  data->host = host;
  data->peer = satori_peer_id_ref (peer);
  data->count = count;
  data->rtts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), count);
  g_task_set_task_data (task, data, (GDestroyNotify) ping_data_free);

  const char *protocols[] = { SATORI_PING_PROTOCOL, NULL };
  satori_host_new_stream_async (host, peer, protocols, cancellable, on_stream_opened,
                                g_steal_pointer (&task));
}

/**
 * satori_ping_service_ping_async:
 * @service: a #SatoriPingService attached to a host
 * @peer: the peer to ping
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the echo came back or the ping failed
 * @user_data: its data
 *
 * Opens a `/ipfs/ping/1.0.0` stream to @peer (dialing it if needed), sends
 * 32 random bytes and waits for them to come back. On success the round
 * trip time is recorded with satori_peerstore_record_latency().
 */
void
satori_ping_service_ping_async (SatoriPingService *service, SatoriPeerId *peer,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PING_SERVICE (service));
  g_return_if_fail (peer != NULL);
  start_pings (service, peer, 1, satori_ping_service_ping_async, cancellable, callback,
               user_data);
}

/**
 * satori_ping_service_ping_finish:
 * @service: a #SatoriPingService
 * @result: the result passed to the callback
 * @rtt_us: (out) (optional): the round trip time, in microseconds
 * @error: a #GError: %G_IO_ERROR_INVALID_DATA when the echo differs from
 *   what was sent, the stream's error otherwise
 *
 * Returns: %TRUE if the peer echoed the ping
 */
gboolean
satori_ping_service_ping_finish (SatoriPingService *service, GAsyncResult *result,
                                 gint64 *rtt_us, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        satori_ping_service_ping_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (rtt_us != NULL)
    *rtt_us = g_array_index (((PingData *) g_task_get_task_data (G_TASK (result)))->rtts,
                             gint64, 0);
  return TRUE;
}

/* --- SatoriPinger: @count pings on one stream --- */

static void
satori_ping_service_pinger_ping_async (SatoriPinger *pinger, SatoriPeerId *peer, guint count,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  start_pings (SATORI_PING_SERVICE (pinger), peer, count, satori_ping_service_pinger_ping_async,
               cancellable, callback, user_data);
}

static GArray *
satori_ping_service_pinger_ping_finish (SatoriPinger *pinger, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pinger), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        satori_ping_service_pinger_ping_async, NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_array_ref (((PingData *) g_task_get_task_data (G_TASK (result)))->rtts);
}

static void
satori_ping_service_pinger_init (SatoriPingerInterface *iface)
{
  iface->ping_async = satori_ping_service_pinger_ping_async;
  iface->ping_finish = satori_ping_service_pinger_ping_finish;
}

/* --- the object --- */

static void
satori_ping_service_dispose (GObject *object)
{
  g_cancellable_cancel (SATORI_PING_SERVICE (object)->cancellable);
  G_OBJECT_CLASS (satori_ping_service_parent_class)->dispose (object);
}

static void
satori_ping_service_finalize (GObject *object)
{
  SatoriPingService *self = SATORI_PING_SERVICE (object);

  g_weak_ref_clear (&self->host);
  g_hash_table_unref (self->inbound);
  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (satori_ping_service_parent_class)->finalize (object);
}

static void
satori_ping_service_class_init (SatoriPingServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = satori_ping_service_dispose;
  object_class->finalize = satori_ping_service_finalize;
}

static void
satori_ping_service_init (SatoriPingService *self)
{
  g_weak_ref_init (&self->host, NULL);
  self->inbound = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                         (GDestroyNotify) satori_peer_id_unref, NULL);
  self->cancellable = g_cancellable_new ();
}

/**
 * satori_ping_service_new:
 *
 * Returns: (transfer full): a ping service; add it to a host with
 *   satori_host_set_handler() for %SATORI_PING_PROTOCOL
 */
SatoriPingService *
satori_ping_service_new (void)
{
  return g_object_new (SATORI_TYPE_PING_SERVICE, NULL);
}
