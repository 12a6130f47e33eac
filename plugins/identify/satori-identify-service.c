/* satori-identify-service.c — /ipfs/id/1.0.0 and /ipfs/id/push/1.0.0
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-identify-service.h"

#include "satori-identify-stream.h"

/* Our addresses as peers report them, most recent last. */
#define MAX_OBSERVED 8

/**
 * SatoriIdentifyService:
 *
 * The libp2p identify protocols (libp2p/specs `identify/README.md`). Once
 * attached to a host it identifies every new connection's peer: it opens
 * `/ipfs/id/1.0.0`, reads the peer's messages, checks that the public key
 * is the connection's peer's, stores agent, protocols, listen addresses
 * and key in the host's peerstore, and emits
 * #SatoriIdentifyService::identified. It answers `/ipfs/id/1.0.0` with our
 * own message and applies the updates peers send on `/ipfs/id/push/1.0.0`.
 *
 * Our message carries our addresses (satori_host_get_addresses()) and a
 * signed peer record of them (libp2p RFC 0003); a peer's signed record is
 * checked and kept in the peerstore, its addresses certified.
 *
 * When the host's handlers or listen addresses change, the service pushes
 * our new message to every connected peer that speaks
 * `/ipfs/id/push/1.0.0`, once #SatoriIdentifyService:push-delay has passed
 * without a further change. A peer that connected after the change learns
 * it from its identify request and gets no push (as go-libp2p).
 */
struct _SatoriIdentifyService
{
  GObject parent_instance;

  char *agent_version;
  GWeakRef host;
  gulong connected_id;
  GPtrArray *observed;        /* SatoriMultiaddr */
  GCancellable *cancellable;  /* cancelled on dispose */
  SatoriPeerRecord *record;   /* our latest signed record */
  GBytes *record_envelope;
  guint push_delay;           /* ms */
  guint push_source;
  guint generation;           /* counts the changes of what we announce, from 1 */
  GHashTable *peer_generation;  /* SatoriPeerId → the generation it has seen */
  gulong disconnected_id;
  gulong protocols_changed_id;
  gulong addresses_changed_id;
};

enum
{
  PROP_0,
  PROP_AGENT_VERSION,
  PROP_PUSH_DELAY,
  N_PROPS
};

enum
{
  SIGNAL_IDENTIFIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void satori_identify_service_iface_init (SatoriProtocolHandlerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriIdentifyService, satori_identify_service, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_identify_service_iface_init))

/* --- what we send --- */

