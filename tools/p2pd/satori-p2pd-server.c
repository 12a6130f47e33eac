/* satori-p2pd-server.c — the control socket of the libp2p daemon protocol
 *
 * One request per control connection: a varint-prefixed `Request`, read
 * to its last byte and no further (after STREAM_OPEN the rest of the
 * connection is the stream), answered with one `Response`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "satori-multiaddr-protocols.h"
#include "satori-p2pd-address.h"
#include "satori-p2pd-dht.h"
#include "satori-p2pd-handler.h"
#include "satori-p2pd-request.h"
#include "satori-p2pd-server.h"
#include "satori-p2pd-splice.h"
#include "satori-p2pd-subscription.h"

/* go-libp2p-daemon's default for CONNECT, STREAM_OPEN and DHT requests. */
#define DEFAULT_TIMEOUT_SECONDS 60
/* A 64 KiB size fits in three varint bytes. */
#define MAX_PREFIX_BYTES 3

struct _SatoriP2pdServer
{
  GObject parent_instance;
  SatoriHost *host;
  GSocketService *service;
  char *unix_path;
  GHashTable *topic_clients;   /* topic → SUBSCRIBE connections on it */
};

G_DEFINE_FINAL_TYPE (SatoriP2pdServer, satori_p2pd_server, G_TYPE_OBJECT)

/* One control connection and its request. */
typedef struct
{
  SatoriP2pdServer *server;
  GSocketConnection *connection;
  guint8 prefix_byte;
  guint prefix_len;
  gsize body_len;
  guint8 *body;
  SatoriP2pdRequest *request;
  GCancellable *cancellable;
  guint timeout_id;
  guint next_address;
  GIOStream *stream;
} Control;

static void
control_free (Control *control)
{
  g_clear_handle_id (&control->timeout_id, g_source_remove);
  g_clear_object (&control->server);
  g_clear_object (&control->connection);
  g_clear_pointer (&control->body, g_free);
  g_clear_pointer (&control->request, satori_p2pd_request_free);
  g_clear_object (&control->cancellable);
  g_clear_object (&control->stream);
  g_free (control);
}

static GInputStream *
control_input (Control *control)
{
  return g_io_stream_get_input_stream (G_IO_STREAM (control->connection));
}

static GOutputStream *
control_output (Control *control)
{
  return g_io_stream_get_output_stream (G_IO_STREAM (control->connection));
}

static void
on_response_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("Cannot send a response: %s", error->message);
  g_io_stream_close (G_IO_STREAM (control->connection), NULL, NULL);
  control_free (control);
}

/* Sends @response (consumed), then closes the control connection. */
static void
respond (Control *control, GBytes *response)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (response, &len);

  /* write_all_async copies nothing: keep the bytes alive with the control. */
  g_object_set_data_full (G_OBJECT (control->connection), "satori-p2pd-response", response,
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (control_output (control), data, len, G_PRIORITY_DEFAULT,
                                   NULL, on_response_sent, control);
}

static void
respond_error (Control *control, const char *message)
{
  respond (control, satori_p2pd_response_error (message));
}

static void
respond_gerror (Control *control, GError *error)
{
  respond_error (control, error->message);
  g_error_free (error);
}

static gboolean
on_timeout (gpointer user_data)
{
  Control *control = user_data;

  control->timeout_id = 0;
  g_cancellable_cancel (control->cancellable);
  return G_SOURCE_REMOVE;
}

static void
arm_timeout (Control *control)
{
  gint64 seconds = control->request->timeout_seconds;

  if (seconds <= 0 || seconds > G_MAXUINT / 1000)
    seconds = DEFAULT_TIMEOUT_SECONDS;
  control->timeout_id = g_timeout_add ((guint) seconds * 1000, on_timeout, control);
}

/* --- CONNECT -------------------------------------------------------- */

static void connect_next (Control *control, GError *last_error);

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  GError *error = NULL;
  g_autoptr(SatoriConnection) connection =
    satori_host_connect_finish (SATORI_HOST (source), result, &error);

  if (connection == NULL)
    connect_next (control, error);
  else
    respond (control, satori_p2pd_response_ok ());
}

