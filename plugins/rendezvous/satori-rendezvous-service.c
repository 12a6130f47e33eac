/* satori-rendezvous-service.c — /rendezvous/1.0.0: the GIO adapter of a
 * rendezvous point and of a client of the configured points
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-rendezvous-service.h"

#include <glib/gi18n-lib.h>

#include "satori-rendezvous-client.h"
#include "satori-rendezvous-server.h"
#include "satori-frame-stream.h"

/* Peers one find_peers() collects at most, whatever the points send. */
#define MAX_PEERS_FOUND 10000

struct _SatoriRendezvousService
{
  GObject parent_instance;

  SatoriHost *host;   /* weak: the host owns its handlers */
  GMainContext *context;   /* the host's, for the refresh timer */
  GCancellable *cancellable;   /* the client's requests: cancelled by stop() */
  GCancellable *serving;       /* the point's streams: cancelled by detach() */

  GStrv points;   /* multiaddrs with /p2p/ */
  GStrv namespaces;
  gboolean server_mode;
  guint ttl;
  SatoriRendezvousLimits limits;

  SatoriRendezvousServer *server;   /* created with the first inbound stream */
  SatoriRendezvousClient *client;
  GSource *refresh_timer;
};

static void protocol_handler_iface_init (SatoriProtocolHandlerInterface *iface);
static void discovery_iface_init (SatoriDiscoveryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriRendezvousService, satori_rendezvous_service, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, protocol_handler_iface_init)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_DISCOVERY, discovery_iface_init))

enum
{
  PROP_0,
  PROP_POINTS,
  PROP_NAMESPACES,
  PROP_SERVER,
  PROP_TTL,
  PROP_MIN_TTL,
  PROP_MAX_TTL,
  PROP_MAX_PER_PEER,
  PROP_MAX_PER_NAMESPACE,
  PROP_MAX_REGISTRATIONS,
  PROP_MAX_DISCOVER,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The limit each property sets. */
static guint *
limit_of (SatoriRendezvousService *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_MIN_TTL: return &self->limits.min_ttl;
    case PROP_MAX_TTL: return &self->limits.max_ttl;
    case PROP_MAX_PER_PEER: return &self->limits.max_per_peer;
    case PROP_MAX_PER_NAMESPACE: return &self->limits.max_per_namespace;
    case PROP_MAX_REGISTRATIONS: return &self->limits.max_total;
    case PROP_MAX_DISCOVER: return &self->limits.max_discover;
    default: return NULL;
    }
}

/* ---- the point: serves inbound streams ---- */

typedef struct
{
  SatoriRendezvousService *self;
  GIOStream *stream;
  SatoriPeerId *remote;
} Serve;

static void
serve_free (Serve *serve)
{
  g_object_unref (serve->self);
  g_object_unref (serve->stream);
  satori_peer_id_unref (serve->remote);
  g_free (serve);
}

static void
serve_end (Serve *serve)
{
  g_io_stream_close_async (serve->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  serve_free (serve);
}

static void serve_next (Serve *serve);

static void
on_response_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Serve *serve = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_frame_stream_write_finish (G_IO_STREAM (source), result, &error))
    {
      g_debug ("Rendezvous response not sent: %s", error->message);
      serve_end (serve);
      return;
    }
  serve_next (serve);
}

static void
on_request (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Serve *serve = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) request = satori_frame_stream_read_finish (G_IO_STREAM (source), result,
                                                                     &error);
  g_autoptr(GBytes) response = NULL;

  if (request == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *peer = satori_peer_id_to_string (serve->remote);
          g_message ("Closing the rendezvous stream of %s: %s", peer, error->message);
        }
      serve_end (serve);
      return;
    }
  gsize len;
  const guint8 *data = g_bytes_get_data (request, &len);
  if (!satori_rendezvous_server_handle (serve->self->server, serve->remote, data, len,
                                        g_get_monotonic_time (), &response, &error))
    {
      g_autofree char *peer = satori_peer_id_to_string (serve->remote);
      g_message ("Closing the rendezvous stream of %s: %s", peer, error->message);
      serve_end (serve);
      return;
    }
  if (response == NULL)
    serve_next (serve);
  else
    satori_frame_stream_write_async (serve->stream, response, serve->self->serving,
                                          on_response_written, serve);
}

