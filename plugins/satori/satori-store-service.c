/* satori-store-service.c — /satori/store/1.0.0: the GIO adapter of a
 * holder (serves store and retrieve, pushes to peers that connect) and
 * of a sender (stores for offline peers, replicates to relays, announces
 * in the DHT, fetches its own messages)
 *
 * Delivery is at least once: a holder deletes a retrieved message only
 * once the requester closed the stream after reading the response, and a
 * pushed one once its stream was written and closed; a crash or a lost
 * stream in between means the message comes again. Held messages carry
 * their message id (retrieved ones in the response, pushed ones in
 * `_stored`), by which they are deduplicated here before they go to the
 * host's /satori/1.0.0 service, which announces them as live ones.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-service.h"

#include <glib/gi18n-lib.h>

#include "satori-message-cipher.h"
#include "satori-message-envelope.h"
#include "satori-message-service.h"
#include "satori-store-client.h"
#include "satori-store-db.h"
#include "satori-store-push.h"
#include "satori-store-seen.h"
#include "satori-store-server.h"
#include "satori-store-stream.h"

/* How long one exchange (a request, a push, a served stream) may take. */
#define EXCHANGE_TIMEOUT_S 30
/* How far a sender's clock may run ahead of ours. */
#define MAX_CLOCK_SKEW_US (5 * 60 * G_USEC_PER_SEC)
/* Holders asked per discovery for our messages. */
#define MAX_HOLDERS 20
/* Message ids of held messages remembered against repeats. */
#define MAX_SEEN 10000
/* Relays kept: the configured ones, then announced ones up to this. */
#define MAX_RELAYS 64
/* Streams served at once, each buffering up to a request: beyond, new
 * ones are refused at once. */
#define MAX_SERVING 32

struct _SatoriStoreService
{
  GObject parent_instance;

  SatoriHost *host;          /* weak: the host owns its handlers */
  SatoriEvrmoreKey *key;     /* the host's, to encrypt; NULL unless secp256k1 */
  GMainContext *context;     /* the host's, for timers */
  GCancellable *cancellable; /* everything under way: cancelled by detach() */

  char *path;
  GStrv relays;              /* configured: multiaddrs with /p2p/ */
  guint replication;
  guint max_per_target;
  guint ttl_hours;
  guint max_request_size;
  guint max_messages;
  guint purge_interval;
  guint retrieve_delay;
  gboolean push;

  SatoriStoreDb *db;         /* opened by attach() */
  GPtrArray *relay_peers;    /* SatoriPeerId: configured, then announced */
  GHashTable *pushing;       /* base58 peer ids being pushed to */
  GHashTable *announced;     /* base58 targets announced in the DHT */
  SatoriStoreSeen *seen;     /* message ids of held messages delivered to us */
  guint serving;             /* streams being served */
  GSource *purge_timer;
  GSource *start_timer;
};

static void protocol_handler_iface_init (SatoriProtocolHandlerInterface *iface);
static void offline_store_iface_init (SatoriOfflineStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriStoreService, satori_store_service, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, protocol_handler_iface_init)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_OFFLINE_STORE, offline_store_iface_init))

