/* satori-message-service.c — /satori/1.0.0: the GIO side of Satori direct
 * messages. The envelope, the request table and the cipher are in their own
 * files; this one opens and reads streams, keeps the timer and emits.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-message-service.h"

#include <glib/gi18n-lib.h>

#include "satori-message-cipher.h"
#include "satori-message-envelope.h"
#include "satori-message-session.h"
#include "satori-message-stream.h"
#include "satori-store-service.h"

/* Inbound streams read at once per peer: bounds what one peer can make us
 * buffer to this many times the message limit. */
#define MAX_INBOUND_PER_PEER 8

/**
 * SatoriMessageService:
 *
 * The Satori direct-message protocol `/satori/1.0.0`, a #SatoriMessenger
 * and a #SatoriProtocolHandler. Each message is one stream: written whole,
 * then closed. Requests carry `_request_id`; the answer comes back on a new
 * stream carrying `_response_to` (plugins/satori/README.md has the wire
 * format). Plain messages are routed as satorip2p routes them:
 * #SatoriMessageService::subscription-announced,
 * #SatoriMessageService::peer-announced and
 * #SatoriMessageService::stream-data, then
 * #SatoriMessenger::message-received for every one. A `peer_announce` in
 * which the sender announces itself as a relay makes it a relay of the
 * host's #SatoriOfflineStore.
 *
 * Messages an offline store held for us (pushed here with `_stored`, or
 * fetched by the store) are announced in the same way, from their source,
 * once: a pushed one goes through the host's #SatoriStoreService, which
 * drops repeats by message id and hands it back with
 * satori_message_service_receive_held().
 */
struct _SatoriMessageService
{
  GObject parent_instance;

  GWeakRef host;
  SatoriEvrmoreKey *key;           /* the host's key; NULL unless secp256k1 */
  guint max_message_size;
  SatoriMessageSession *session;   /* tokens: the GTasks of request_async */
  GSource *timer;                  /* at the session's next deadline */
  GHashTable *inbound;             /* SatoriPeerId → guint streams being read */
  GCancellable *cancellable;       /* cancelled on dispose */
};

enum
{
  PROP_0,
  PROP_MAX_MESSAGE_SIZE,
  N_PROPS
};

enum
{
  SUBSCRIPTION_ANNOUNCED,
  PEER_ANNOUNCED,
  STREAM_DATA,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void satori_message_service_handler_init (SatoriProtocolHandlerInterface *iface);
static void satori_message_service_messenger_init (SatoriMessengerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriMessageService, satori_message_service, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_message_service_handler_init)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_MESSENGER, satori_message_service_messenger_init))

/* --- delivering one envelope on a new stream --- */

static void
on_delivered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!satori_message_stream_write_finish (G_IO_STREAM (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_deliver_stream (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (SATORI_HOST (source), result,
                                                               NULL, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Read from the task before the call steals it: argument order is unspecified. */
  GCancellable *cancellable = g_task_get_cancellable (task);
  GBytes *wire = g_task_get_task_data (task);
  satori_message_stream_write_async (stream, wire, cancellable, on_delivered,
                                     g_steal_pointer (&task));
}

/* Opens a /satori/1.0.0 stream to @peer and writes @envelope, encrypted
 * first when @encrypt. Completes with a boolean. */
static void
deliver_async (SatoriMessageService *self, SatoriPeerId *peer, GBytes *envelope,
               gboolean encrypt, GCancellable *cancellable, GAsyncReadyCallback callback,
               gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SatoriHost) host = g_weak_ref_get (&self->host);
  GError *error = NULL;

  g_task_set_source_tag (task, deliver_async);
  if (host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("The Satori message service is not attached to a host"));
      return;
    }
  g_autoptr(GBytes) wire = encrypt ? satori_message_cipher_seal (self->key, peer, envelope,
                                                                 &error)
                                   : g_bytes_ref (envelope);
  if (wire == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_bytes_get_size (wire) > self->max_message_size)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                               _("The message is over the limit of %u bytes"),
                               self->max_message_size);
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&wire), (GDestroyNotify) g_bytes_unref);
  const char *protocols[] = { SATORI_MESSAGE_PROTOCOL, NULL };
  satori_host_new_stream_async (host, peer, protocols, cancellable, on_deliver_stream,
                                g_steal_pointer (&task));
}