static void
serve_next (Serve *serve)
{
  satori_frame_stream_read_async (serve->stream, SATORI_RENDEZVOUS_MAX_REQUEST_SIZE,
                                       serve->self->serving, on_request, serve);
}

static void
satori_rendezvous_service_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                         const char *protocol_id, SatoriPeerId *remote_peer,
                                         SatoriMultiaddr *remote_address)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (handler);
  Serve *serve = g_new0 (Serve, 1);

  if (self->server == NULL)
    {
      self->server = satori_rendezvous_server_new (&self->limits);
      satori_rendezvous_server_set_available (self->server, self->server_mode);
    }
  serve->self = g_object_ref (self);
  serve->stream = g_object_ref (stream);
  serve->remote = satori_peer_id_ref (remote_peer);
  serve_next (serve);
}

static void
satori_rendezvous_service_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (handler);

  g_set_weak_pointer (&self->host, host);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
}

static void
satori_rendezvous_service_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (handler);

  satori_discovery_stop (SATORI_DISCOVERY (self));
  g_cancellable_cancel (self->serving);
  g_set_object (&self->serving, g_cancellable_new ());
  g_clear_weak_pointer (&self->host);
}

static void
protocol_handler_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_rendezvous_service_attach;
  iface->detach = satori_rendezvous_service_detach;
  iface->handle_stream = satori_rendezvous_service_handle_stream;
}

/* ---- the client: one stream per request to a point ---- */

typedef struct
{
  GBytes *request;
  gboolean want_reply;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  g_bytes_unref (exchange->request);
  g_free (exchange);
}

static void
on_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *reply = satori_frame_stream_read_finish (G_IO_STREAM (source), result, &error);

  g_io_stream_close_async (G_IO_STREAM (source), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (reply == NULL && error == NULL)
    error = g_error_new_literal (SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED,
                                 _("The rendezvous point closed the stream without answering"));
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) g_bytes_unref);
}

static void
on_request_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  GError *error = NULL;

  if (!satori_frame_stream_write_finish (G_IO_STREAM (source), result, &error) ||
      !exchange->want_reply)
    {
      g_io_stream_close_async (G_IO_STREAM (source), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, NULL, NULL);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  satori_frame_stream_read_async (G_IO_STREAM (source), SATORI_RENDEZVOUS_MAX_RESPONSE_SIZE,
                                       cancellable, on_reply, g_steal_pointer (&task));
}

static void
on_stream (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (SATORI_HOST (source), result,
                                                               NULL, &error);

  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  satori_frame_stream_write_async (stream, exchange->request, cancellable,
                                        on_request_written, g_steal_pointer (&task));
}

/* Sends @request to @point on a new stream and reads one reply if
 * @want_reply; the result is the reply, %NULL if none was wanted. */
static void
exchange_async (SatoriRendezvousService *self, SatoriPeerId *point, GBytes *request,
                gboolean want_reply, GCancellable *cancellable, GAsyncReadyCallback callback,
                gpointer user_data)
{
  static const char * const protocols[] = { SATORI_RENDEZVOUS_PROTOCOL, NULL };
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Exchange *exchange = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, exchange_async);
  exchange->request = g_bytes_ref (request);
  exchange->want_reply = want_reply;
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);
  satori_host_new_stream_async (self->host, point, protocols, cancellable, on_stream, task);
}