/* Dials the request's addresses one after the other until one works. */
static void
connect_next (Control *control, GError *last_error)
{
  SatoriP2pdRequest *request = control->request;
  GError *error = NULL;

  if (control->next_address >= request->addresses->len ||
      g_cancellable_is_cancelled (control->cancellable))
    {
      if (last_error == NULL)
        last_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
                                          _("No address to dial the peer at"));
      g_prefix_error (&last_error, _("Cannot connect: "));
      respond_gerror (control, last_error);
      return;
    }
  g_clear_error (&last_error);

  SatoriMultiaddr *address = g_ptr_array_index (request->addresses, control->next_address++);
  g_autoptr(SatoriMultiaddr) full = NULL;
  if (satori_multiaddr_has_protocol (address, SATORI_PROTO_P2P))
    full = satori_multiaddr_ref (address);
  else
    {
      GBytes *id = satori_peer_id_get_bytes (request->peer);
      gsize len;
      const guint8 *data = g_bytes_get_data (id, &len);
      g_autoptr(SatoriMultiaddr) p2p = satori_multiaddr_new_p2p (data, len, &error);
      if (p2p == NULL)
        {
          connect_next (control, error);
          return;
        }
      full = satori_multiaddr_encapsulate (address, p2p);
    }
  satori_host_connect_async (control->server->host, full, control->cancellable, on_connected,
                             control);
}

static void
serve_connect (Control *control)
{
  SatoriHost *host = control->server->host;
  SatoriP2pdRequest *request = control->request;

  for (guint i = 0; i < request->addresses->len; i++)
    satori_peerstore_add_address (satori_host_get_peerstore (host), request->peer,
                                  g_ptr_array_index (request->addresses, i));
  if (satori_host_get_connection (host, request->peer) != NULL)
    {
      respond (control, satori_p2pd_response_ok ());
      return;
    }
  arm_timeout (control);
  connect_next (control, NULL);
}

/* --- DISCONNECT, LIST_PEERS, IDENTIFY ----------------------------------- */

static void
serve_disconnect (Control *control)
{
  g_autoptr(GPtrArray) connections = satori_host_get_connections (control->server->host);

  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      if (satori_peer_id_equal (satori_connection_get_remote_peer (connection),
                                control->request->peer))
        satori_connection_close_async (connection, NULL, NULL, NULL);
    }
  respond (control, satori_p2pd_response_ok ());
}

static void
serve_list_peers (Control *control)
{
  g_autoptr(GPtrArray) connections = satori_host_get_connections (control->server->host);

  respond (control, satori_p2pd_response_peers (connections));
}

static void
serve_identify (Control *control)
{
  SatoriHost *host = control->server->host;
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (host);

  respond (control, satori_p2pd_response_identify (satori_host_get_peer_id (host), addresses));
}

/* --- STREAM_OPEN -------------------------------------------------------- */

static void
on_spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!satori_p2pd_splice_finish (result, &error))
    g_debug ("Stream ended: %s", error->message);
  control_free (user_data);
}

static void
on_stream_info_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_debug ("Cannot send a response: %s", error->message);
      g_io_stream_close_async (control->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      control_free (control);
      return;
    }
  satori_p2pd_splice_async (G_IO_STREAM (control->connection), control->stream, NULL,
                            on_spliced, control);
}

static void
on_stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  SatoriHost *host = control->server->host;
  GError *error = NULL;
  g_autofree char *protocol = NULL;

  g_clear_handle_id (&control->timeout_id, g_source_remove);
  control->stream = satori_host_new_stream_finish (host, result, &protocol, &error);
  if (control->stream == NULL)
    {
      g_prefix_error (&error, _("Cannot open a stream: "));
      respond_gerror (control, error);
      return;
    }

  SatoriConnection *connection = satori_host_get_connection (host, control->request->peer);
  g_autoptr(SatoriMultiaddr) none = satori_multiaddr_new_from_string ("/unix/unknown", NULL);
  SatoriMultiaddr *address = connection != NULL
    ? satori_connection_get_remote_address (connection) : none;
  GBytes *response = satori_p2pd_response_stream_info (control->request->peer, address,
                                                       protocol);
  gsize len;
  const guint8 *data = g_bytes_get_data (response, &len);
  g_object_set_data_full (G_OBJECT (control->connection), "satori-p2pd-response", response,
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (control_output (control), data, len, G_PRIORITY_DEFAULT,
                                   NULL, on_stream_info_sent, control);
}

