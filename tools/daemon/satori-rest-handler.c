/* satori-rest-handler.c — answers a REST request: route, token, body,
 * then the model. No sockets here (satori-rest-server.c carries requests
 * in and responses out), so it can be driven directly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-rest-handler.h"

#include <glib/gi18n.h>

#include "satori-metrics-text.h"
#include "satori-rest-route.h"
#include "satori-rest-token.h"
#include "satori-rest-views.h"

/* As the original: POST /peers/{id}/ping pings 3 times unless told. */
#define DEFAULT_PING_COUNT 3
#define MAX_PING_COUNT 100

struct _SatoriRestHandler
{
  GObject parent_instance;

  SatoriDaemonModel *model;
  SatoriMetrics *metrics;
  char *token;
};

G_DEFINE_FINAL_TYPE (SatoriRestHandler, satori_rest_handler, G_TYPE_OBJECT)

static void
satori_rest_handler_finalize (GObject *object)
{
  SatoriRestHandler *self = SATORI_REST_HANDLER (object);

  g_object_unref (self->model);
  g_object_unref (self->metrics);
  g_free (self->token);
  G_OBJECT_CLASS (satori_rest_handler_parent_class)->finalize (object);
}

static void
satori_rest_handler_class_init (SatoriRestHandlerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_rest_handler_finalize;
}

static void
satori_rest_handler_init (SatoriRestHandler *self)
{
}

/**
 * satori_rest_handler_new:
 * @model: the node
 * @metrics: its metrics
 * @token: the bearer token mutating calls need
 *
 * Returns: (transfer full): a handler
 */
SatoriRestHandler *
satori_rest_handler_new (SatoriDaemonModel *model, SatoriMetrics *metrics, const char *token)
{
  SatoriRestHandler *self = g_object_new (SATORI_TYPE_REST_HANDLER, NULL);

  self->model = g_object_ref (model);
  self->metrics = g_object_ref (metrics);
  self->token = g_strdup (token);
  return self;
}

static SatoriRestResponse *
response_new (guint status, const char *content_type, GBytes *body)
{
  SatoriRestResponse *response = g_new0 (SatoriRestResponse, 1);

  response->status = status;
  response->content_type = content_type;
  response->body = body;
  return response;
}

/* Pretty-printed with an indent of 2, as the original. */
static SatoriRestResponse *
response_new_json (guint status, JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize length;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  char *text = json_generator_to_data (generator, &length);
  json_node_unref (node);
  return response_new (status, SATORI_REST_JSON_TYPE, g_bytes_new_take (text, length));
}

/**
 * satori_rest_response_new_error:
 * @status: an HTTP status
 * @message: what went wrong
 *
 * Returns: (transfer full): `{"error": message}` with @status
 */
SatoriRestResponse *
satori_rest_response_new_error (guint status, const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  return response_new_json (status, json_builder_get_root (builder));
}

/**
 * satori_rest_response_free:
 * @response: a response
 */
void
satori_rest_response_free (SatoriRestResponse *response)
{
  g_bytes_unref (response->body);
  g_free (response->allow);
  g_free (response);
}

/* The HTTP status for a model's error. */
static guint
status_of_error (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_INVALID_ARGUMENT:
        return 400;
      case G_IO_ERROR_NOT_FOUND:
        return 404;
      case G_IO_ERROR_NOT_SUPPORTED:
        return 501;
      default:
        break;
      }
  return 500;
}

static void
return_error (GTask *task, guint status, const char *message)
{
  g_task_return_pointer (task, satori_rest_response_new_error (status, message),
                         (GDestroyNotify) satori_rest_response_free);
}

static void
return_json (GTask *task, guint status, JsonNode *node)
{
  g_task_return_pointer (task, response_new_json (status, node),
                         (GDestroyNotify) satori_rest_response_free);
}