enum
{
  PROP_0,
  PROP_PATH,
  PROP_RELAYS,
  PROP_REPLICATION,
  PROP_MAX_PER_TARGET,
  PROP_TTL_HOURS,
  PROP_MAX_REQUEST_SIZE,
  PROP_MAX_MESSAGES,
  PROP_PURGE_INTERVAL,
  PROP_RETRIEVE_DELAY,
  PROP_PUSH,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* ---- deadlines: a cancellable that fires on a timeout or on detach ---- */

typedef struct
{
  GCancellable *cancellable;
  GCancellable *parent;
  gulong parent_id;
  GSource *timer;
} Deadline;

static void
on_parent_cancelled (GCancellable *parent, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static gboolean
on_deadline (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static Deadline *
deadline_new (SatoriStoreService *self)
{
  Deadline *deadline = g_new0 (Deadline, 1);

  deadline->cancellable = g_cancellable_new ();
  deadline->parent = g_object_ref (self->cancellable);
  deadline->parent_id = g_cancellable_connect (self->cancellable,
                                               G_CALLBACK (on_parent_cancelled),
                                               deadline->cancellable, NULL);
  deadline->timer = g_timeout_source_new_seconds (EXCHANGE_TIMEOUT_S);
  g_source_set_callback (deadline->timer, on_deadline, deadline->cancellable, NULL);
  g_source_attach (deadline->timer, self->context);
  return deadline;
}

static void
deadline_free (Deadline *deadline)
{
  g_cancellable_disconnect (deadline->parent, deadline->parent_id);
  g_object_unref (deadline->parent);
  g_source_destroy (deadline->timer);
  g_source_unref (deadline->timer);
  g_object_unref (deadline->cancellable);
  g_free (deadline);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Deadline, deadline_free)

/* ---- the DHT: /satori/pending/<target> through the host's discoveries ---- */

/* Every discovery service among the host's handlers (Kad: the key is the
 * namespace's raw bytes, as the Python nodes provide it). */
static GPtrArray *
get_discoveries (SatoriStoreService *self)
{
  GPtrArray *discoveries = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) protocols = satori_host_get_protocols (self->host);

  for (guint i = 0; protocols[i] != NULL; i++)
    {
      SatoriProtocolHandler *handler = satori_host_get_handler (self->host, protocols[i]);
      if (SATORI_IS_DISCOVERY (handler) && !g_ptr_array_find (discoveries, handler, NULL))
        g_ptr_array_add (discoveries, g_object_ref (handler));
    }
  return discoveries;
}

static void
on_advertised (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree char *key = user_data;
  g_autoptr(GError) error = NULL;

  if (satori_discovery_advertise_finish (SATORI_DISCOVERY (source), result, &error) == 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("%s not announced by %s: %s", key, G_OBJECT_TYPE_NAME (source), error->message);
}

/* Announces once that we hold messages for @target. */
static void
announce (SatoriStoreService *self, const char *target)
{
  if (self->host == NULL || !g_hash_table_add (self->announced, g_strdup (target)))
    return;
  g_autoptr(GPtrArray) discoveries = get_discoveries (self);
  g_autofree char *key = g_strconcat (SATORI_STORE_PENDING_PREFIX, target, NULL);
  for (guint i = 0; i < discoveries->len; i++)
    satori_discovery_advertise_async (g_ptr_array_index (discoveries, i), key,
                                      self->ttl_hours * 3600, self->cancellable, on_advertised,
                                      g_strdup (key));
}

/* ---- push ---- */

typedef struct
{
  SatoriStoreService *self;
  char *target;
} Pushing;

static void
on_pushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pushing *pushing = user_data;
  SatoriStoreService *self = pushing->self;
  g_autoptr(GError) error = NULL;
  guint n = satori_store_push_finish (SATORI_HOST (source), result, &error);

  g_hash_table_remove (self->pushing, pushing->target);
  if (error == NULL)
    {
      g_debug ("Delivered %u held messages to %s", n, pushing->target);
      /* Nothing left: a message stored later is announced again. */
      g_hash_table_remove (self->announced, pushing->target);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message (_("Delivering held messages to %s failed: %s"), pushing->target,
               error->message);
  g_object_unref (self);
  g_free (pushing->target);
  g_free (pushing);
}

/* Delivers what we hold for @peer, unless a push to it is under way
 * (which delivers messages stored meanwhile too). */
static void
push (SatoriStoreService *self, SatoriPeerId *peer)
{
  g_autofree char *target = satori_peer_id_to_string (peer);

  if (!self->push || self->db == NULL || self->host == NULL ||
      satori_store_db_count (self->db, target) == 0 ||
      g_hash_table_contains (self->pushing, target))
    return;
  Pushing *pushing = g_new0 (Pushing, 1);
  pushing->self = g_object_ref (self);
  pushing->target = g_strdup (target);
  g_hash_table_add (self->pushing, g_steal_pointer (&target));
  satori_store_push_async (self->host, self->db, peer, self->cancellable, on_pushed, pushing);
}

static void
on_peer_connected (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  push (user_data, satori_connection_get_remote_peer (connection));
}

/* Pushes to @target (base58) if it is connected. */
static void
push_if_connected (SatoriStoreService *self, const char *target)
{
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_string (target, NULL);

  if (peer != NULL && self->host != NULL && satori_host_get_connection (self->host, peer) != NULL)
    push (self, peer);
}

/* ---- the holder: serves inbound streams ---- */

typedef struct
{
  SatoriStoreService *self;
  GIOStream *stream;
  char *remote;
  Deadline *deadline;
  SatoriStoreReply *reply;
} Serve;

static void
serve_end (Serve *serve)
{
  g_io_stream_close_async (serve->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  serve->self->serving--;
  g_object_unref (serve->self);
  g_object_unref (serve->stream);
  g_free (serve->remote);
  deadline_free (serve->deadline);
  g_clear_pointer (&serve->reply, satori_store_reply_free);
  g_free (serve);
}

static void
on_acknowledged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Serve *serve = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_store_stream_wait_end_finish (serve->stream, result, &error))
    g_message (_("%s did not acknowledge %u messages: they stay stored (%s)"), serve->remote,
               serve->reply->retrieved->len, error->message);
  else if (!satori_store_db_remove (serve->self->db, serve->reply->retrieved, &error))
    g_warning ("%s", error->message);
  serve_end (serve);
}

static void
on_response_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Serve *serve = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_store_stream_write_finish (serve->stream, result, &error))
    {
      g_debug ("Store response to %s not sent: %s", serve->remote, error->message);
      serve_end (serve);
      return;
    }
  if (serve->reply == NULL || serve->reply->retrieved == NULL ||
      serve->reply->retrieved->len == 0)
    {
      serve_end (serve);
      return;
    }
  satori_store_stream_wait_end_async (serve->stream, serve->deadline->cancellable,
                                      on_acknowledged, serve);
}