static GBytes *
exchange_finish (SatoriRendezvousService *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The configured points, their addresses added to the host's peerstore. */
static GPtrArray *
resolve_points (SatoriRendezvousService *self, GError **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref);

  if (self->host == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The rendezvous service is not attached to a host"));
      return NULL;
    }
  for (guint i = 0; self->points != NULL && self->points[i] != NULL; i++)
    {
      g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (self->points[i],
                                                                             error);
      if (address == NULL)
        return NULL;
      g_autoptr(GBytes) id = satori_multiaddr_get_peer_id_bytes (address);
      if (id == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("The rendezvous point “%s” has no /p2p/ peer id"), self->points[i]);
          return NULL;
        }
      SatoriPeerId *peer = satori_peer_id_new_from_bytes (g_bytes_get_data (id, NULL),
                                                          g_bytes_get_size (id), error);
      if (peer == NULL)
        return NULL;
      g_autoptr(SatoriMultiaddr) transport = satori_multiaddr_decapsulate (address,
                                                                           SATORI_PROTO_P2P);
      if (transport != NULL && satori_multiaddr_get_n_components (transport) > 0)
        satori_peerstore_add_address (satori_host_get_peerstore (self->host), peer, transport);
      g_ptr_array_add (ids, peer);
    }
  if (ids->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("No rendezvous point is configured"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* Our signed peer record of the host's current addresses. */
static GBytes *
signed_record (SatoriRendezvousService *self, GError **error)
{
  g_autoptr(GPtrArray) addresses = satori_host_get_addresses (self->host);
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (
    satori_host_get_peer_id (self->host), g_get_real_time (), addresses);
  g_autoptr(SatoriEnvelope) envelope = satori_peer_record_seal (
    record, satori_host_get_private_key (self->host), error);

  return envelope != NULL ? satori_envelope_encode (envelope) : NULL;
}

/* ---- operations over several points, one request after the other ---- */

typedef enum
{
  OP_REGISTER,
  OP_UNREGISTER,
  OP_DISCOVER,
} OpKind;

typedef struct
{
  OpKind kind;
  GPtrArray *points;   /* SatoriPeerId */
  GStrv namespaces;    /* for a discover, one, or none for all */
  guint ttl;           /* register: asked for */
  guint limit;         /* discover: peers wanted at most */
  gboolean log_failures;
  guint next;          /* index into points × namespaces */
  GBytes *request;     /* in flight */
  GBytes *cookie;      /* discover: the page after this one */

  guint succeeded;
  guint granted_ttl;   /* register: the shortest granted */
  GError *first_error;
  GPtrArray *found;    /* discover: SatoriPeerInfo */
  GHashTable *seen;    /* discover: SatoriPeerId set */
} Operation;

static void
operation_free (Operation *op)
{
  g_ptr_array_unref (op->points);
  g_strfreev (op->namespaces);
  g_clear_pointer (&op->request, g_bytes_unref);
  g_clear_pointer (&op->cookie, g_bytes_unref);
  g_clear_error (&op->first_error);
  g_ptr_array_unref (op->found);
  g_hash_table_unref (op->seen);
  g_free (op);
}

static guint
n_namespaces (Operation *op)
{
  return op->namespaces != NULL && op->namespaces[0] != NULL
    ? g_strv_length (op->namespaces) : 1;
}

static SatoriPeerId *
target_point (Operation *op)
{
  return g_ptr_array_index (op->points, op->next / n_namespaces (op));
}

static const char *
target_namespace (Operation *op)
{
  return op->namespaces != NULL ? op->namespaces[op->next % n_namespaces (op)] : NULL;
}

static void operation_step (GTask *task);
static gboolean on_refresh_due (gpointer user_data);

/* After a REGISTER of @task's operation at its current target: holds the
 * registration for a refresh when @granted_ttl (seconds) is not 0, for a
 * retry when @retry, else forgets it. The answer to a refresh only
 * updates a registration still held: one withdrawn while the refresh was
 * in flight stays withdrawn. */
static void
hold_registration (SatoriRendezvousService *self, GTask *task, guint granted_ttl,
                   gboolean retry)
{
  Operation *op = g_task_get_task_data (task);
  g_autofree char *point = satori_peer_id_to_string (target_point (op));
  const char *namespace_ = target_namespace (op);
  gint64 now = g_get_monotonic_time ();

  if (g_task_get_source_tag (task) == on_refresh_due &&
      !satori_rendezvous_client_is_held (self->client, point, namespace_))
    return;
  if (granted_ttl > 0)
    satori_rendezvous_client_registered (self->client, point, namespace_, granted_ttl, now);
  else if (retry)
    satori_rendezvous_client_retry (self->client, point, namespace_, op->ttl, now);
  else
    satori_rendezvous_client_unregistered (self->client, point, namespace_);
}

static void
operation_failed (SatoriRendezvousService *self, GTask *task, GError *error)
{
  Operation *op = g_task_get_task_data (task);

  if (op->log_failures)
    {
      g_autofree char *point = satori_peer_id_to_string (target_point (op));
      g_message ("Rendezvous at %s for “%s” failed: %s", point, target_namespace (op),
                 error->message);
    }
  /* A point's refusal stands, and a cancelled registration is no longer
   * wanted (withdrawn, or the service stopped); a failure to reach the
   * point, or its own failure, is worth another try. */
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gboolean transient = !cancelled &&
                       (error->domain != SATORI_RENDEZVOUS_ERROR ||
                        error->code == SATORI_RENDEZVOUS_ERROR_INTERNAL_ERROR ||
                        error->code == SATORI_RENDEZVOUS_ERROR_UNAVAILABLE);
  if (op->kind == OP_REGISTER)
    hold_registration (self, task, 0, transient);
  if (op->first_error == NULL)
    op->first_error = error;
  else
    g_error_free (error);
}

/* Takes a discover page: whether to ask the same point for the next. */
static gboolean
take_page (Operation *op, GPtrArray *peers)
{
  guint before = op->found->len;

  for (guint i = 0; i < peers->len; i++)
    {
      SatoriPeerInfo *info = g_ptr_array_index (peers, i);
      SatoriPeerId *peer = satori_peer_info_get_peer_id (info);
      if (op->found->len == op->limit)
        break;
      if (g_hash_table_add (op->seen, satori_peer_id_ref (peer)))
        g_ptr_array_add (op->found, satori_peer_info_ref (info));
    }
  /* A page that brings nothing new ends the paging, whatever the point
   * answers next. */
  return op->cookie != NULL && op->found->len > before && op->found->len < op->limit;
}

static void
on_operation_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriRendezvousService *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) reply = exchange_finish (self, result, &error);
  gboolean same_point_again = FALSE;

  if (error != NULL)
    {
      operation_failed (self, task, error);
      op->next++;
      operation_step (g_steal_pointer (&task));
      return;
    }

  gsize len = 0;
  const guint8 *data = reply != NULL ? g_bytes_get_data (reply, &len) : NULL;
  g_autofree char *point = satori_peer_id_to_string (target_point (op));
  const char *namespace_ = target_namespace (op);
  switch (op->kind)
    {
    case OP_REGISTER:
      {
        guint ttl;
        if (!satori_rendezvous_read_register_response (data, len, &ttl, &error))
          break;
        hold_registration (self, task, ttl, FALSE);
        op->granted_ttl = op->succeeded == 0 ? ttl : MIN (op->granted_ttl, ttl);
        g_debug ("Registered “%s” at %s for %u s", namespace_, point, ttl);
        break;
      }
    case OP_UNREGISTER:
      break;
    case OP_DISCOVER:
      {
        g_clear_pointer (&op->cookie, g_bytes_unref);
        g_autoptr(GPtrArray) peers = satori_rendezvous_read_discover_response (
          data, len, namespace_, &op->cookie, &error);
        if (peers != NULL)
          same_point_again = take_page (op, peers);
        break;
      }
    }
  if (error != NULL)
    operation_failed (self, task, error);
  else
    op->succeeded++;
  if (!same_point_again)
    {
      g_clear_pointer (&op->cookie, g_bytes_unref);
      op->next++;
    }
  operation_step (g_steal_pointer (&task));
}