/* The body as JSON, or %NULL after answering @task with a 400. */
static JsonNode *
parse_json (GTask *task, GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;

  if (length == 0)
    {
      return_error (task, 400, _("The request needs a JSON body"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The body is not JSON: %s"), error->message);
      return_error (task, 400, message);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* The body as a JSON object, or %NULL after answering @task with a 400.
 * An empty body is an empty object when @empty_ok. */
static JsonObject *
parse_object (GTask *task, GBytes *body, gboolean empty_ok)
{
  if (empty_ok && (body == NULL || g_bytes_get_size (body) == 0))
    return json_object_new ();
  g_autoptr(JsonNode) root = parse_json (task, body);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      return_error (task, 400, _("The body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* How many pings: `?count=` or the body's "count" (1 to 100, 3 by
 * default); 0 after answering @task with a 400. */
static guint
ping_count (GTask *task, const SatoriRestRequest *request)
{
  g_autoptr(JsonObject) body = parse_object (task, request->body, TRUE);
  g_autoptr(GHashTable) params = NULL;
  gint64 count = DEFAULT_PING_COUNT;

  if (body == NULL)
    return 0;
  if (request->query != NULL)
    {
      params = g_uri_parse_params (request->query, -1, "&", G_URI_PARAMS_NONE, NULL);
      if (params == NULL)
        {
          return_error (task, 400, _("The query is not valid"));
          return 0;
        }
    }
  const char *text = params ? g_hash_table_lookup (params, "count") : NULL;
  JsonNode *node = json_object_get_member (body, "count");
  if (text != NULL && !g_ascii_string_to_signed (text, 10, 1, MAX_PING_COUNT, &count, NULL))
    count = 0;
  else if (text == NULL && node != NULL)
    count = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
            ? json_node_get_int (node) : 0;
  if (count < 1 || count > MAX_PING_COUNT)
    {
      g_autofree char *message = g_strdup_printf (_("“count” must be a number from 1 to %d"),
                                                  MAX_PING_COUNT);
      return_error (task, 400, message);
      return 0;
    }
  return count;
}

static void
on_pinged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriRestHandler *self = g_task_get_source_object (task);
  const char *peer_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rtts = satori_peers_ping_finish (SATORI_PEERS (source), result, &error);

  if (rtts == NULL)
    {
      return_error (task, status_of_error (error), error->message);
      return;
    }
  for (guint i = 0; i < rtts->len; i++)
    satori_metrics_observe_ping (self->metrics,
                                 g_array_index (rtts, gint64, i) / (double) G_USEC_PER_SEC);
  return_json (task, 200, satori_rest_view_ping (peer_id, rtts));
}

static void
ping (SatoriRestHandler *self, GTask *task, const SatoriRestRequest *request, char *peer_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_string (peer_id, &error);
  guint count = peer != NULL ? ping_count (task, request) : 0;

  if (peer == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a peer id: %s"), peer_id,
                                                  error->message);
      return_error (task, 400, message);
    }
  if (count == 0)
    {
      g_free (peer_id);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, peer_id, g_free);
  satori_peers_ping_async (satori_daemon_model_get_peers (self->model), peer, count,
                           g_task_get_cancellable (task), on_pinged, task);
}

static void
subscribe (SatoriRestHandler *self, GTask *task, const SatoriRestRequest *request)
{
  g_autoptr(JsonObject) body = parse_object (task, request->body, FALSE);
  g_autoptr(GError) error = NULL;

  if (body == NULL)
    return;
  JsonNode *node = json_object_get_member (body, "stream_id");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      return_error (task, 400, _("The body needs a “stream_id” string"));
      return;
    }
  const char *stream_id = json_node_get_string (node);
  if (!satori_peers_subscribe (satori_daemon_model_get_peers (self->model), stream_id, &error))
    return_error (task, status_of_error (error), error->message);
  else
    return_json (task, 201, satori_rest_view_done (stream_id, _("Subscribed")));
}

static void
unsubscribe (SatoriRestHandler *self, GTask *task, const char *stream_id)
{
  g_autoptr(GError) error = NULL;

  if (!satori_peers_unsubscribe (satori_daemon_model_get_peers (self->model), stream_id,
                                 &error))
    return_error (task, status_of_error (error), error->message);
  else
    return_json (task, 200, satori_rest_view_done (stream_id, _("Unsubscribed")));
}

static void
on_published (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *stream_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!satori_daemon_model_publish_finish (SATORI_DAEMON_MODEL (source), result, &error))
    return_error (task, status_of_error (error), error->message);
  else
    return_json (task, 200, satori_rest_view_done (stream_id, _("Published successfully")));
}

/* The body is the message: a JSON value. */
static void
publish (SatoriRestHandler *self, GTask *task, const SatoriRestRequest *request, char *stream_id)
{
  g_autoptr(JsonNode) data = parse_json (task, request->body);

  if (data == NULL)
    {
      g_free (stream_id);
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, stream_id, g_free);
  satori_daemon_model_publish_async (self->model, stream_id, data, g_task_get_cancellable (task),
                                     on_published, task);
}

static void
metrics (SatoriRestHandler *self, GTask *task)
{
  char *text = satori_metrics_render (self->metrics);

  g_task_return_pointer (task,
                         response_new (200, SATORI_METRICS_CONTENT_TYPE,
                                       g_bytes_new_take (text, strlen (text))),
                         (GDestroyNotify) satori_rest_response_free);
}

/* Answers the routes that need nothing but the model, at once. */
static void
view (SatoriRestHandler *self, GTask *task, SatoriRestRoute route)
{
  gboolean healthy;

  switch (route)
    {
    case SATORI_REST_ROUTE_INDEX:
      return_json (task, 200, satori_rest_view_index ());
      break;
    case SATORI_REST_ROUTE_HEALTH:
      {
        JsonNode *node = satori_rest_view_health (self->model, &healthy);
        return_json (task, healthy ? 200 : 503, node);
      }
      break;
    case SATORI_REST_ROUTE_STATUS:
      return_json (task, 200, satori_rest_view_status (self->model));
      break;
    case SATORI_REST_ROUTE_PEERS:
      return_json (task, 200, satori_rest_view_peers (self->model));
      break;
    case SATORI_REST_ROUTE_NETWORK:
      return_json (task, 200, satori_rest_view_network (self->model));
      break;
    case SATORI_REST_ROUTE_LIST_SUBSCRIPTIONS:
      return_json (task, 200, satori_rest_view_subscriptions (self->model));
      break;
    default:
      metrics (self, task);
    }
}

/**
 * satori_rest_handler_handle_async:
 * @handler: a handler
 * @request: the request (copied as needed)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the response
 * @user_data: data for @callback
 *
 * Answers @request: 404 or 405 when no route takes it, 401 when a
 * mutating route lacks the token, 400 for a bad body, else the endpoint's
 * answer.
 */
void
satori_rest_handler_handle_async (SatoriRestHandler *handler, const SatoriRestRequest *request,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  GTask *task = g_task_new (handler, cancellable, callback, user_data);
  g_autofree char *allow = NULL;
  char *param = NULL;
  SatoriRestRoute route;

  g_task_set_source_tag (task, satori_rest_handler_handle_async);
  switch (satori_rest_route_match (request->method, request->path, &route, &param, &allow))
    {
    case SATORI_REST_MATCH_NOT_FOUND:
      return_error (task, 404, _("No such endpoint (GET / lists them)"));
      g_object_unref (task);
      return;
    case SATORI_REST_MATCH_BAD_METHOD:
      {
        SatoriRestResponse *response =
          satori_rest_response_new_error (405, _("Method not allowed on this endpoint"));
        response->allow = g_steal_pointer (&allow);
        g_task_return_pointer (task, response, (GDestroyNotify) satori_rest_response_free);
        g_object_unref (task);
        return;
      }
    case SATORI_REST_MATCH_OK:
      break;
    }
  if (satori_rest_route_is_mutating (route) &&
      !satori_rest_token_check (handler->token, request->authorization))
    {
      g_free (param);
      return_error (task, 401, _("This call needs “Authorization: Bearer TOKEN” with the "
                                 "daemon’s token ([rest] token-file)"));
      g_object_unref (task);
      return;
    }
  switch (route)
    {
    case SATORI_REST_ROUTE_PING:
      ping (handler, task, request, param);
      return;
    case SATORI_REST_ROUTE_PUBLISH:
      publish (handler, task, request, param);
      return;
    case SATORI_REST_ROUTE_SUBSCRIBE:
      subscribe (handler, task, request);
      break;
    case SATORI_REST_ROUTE_UNSUBSCRIBE:
      unsubscribe (handler, task, param);
      break;
    default:
      view (handler, task, route);
    }
  g_free (param);
  g_object_unref (task);
}

/**
 * satori_rest_handler_handle_finish:
 * @handler: a handler
 * @result: the result
 *
 * Returns: (transfer full): the response (there always is one)
 */
SatoriRestResponse *
satori_rest_handler_handle_finish (SatoriRestHandler *handler, GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, handler), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}