static gboolean
same_addresses (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!satori_multiaddr_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

/* Our signed peer record of @addresses, sealed again only when they
 * change, with a sequence number from the wall clock (as go-libp2p) that
 * never goes back. */
static GBytes *
signed_record (SatoriIdentifyService *self, SatoriHost *host, GPtrArray *addresses)
{
  g_autoptr(GError) error = NULL;

  if (self->record != NULL && same_addresses (self->record->addresses, addresses))
    return self->record_envelope;

  guint64 seq = MAX ((guint64) g_get_real_time (), self->record ? self->record->seq + 1 : 0);
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (satori_host_get_peer_id (host), seq,
                                                               addresses);
  g_autoptr(SatoriEnvelope) envelope = satori_peer_record_seal (record,
                                                                satori_host_get_private_key (host),
                                                                &error);
  if (envelope == NULL)
    {
      g_message ("Cannot sign our peer record: %s", error->message);
      return NULL;
    }
  g_clear_pointer (&self->record, satori_peer_record_unref);
  g_clear_pointer (&self->record_envelope, g_bytes_unref);
  self->record = g_steal_pointer (&record);
  self->record_envelope = satori_envelope_encode (envelope);
  return self->record_envelope;
}

static SatoriIdentifyMessage *
build_message (SatoriIdentifyService *self, SatoriHost *host, SatoriMultiaddr *observed)
{
  SatoriIdentifyMessage *message = satori_identify_message_new ();
  g_autoptr(GPtrArray) addresses = satori_host_get_addresses (host);

  message->protocol_version = g_strdup (SATORI_IDENTIFY_PROTOCOL_VERSION);
  message->agent_version = g_strdup (self->agent_version);
  message->public_key = g_object_ref (
    satori_private_key_get_public_key (satori_host_get_private_key (host)));
  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (message->listen_addrs, satori_multiaddr_ref (g_ptr_array_index (addresses, i)));
  GBytes *record = signed_record (self, host, addresses);
  if (record != NULL)
    message->signed_peer_record = g_bytes_ref (record);
  if (observed != NULL)
    message->observed_addr = satori_multiaddr_ref (observed);
  g_strfreev (message->protocols);
  message->protocols = satori_host_get_protocols (host);
  message->has_protocols = TRUE;
  return message;
}

/* --- what we receive --- */

static void
remember_observed (SatoriIdentifyService *self, SatoriMultiaddr *address)
{
  guint index;

  if (g_ptr_array_find_with_equal_func (self->observed, address, satori_multiaddr_equal,
                                        &index))
    g_ptr_array_remove_index (self->observed, index);
  else if (self->observed->len == MAX_OBSERVED)
    g_ptr_array_remove_index (self->observed, 0);
  g_ptr_array_add (self->observed, satori_multiaddr_ref (address));
}

/* Checks a peer's signed record and keeps it if it is newer; a bad one is
 * logged and ignored, the rest of the message still counts. */
static void
keep_signed_record (SatoriPeerstore *store, SatoriPeerId *peer, GBytes *envelope)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = satori_peer_id_to_string (peer);
  gsize len;
  const guint8 *data = g_bytes_get_data (envelope, &len);

  g_autoptr(SatoriPeerRecord) record = satori_peer_record_open (data, len, &error);
  if (record != NULL && !satori_peer_id_equal (record->peer_id, peer))
    g_set_error (&error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                 "it is about another peer");
  if (error != NULL)
    {
      g_message ("Ignoring the signed peer record of %s: %s", text, error->message);
      return;
    }
  if (!satori_peerstore_set_peer_record (store, record, envelope))
    g_debug ("Signed peer record of %s is not newer than the one kept", text);
}

static void
apply (SatoriIdentifyService *self, SatoriPeerId *peer, SatoriIdentifyMessage *message,
       gboolean push)
{
  g_autoptr(SatoriHost) host = g_weak_ref_get (&self->host);
  g_autofree char *text = satori_peer_id_to_string (peer);
  g_autoptr(GError) error = NULL;

  if (host == NULL)
    return;
  if (!satori_identify_message_validate (message, peer, !push, &error))
    {
      g_message ("Ignoring identify%s from %s: %s", push ? " push" : "", text, error->message);
      return;
    }
  SatoriPeerstore *store = satori_host_get_peerstore (host);
  if (message->public_key != NULL)
    satori_peerstore_set_public_key (store, peer, message->public_key);
  if (message->agent_version != NULL)
    satori_peerstore_set_agent (store, peer, message->agent_version);
  if (message->has_protocols)
    satori_peerstore_set_protocols (store, peer, (const char * const *) message->protocols);
  for (guint i = 0; i < message->listen_addrs->len; i++)
    satori_peerstore_add_address (store, peer, g_ptr_array_index (message->listen_addrs, i));
  if (message->signed_peer_record != NULL)
    keep_signed_record (store, peer, message->signed_peer_record);
  if (!push && message->observed_addr != NULL)
    remember_observed (self, message->observed_addr);
  g_debug ("Identified %s%s: %s", text, push ? " (push)" : "",
           message->agent_version ? message->agent_version : "(no agent)");
  g_signal_emit (self, signals[SIGNAL_IDENTIFIED], 0, peer, message);
}

