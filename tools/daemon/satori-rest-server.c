/* satori-rest-server.c — the GIO side of the REST API: a SoupServer that
 * refuses oversized or unsized bodies without keeping them, hands each
 * request to a SatoriRestHandler and sends back its response.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-rest-server.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

struct _SatoriRestServer
{
  GObject parent_instance;

  SoupServer *soup;
  SatoriRestHandler *handler;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SatoriRestServer, satori_rest_server, G_TYPE_OBJECT)

static void
satori_rest_server_dispose (GObject *object)
{
  SatoriRestServer *self = SATORI_REST_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  G_OBJECT_CLASS (satori_rest_server_parent_class)->dispose (object);
}

static void
satori_rest_server_finalize (GObject *object)
{
  SatoriRestServer *self = SATORI_REST_SERVER (object);

  g_object_unref (self->handler);
  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (satori_rest_server_parent_class)->finalize (object);
}

static void
satori_rest_server_class_init (SatoriRestServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = satori_rest_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = satori_rest_server_finalize;
}

static void
satori_rest_server_init (SatoriRestServer *self)
{
  self->cancellable = g_cancellable_new ();
}

static void
respond (SoupServerMessage *message, SatoriRestResponse *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  gsize length;
  const char *data = g_bytes_get_data (response->body, &length);

  soup_server_message_set_status (message, response->status, NULL);
  soup_server_message_set_response (message, response->content_type, SOUP_MEMORY_COPY, data,
                                    length);
  if (response->allow != NULL)
    soup_message_headers_replace (headers, "Allow", response->allow);
  if (response->status == 401)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer");
}

/* Once the headers are in: refuse a body too large, or of unknown size. */
static void
on_headers (SoupServer *soup, SoupServerMessage *message, const char *path, GHashTable *query,
            gpointer user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  g_autoptr(SatoriRestResponse) response = NULL;

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CHUNKED:
      response = satori_rest_response_new_error (411, _("The request needs a Content-Length"));
      break;
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > SATORI_REST_MAX_BODY)
        {
          g_autofree char *text = g_strdup_printf (_("The request body is larger than %d bytes"),
                                                   SATORI_REST_MAX_BODY);
          response = satori_rest_response_new_error (413, text);
        }
      break;
    default:
      break;
    }
  if (response == NULL)
    return;
  /* libsoup still reads the body before answering: let it drop the
   * chunks instead of keeping them, so memory stays bounded. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (message), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (message), "Connection",
                                "close");
  respond (message, response);
}

static void
on_disconnected (SoupServerMessage *message)
{
  g_object_set_data (G_OBJECT (message), "satori-rest-gone", GINT_TO_POINTER (TRUE));
}

static void
on_handled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SoupServerMessage) message = user_data;
  g_autoptr(SatoriRestResponse) response =
    satori_rest_handler_handle_finish (SATORI_REST_HANDLER (source), result);

  /* Nobody to answer: the client left, or the server stopped. */
  if (g_object_get_data (G_OBJECT (message), "satori-rest-gone") != NULL ||
      g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_debug ("REST %s %s → %u", soup_server_message_get_method (message),
           g_uri_get_path (soup_server_message_get_uri (message)), response->status);
  respond (message, response);
  soup_server_message_unpause (message);
}

static void
on_request (SoupServer *soup, SoupServerMessage *message, const char *path, GHashTable *query,
            gpointer user_data)
{
  SatoriRestServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (message);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  g_autoptr(GBytes) body =
    soup_message_body_flatten (soup_server_message_get_request_body (message));
  SatoriRestRequest request = {
    .method = soup_server_message_get_method (message),
    .path = g_uri_get_path (uri),
    .query = g_uri_get_query (uri),
    .authorization = soup_message_headers_get_one (headers, "Authorization"),
    .body = body,
  };

  g_signal_connect (message, "disconnected", G_CALLBACK (on_disconnected), NULL);
  soup_server_message_pause (message);
  satori_rest_handler_handle_async (self->handler, &request, self->cancellable, on_handled,
                                    g_object_ref (message));
}

/**
 * satori_rest_server_new:
 * @handler: what answers the requests
 *
 * Returns: (transfer full): a server, not listening yet
 */
SatoriRestServer *
satori_rest_server_new (SatoriRestHandler *handler)
{
  SatoriRestServer *self = g_object_new (SATORI_TYPE_REST_SERVER, NULL);
  g_autofree char *name = g_strconcat ("satorip2p/", PACKAGE_VERSION, NULL);

  self->handler = g_object_ref (handler);
  self->soup = soup_server_new ("server-header", name, NULL);
  soup_server_add_early_handler (self->soup, NULL, on_headers, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request, self, NULL);
  return self;
}

/**
 * satori_rest_server_listen:
 * @server: a server
 * @address: an IP address, such as `127.0.0.1`
 * @port: a TCP port, 0 for any free one
 * @error: a %G_IO_ERROR
 *
 * Returns: %TRUE when listening
 */
gboolean
satori_rest_server_listen (SatoriRestServer *server, const char *address, guint port,
                           GError **error)
{
  g_autoptr(GSocketAddress) socket_address =
    g_inet_socket_address_new_from_string (address, port);

  if (socket_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address"), address);
      return FALSE;
    }
  return soup_server_listen (server->soup, socket_address, 0, error);
}

/**
 * satori_rest_server_get_port:
 * @server: a listening server
 *
 * Returns: the port it listens on
 */
guint
satori_rest_server_get_port (SatoriRestServer *server)
{
  GSList *uris = soup_server_get_uris (server->soup);
  guint port = uris ? g_uri_get_port (uris->data) : 0;

  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}