static void
serve_stream_open (Control *control)
{
  arm_timeout (control);
  satori_host_new_stream_async (control->server->host, control->request->peer,
                                (const char * const *) control->request->protocols,
                                control->cancellable, on_stream_opened, control);
}

/* --- STREAM_HANDLER, REMOVE_STREAM_HANDLER ------------------------------ */

static void
serve_stream_handler (Control *control)
{
  GError *error = NULL;
  g_autoptr(GSocketAddress) client =
    satori_p2pd_address_to_socket_address (control->request->handler_address, &error);

  if (client == NULL)
    {
      respond_gerror (control, error);
      return;
    }
  g_autoptr(SatoriP2pdHandler) handler = satori_p2pd_handler_new (client);
  for (guint i = 0; control->request->protocols[i] != NULL; i++)
    satori_host_set_handler (control->server->host, control->request->protocols[i],
                             SATORI_PROTOCOL_HANDLER (handler));
  respond (control, satori_p2pd_response_ok ());
}

static void
serve_remove_stream_handler (Control *control)
{
  for (guint i = 0; control->request->protocols[i] != NULL; i++)
    satori_host_remove_handler (control->server->host, control->request->protocols[i]);
  respond (control, satori_p2pd_response_ok ());
}

/* --- PUBSUB ------------------------------------------------------------- */

static void
on_published (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  GError *error = NULL;

  if (!satori_pubsub_publish_finish (SATORI_PUBSUB (source), result, &error))
    respond_gerror (control, error);
  else
    respond (control, satori_p2pd_response_ok ());
}

static void
serve_subscribe (Control *control, SatoriPubsub *pubsub)
{
  GError *error = NULL;

  if (!satori_p2pd_subscription_start (pubsub, control->request->topic,
                                       G_IO_STREAM (control->connection),
                                       control->server->topic_clients, &error))
    {
      respond_gerror (control, error);
      return;
    }
  /* The subscription owns the connection now. */
  control_free (control);
}

static void
serve_pubsub (Control *control)
{
  SatoriPubsub *pubsub = satori_host_get_pubsub (control->server->host);
  SatoriP2pdRequest *request = control->request;

  if (pubsub == NULL)
    {
      respond_error (control, _("Pubsub is not enabled (start the daemon with -pubsub)"));
      return;
    }
  switch (request->pubsub_type)
    {
    case SATORI_P2PD_PUBSUB_GET_TOPICS:
      {
        g_auto(GStrv) topics = satori_pubsub_get_topics (pubsub);
        respond (control, satori_p2pd_response_pubsub ((const char * const *) topics, NULL));
        break;
      }
    case SATORI_P2PD_PUBSUB_LIST_PEERS:
      {
        /* Without a topic: every peer on any of our topics. */
        g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func (
          (GDestroyNotify) satori_peer_id_unref);
        g_auto(GStrv) topics = request->topic != NULL
          ? g_strdupv ((char *[]) { request->topic, NULL })
          : satori_pubsub_get_topics (pubsub);
        for (guint i = 0; topics[i] != NULL; i++)
          {
            g_autoptr(GPtrArray) on_topic = satori_pubsub_get_topic_peers (pubsub, topics[i]);
            for (guint j = 0; j < on_topic->len; j++)
              if (!g_ptr_array_find_with_equal_func (peers, g_ptr_array_index (on_topic, j),
                                                     satori_peer_id_equal, NULL))
                g_ptr_array_add (peers, satori_peer_id_ref (g_ptr_array_index (on_topic, j)));
          }
        respond (control, satori_p2pd_response_pubsub (NULL, peers));
        break;
      }
    case SATORI_P2PD_PUBSUB_PUBLISH:
      satori_pubsub_publish_async (pubsub, request->topic, request->data, NULL, on_published,
                                   control);
      break;
    case SATORI_P2PD_PUBSUB_SUBSCRIBE:
      serve_subscribe (control, pubsub);
      break;
    }
}