static void
respond (Serve *serve, GBytes *response)
{
  satori_store_stream_write_async (serve->stream, response, TRUE, serve->deadline->cancellable,
                                   on_response_written, serve);
}

static void
on_request (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Serve *serve = user_data;
  SatoriStoreService *self = serve->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) request = satori_store_stream_read_finish (serve->stream, result, &error);

  if (request == NULL)
    {
      if (!g_error_matches (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_TOO_LARGE) &&
          !g_error_matches (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED))
        {
          g_debug ("Store stream of %s: %s", serve->remote, error->message);
          serve_end (serve);
          return;
        }
      g_message (_("Store request of %s refused: %s"), serve->remote, error->message);
      g_autoptr(GBytes) response = satori_store_response_encode_error (error->message);
      respond (serve, response);
      return;
    }
  if (self->db == NULL)
    {
      g_autoptr(GBytes) response =
        satori_store_response_encode_error (_("The message store is not available"));
      respond (serve, response);
      return;
    }

  SatoriStoreLimits limits = { (gint64) self->ttl_hours * SATORI_STORE_HOUR_US,
                               MAX_CLOCK_SKEW_US, self->max_messages };
  serve->reply = satori_store_server_handle (self->db, &limits, serve->remote,
                                             g_bytes_get_data (request, NULL),
                                             g_bytes_get_size (request), g_get_real_time ());
  if (serve->reply->stored_for != NULL)
    {
      announce (self, serve->reply->stored_for);
      push_if_connected (self, serve->reply->stored_for);
    }
  respond (serve, serve->reply->response);
}

static void
satori_store_service_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                    const char *protocol_id, SatoriPeerId *remote_peer,
                                    SatoriMultiaddr *remote_address)
{
  SatoriStoreService *self = SATORI_STORE_SERVICE (handler);
  Serve *serve = g_new0 (Serve, 1);

  serve->self = g_object_ref (self);
  serve->stream = g_object_ref (stream);
  serve->remote = satori_peer_id_to_string (remote_peer);
  serve->deadline = deadline_new (self);
  if (++self->serving > MAX_SERVING)
    {
      g_autoptr(GBytes) busy = satori_store_response_encode_error (_("Too many requests at once"));
      g_message (_("Store request of %s refused: %u being served"), serve->remote, MAX_SERVING);
      respond (serve, busy);
      return;
    }
  satori_store_stream_read_async (stream, self->max_request_size, serve->deadline->cancellable,
                                  on_request, serve);
}

/* ---- the sender: store for an offline peer, replicated to relays ---- */

typedef struct
{
  Deadline *deadline;
  guint pending;
  guint replicas;
} StoreOp;

static void
store_op_free (StoreOp *op)
{
  deadline_free (op->deadline);
  g_free (op);
}

static void
on_replicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = satori_store_client_request_finish (SATORI_HOST (source), result,
                                                                  &error);

  if (none != NULL)
    op->replicas++;
  else
    g_message (_("Replicating a held message to a relay failed: %s"), error->message);
  if (--op->pending == 0)
    g_task_return_boolean (task, TRUE);
}

/* Up to #SatoriStoreService:replication relays, neither @target nor us. */
static GPtrArray *
choose_relays (SatoriStoreService *self, SatoriPeerId *target)
{
  GPtrArray *chosen = g_ptr_array_new ();
  SatoriPeerId *me = satori_host_get_peer_id (self->host);

  for (guint i = 0; i < self->relay_peers->len && chosen->len < self->replication; i++)
    {
      SatoriPeerId *relay = g_ptr_array_index (self->relay_peers, i);
      if (!satori_peer_id_equal (relay, target) && !satori_peer_id_equal (relay, me))
        g_ptr_array_add (chosen, relay);
    }
  return chosen;
}