static GBytes *
operation_request (SatoriRendezvousService *self, Operation *op, GError **error)
{
  const char *namespace_ = target_namespace (op);

  switch (op->kind)
    {
    case OP_REGISTER:
      {
        g_autoptr(GBytes) record = signed_record (self, error);
        return record != NULL ? satori_rendezvous_register_request (namespace_, record, op->ttl)
                              : NULL;
      }
    case OP_UNREGISTER:
      return satori_rendezvous_unregister_request (namespace_, satori_host_get_peer_id (self->host));
    case OP_DISCOVER:
      return satori_rendezvous_discover_request (
        namespace_, op->limit - op->found->len, op->cookie);
    }
  g_return_val_if_reached (NULL);
}

static void rearm_refresh (SatoriRendezvousService *self);

static void
operation_step (GTask *task)
{
  SatoriRendezvousService *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (op->kind == OP_DISCOVER && op->found->len >= op->limit)
    op->next = op->points->len * n_namespaces (op);
  if (self->host == NULL || g_task_return_error_if_cancelled (task))
    {
      if (self->host == NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                                 _("The rendezvous service left its host"));
      g_object_unref (task);
      return;
    }
  if (op->next == op->points->len * n_namespaces (op))
    {
      rearm_refresh (self);
      for (guint i = 0; op->kind == OP_DISCOVER && i < op->found->len; i++)
        g_signal_emit_by_name (self, "peer-discovered", g_ptr_array_index (op->found, i));
      if (op->succeeded == 0 && op->first_error != NULL)
        g_task_return_error (task, g_steal_pointer (&op->first_error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_clear_pointer (&op->request, g_bytes_unref);
  op->request = operation_request (self, op, &error);
  if (op->request == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  exchange_async (self, target_point (op), op->request, op->kind != OP_UNREGISTER, cancellable,
                  on_operation_reply, task);
}

/* Runs @kind for every namespace at every point (or every configured
 * point when @points is %NULL). */
static void
operation_start (SatoriRendezvousService *self, OpKind kind, GPtrArray *points,
                 const char * const *namespaces, guint ttl, guint limit, gboolean log_failures,
                 gpointer source_tag, GCancellable *cancellable, GAsyncReadyCallback callback,
                 gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Operation *op = g_new0 (Operation, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  op->kind = kind;
  op->namespaces = g_strdupv ((GStrv) namespaces);
  op->ttl = ttl > 0 ? ttl : self->ttl;
  op->limit = limit > 0 ? MIN (limit, MAX_PEERS_FOUND) : MAX_PEERS_FOUND;
  op->log_failures = log_failures;
  op->found = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_info_unref);
  op->seen = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                    (GDestroyNotify) satori_peer_id_unref, NULL);
  g_task_set_task_data (task, op, (GDestroyNotify) operation_free);
  op->points = points != NULL ? g_ptr_array_ref (points) : resolve_points (self, &error);
  if (op->points == NULL)
    {
      op->points = g_ptr_array_new ();
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  operation_step (task);
}

/* ---- refreshing registrations ---- */

static void
on_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  /* Failures are logged, and held for a retry, by the operation. */
  g_task_propagate_boolean (G_TASK (result), NULL);
}

static gboolean
on_refresh_due (gpointer user_data)
{
  SatoriRendezvousService *self = user_data;
  g_autoptr(GPtrArray) due = satori_rendezvous_client_take_due (self->client,
                                                                g_get_monotonic_time ());

  g_clear_pointer (&self->refresh_timer, g_source_unref);
  for (guint i = 0; i < due->len && self->host != NULL; i++)
    {
      SatoriRendezvousRefresh *refresh = g_ptr_array_index (due, i);
      /* The operation keeps the array, so the array owns the point. */
      g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func (
        (GDestroyNotify) satori_peer_id_unref);
      const char *namespaces[] = { refresh->namespace_, NULL };

      g_ptr_array_add (points, satori_peer_id_new_from_string (refresh->point, NULL));
      operation_start (self, OP_REGISTER, points, namespaces, refresh->ttl, 0, TRUE,
                       on_refresh_due, self->cancellable, on_refreshed, NULL);
    }
  rearm_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
rearm_refresh (SatoriRendezvousService *self)
{
  gint64 deadline = satori_rendezvous_client_next_deadline (self->client);

  if (self->refresh_timer != NULL)
    {
      g_source_destroy (self->refresh_timer);
      g_clear_pointer (&self->refresh_timer, g_source_unref);
    }
  if (deadline == G_MAXINT64 || self->context == NULL)
    return;
  gint64 wait_ms = MAX (deadline - g_get_monotonic_time (), 0) / 1000;
  self->refresh_timer = g_timeout_source_new (MIN (wait_ms, G_MAXUINT));
  g_source_set_callback (self->refresh_timer, on_refresh_due, self, NULL);
  g_source_set_static_name (self->refresh_timer, "[satori] rendezvous refresh");
  g_source_attach (self->refresh_timer, self->context);
}

/* ---- SatoriDiscovery ---- */

static void
satori_rendezvous_service_start_async (SatoriDiscovery *discovery, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (discovery);

  if (self->namespaces == NULL || self->namespaces[0] == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, satori_rendezvous_service_start_async);
      g_task_return_boolean (task, TRUE);
      return;
    }
  operation_start (self, OP_REGISTER, NULL, (const char * const *) self->namespaces, self->ttl,
                   0, TRUE, satori_rendezvous_service_start_async, cancellable, callback,
                   user_data);
}

static gboolean
satori_rendezvous_service_start_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_rendezvous_service_stop (SatoriDiscovery *discovery)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (discovery);

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_pointer (&self->client, satori_rendezvous_client_free);
  self->client = satori_rendezvous_client_new ();
  rearm_refresh (self);
}

static void
satori_rendezvous_service_find_peers_async (SatoriDiscovery *discovery, const char *namespace_,
                                            guint limit, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (discovery);
  const char *namespaces[] = { namespace_, NULL };

  operation_start (self, OP_DISCOVER, NULL, namespace_ != NULL ? namespaces : NULL, 0, limit,
                   FALSE, satori_rendezvous_service_find_peers_async, cancellable, callback,
                   user_data);
}

static GPtrArray *
satori_rendezvous_service_find_peers_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), NULL);
  Operation *op = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_ptr_array_ref (op->found);
}