/* --- DHT ---------------------------------------------------------------- */

static void
on_dht_served (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_p2pd_dht_serve_finish (result, &error))
    g_debug ("Cannot send a DHT answer: %s", error->message);
  g_io_stream_close (G_IO_STREAM (control->connection), NULL, NULL);
  control_free (control);
}

static void
serve_dht (Control *control)
{
  SatoriRouting *routing = satori_host_get_routing (control->server->host);

  if (routing == NULL)
    {
      respond_error (control, _("The DHT is not enabled (start the daemon with -dht)"));
      return;
    }
  arm_timeout (control);
  satori_p2pd_dht_serve_async (routing, control->request, control_output (control),
                               control->cancellable, on_dht_served, control);
}

/* --- reading the request ------------------------------------------------ */

static void
serve (Control *control)
{
  const char *unsupported = satori_p2pd_request_type_unsupported (control->request->type);

  if (unsupported != NULL)
    {
      respond_error (control, unsupported);
      return;
    }
  switch (control->request->type)
    {
    case SATORI_P2PD_REQUEST_IDENTIFY:
      serve_identify (control);
      break;
    case SATORI_P2PD_REQUEST_CONNECT:
      serve_connect (control);
      break;
    case SATORI_P2PD_REQUEST_DISCONNECT:
      serve_disconnect (control);
      break;
    case SATORI_P2PD_REQUEST_LIST_PEERS:
      serve_list_peers (control);
      break;
    case SATORI_P2PD_REQUEST_STREAM_OPEN:
      serve_stream_open (control);
      break;
    case SATORI_P2PD_REQUEST_STREAM_HANDLER:
      serve_stream_handler (control);
      break;
    case SATORI_P2PD_REQUEST_REMOVE_STREAM_HANDLER:
      serve_remove_stream_handler (control);
      break;
    case SATORI_P2PD_REQUEST_PUBSUB:
      serve_pubsub (control);
      break;
    case SATORI_P2PD_REQUEST_DHT:
      serve_dht (control);
      break;
    default:
      /* The decoder lets only the types above or unsupported ones through. */
      g_assert_not_reached ();
    }
}

static void
on_body_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  GError *error = NULL;
  gsize n = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n, &error) ||
      n < control->body_len)
    {
      /* The client went away mid-request: nobody to answer. */
      g_clear_error (&error);
      control_free (control);
      return;
    }
  control->request = satori_p2pd_request_decode (control->body, control->body_len, &error);
  if (control->request == NULL)
    respond_gerror (control, error);
  else
    serve (control);
}

static void read_prefix_byte (Control *control);

static void
on_prefix_byte_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Control *control = user_data;
  gsize n = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n, NULL) || n == 0)
    {
      control_free (control);
      return;
    }
  control->body_len |= (gsize) (control->prefix_byte & 0x7f) << (7 * control->prefix_len++);
  if (control->body_len > SATORI_P2PD_MAX_REQUEST_SIZE)
    {
      respond_error (control, _("The request is too large"));
      return;
    }
  if (control->prefix_byte & 0x80)
    {
      if (control->prefix_len == MAX_PREFIX_BYTES)
        respond_error (control, _("The request is too large"));
      else
        read_prefix_byte (control);
      return;
    }
  control->body = g_malloc (MAX (control->body_len, 1));
  g_input_stream_read_all_async (control_input (control), control->body, control->body_len,
                                 G_PRIORITY_DEFAULT, NULL, on_body_read, control);
}

/* The prefix is read a byte at a time so that nothing past the request
 * is consumed. */
static void
read_prefix_byte (Control *control)
{
  g_input_stream_read_all_async (control_input (control), &control->prefix_byte, 1,
                                 G_PRIORITY_DEFAULT, NULL, on_prefix_byte_read, control);
}