static gboolean
deliver_finish (SatoriMessageService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- sending --- */

static void
satori_message_service_send_async (SatoriMessenger *messenger, SatoriPeerId *peer,
                                   GBytes *message, SatoriMessengerFlags flags,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (messenger);
  GError *error = NULL;

  if (!satori_message_envelope_check_json (message, &error))
    {
      g_task_report_error (self, callback, user_data, deliver_async, error);
      return;
    }
  deliver_async (self, peer, message, (flags & SATORI_MESSENGER_FLAGS_ENCRYPTED) != 0,
                 cancellable, callback, user_data);
}

static gboolean
satori_message_service_send_finish (SatoriMessenger *messenger, GAsyncResult *result,
                                    GError **error)
{
  return deliver_finish (SATORI_MESSAGE_SERVICE (messenger), result, error);
}

/* --- requests --- */

typedef struct
{
  char *id;
  gboolean encrypted;
  GCancellable *cancellable;
  gulong cancelled_id;
} RequestData;

static void
request_data_free (RequestData *data)
{
  if (data->cancelled_id != 0)
    g_cancellable_disconnect (data->cancellable, data->cancelled_id);
  g_clear_object (&data->cancellable);
  g_free (data->id);
  g_free (data);
}

static void arm_timer (SatoriMessageService *self);

/* Ends the pending request @id (asked of @peer, or of anyone when NULL)
 * with @body or @error; nothing when it is not pending. Takes @error. */
static void
end_request (SatoriMessageService *self, const char *id, SatoriPeerId *peer, GBytes *body,
             GError *error)
{
  g_autoptr(GTask) task = satori_message_session_take (self->session, id, peer);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
  arm_timer (self);
}

static gboolean
on_timer (gpointer user_data)
{
  SatoriMessageService *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GTask *task;

  g_clear_pointer (&self->timer, g_source_unref);
  while ((task = satori_message_session_poll_expired (self->session, now)) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               _("The peer did not answer the request in time"));
      g_object_unref (task);
    }
  arm_timer (self);
  return G_SOURCE_REMOVE;
}

/* One timer, at the earliest deadline of the pending requests. */
static void
arm_timer (SatoriMessageService *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  gint64 deadline = satori_message_session_next_deadline_us (self->session);
  if (deadline < 0)
    return;
  gint64 wait_us = MAX (0, deadline - g_get_monotonic_time ());
  self->timer = g_timeout_source_new ((guint) MIN (wait_us / 1000 + 1, G_MAXUINT));
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

typedef struct
{
  GWeakRef service;
  char *id;
} Cancelled;

static void
cancelled_free (gpointer data)
{
  Cancelled *cancelled = data;

  g_weak_ref_clear (&cancelled->service);
  g_free (cancelled->id);
  g_free (cancelled);
}

static gboolean
end_cancelled (gpointer data)
{
  Cancelled *cancelled = data;
  g_autoptr(SatoriMessageService) self = g_weak_ref_get (&cancelled->service);

  if (self != NULL)
    end_request (self, cancelled->id, NULL, NULL,
                 g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                      _("The request was cancelled")));
  return G_SOURCE_REMOVE;
}

/* Runs inside g_cancellable_cancel(): the request ends from an idle, where
 * its task may be freed (and disconnect from the cancellable). */
static void
on_request_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Cancelled *template = user_data;
  Cancelled *cancelled = g_new0 (Cancelled, 1);
  g_autoptr(SatoriMessageService) self = g_weak_ref_get (&template->service);

  g_weak_ref_init (&cancelled->service, self);
  cancelled->id = g_strdup (template->id);
  g_idle_add_full (G_PRIORITY_DEFAULT, end_cancelled, cancelled, cancelled_free);
}

static void
on_request_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (source);
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!deliver_finish (self, result, &error))
    end_request (self, data->id, NULL, NULL, error);
}

static void
satori_message_service_request_async (SatoriMessenger *messenger, SatoriPeerId *peer,
                                      GBytes *message, SatoriMessengerFlags flags,
                                      guint timeout_ms, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (messenger);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RequestData *data = g_new0 (RequestData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, satori_message_service_request_async);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);
  data->id = g_uuid_string_random ();
  data->encrypted = (flags & SATORI_MESSENGER_FLAGS_ENCRYPTED) != 0;
  g_autoptr(GBytes) envelope = satori_message_envelope_new_request (message, data->id, &error);
  if (envelope == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  if (!satori_message_session_add (self->session, data->id, peer, deadline,
                                   g_object_ref (task)))
    g_assert_not_reached ();   /* a fresh UUID */
  arm_timer (self);
  if (cancellable != NULL)
    {
      Cancelled *template = g_new0 (Cancelled, 1);
      g_weak_ref_init (&template->service, self);
      template->id = g_strdup (data->id);
      data->cancellable = g_object_ref (cancellable);
      data->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_request_cancelled),
                                                  template, cancelled_free);
    }
  deliver_async (self, peer, envelope, data->encrypted, cancellable, on_request_sent,
                 g_steal_pointer (&task));
}