static void
satori_rendezvous_service_advertise_async (SatoriDiscovery *discovery, const char *namespace_,
                                           guint ttl_seconds, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (discovery);
  const char *namespaces[] = { namespace_, NULL };

  g_return_if_fail (namespace_ != NULL);
  operation_start (self, OP_REGISTER, NULL, namespaces, ttl_seconds, 0, FALSE,
                   satori_rendezvous_service_advertise_async, cancellable, callback, user_data);
}

static guint
satori_rendezvous_service_advertise_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), 0);
  Operation *op = g_task_get_task_data (G_TASK (result));

  return g_task_propagate_boolean (G_TASK (result), error) ? op->granted_ttl : 0;
}

/* Unregisters at every point; the registration is no longer refreshed. */
static void
satori_rendezvous_service_withdraw_async (SatoriDiscovery *discovery, const char *namespace_,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  satori_rendezvous_service_unregister_async (SATORI_RENDEZVOUS_SERVICE (discovery), namespace_,
                                              cancellable, callback, user_data);
}

static gboolean
satori_rendezvous_service_withdraw_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                           GError **error)
{
  return satori_rendezvous_service_unregister_finish (SATORI_RENDEZVOUS_SERVICE (discovery),
                                                      result, error);
}

static void
discovery_iface_init (SatoriDiscoveryInterface *iface)
{
  iface->start_async = satori_rendezvous_service_start_async;
  iface->start_finish = satori_rendezvous_service_start_finish;
  iface->stop = satori_rendezvous_service_stop;
  iface->find_peers_async = satori_rendezvous_service_find_peers_async;
  iface->find_peers_finish = satori_rendezvous_service_find_peers_finish;
  iface->advertise_async = satori_rendezvous_service_advertise_async;
  iface->advertise_finish = satori_rendezvous_service_advertise_finish;
  iface->withdraw_async = satori_rendezvous_service_withdraw_async;
  iface->withdraw_finish = satori_rendezvous_service_withdraw_finish;
}