static gboolean
on_incoming (GSocketService *service, GSocketConnection *connection, GObject *source_object,
             gpointer user_data)
{
  Control *control = g_new0 (Control, 1);

  control->server = g_object_ref (user_data);
  control->connection = g_object_ref (connection);
  control->cancellable = g_cancellable_new ();
  read_prefix_byte (control);
  return TRUE;
}

/* --- the server ---------------------------------------------------------- */

static void
satori_p2pd_server_dispose (GObject *object)
{
  satori_p2pd_server_stop (SATORI_P2PD_SERVER (object));
  G_OBJECT_CLASS (satori_p2pd_server_parent_class)->dispose (object);
}

static void
satori_p2pd_server_finalize (GObject *object)
{
  SatoriP2pdServer *self = SATORI_P2PD_SERVER (object);

  g_clear_object (&self->host);
  g_hash_table_unref (self->topic_clients);
  G_OBJECT_CLASS (satori_p2pd_server_parent_class)->finalize (object);
}

static void
satori_p2pd_server_class_init (SatoriP2pdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = satori_p2pd_server_dispose;
  object_class->finalize = satori_p2pd_server_finalize;
}

static void
satori_p2pd_server_init (SatoriP2pdServer *self)
{
  self->topic_clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * satori_p2pd_server_new:
 * @host: the host the control protocol drives
 *
 * Returns: (transfer full): a server that does not listen yet
 */
SatoriP2pdServer *
satori_p2pd_server_new (SatoriHost *host)
{
  SatoriP2pdServer *self = g_object_new (SATORI_TYPE_P2PD_SERVER, NULL);

  self->host = g_object_ref (host);
  return self;
}

/**
 * satori_p2pd_server_listen:
 * @server: a #SatoriP2pdServer
 * @address: `/unix/PATH` or `/ip4|ip6/ADDR/tcp/PORT`
 * @error: a #GError
 *
 * Starts serving control connections at @address. A socket file left at
 * a unix path by an earlier run is replaced.
 *
 * Returns: (transfer full) (nullable): the address listened at (with the
 *   port chosen when @address asked for port 0), or %NULL on error
 */
SatoriMultiaddr *
satori_p2pd_server_listen (SatoriP2pdServer *server, SatoriMultiaddr *address, GError **error)
{
  g_autoptr(GSocketAddress) wanted = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (SATORI_IS_P2PD_SERVER (server), NULL);
  g_return_val_if_fail (server->service == NULL, NULL);

  wanted = satori_p2pd_address_to_socket_address (address, error);
  if (wanted == NULL)
    return NULL;
  if (G_IS_UNIX_SOCKET_ADDRESS (wanted))
    {
      const char *path = g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (wanted));
      GStatBuf buf;
      if (g_lstat (path, &buf) == 0 && S_ISSOCK (buf.st_mode))
        g_unlink (path);
    }

  g_autoptr(GSocketService) service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), wanted,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL,
                                      &effective, error))
    return NULL;
  SatoriMultiaddr *listening = satori_p2pd_address_from_socket_address (effective, error);
  if (listening == NULL)
    return NULL;

  if (G_IS_UNIX_SOCKET_ADDRESS (wanted))
    server->unix_path = g_strdup (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (wanted)));
  g_signal_connect_object (service, "incoming", G_CALLBACK (on_incoming), server, 0);
  g_socket_service_start (service);
  server->service = g_steal_pointer (&service);
  return listening;
}

/**
 * satori_p2pd_server_stop:
 * @server: a #SatoriP2pdServer
 *
 * Stops accepting control connections and removes the unix socket file.
 * Connections already accepted carry on.
 */
void
satori_p2pd_server_stop (SatoriP2pdServer *server)
{
  g_return_if_fail (SATORI_IS_P2PD_SERVER (server));

  if (server->service != NULL)
    {
      g_socket_service_stop (server->service);
      g_socket_listener_close (G_SOCKET_LISTENER (server->service));
      g_clear_object (&server->service);
    }
  if (server->unix_path != NULL)
    g_unlink (server->unix_path);
  g_clear_pointer (&server->unix_path, g_free);
}