static GBytes *
satori_message_service_request_finish (SatoriMessenger *messenger, GAsyncResult *result,
                                       GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, messenger), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* An answer that came back: the request must have been asked of @peer,
 * and answered encrypted when asked encrypted. */
static void
take_response (SatoriMessageService *self, SatoriPeerId *peer,
               SatoriMessageEnvelope *envelope, gboolean encrypted)
{
  g_autoptr(GTask) task = satori_message_session_take (self->session, envelope->id, peer);

  if (task == NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (peer);
      g_debug ("Ignoring an answer from %s to no request of ours", text);
      return;
    }
  RequestData *data = g_task_get_task_data (task);
  if (data->encrypted && !encrypted)
    g_task_return_new_error (task, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_DECRYPT,
                             _("The answer to an encrypted request came unencrypted"));
  else if (envelope->error != NULL)
    g_task_return_new_error (task, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_REFUSED,
                             _("The peer refused the request: %s"), envelope->error);
  else
    g_task_return_pointer (task, g_bytes_ref (envelope->body), (GDestroyNotify) g_bytes_unref);
  arm_timer (self);
}

/* --- answering --- */

typedef struct
{
  GWeakRef service;
  SatoriPeerId *peer;
  char *id;
  gboolean encrypted;
} Answer;

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  g_weak_ref_clear (&answer->service);
  satori_peer_id_unref (answer->peer);
  g_free (answer->id);
  g_free (answer);
}

static void
on_answer_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!deliver_finish (SATORI_MESSAGE_SERVICE (source), result, &error))
    g_message ("The answer to a Satori request was not delivered: %s", error->message);
}

static void
send_answer (GBytes *reply, const char *error_message, gpointer user_data)
{
  Answer *answer = user_data;
  g_autoptr(SatoriMessageService) self = g_weak_ref_get (&answer->service);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  g_autoptr(GBytes) envelope = reply != NULL
    ? satori_message_envelope_new_response (answer->id, reply, &error)
    : satori_message_envelope_new_refusal (answer->id, error_message);
  if (envelope == NULL)
    {
      g_critical ("A Satori request was answered with a non-JSON reply: %s", error->message);
      envelope = satori_message_envelope_new_refusal (answer->id, _("Invalid reply"));
    }
  deliver_async (self, answer->peer, envelope, answer->encrypted, self->cancellable,
                 on_answer_sent, NULL);
}

static void
take_request (SatoriMessageService *self, SatoriPeerId *peer, SatoriMessageEnvelope *envelope,
              gboolean encrypted)
{
  Answer *answer = g_new0 (Answer, 1);
  gboolean handled = FALSE;

  g_weak_ref_init (&answer->service, self);
  answer->peer = satori_peer_id_ref (peer);
  answer->id = g_strdup (envelope->id);
  answer->encrypted = encrypted;
  g_autoptr(SatoriMessengerRequest) request = satori_messenger_request_new (
    peer, envelope->body, encrypted, send_answer, answer, answer_free);
  g_signal_emit_by_name (self, "request-received", request, &handled);
  if (!handled && !satori_messenger_request_get_answered (request))
    satori_messenger_request_refuse (request, _("Nobody here answers requests"));
}

/* --- receiving --- */

/* A live `peer_announce` in which @sender says it is a relay: @sender
 * becomes a relay of the host's offline store. Only self-announcements
 * count, so that nobody makes others hold our messages. */
static void
take_relay (SatoriMessageService *self, SatoriPeerId *sender, const char *announced)
{
  g_autoptr(SatoriHost) host = g_weak_ref_get (&self->host);
  g_autofree char *text = satori_peer_id_to_string (sender);
  SatoriProtocolHandler *store = host != NULL
    ? satori_host_get_handler (host, SATORI_STORE_PROTOCOL) : NULL;

  if (store == NULL || !SATORI_IS_OFFLINE_STORE (store))
    return;
  if (g_strcmp0 (text, announced) != 0)
    {
      g_debug ("Ignoring %s's announcement of %s as a relay: only a peer itself can", text,
               announced);
      return;
    }
  satori_offline_store_add_relay (SATORI_OFFLINE_STORE (store), sender);
}