/**
 * satori_rendezvous_service_unregister_async:
 * @service: a rendezvous service
 * @namespace_: the namespace to leave
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every point was told
 * @user_data: its data
 *
 * Stops refreshing the registration under @namespace_ and sends an
 * UNREGISTER to every configured point (which does not answer it).
 */
void
satori_rendezvous_service_unregister_async (SatoriRendezvousService *service,
                                            const char *namespace_, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_RENDEZVOUS_SERVICE (service));
  g_return_if_fail (namespace_ != NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) points = resolve_points (service, &error);
  const char *namespaces[] = { namespace_, NULL };

  for (guint i = 0; points != NULL && i < points->len; i++)
    {
      g_autofree char *point = satori_peer_id_to_string (g_ptr_array_index (points, i));
      satori_rendezvous_client_unregistered (service->client, point, namespace_);
    }
  rearm_refresh (service);
  operation_start (service, OP_UNREGISTER, points, namespaces, 0, 0, FALSE,
                   satori_rendezvous_service_unregister_async, cancellable, callback, user_data);
}

/**
 * satori_rendezvous_service_unregister_finish:
 * @service: a rendezvous service
 * @result: the result passed to the callback
 * @error: a #GError
 *
 * Returns: whether at least one point was told
 */
gboolean
satori_rendezvous_service_unregister_finish (SatoriRendezvousService *service,
                                             GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * satori_rendezvous_service_get_registration_count:
 * @service: a rendezvous service
 *
 * Returns: the registrations this host holds as a point
 */
guint
satori_rendezvous_service_get_registration_count (SatoriRendezvousService *service)
{
  g_return_val_if_fail (SATORI_IS_RENDEZVOUS_SERVICE (service), 0);
  if (service->server == NULL)
    return 0;
  satori_rendezvous_server_expire (service->server, g_get_monotonic_time ());
  return satori_rendezvous_server_get_count (service->server);
}

/* ---- GObject ---- */

static void
satori_rendezvous_service_set_property (GObject *object, guint prop_id, const GValue *value,
                                        GParamSpec *pspec)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (object);

  switch (prop_id)
    {
    case PROP_POINTS:
      g_strfreev (self->points);
      self->points = g_value_dup_boxed (value);
      break;
    case PROP_NAMESPACES:
      g_strfreev (self->namespaces);
      self->namespaces = g_value_dup_boxed (value);
      break;
    case PROP_SERVER:
      self->server_mode = g_value_get_boolean (value);
      if (self->server != NULL)
        satori_rendezvous_server_set_available (self->server, self->server_mode);
      break;
    case PROP_TTL:
      self->ttl = g_value_get_uint (value);
      break;
    default:
      if (limit_of (self, prop_id) == NULL)
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      else
        *limit_of (self, prop_id) = g_value_get_uint (value);
      if (self->server != NULL)
        satori_rendezvous_server_set_limits (self->server, &self->limits);
    }
}