/* The message as it is kept: encrypted for @target when asked. */
static GBytes *
held_form (SatoriStoreService *self, SatoriPeerId *target, GBytes *message,
           SatoriMessengerFlags flags, GError **error)
{
  if (!satori_message_envelope_check_json (message, error))
    return NULL;
  if ((flags & SATORI_MESSENGER_FLAGS_ENCRYPTED) == 0)
    return g_bytes_ref (message);
  return satori_message_cipher_seal (self->key, target, message, error);
}

/* Keeps @message for @target (#SatoriStoreService:ttl-hours), replicates
 * it to up to #SatoriStoreService:replication relays (configured ones
 * first, then announced ones), announces us in the DHT as a holder of
 * @target's messages (`/satori/pending/<target>`), and delivers it as
 * soon as @target connects. */
static void
satori_store_service_store_for_peer_async (SatoriOfflineStore *store, SatoriPeerId *target,
                                           GBytes *message, const char *stream_id,
                                           SatoriMessengerFlags flags,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriStoreService *service = SATORI_STORE_SERVICE (store);
  g_autoptr(GTask) task = g_task_new (service, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, satori_store_service_store_for_peer_async);
  if (service->host == NULL || service->db == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The message store is not available"));
      return;
    }
  g_autoptr(GBytes) payload = held_form (service, target, message, flags, &error);
  if (payload == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *target_id = satori_peer_id_to_string (target);
  g_autofree char *source_id = satori_peer_id_to_string (satori_host_get_peer_id (service->host));
  g_autoptr(SatoriStoreEnvelope) envelope =
    satori_store_envelope_new (id, target_id, source_id, stream_id, payload, g_get_real_time (),
                               (gint64) service->ttl_hours * SATORI_STORE_HOUR_US);
  if (!satori_store_db_add (service->db, envelope, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  announce (service, target_id);
  push_if_connected (service, target_id);

  g_autoptr(GPtrArray) relays = choose_relays (service, target);
  if (relays->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  StoreOp *op = g_new0 (StoreOp, 1);
  op->deadline = deadline_new (service);
  op->pending = relays->len;
  g_task_set_task_data (task, op, (GDestroyNotify) store_op_free);
  g_autoptr(GBytes) request = satori_store_request_encode_store (envelope);
  for (guint i = 0; i < relays->len; i++)
    satori_store_client_request_async (service->host, g_ptr_array_index (relays, i), request,
                                       target_id, op->deadline->cancellable, on_replicated,
                                       g_object_ref (task));
}

/* Errors: %SATORI_STORE_ERROR_DATABASE; %G_IO_ERROR_NOT_INITIALIZED when
 * the service has no host or no store; #SatoriMessengerError for a
 * message that is not JSON or cannot be encrypted. */
static gboolean
satori_store_service_store_for_peer_finish (SatoriOfflineStore *store, GAsyncResult *result,
                                            guint *replicas, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  StoreOp *op = g_task_get_task_data (G_TASK (result));

  if (replicas != NULL)
    *replicas = op != NULL ? op->replicas : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the target: held messages reach us ---- */

/* The host's /satori/1.0.0 service, if it is ours. */
static SatoriMessageService *
get_message_service (SatoriStoreService *self)
{
  SatoriProtocolHandler *handler = self->host != NULL
    ? satori_host_get_handler (self->host, SATORI_STORE_MESSAGE_PROTOCOL) : NULL;

  return handler != NULL && SATORI_IS_MESSAGE_SERVICE (handler)
    ? SATORI_MESSAGE_SERVICE (handler) : NULL;
}

/**
 * satori_store_service_deliver:
 * @service: a #SatoriStoreService
 * @source: the peer that sent the message, as its holder says
 * @message_id: the message's id
 * @stream_id: (nullable): its Satori stream
 * @message: the message as /satori/1.0.0 carries it
 *
 * A message held for us came, fetched or pushed: unless its id was seen
 * before, it comes out as #SatoriOfflineStore::message-delivered and
 * goes to the host's /satori/1.0.0 service, which announces it from
 * @source as it announces live messages.
 *
 * Returns: whether it was new
 */
gboolean
satori_store_service_deliver (SatoriStoreService *service, SatoriPeerId *source,
                              const char *message_id, const char *stream_id, GBytes *message)
{
  g_return_val_if_fail (SATORI_IS_STORE_SERVICE (service), FALSE);

  if (!satori_store_seen_add (service->seen, message_id))
    {
      g_debug ("Dropping held message %s: delivered already", message_id);
      return FALSE;
    }
  g_signal_emit_by_name (service, "message-delivered", source, message_id, stream_id, message);
  SatoriMessageService *messages = get_message_service (service);
  if (messages != NULL)
    satori_message_service_receive_held (messages, source, message);
  return TRUE;
}

typedef struct
{
  Deadline *deadline;
  GHashTable *holders;   /* SatoriPeerId set */
  char *me;
  guint pending;
  guint retrieved;
} Retrieve;

static void
retrieve_free (Retrieve *retrieve)
{
  deadline_free (retrieve->deadline);
  g_hash_table_unref (retrieve->holders);
  g_free (retrieve->me);
  g_free (retrieve);
}

static void
on_holder_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriStoreService *self = g_task_get_source_object (task);
  Retrieve *retrieve = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = satori_store_client_request_finish (SATORI_HOST (source),
                                                                      result, &error);

  if (messages == NULL)
    g_debug ("No held messages fetched: %s", error->message);
  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      const SatoriStoreEnvelope *envelope = g_ptr_array_index (messages, i);
      g_autoptr(SatoriPeerId) sender = satori_peer_id_new_from_string (envelope->source_peer,
                                                                       NULL);
      if (sender == NULL)
        g_debug ("Dropping held message %s: its source is no peer id", envelope->message_id);
      else if (satori_store_service_deliver (self, sender, envelope->message_id,
                                             envelope->stream_id, envelope->payload))
        retrieve->retrieved++;
    }
  if (--retrieve->pending == 0)
    g_task_return_int (task, retrieve->retrieved);
}

static void
ask_holders (GTask *task)
{
  SatoriStoreService *self = g_task_get_source_object (task);
  Retrieve *retrieve = g_task_get_task_data (task);
  g_autoptr(GBytes) request = satori_store_request_encode_retrieve (retrieve->me);
  GHashTableIter iter;
  gpointer holder;

  g_hash_table_iter_init (&iter, retrieve->holders);
  while (g_hash_table_iter_next (&iter, &holder, NULL))
    {
      retrieve->pending++;
      satori_store_client_request_async (self->host, holder, request, retrieve->me,
                                         retrieve->deadline->cancellable, on_holder_answered,
                                         g_object_ref (task));
    }
  if (retrieve->pending == 0)
    g_task_return_int (task, 0);
}

static void
on_holders_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriStoreService *self = g_task_get_source_object (task);
  Retrieve *retrieve = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = satori_discovery_find_peers_finish (SATORI_DISCOVERY (source),
                                                                   result, &error);

  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      SatoriPeerInfo *info = g_ptr_array_index (found, i);
      SatoriPeerId *peer = satori_peer_info_get_peer_id (info);
      GPtrArray *addresses = satori_peer_info_get_addresses (info);
      if (satori_peer_id_equal (peer, satori_host_get_peer_id (self->host)))
        continue;
      for (guint j = 0; addresses != NULL && j < addresses->len; j++)
        satori_peerstore_add_address (satori_host_get_peerstore (self->host), peer,
                                      g_ptr_array_index (addresses, j));
      g_hash_table_add (retrieve->holders, satori_peer_id_ref (peer));
    }
  if (--retrieve->pending == 0)
    ask_holders (task);
}

/* Asks the holders of our messages for them: the DHT providers of
 * `/satori/pending/<us>` and every connected peer (holders delete what
 * they hand out). The service does this once by itself,
 * #SatoriStoreService:retrieve-delay seconds after it is attached. */
static void
satori_store_service_retrieve_async (SatoriOfflineStore *store, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriStoreService *service = SATORI_STORE_SERVICE (store);
  g_autoptr(GTask) task = g_task_new (service, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_store_service_retrieve_async);
  if (service->host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The message store is not attached to a host"));
      return;
    }

  Retrieve *retrieve = g_new0 (Retrieve, 1);
  retrieve->deadline = deadline_new (service);
  retrieve->holders = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                             (GDestroyNotify) satori_peer_id_unref, NULL);
  retrieve->me = satori_peer_id_to_string (satori_host_get_peer_id (service->host));
  g_task_set_task_data (task, retrieve, (GDestroyNotify) retrieve_free);

  g_autoptr(GPtrArray) connections = satori_host_get_connections (service->host);
  for (guint i = 0; i < connections->len; i++)
    g_hash_table_add (retrieve->holders, satori_peer_id_ref (
                        satori_connection_get_remote_peer (g_ptr_array_index (connections, i))));

  g_autoptr(GPtrArray) discoveries = get_discoveries (service);
  g_autofree char *key = g_strconcat (SATORI_STORE_PENDING_PREFIX, retrieve->me, NULL);
  retrieve->pending = discoveries->len;
  for (guint i = 0; i < discoveries->len; i++)
    satori_discovery_find_peers_async (g_ptr_array_index (discoveries, i), key, MAX_HOLDERS,
                                       retrieve->deadline->cancellable, on_holders_found,
                                       g_object_ref (task));
  if (discoveries->len == 0)
    ask_holders (task);
}