typedef struct
{
  SatoriIdentifyService *service;
  SatoriPeerId *peer;
  gboolean push;
} Exchange;

static Exchange *
exchange_new (SatoriIdentifyService *service, SatoriPeerId *peer, gboolean push)
{
  Exchange *exchange = g_new0 (Exchange, 1);

  exchange->service = g_object_ref (service);
  exchange->peer = satori_peer_id_ref (peer);
  exchange->push = push;
  return exchange;
}

static void
exchange_free (Exchange *exchange)
{
  g_object_unref (exchange->service);
  satori_peer_id_unref (exchange->peer);
  g_free (exchange);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_free)

static void
on_messages_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  GIOStream *stream = G_IO_STREAM (source);
  g_autoptr(GError) error = NULL;

  g_autoptr(SatoriIdentifyMessage) message = satori_identify_stream_read_finish (stream, result,
                                                                                &error);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (message == NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (exchange->peer);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Identify%s from %s failed: %s", exchange->push ? " push" : "", text,
                   error->message);
      return;
    }
  apply (exchange->service, exchange->peer, message, exchange->push);
}

/* --- what each peer has seen --- */

static void
mark_seen (SatoriIdentifyService *self, SatoriPeerId *peer, guint generation)
{
  if (generation > GPOINTER_TO_UINT (g_hash_table_lookup (self->peer_generation, peer)))
    g_hash_table_replace (self->peer_generation, satori_peer_id_ref (peer),
                          GUINT_TO_POINTER (generation));
}

static gboolean
has_seen_latest (SatoriIdentifyService *self, SatoriPeerId *peer)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->peer_generation, peer)) >= self->generation;
}

/* --- identifying new connections --- */

static void
on_identify_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Exchange) exchange = user_data;
  g_autoptr(GError) error = NULL;

  g_autoptr(GIOStream) stream = satori_connection_open_stream_finish (
    SATORI_CONNECTION (source), result, NULL, &error);
  if (stream == NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (exchange->peer);
      g_debug ("Cannot identify %s: %s", text, error->message);
      return;
    }
  GCancellable *cancellable = exchange->service->cancellable;
  satori_identify_stream_read_async (stream, cancellable, on_messages_read,
                                     g_steal_pointer (&exchange));
}

static void
on_peer_connected (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  SatoriIdentifyService *self = user_data;
  const char *protocols[] = { SATORI_IDENTIFY_PROTOCOL, NULL };

  /* The peer identifies the new connection as we do: our answer to it is
   * built later, so it carries every change made so far. */
  mark_seen (self, satori_connection_get_remote_peer (connection), self->generation);
  satori_connection_open_stream_async (
    connection, protocols, self->cancellable, on_identify_opened,
    exchange_new (self, satori_connection_get_remote_peer (connection), FALSE));
}

static void
on_peer_disconnected (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  SatoriIdentifyService *self = user_data;
  SatoriPeerId *peer = satori_connection_get_remote_peer (connection);

  if (satori_host_get_connection (host, peer) == NULL)
    g_hash_table_remove (self->peer_generation, peer);
}

/* --- the handler --- */

static void
on_answer_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!satori_identify_stream_send_finish (G_IO_STREAM (source), result, &error))
    g_debug ("Identify answer not sent: %s", error->message);
}