/* Routes a plain message; @held when an offline store held it for us
 * (its sender is then only as the holder says). */
static void
route (SatoriMessageService *self, SatoriPeerId *peer, SatoriMessageEnvelope *envelope,
       gboolean encrypted, gboolean held)
{
  switch (envelope->route)
    {
    case SATORI_MESSAGE_ROUTE_SUBSCRIPTION_ANNOUNCE:
      g_signal_emit (self, signals[SUBSCRIPTION_ANNOUNCED], 0, peer, envelope->stream_id,
                     envelope->peer_id, envelope->evrmore_address, envelope->is_publisher);
      break;
    case SATORI_MESSAGE_ROUTE_PEER_ANNOUNCE:
      g_signal_emit (self, signals[PEER_ANNOUNCED], 0, peer, envelope->peer_id,
                     envelope->evrmore_address, envelope->is_relay, envelope->data);
      if (envelope->is_relay && !held)
        take_relay (self, peer, envelope->peer_id);
      break;
    case SATORI_MESSAGE_ROUTE_STREAM_DATA:
      g_signal_emit (self, signals[STREAM_DATA], 0, peer, envelope->stream_id, envelope->data);
      break;
    case SATORI_MESSAGE_ROUTE_NONE:
      break;
    }
  g_signal_emit_by_name (self, "message-received", peer, envelope->body, encrypted);
}

/* A message a holder pushed on behalf of its source: to the host's
 * store, which drops repeats, or straight in without one. */
static void
take_stored (SatoriMessageService *self, SatoriPeerId *holder, SatoriMessageEnvelope *envelope)
{
  g_autoptr(SatoriHost) host = g_weak_ref_get (&self->host);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerId) source = satori_peer_id_new_from_string (envelope->source_peer,
                                                                   &error);
  SatoriProtocolHandler *store = host != NULL
    ? satori_host_get_handler (host, SATORI_STORE_PROTOCOL) : NULL;

  if (source == NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (holder);
      g_message ("Dropping a stored message from %s: its source: %s", text, error->message);
      return;
    }
  if (store != NULL && SATORI_IS_STORE_SERVICE (store))
    satori_store_service_deliver (SATORI_STORE_SERVICE (store), source, envelope->id,
                                  envelope->stream_id, envelope->body);
  else
    satori_message_service_receive_held (self, source, envelope->body);
}

/* One whole inbound message: decrypted when it came encrypted, then
 * routed, answered or matched to our request. @held when an offline
 * store held it for us: it cannot hold another. */
static void
receive (SatoriMessageService *self, SatoriPeerId *peer, GBytes *message, gboolean held)
{
  g_autofree char *text = satori_peer_id_to_string (peer);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (message, &len);
  g_autoptr(SatoriMessageEnvelope) envelope = satori_message_envelope_parse (data, len, &error);
  gboolean encrypted = FALSE;

  if (envelope != NULL && envelope->kind == SATORI_MESSAGE_ENCRYPTED)
    {
      g_autoptr(GBytes) plain = satori_message_cipher_open (self->key, peer, envelope->body,
                                                            &error);
      g_clear_pointer (&envelope, satori_message_envelope_free);
      encrypted = TRUE;
      if (plain != NULL)
        envelope = satori_message_envelope_parse (g_bytes_get_data (plain, NULL),
                                                  g_bytes_get_size (plain), &error);
      if (envelope != NULL && (envelope->kind == SATORI_MESSAGE_ENCRYPTED ||
                               envelope->kind == SATORI_MESSAGE_STORED))
        {
          g_clear_pointer (&envelope, satori_message_envelope_free);
          g_set_error_literal (&error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID,
                               _("An encrypted message holds another encrypted or stored one"));
        }
    }
  if (envelope != NULL && envelope->kind == SATORI_MESSAGE_STORED && held)
    {
      g_clear_pointer (&envelope, satori_message_envelope_free);
      g_set_error_literal (&error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID,
                           _("A stored message holds another stored one"));
    }
  if (envelope == NULL)
    {
      g_message ("Dropping a Satori message from %s: %s", text, error->message);
      return;
    }
  switch (envelope->kind)
    {
    case SATORI_MESSAGE_REQUEST:
      take_request (self, peer, envelope, encrypted);
      break;
    case SATORI_MESSAGE_RESPONSE:
      take_response (self, peer, envelope, encrypted);
      break;
    case SATORI_MESSAGE_PLAIN:
      route (self, peer, envelope, encrypted, held);
      break;
    case SATORI_MESSAGE_STORED:
      take_stored (self, peer, envelope);
      break;
    case SATORI_MESSAGE_ENCRYPTED:
      g_assert_not_reached ();
    }
}