/* Holders that fail are skipped (and logged), not errors. */
static guint
satori_store_service_retrieve_finish (SatoriOfflineStore *store, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), 0);
  gssize n = g_task_propagate_int (G_TASK (result), error);
  return n < 0 ? 0 : (guint) n;
}

/* After the configured relays, up to MAX_RELAYS in all. */
static void
satori_store_service_add_relay (SatoriOfflineStore *store, SatoriPeerId *relay)
{
  SatoriStoreService *service = SATORI_STORE_SERVICE (store);

  if (g_ptr_array_find_with_equal_func (service->relay_peers, relay, satori_peer_id_equal, NULL))
    return;
  if (service->relay_peers->len >= MAX_RELAYS)
    {
      g_autofree char *text = satori_peer_id_to_string (relay);
      g_debug ("Relay %s not added: %u relays already", text, MAX_RELAYS);
      return;
    }
  g_ptr_array_add (service->relay_peers, satori_peer_id_ref (relay));
}

static guint
satori_store_service_count_pending (SatoriOfflineStore *store, SatoriPeerId *target)
{
  SatoriStoreService *service = SATORI_STORE_SERVICE (store);

  if (service->db == NULL)
    return 0;
  g_autofree char *id = target != NULL ? satori_peer_id_to_string (target) : NULL;
  return satori_store_db_count (service->db, id);
}