static void
satori_identify_service_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                       const char *protocol_id, SatoriPeerId *remote_peer,
                                       SatoriMultiaddr *remote_address)
{
  SatoriIdentifyService *self = SATORI_IDENTIFY_SERVICE (handler);

  if (g_strcmp0 (protocol_id, SATORI_IDENTIFY_PUSH_PROTOCOL) == 0)
    {
      satori_identify_stream_read_async (stream, self->cancellable, on_messages_read,
                                         exchange_new (self, remote_peer, TRUE));
      return;
    }
  g_autoptr(SatoriHost) host = g_weak_ref_get (&self->host);
  if (host == NULL)
    {
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  g_autoptr(SatoriIdentifyMessage) message = build_message (self, host, remote_address);
  satori_identify_stream_send_async (stream, message, self->cancellable, on_answer_sent, NULL);
}

static void push_to_peers_behind (SatoriIdentifyService *service, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);

static gboolean
on_push_due (gpointer user_data)
{
  SatoriIdentifyService *self = user_data;

  self->push_source = 0;
  push_to_peers_behind (self, self->cancellable, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Changes come in bursts (a plugin adds several handlers): one push
 * after the last of them. */
static void
schedule_push (SatoriIdentifyService *self)
{
  self->generation++;
  g_clear_handle_id (&self->push_source, g_source_remove);
  self->push_source = g_timeout_add (self->push_delay, on_push_due, self);
}

static void
satori_identify_service_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriIdentifyService *self = SATORI_IDENTIFY_SERVICE (handler);

  g_weak_ref_set (&self->host, host);
  self->connected_id = g_signal_connect_object (host, "peer-connected",
                                                G_CALLBACK (on_peer_connected), self, 0);
  self->disconnected_id = g_signal_connect_object (host, "peer-disconnected",
                                                   G_CALLBACK (on_peer_disconnected), self, 0);
  self->protocols_changed_id = g_signal_connect_object (host, "protocols-changed",
                                                        G_CALLBACK (schedule_push), self,
                                                        G_CONNECT_SWAPPED);
  self->addresses_changed_id = g_signal_connect_object (host, "addresses-changed",
                                                        G_CALLBACK (schedule_push), self,
                                                        G_CONNECT_SWAPPED);
}

static void
satori_identify_service_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriIdentifyService *self = SATORI_IDENTIFY_SERVICE (handler);

  g_clear_signal_handler (&self->connected_id, host);
  g_clear_signal_handler (&self->disconnected_id, host);
  g_clear_signal_handler (&self->protocols_changed_id, host);
  g_clear_signal_handler (&self->addresses_changed_id, host);
  g_clear_handle_id (&self->push_source, g_source_remove);
  g_hash_table_remove_all (self->peer_generation);
  g_weak_ref_set (&self->host, NULL);
}

static void
satori_identify_service_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_identify_service_attach;
  iface->detach = satori_identify_service_detach;
  iface->handle_stream = satori_identify_service_handle_stream;
}

/* --- push --- */

/* One push on one connection; the peer has seen @generation once it is
 * sent. */
typedef struct
{
  GTask *task;
  SatoriIdentifyMessage *message;
  SatoriPeerId *peer;
  guint generation;
} PushStep;

static void
push_step_done (PushStep *step)
{
  guint *pending = g_task_get_task_data (step->task);

  if (--*pending == 0)
    g_task_return_boolean (step->task, TRUE);
  g_object_unref (step->task);
  g_clear_pointer (&step->message, satori_identify_message_unref);
  satori_peer_id_unref (step->peer);
  g_free (step);
}

static void
on_push_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PushStep *step = user_data;
  g_autoptr(GError) error = NULL;

  if (satori_identify_stream_send_finish (G_IO_STREAM (source), result, &error))
    mark_seen (g_task_get_source_object (step->task), step->peer, step->generation);
  else
    g_debug ("Identify push not sent: %s", error->message);
  push_step_done (step);
}

static void
on_push_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PushStep *step = user_data;
  g_autoptr(GError) error = NULL;

  g_autoptr(GIOStream) stream = satori_connection_open_stream_finish (
    SATORI_CONNECTION (source), result, NULL, &error);
  if (stream == NULL)
    {
      g_debug ("Identify push: %s", error->message);
      push_step_done (step);
      return;
    }
  g_autoptr(SatoriIdentifyMessage) message = g_steal_pointer (&step->message);
  satori_identify_stream_send_async (stream, message, g_task_get_cancellable (step->task),
                                     on_push_sent, step);
}

