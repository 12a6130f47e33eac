/* satori-autonat-client.c — one AutoNAT probe: ask a peer to dial our
 * addresses back, and report what it answered to the session
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-autonat-service-private.h"
#include "satori-multiaddr-protocols.h"
#include "satori-peers-nat.h"

typedef struct
{
  SatoriAutonatService *service;
  SatoriPeerId *peer;
  GIOStream *stream;
  GCancellable *cancellable;   /* the service stopped, or the answer is late */
  GCancellable *service_cancellable;
  gulong cancelled_id;
  guint timeout_source;
} Probe;

static gboolean
on_timeout (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timeout_source = 0;
  g_cancellable_cancel (probe->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_service_cancelled (GCancellable *service_cancellable, GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
probe_finish (Probe *probe, SatoriAutonatOutcome outcome)
{
  SatoriAutonatService *self = probe->service;

  if (self->session != NULL)
    {
      satori_autonat_session_probe_done (self->session, probe->peer, outcome,
                                         g_get_monotonic_time ());
      _satori_autonat_service_drive (self);
    }
  if (probe->stream != NULL)
    {
      g_io_stream_close_async (probe->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_object_unref (probe->stream);
    }
  g_clear_handle_id (&probe->timeout_source, g_source_remove);
  g_cancellable_disconnect (probe->service_cancellable, probe->cancelled_id);
  g_object_unref (probe->service_cancellable);
  g_object_unref (probe->cancellable);
  satori_peer_id_unref (probe->peer);
  g_object_unref (probe->service);
  g_free (probe);
}

static SatoriAutonatOutcome
outcome_of (SatoriAutonatMessage *message)
{
  if (message->type != SATORI_AUTONAT_MESSAGE_DIAL_RESPONSE || !message->has_status)
    return SATORI_AUTONAT_OUTCOME_NONE;
  switch (message->status)
    {
    case SATORI_AUTONAT_STATUS_OK:
      return SATORI_AUTONAT_OUTCOME_REACHABLE;
    case SATORI_AUTONAT_STATUS_E_DIAL_ERROR:
      return SATORI_AUTONAT_OUTCOME_UNREACHABLE;
    default:
      return SATORI_AUTONAT_OUTCOME_NONE;
    }
}

static void
on_response (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = satori_frame_stream_read_finish (G_IO_STREAM (source), result,
                                                             &error);
  g_autoptr(SatoriAutonatMessage) message = NULL;

  if (frame != NULL)
    message = satori_autonat_message_decode (g_bytes_get_data (frame, NULL),
                                             g_bytes_get_size (frame), &error);
  if (message == NULL)
    {
      g_debug ("AutoNAT probe without an answer: %s",
               error != NULL ? error->message : "the stream ended");
      probe_finish (probe, SATORI_AUTONAT_OUTCOME_NONE);
      return;
    }
  g_debug ("AutoNAT answer: status %d %s", message->status,
           message->status_text ? message->status_text : "");
  probe_finish (probe, outcome_of (message));
}

static void
on_request_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_frame_stream_write_finish (G_IO_STREAM (source), result, &error))
    {
      g_debug ("AutoNAT request not sent: %s", error->message);
      probe_finish (probe, SATORI_AUTONAT_OUTCOME_NONE);
      return;
    }
  satori_frame_stream_read_async (probe->stream, SATORI_AUTONAT_MAX_MESSAGE_SIZE,
                                  probe->cancellable, on_response, probe);
}

/* The addresses to have dialed back: our IP addresses, expanded. */
static GPtrArray *
addresses_to_check (SatoriHost *host)
{
  g_autoptr(GPtrArray) all = satori_host_get_addresses (host);
  GPtrArray *addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);

  for (guint i = 0; i < all->len; i++)
    {
      SatoriMultiaddr *address = g_ptr_array_index (all, i);
      g_autoptr(GInetAddress) ip = satori_nat_address_ip (address);
      if (ip != NULL && !satori_multiaddr_has_protocol (address, SATORI_PROTO_P2P_CIRCUIT))
        g_ptr_array_add (addresses, satori_multiaddr_ref (address));
    }
  return addresses;
}

static void
on_stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Probe *probe = user_data;
  SatoriAutonatService *self = probe->service;
  g_autoptr(GError) error = NULL;

  probe->stream = satori_host_new_stream_finish (SATORI_HOST (source), result, NULL, &error);
  if (probe->stream == NULL || self->host == NULL ||
      g_cancellable_is_cancelled (probe->cancellable))
    {
      g_debug ("AutoNAT stream not opened: %s", error ? error->message : "stopped");
      probe_finish (probe, SATORI_AUTONAT_OUTCOME_NONE);
      return;
    }
  g_autoptr(GPtrArray) addresses = addresses_to_check (self->host);
  g_autoptr(GBytes) request = satori_autonat_message_encode_dial (
    satori_peer_id_get_bytes (satori_host_get_peer_id (self->host)), addresses);
  satori_frame_stream_write_async (probe->stream, request, probe->cancellable,
                                   on_request_written, probe);
}

/* Asks @peer; the session hears of the outcome (a probe it timed out
 * first is ignored there). */
void
_satori_autonat_service_probe (SatoriAutonatService *self, SatoriPeerId *peer)
{
  const char *protocols[] = { SATORI_AUTONAT_PROTOCOL, NULL };
  Probe *probe = g_new0 (Probe, 1);

  probe->service = g_object_ref (self);
  probe->peer = satori_peer_id_ref (peer);
  probe->cancellable = g_cancellable_new ();
  probe->service_cancellable = g_object_ref (self->cancellable);
  probe->cancelled_id = g_cancellable_connect (self->cancellable,
                                               G_CALLBACK (on_service_cancelled),
                                               probe->cancellable, NULL);
  probe->timeout_source = g_timeout_add_seconds (self->request_timeout, on_timeout, probe);
  satori_host_new_stream_async (self->host, peer, protocols, probe->cancellable,
                                on_stream_opened, probe);
}