static void
satori_rendezvous_service_get_property (GObject *object, guint prop_id, GValue *value,
                                        GParamSpec *pspec)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (object);

  switch (prop_id)
    {
    case PROP_POINTS:
      g_value_set_boxed (value, self->points);
      break;
    case PROP_NAMESPACES:
      g_value_set_boxed (value, self->namespaces);
      break;
    case PROP_SERVER:
      g_value_set_boolean (value, self->server_mode);
      break;
    case PROP_TTL:
      g_value_set_uint (value, self->ttl);
      break;
    default:
      if (limit_of (self, prop_id) == NULL)
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      else
        g_value_set_uint (value, *limit_of (self, prop_id));
    }
}

static void
satori_rendezvous_service_finalize (GObject *object)
{
  SatoriRendezvousService *self = SATORI_RENDEZVOUS_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->serving);
  if (self->refresh_timer != NULL)
    g_source_destroy (self->refresh_timer);
  g_clear_pointer (&self->refresh_timer, g_source_unref);
  g_clear_weak_pointer (&self->host);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_strfreev (self->points);
  g_strfreev (self->namespaces);
  g_clear_pointer (&self->server, satori_rendezvous_server_free);
  g_clear_pointer (&self->client, satori_rendezvous_client_free);
  G_OBJECT_CLASS (satori_rendezvous_service_parent_class)->finalize (object);
}