typedef struct
{
  GWeakRef service;
  SatoriPeerId *peer;
} Inbound;

static void
inbound_free (Inbound *inbound)
{
  g_weak_ref_clear (&inbound->service);
  satori_peer_id_unref (inbound->peer);
  g_free (inbound);
}

static void
count_inbound (SatoriMessageService *self, SatoriPeerId *peer, int delta)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->inbound, peer)) + delta;

  if (count == 0)
    g_hash_table_remove (self->inbound, peer);
  else
    g_hash_table_insert (self->inbound, satori_peer_id_ref (peer), GUINT_TO_POINTER (count));
}

static void
on_inbound_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Inbound *inbound = user_data;
  GIOStream *stream = G_IO_STREAM (source);
  g_autoptr(SatoriMessageService) self = g_weak_ref_get (&inbound->service);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = satori_message_stream_read_finish (stream, result, &error);

  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  if (self != NULL)
    {
      count_inbound (self, inbound->peer, -1);
      if (message == NULL)
        {
          g_autofree char *text = satori_peer_id_to_string (inbound->peer);
          g_message ("Closing a %s stream from %s: %s", SATORI_MESSAGE_PROTOCOL, text,
                     error->message);
        }
      else
        receive (self, inbound->peer, message, FALSE);
    }
  inbound_free (inbound);
}

static void
satori_message_service_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                      const char *protocol_id, SatoriPeerId *remote_peer,
                                      SatoriMultiaddr *remote_address)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (handler);

  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->inbound, remote_peer)) >=
      MAX_INBOUND_PER_PEER)
    {
      g_autofree char *text = satori_peer_id_to_string (remote_peer);
      g_message ("Closing a %s stream from %s: %u already being read", protocol_id, text,
                 MAX_INBOUND_PER_PEER);
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  count_inbound (self, remote_peer, +1);
  Inbound *inbound = g_new0 (Inbound, 1);
  g_weak_ref_init (&inbound->service, self);
  inbound->peer = satori_peer_id_ref (remote_peer);
  satori_message_stream_read_async (stream, self->max_message_size, self->cancellable,
                                    on_inbound_read, inbound);
}

static void
satori_message_service_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (handler);
  g_autoptr(GError) error = NULL;

  g_weak_ref_set (&self->host, host);
  g_clear_object (&self->key);
  self->key = satori_evrmore_key_new_from_private_key (satori_host_get_private_key (host),
                                                       &error);
  if (self->key == NULL)
    g_debug ("Satori messages of this host cannot be encrypted: %s", error->message);
}

static void
satori_message_service_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  g_weak_ref_set (&SATORI_MESSAGE_SERVICE (handler)->host, NULL);
}

static void
satori_message_service_handler_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_message_service_attach;
  iface->detach = satori_message_service_detach;
  iface->handle_stream = satori_message_service_handle_stream;
}

static void
satori_message_service_messenger_init (SatoriMessengerInterface *iface)
{
  iface->send_async = satori_message_service_send_async;
  iface->send_finish = satori_message_service_send_finish;
  iface->request_async = satori_message_service_request_async;
  iface->request_finish = satori_message_service_request_finish;
}

/* --- the object --- */

/**
 * satori_message_service_get_pending_requests:
 * @service: a #SatoriMessageService
 *
 * Returns: how many of our requests wait for an answer
 */
guint
satori_message_service_get_pending_requests (SatoriMessageService *service)
{
  g_return_val_if_fail (SATORI_IS_MESSAGE_SERVICE (service), 0);
  return satori_message_session_get_pending (service->session);
}

/**
 * satori_message_service_receive_held:
 * @service: a #SatoriMessageService
 * @source: the peer that sent it, as its holder says
 * @message: a message an offline store held for us, as /satori/1.0.0
 *   carried it (encrypted by @source, or not)
 *
 * Takes @message as if @source had just sent it: decrypted, routed,
 * announced. The caller drops repeats first.
 */