static void
offline_store_iface_init (SatoriOfflineStoreInterface *iface)
{
  iface->store_for_peer_async = satori_store_service_store_for_peer_async;
  iface->store_for_peer_finish = satori_store_service_store_for_peer_finish;
  iface->retrieve_async = satori_store_service_retrieve_async;
  iface->retrieve_finish = satori_store_service_retrieve_finish;
  iface->add_relay = satori_store_service_add_relay;
  iface->count_pending = satori_store_service_count_pending;
}

/* ---- attach, timers ---- */

static void
on_retrieved_at_start (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  guint n = satori_offline_store_retrieve_finish (SATORI_OFFLINE_STORE (source), result, &error);

  if (n > 0)
    g_message (_("Retrieved %u messages held for us"), n);
}

/* Once the host is up: announce what we hold, fetch what is held for us
 * if something takes it (holders delete what they hand out): the host's
 * /satori/1.0.0 service or a handler of the signal. */
static gboolean
on_start (gpointer user_data)
{
  SatoriStoreService *self = user_data;

  g_clear_pointer (&self->start_timer, g_source_unref);
  if (self->db != NULL)
    {
      g_auto(GStrv) targets = satori_store_db_get_targets (self->db, g_get_real_time ());
      for (guint i = 0; targets[i] != NULL; i++)
        announce (self, targets[i]);
    }
  if (get_message_service (self) != NULL ||
      g_signal_has_handler_pending (self, g_signal_lookup ("message-delivered",
                                                           SATORI_TYPE_OFFLINE_STORE), 0, TRUE))
    satori_offline_store_retrieve_async (SATORI_OFFLINE_STORE (self), self->cancellable,
                                         on_retrieved_at_start, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_purge (gpointer user_data)
{
  SatoriStoreService *self = user_data;
  guint n = satori_store_db_purge (self->db, g_get_real_time ());

  if (n > 0)
    g_debug ("Purged %u expired held messages", n);
  return G_SOURCE_CONTINUE;
}

static GSource *
add_timer (SatoriStoreService *self, guint seconds, GSourceFunc callback)
{
  GSource *timer = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (timer, callback, self, NULL);
  g_source_attach (timer, self->context);
  return timer;
}

/* The configured relays, their addresses added to the host's peerstore. */
static void
add_configured_relays (SatoriStoreService *self)
{
  for (guint i = 0; self->relays != NULL && self->relays[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (self->relays[i],
                                                                             &error);
      g_autoptr(GBytes) id = address ? satori_multiaddr_get_peer_id_bytes (address) : NULL;
      g_autoptr(SatoriPeerId) peer =
        id ? satori_peer_id_new_from_bytes (g_bytes_get_data (id, NULL), g_bytes_get_size (id),
                                            &error)
           : NULL;
      if (peer == NULL)
        {
          g_warning (_("Relay “%s” ignored: %s"), self->relays[i],
                     error ? error->message : _("no /p2p/ peer id"));
          continue;
        }
      g_autoptr(SatoriMultiaddr) transport = satori_multiaddr_decapsulate (address,
                                                                           SATORI_PROTO_P2P);
      if (transport != NULL && satori_multiaddr_get_n_components (transport) > 0)
        satori_peerstore_add_address (satori_host_get_peerstore (self->host), peer, transport);
      satori_offline_store_add_relay (SATORI_OFFLINE_STORE (self), peer);
    }
}

static void
satori_store_service_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriStoreService *self = SATORI_STORE_SERVICE (handler);
  g_autoptr(GError) error = NULL;

  g_set_weak_pointer (&self->host, host);
  g_clear_object (&self->key);
  self->key = satori_evrmore_key_new_from_private_key (satori_host_get_private_key (host), NULL);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  if (self->db == NULL)
    {
      g_autofree char *fallback = g_build_filename (g_get_user_data_dir (), "satorip2p",
                                                    "store.db", NULL);
      self->db = satori_store_db_open (self->path != NULL ? self->path : fallback,
                                       self->max_per_target, &error);
      if (self->db == NULL)
        g_warning (_("Messages for offline peers cannot be held: %s"), error->message);
    }
  add_configured_relays (self);
  g_signal_connect_object (host, "peer-connected", G_CALLBACK (on_peer_connected), self, 0);
  if (self->db != NULL)
    self->purge_timer = add_timer (self, self->purge_interval, on_purge);
  if (self->retrieve_delay > 0)
    self->start_timer = add_timer (self, self->retrieve_delay, on_start);
}

static void
clear_timer (GSource **timer)
{
  if (*timer != NULL)
    g_source_destroy (*timer);
  g_clear_pointer (timer, g_source_unref);
}

static void
satori_store_service_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriStoreService *self = SATORI_STORE_SERVICE (handler);

  g_signal_handlers_disconnect_by_func (host, on_peer_connected, self);
  clear_timer (&self->purge_timer);
  clear_timer (&self->start_timer);
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_clear_weak_pointer (&self->host);
}

static void
protocol_handler_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_store_service_attach;
  iface->detach = satori_store_service_detach;
  iface->handle_stream = satori_store_service_handle_stream;
}