static GParamSpec *
limit_param (const char *name, const char *nick, guint minimum, guint maximum, guint fallback)
{
  return g_param_spec_uint (name, nick, nick, minimum, maximum, fallback,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
}

static void
satori_rendezvous_service_class_init (SatoriRendezvousServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SatoriRendezvousLimits limits;

  satori_rendezvous_limits_init (&limits);
  object_class->set_property = satori_rendezvous_service_set_property;
  object_class->get_property = satori_rendezvous_service_get_property;
  object_class->finalize = satori_rendezvous_service_finalize;

  /**
   * SatoriRendezvousService:points:
   *
   * The rendezvous points to register at and discover from, as
   * multiaddrs ending in /p2p/<peer id>.
   */
  props[PROP_POINTS] = g_param_spec_boxed ("points", "Points", "Rendezvous points",
                                           G_TYPE_STRV,
                                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SatoriRendezvousService:namespaces:
   *
   * The namespaces registered at every point when discovery starts, and
   * kept registered (such as `satori/pub/<stream id>`).
   */
  props[PROP_NAMESPACES] = g_param_spec_boxed ("namespaces", "Namespaces",
                                               "Namespaces to register", G_TYPE_STRV,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SatoriRendezvousService:server:
   *
   * Whether this host is a rendezvous point. When not, it answers
   * requests with E_UNAVAILABLE.
   */
  props[PROP_SERVER] = g_param_spec_boolean ("server", "Server", "Be a rendezvous point", FALSE,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                             G_PARAM_STATIC_STRINGS);
  /**
   * SatoriRendezvousService:ttl:
   *
   * The TTL asked for when registering without one, in seconds.
   */
  props[PROP_TTL] = limit_param ("ttl", "Registration TTL", 1, G_MAXINT32,
                                 SATORI_RENDEZVOUS_DEFAULT_TTL);
  /**
   * SatoriRendezvousService:min-ttl:
   *
   * As a point, the shortest TTL admitted, in seconds.
   */
  props[PROP_MIN_TTL] = limit_param ("min-ttl", "Shortest TTL admitted", 1, G_MAXINT32,
                                     limits.min_ttl);
  /**
   * SatoriRendezvousService:max-ttl:
   *
   * As a point, the longest TTL admitted, in seconds.
   */
  props[PROP_MAX_TTL] = limit_param ("max-ttl", "Longest TTL admitted", 1, G_MAXINT32,
                                     limits.max_ttl);
  /**
   * SatoriRendezvousService:max-per-peer:
   *
   * As a point, the registrations one peer may hold.
   */
  props[PROP_MAX_PER_PEER] = limit_param ("max-per-peer", "Registrations per peer", 1,
                                          G_MAXUINT, limits.max_per_peer);
  /**
   * SatoriRendezvousService:max-per-namespace:
   *
   * As a point, the registrations one namespace may hold.
   */
  props[PROP_MAX_PER_NAMESPACE] = limit_param ("max-per-namespace",
                                               "Registrations per namespace", 1, G_MAXUINT,
                                               limits.max_per_namespace);
  /**
   * SatoriRendezvousService:max-registrations:
   *
   * As a point, the registrations it holds in all.
   */
  props[PROP_MAX_REGISTRATIONS] = limit_param ("max-registrations", "Registrations in all", 1,
                                               G_MAXUINT, limits.max_total);
  /**
   * SatoriRendezvousService:max-discover:
   *
   * As a point, the registrations in one discover response.
   */
  props[PROP_MAX_DISCOVER] = limit_param ("max-discover", "Registrations per discover", 1,
                                          G_MAXUINT, limits.max_discover);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
satori_rendezvous_service_init (SatoriRendezvousService *self)
{
  satori_rendezvous_limits_init (&self->limits);
  self->cancellable = g_cancellable_new ();
  self->serving = g_cancellable_new ();
  self->client = satori_rendezvous_client_new ();
}

/**
 * satori_rendezvous_service_new:
 *
 * Returns: (transfer full): a rendezvous client that is not a point
 */
SatoriRendezvousService *
satori_rendezvous_service_new (void)
{
  return g_object_new (SATORI_TYPE_RENDEZVOUS_SERVICE, NULL);
}
