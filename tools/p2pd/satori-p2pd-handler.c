/* satori-p2pd-handler.c — a protocol handler that passes inbound streams
 * on to a daemon client: dials the client's address, sends a StreamInfo,
 * then splices
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "satori-p2pd-handler.h"
#include "satori-p2pd-request.h"
#include "satori-p2pd-splice.h"

struct _SatoriP2pdHandler
{
  GObject parent_instance;
  GSocketAddress *client_address;
};

static void satori_p2pd_handler_iface_init (SatoriProtocolHandlerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriP2pdHandler, satori_p2pd_handler, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER,
                                                      satori_p2pd_handler_iface_init))

/* One inbound stream on its way to the client. */
typedef struct
{
  GIOStream *stream;
  GSocketConnection *client;
  GBytes *stream_info;
} Inbound;

static void
inbound_free (Inbound *inbound)
{
  g_clear_object (&inbound->stream);
  g_clear_object (&inbound->client);
  g_clear_pointer (&inbound->stream_info, g_bytes_unref);
  g_free (inbound);
}

static void
inbound_fail (Inbound *inbound, GError *error)
{
  g_warning (_("Cannot pass an inbound stream to the client: %s"), error->message);
  g_error_free (error);
  g_io_stream_close_async (inbound->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  inbound_free (inbound);
}

static void
on_spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!satori_p2pd_splice_finish (result, &error))
    g_debug ("Inbound stream ended: %s", error->message);
  inbound_free (user_data);
}

static void
on_stream_info_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Inbound *inbound = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      inbound_fail (inbound, error);
      return;
    }
  satori_p2pd_splice_async (inbound->stream, G_IO_STREAM (inbound->client), NULL, on_spliced,
                            inbound);
}

static void
on_client_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Inbound *inbound = user_data;
  GError *error = NULL;

  inbound->client = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (inbound->client == NULL)
    {
      inbound_fail (inbound, error);
      return;
    }
  gsize len;
  const guint8 *data = g_bytes_get_data (inbound->stream_info, &len);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (inbound->client)),
                                   data, len, G_PRIORITY_DEFAULT, NULL, on_stream_info_sent,
                                   inbound);
}

static void
satori_p2pd_handler_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                   const char *protocol_id, SatoriPeerId *remote_peer,
                                   SatoriMultiaddr *remote_address)
{
  SatoriP2pdHandler *self = SATORI_P2PD_HANDLER (handler);
  Inbound *inbound = g_new0 (Inbound, 1);
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  inbound->stream = g_object_ref (stream);
  inbound->stream_info = satori_p2pd_stream_info (remote_peer, remote_address, protocol_id);
  /* The client's address is a unix socket or loopback: no proxy. (GIO's
   * libproxy module, when installed, throws C++ exceptions that abort the
   * process under ASan.) */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->client_address), NULL,
                                 on_client_connected, inbound);
}

static void
satori_p2pd_handler_finalize (GObject *object)
{
  SatoriP2pdHandler *self = SATORI_P2PD_HANDLER (object);

  g_clear_object (&self->client_address);
  G_OBJECT_CLASS (satori_p2pd_handler_parent_class)->finalize (object);
}

static void
satori_p2pd_handler_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->handle_stream = satori_p2pd_handler_handle_stream;
}

static void
satori_p2pd_handler_class_init (SatoriP2pdHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_p2pd_handler_finalize;
}

static void
satori_p2pd_handler_init (SatoriP2pdHandler *self)
{
}

/**
 * satori_p2pd_handler_new:
 * @client_address: where the client listens for streams
 *
 * Returns: (transfer full): a handler that dials @client_address for
 *   every inbound stream
 */
SatoriP2pdHandler *
satori_p2pd_handler_new (GSocketAddress *client_address)
{
  SatoriP2pdHandler *self = g_object_new (SATORI_TYPE_P2PD_HANDLER, NULL);

  self->client_address = g_object_ref (client_address);
  return self;
}