/* ---- GObject ---- */

static guint *
uint_of (SatoriStoreService *self, guint prop_id)
{
  switch (prop_id)
    {
    case PROP_REPLICATION: return &self->replication;
    case PROP_MAX_PER_TARGET: return &self->max_per_target;
    case PROP_TTL_HOURS: return &self->ttl_hours;
    case PROP_MAX_REQUEST_SIZE: return &self->max_request_size;
    case PROP_MAX_MESSAGES: return &self->max_messages;
    case PROP_PURGE_INTERVAL: return &self->purge_interval;
    case PROP_RETRIEVE_DELAY: return &self->retrieve_delay;
    default: return NULL;
    }
}

static void
satori_store_service_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  SatoriStoreService *self = SATORI_STORE_SERVICE (object);
  guint *number = uint_of (self, prop_id);

  if (number != NULL)
    g_value_set_uint (value, *number);
  else if (prop_id == PROP_PATH)
    g_value_set_string (value, self->path);
  else if (prop_id == PROP_PUSH)
    g_value_set_boolean (value, self->push);
  else if (prop_id == PROP_RELAYS)
    g_value_set_boxed (value, self->relays);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
satori_store_service_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  SatoriStoreService *self = SATORI_STORE_SERVICE (object);
  guint *number = uint_of (self, prop_id);

  if (number != NULL)
    *number = g_value_get_uint (value);
  else if (prop_id == PROP_PUSH)
    self->push = g_value_get_boolean (value);
  else if (prop_id == PROP_PATH)
    {
      g_free (self->path);
      self->path = g_value_dup_string (value);
    }
  else if (prop_id == PROP_RELAYS)
    {
      g_strfreev (self->relays);
      self->relays = g_value_dup_boxed (value);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
satori_store_service_dispose (GObject *object)
{
  SatoriStoreService *self = SATORI_STORE_SERVICE (object);

  clear_timer (&self->purge_timer);
  clear_timer (&self->start_timer);
  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->host);
  G_OBJECT_CLASS (satori_store_service_parent_class)->dispose (object);
}