/* Pushes our message to each connected peer that speaks push and has not
 * seen our latest change. */
static void
push_to_peers_behind (SatoriIdentifyService *service, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (service, cancellable, callback, user_data);
  guint *pending = g_new0 (guint, 1);

  g_task_set_source_tag (task, satori_identify_service_push_async);
  g_task_set_task_data (task, pending, g_free);
  g_autoptr(SatoriHost) host = g_weak_ref_get (&service->host);
  if (host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "The identify service is not attached to a host");
      return;
    }

  /* One count for the loop, so that no step completes the task early. */
  *pending = 1;
  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);
  const char *protocols[] = { SATORI_IDENTIFY_PUSH_PROTOCOL, NULL };
  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
      g_auto(GStrv) theirs = satori_peerstore_get_protocols (satori_host_get_peerstore (host),
                                                             peer);
      if (satori_connection_is_closed (connection) || has_seen_latest (service, peer) ||
          theirs == NULL ||
          !g_strv_contains ((const char * const *) theirs, SATORI_IDENTIFY_PUSH_PROTOCOL))
        continue;
      PushStep *step = g_new0 (PushStep, 1);
      step->task = g_object_ref (task);
      step->message = build_message (service, host,
                                     satori_connection_get_remote_address (connection));
      step->peer = satori_peer_id_ref (peer);
      step->generation = service->generation;
      (*pending)++;
      satori_connection_open_stream_async (connection, protocols, cancellable, on_push_opened,
                                           step);
    }
  if (--*pending == 0)
    g_task_return_boolean (task, TRUE);
}

/**
 * satori_identify_service_push_async:
 * @service: a #SatoriIdentifyService attached to a host
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every push is done
 * @user_data: its data
 *
 * Sends our current Identify message on `/ipfs/id/push/1.0.0` to every
 * connected peer that announced that protocol. The service calls it
 * itself when the host's handlers or addresses change; call it for other
 * changes. A push that fails is logged and does not fail the call.
 */
void
satori_identify_service_push_async (SatoriIdentifyService *service, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_IDENTIFY_SERVICE (service));
  /* The caller tells us of a change: no peer has seen it yet. */
  service->generation++;
  push_to_peers_behind (service, cancellable, callback, user_data);
}

/**
 * satori_identify_service_push_finish:
 * @service: a #SatoriIdentifyService
 * @result: the result passed to the callback
 * @error: a #GError, set when the service is not attached
 *
 * Returns: %TRUE once every push was attempted
 */