void
satori_message_service_receive_held (SatoriMessageService *service, SatoriPeerId *source,
                                     GBytes *message)
{
  g_return_if_fail (SATORI_IS_MESSAGE_SERVICE (service));
  receive (service, source, message, TRUE);
}

static void
satori_message_service_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (object);

  switch (prop_id)
    {
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint (value, self->max_message_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_message_service_set_property (GObject *object, guint prop_id, const GValue *value,
                                     GParamSpec *pspec)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (object);

  switch (prop_id)
    {
    case PROP_MAX_MESSAGE_SIZE:
      self->max_message_size = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_message_service_dispose (GObject *object)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (object);
  GTask *task;

  g_cancellable_cancel (self->cancellable);
  while ((task = satori_message_session_poll_expired (self->session, G_MAXINT64)) != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("The Satori message service was closed"));
      g_object_unref (task);
    }
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_object (&self->key);
  G_OBJECT_CLASS (satori_message_service_parent_class)->dispose (object);
}

static void
satori_message_service_finalize (GObject *object)
{
  SatoriMessageService *self = SATORI_MESSAGE_SERVICE (object);

  g_weak_ref_clear (&self->host);
  satori_message_session_free (self->session);
  g_hash_table_unref (self->inbound);
  g_object_unref (self->cancellable);
  G_OBJECT_CLASS (satori_message_service_parent_class)->finalize (object);
}

static void
satori_message_service_class_init (SatoriMessageServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = satori_message_service_get_property;
  object_class->set_property = satori_message_service_set_property;
  object_class->dispose = satori_message_service_dispose;
  object_class->finalize = satori_message_service_finalize;

  /**
   * SatoriMessageService:max-message-size:
   *
   * The largest message sent or accepted, in bytes; a longer inbound
   * stream is closed unread.
   */
  properties[PROP_MAX_MESSAGE_SIZE] =
    g_param_spec_uint ("max-message-size", NULL, NULL, 64, 64 * 1024 * 1024,
                       SATORI_MESSAGE_DEFAULT_MAX_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SatoriMessageService::subscription-announced:
   * @service: the service
   * @sender: the #SatoriPeerId that sent the announcement
   * @stream_id: the stream
   * @peer_id: the peer announced, as text
   * @evrmore_address: (nullable): its Evrmore address
   * @is_publisher: whether it publishes the stream (else subscribes)
   *
   * A `subscription_announce` message came.
   */
  signals[SUBSCRIPTION_ANNOUNCED] =
    g_signal_new ("subscription-announced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5, SATORI_TYPE_PEER_ID, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * SatoriMessageService::peer-announced:
   * @service: the service
   * @sender: the #SatoriPeerId that sent the announcement
   * @peer_id: the peer announced, as text
   * @evrmore_address: (nullable): its Evrmore address
   * @is_relay: whether it offers to relay and hold messages
   * @peer_info: the whole `peer_info` object, a JSON text
   *
   * A `peer_announce` message came.
   */
  signals[PEER_ANNOUNCED] =
    g_signal_new ("peer-announced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5, SATORI_TYPE_PEER_ID, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_BYTES);

  /**
   * SatoriMessageService::stream-data:
   * @service: the service
   * @sender: the #SatoriPeerId that sent it
   * @stream_id: the stream (`params.uuid`)
   * @data: the message's `data`, a JSON text (`null` when absent)
   *
   * A message carrying data of a stream came directly, not by pubsub (an
   * offline store pushes these).
   */
  signals[STREAM_DATA] =
    g_signal_new ("stream-data", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, SATORI_TYPE_PEER_ID, G_TYPE_STRING,
                  G_TYPE_BYTES);
}

static void
satori_message_service_init (SatoriMessageService *self)
{
  g_weak_ref_init (&self->host, NULL);
  self->session = satori_message_session_new (g_object_unref);
  self->inbound = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                         (GDestroyNotify) satori_peer_id_unref, NULL);
  self->cancellable = g_cancellable_new ();
}

/**
 * satori_message_service_new:
 *
 * Returns: (transfer full): a service; add it to a host with
 *   satori_host_set_handler() for %SATORI_MESSAGE_PROTOCOL
 */
SatoriMessageService *
satori_message_service_new (void)
{
  return g_object_new (SATORI_TYPE_MESSAGE_SERVICE, NULL);
}