static void
satori_store_service_finalize (GObject *object)
{
  SatoriStoreService *self = SATORI_STORE_SERVICE (object);

  g_clear_pointer (&self->db, satori_store_db_free);
  g_clear_object (&self->key);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_object_unref (self->cancellable);
  g_free (self->path);
  g_strfreev (self->relays);
  g_ptr_array_unref (self->relay_peers);
  g_hash_table_unref (self->pushing);
  g_hash_table_unref (self->announced);
  satori_store_seen_free (self->seen);
  G_OBJECT_CLASS (satori_store_service_parent_class)->finalize (object);
}

static GParamSpec *
uint_property (const char *name, const char *blurb, guint min, guint max, guint value)
{
  return g_param_spec_uint (name, NULL, blurb, min, max, value,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
}

static void
satori_store_service_class_init (SatoriStoreServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = satori_store_service_get_property;
  object_class->set_property = satori_store_service_set_property;
  object_class->dispose = satori_store_service_dispose;
  object_class->finalize = satori_store_service_finalize;

  /**
   * SatoriStoreService:path:
   *
   * The SQLite database of held messages, created if missing;
   * `$XDG_DATA_HOME/satorip2p/store.db` when unset, ":memory:" for none
   * on disk.
   */
  props[PROP_PATH] = g_param_spec_string ("path", NULL, "Database file", NULL,
                                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SatoriStoreService:relays:
   *
   * Peers to replicate held messages to, as multiaddrs with `/p2p/`;
   * peers that announce themselves as relays come after them.
   */
  props[PROP_RELAYS] = g_param_spec_boxed ("relays", NULL, "Relays to replicate to",
                                           G_TYPE_STRV,
                                           G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /**
   * SatoriStoreService:replication:
   *
   * How many relays get a copy of a message stored for an offline peer.
   */
  props[PROP_REPLICATION] = uint_property ("replication", "Relays per message", 0, 64, 3);
  /**
   * SatoriStoreService:max-per-target:
   *
   * Messages held per target peer; the oldest go first.
   */
  props[PROP_MAX_PER_TARGET] = uint_property ("max-per-target", "Messages held per peer", 1,
                                              G_MAXINT, SATORI_STORE_DEFAULT_MAX_PER_TARGET);
  /**
   * SatoriStoreService:ttl-hours:
   *
   * How long messages are held, ours and others' (a longer `ttl_hours`
   * is cut to it).
   */
  props[PROP_TTL_HOURS] = uint_property ("ttl-hours", "Hours a message is held", 1, 24 * 365,
                                         24);
  /**
   * SatoriStoreService:max-request-size:
   *
   * The largest store request accepted, in bytes; a larger one gets an
   * error response and nothing is stored.
   */
  props[PROP_MAX_REQUEST_SIZE] = uint_property ("max-request-size", "Largest request", 1024,
                                                SATORI_STORE_MAX_RESPONSE_SIZE / 4,
                                                SATORI_STORE_DEFAULT_MAX_REQUEST_SIZE);
  /**
   * SatoriStoreService:max-messages:
   *
   * Messages held in all, for every peer; store requests beyond are
   * refused.
   */
  props[PROP_MAX_MESSAGES] = uint_property ("max-messages", "Messages held in all", 1, G_MAXINT,
                                            100000);
  /**
   * SatoriStoreService:purge-interval:
   *
   * Seconds between two deletions of expired messages.
   */
  props[PROP_PURGE_INTERVAL] = uint_property ("purge-interval", "Seconds between purges", 1,
                                              24 * 3600, 300);
  /**
   * SatoriStoreService:retrieve-delay:
   *
   * Seconds after the service is attached before it announces what it
   * holds and, if the host has a /satori/1.0.0 service of this plugin or
   * #SatoriOfflineStore::message-delivered has a handler, fetches what is
   * held for us; 0: never by itself.
   */
  props[PROP_RETRIEVE_DELAY] = uint_property ("retrieve-delay", "Seconds before fetching", 0,
                                              3600, 5);
  /**
   * SatoriStoreService:push:
   *
   * Whether held messages are pushed to their target when it connects;
   * without, a target gets them only by asking (as from the Python
   * nodes, which never push).
   */
  props[PROP_PUSH] = g_param_spec_boolean ("push", NULL, "Push held messages", TRUE,
                                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                           G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
satori_store_service_init (SatoriStoreService *self)
{
  self->cancellable = g_cancellable_new ();
  self->relay_peers = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref);
  self->pushing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = satori_store_seen_new (MAX_SEEN);
}

/**
 * satori_store_service_new:
 *
 * Returns: (transfer full): a store service with the default settings;
 *   it starts serving once set as the host's handler of
 *   %SATORI_STORE_PROTOCOL
 */
SatoriStoreService *
satori_store_service_new (void)
{
  return g_object_new (SATORI_TYPE_STORE_SERVICE, NULL);
}