gboolean
satori_identify_service_push_finish (SatoriIdentifyService *service, GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- accessors --- */

/**
 * satori_identify_service_get_agent_version:
 * @service: a #SatoriIdentifyService
 *
 * Returns: the agentVersion we announce
 */
const char *
satori_identify_service_get_agent_version (SatoriIdentifyService *service)
{
  g_return_val_if_fail (SATORI_IS_IDENTIFY_SERVICE (service), NULL);
  return service->agent_version;
}

/**
 * satori_identify_service_get_observed_addresses:
 * @service: a #SatoriIdentifyService
 *
 * The addresses at which our peers saw us (their observedAddr), the most
 * recent last, at most eight, without duplicates. For NAT logic.
 *
 * Returns: (transfer container) (element-type SatoriMultiaddr): the
 *   addresses
 */
GPtrArray *
satori_identify_service_get_observed_addresses (SatoriIdentifyService *service)
{
  g_return_val_if_fail (SATORI_IS_IDENTIFY_SERVICE (service), NULL);
  GPtrArray *copy = g_ptr_array_new_full (service->observed->len,
                                          (GDestroyNotify) satori_multiaddr_unref);

  for (guint i = 0; i < service->observed->len; i++)
    g_ptr_array_add (copy, satori_multiaddr_ref (g_ptr_array_index (service->observed, i)));
  return copy;
}

/* --- the object --- */

static void
satori_identify_service_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  SatoriIdentifyService *self = SATORI_IDENTIFY_SERVICE (object);

  switch (prop_id)
    {
    case PROP_AGENT_VERSION:
      g_value_set_string (value, self->agent_version);
      break;
    case PROP_PUSH_DELAY:
      g_value_set_uint (value, self->push_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_identify_service_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  SatoriIdentifyService *self = SATORI_IDENTIFY_SERVICE (object);

  switch (prop_id)
    {
    case PROP_AGENT_VERSION:
      g_free (self->agent_version);
      self->agent_version = g_value_get_string (value) != NULL
                            ? g_value_dup_string (value)
                            : g_strdup (SATORI_IDENTIFY_AGENT_VERSION);
      break;
    case PROP_PUSH_DELAY:
      self->push_delay = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_identify_service_dispose (GObject *object)
{
  g_cancellable_cancel (SATORI_IDENTIFY_SERVICE (object)->cancellable);
  g_clear_handle_id (&SATORI_IDENTIFY_SERVICE (object)->push_source, g_source_remove);
  G_OBJECT_CLASS (satori_identify_service_parent_class)->dispose (object);
}

static void
satori_identify_service_finalize (GObject *object)
{
  SatoriIdentifyService *self = SATORI_IDENTIFY_SERVICE (object);

  g_free (self->agent_version);
  g_weak_ref_clear (&self->host);
  g_ptr_array_unref (self->observed);
  g_hash_table_unref (self->peer_generation);
  g_object_unref (self->cancellable);
  g_clear_pointer (&self->record, satori_peer_record_unref);
  g_clear_pointer (&self->record_envelope, g_bytes_unref);
  G_OBJECT_CLASS (satori_identify_service_parent_class)->finalize (object);
}

static void
satori_identify_service_class_init (SatoriIdentifyServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = satori_identify_service_get_property;
  object_class->set_property = satori_identify_service_set_property;
  object_class->dispose = satori_identify_service_dispose;
  object_class->finalize = satori_identify_service_finalize;

  /**
   * SatoriIdentifyService:agent-version:
   *
   * The agentVersion we announce; %NULL restores the default,
   * `satorip2p/VERSION`.
   */
  properties[PROP_AGENT_VERSION] =
    g_param_spec_string ("agent-version", NULL, NULL, SATORI_IDENTIFY_AGENT_VERSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriIdentifyService:push-delay:
   *
   * Milliseconds to wait after a change of the host's handlers or
   * addresses, and after each further change, before pushing.
   */
  properties[PROP_PUSH_DELAY] =
    g_param_spec_uint ("push-delay", NULL, NULL, 0, 60000, 100,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SatoriIdentifyService::identified:
   * @service: the service
   * @peer: the #SatoriPeerId identified
   * @message: the #SatoriIdentifyMessage it sent, already stored in the
   *   peerstore
   *
   * A peer answered identify or pushed an update, and its message was
   * valid.
   */
  signals[SIGNAL_IDENTIFIED] =
    g_signal_new ("identified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  SATORI_TYPE_PEER_ID, SATORI_TYPE_IDENTIFY_MESSAGE);
}

static void
satori_identify_service_init (SatoriIdentifyService *self)
{
  g_weak_ref_init (&self->host, NULL);
  self->observed = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  self->generation = 1;
  self->peer_generation = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                                 (GDestroyNotify) satori_peer_id_unref, NULL);
  self->cancellable = g_cancellable_new ();
}

/**
 * satori_identify_service_new:
 *
 * Returns: (transfer full): an identify service; add it to a host with
 *   satori_host_set_handler() for %SATORI_IDENTIFY_PROTOCOL and
 *   %SATORI_IDENTIFY_PUSH_PROTOCOL
 */
SatoriIdentifyService *
satori_identify_service_new (void)
{
  return g_object_new (SATORI_TYPE_IDENTIFY_SERVICE, NULL);
}
