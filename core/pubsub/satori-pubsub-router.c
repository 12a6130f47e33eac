/* satori-pubsub-router.c — drives a sans-I/O pubsub core over a host's streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-pubsub-router.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "satori-peer-id.h"

/* What one read hands the core. */
#define READ_CHUNK (16 * 1024)

/* Frames waiting for a slow peer, in bytes: past this we drop. */
#define DEFAULT_MAX_QUEUED_BYTES (4 * 1024 * 1024)

/**
 * SatoriPubsubRouter:
 *
 * The one GIO adapter of the pubsub routers (libp2p/specs `pubsub/`). It
 * implements #SatoriPubsub and #SatoriProtocolHandler around a
 * #SatoriPubsubCore that a subclass (floodsub, gossipsub) creates.
 *
 * Once attached to a host it opens an outbound pubsub stream to every
 * connected peer that negotiates one of the class's protocol ids, accepts
 * the peers' inbound streams, feeds what they read to the core and writes
 * what the core sends. A core with per-peer queues (poll_transmit_peer,
 * as gossipsub has) is asked for a peer's next frame only when the last
 * one is written, so a slow peer's backlog stays in the core, which
 * decides what to drop. For other cores each peer has a bounded outbound
 * queue here (#SatoriPubsubRouter:max-queued-bytes): while a slow peer's
 * queue is full, frames to it are dropped. A peer whose input the core refuses
 * loses both its streams, with the reason logged. One #GSource follows the
 * core's next deadline.
 *
 * Message ids appear to the application as lowercase hex.
 */

typedef struct _PeerSession PeerSession;
typedef struct _Inbound Inbound;

typedef struct
{
  SatoriPubsubCore *core;
  SatoriPubsubCoreProvider provider;
  GWeakRef host;
  gulong connected_id;
  gulong disconnected_id;
  GHashTable *sessions;   /* GBytes peer id → PeerSession */
  GHashTable *opening;    /* GBytes peer ids we are opening a stream to */
  GHashTable *topics;     /* subscribed topic → itself */
  GHashTable *validators; /* topic → Validator */
  GSource *timer;
  GCancellable *cancellable;
  gsize max_queued_bytes;
  gboolean draining;
  gboolean drain_again;
} SatoriPubsubRouterPrivate;

struct _PeerSession
{
  gatomicrefcount ref_count;
  SatoriPubsubRouter *router;   /* NULL once the session has ended */
  SatoriPeerId *peer;
  GBytes *peer_bytes;
  GIOStream *outbound;          /* we write */
  Inbound *inbound;             /* what we read, owned by its pending read */
  GQueue queue;                 /* GBytes frames not yet written */
  gsize queued_bytes;
  GBytes *writing;              /* the frame being written */
  gboolean dropping;
};

/* One inbound stream and its read buffer. A peer has one: a newer stream
 * replaces the old, whose reader then finds it is no longer the session's
 * and stops. */
struct _Inbound
{
  PeerSession *session;
  GIOStream *stream;
  guint8 buffer[READ_CHUNK];
};

typedef struct
{
  SatoriPubsubValidateFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} Validator;

enum
{
  PROP_0,
  PROP_MAX_QUEUED_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void satori_pubsub_router_pubsub_init (SatoriPubsubInterface *iface);
static void satori_pubsub_router_handler_init (SatoriProtocolHandlerInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (SatoriPubsubRouter, satori_pubsub_router, G_TYPE_OBJECT,
  G_ADD_PRIVATE (SatoriPubsubRouter)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PUBSUB, satori_pubsub_router_pubsub_init)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_pubsub_router_handler_init))

static void drain (SatoriPubsubRouter *self);

/**
 * satori_pubsub_router_get_core:
 * @router: a router
 *
 * The core, for the introspection functions of its router (mesh peers,
 * scores); call them only from the thread of the host's main context.
 *
 * Returns: (transfer none) (nullable): the core, %NULL until @router is
 *   attached to a host
 */
SatoriPubsubCore *
satori_pubsub_router_get_core (SatoriPubsubRouter *router)
{
  g_return_val_if_fail (SATORI_IS_PUBSUB_ROUTER (router), NULL);

  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (router);
  return priv->core;
}

/* --- message ids --- */

/**
 * satori_pubsub_router_message_id_to_string:
 * @message_id: a message id as a core gives it
 *
 * Returns: (transfer full): @message_id in lowercase hex, as
 *   satori_pubsub_message_get_id() and satori_pubsub_report_validation()
 *   spell it
 */
char *
satori_pubsub_router_message_id_to_string (GBytes *message_id)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (message_id, &len);
  GString *text = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (text, "%02x", data[i]);
  return g_string_free (text, FALSE);
}

static GBytes *
message_id_from_string (const char *text)
{
  gsize len = strlen (text);

  if (len % 2 != 0)
    return NULL;
  guint8 *data = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    {
      int high = g_ascii_xdigit_value (text[2 * i]);
      int low = g_ascii_xdigit_value (text[2 * i + 1]);
      if (high < 0 || low < 0)
        {
          g_free (data);
          return NULL;
        }
      data[i] = (guint8) (high << 4 | low);
    }
  return g_bytes_new_take (data, len / 2);
}

/* --- peer sessions --- */

static PeerSession *
peer_session_new (SatoriPubsubRouter *router, SatoriPeerId *peer)
{
  PeerSession *session = g_new0 (PeerSession, 1);

  g_atomic_ref_count_init (&session->ref_count);
  session->router = router;
  session->peer = satori_peer_id_ref (peer);
  session->peer_bytes = g_bytes_ref (satori_peer_id_get_bytes (peer));
  g_queue_init (&session->queue);
  return session;
}

static PeerSession *
peer_session_ref (PeerSession *session)
{
  g_atomic_ref_count_inc (&session->ref_count);
  return session;
}

static void
peer_session_unref (PeerSession *session)
{
  if (!g_atomic_ref_count_dec (&session->ref_count))
    return;
  satori_peer_id_unref (session->peer);
  g_bytes_unref (session->peer_bytes);
  g_clear_object (&session->outbound);
  g_clear_pointer (&session->writing, g_bytes_unref);
  g_queue_clear_full (&session->queue, (GDestroyNotify) g_bytes_unref);
  g_free (session);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PeerSession, peer_session_unref)

static void
close_stream (GIOStream **stream)
{
  if (*stream == NULL)
    return;
  g_io_stream_close_async (*stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (stream);
}

static void
close_inbound (PeerSession *session)
{
  if (session->inbound == NULL)
    return;
  g_io_stream_close_async (session->inbound->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  session->inbound = NULL;
}

/* Detaches the session from the router; its pending operations find
 * session->router NULL and stop. */
static void
peer_session_close (PeerSession *session)
{
  session->router = NULL;
  close_stream (&session->outbound);
  close_inbound (session);
  g_queue_clear_full (&session->queue, (GDestroyNotify) g_bytes_unref);
  session->queued_bytes = 0;
}

/* Ends pubsub with a peer: the core forgets it, its streams close. */
static void
end_session (SatoriPubsubRouter *self, PeerSession *session, const char *reason)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  g_autoptr(PeerSession) kept = peer_session_ref (session);

  if (session->router == NULL)
    return;
  if (reason != NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (session->peer);
      g_message ("Closing pubsub streams of %s: %s", text, reason);
    }
  g_hash_table_remove (priv->sessions, session->peer_bytes);
  peer_session_close (session);
  priv->core->klass->remove_peer (priv->core, kept->peer_bytes, g_get_monotonic_time ());
  drain (self);
}

static PeerSession *
lookup_session (SatoriPubsubRouter *self, GBytes *peer_bytes)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  return g_hash_table_lookup (priv->sessions, peer_bytes);
}

/* The core learns of the peer with the first stream either side opens. */
static PeerSession *
ensure_session (SatoriPubsubRouter *self, SatoriHost *host, SatoriPeerId *peer,
                const char *protocol)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  PeerSession *session = lookup_session (self, satori_peer_id_get_bytes (peer));

  if (session != NULL)
    return session;
  session = peer_session_new (self, peer);
  g_hash_table_insert (priv->sessions, session->peer_bytes, session);
  SatoriConnection *connection = satori_host_get_connection (host, peer);
  gboolean outbound = connection != NULL &&
                      satori_connection_get_direction (connection) == SATORI_DIRECTION_OUTBOUND;
  priv->core->klass->add_peer (priv->core, session->peer_bytes, protocol, outbound,
                               g_get_monotonic_time ());
  return session;
}

/* --- writing --- */

static void write_next (PeerSession *session);

static void
on_frame_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(PeerSession) session = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&session->writing, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (session->router != NULL)
        end_session (session->router, session, error->message);
      return;
    }
  write_next (session);
}

static void
write_next (PeerSession *session)
{
  if (session->router == NULL || session->outbound == NULL || session->writing != NULL)
    return;
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (session->router);
  SatoriPubsubCore *core = priv->core;
  GBytes *frame = g_queue_pop_head (&session->queue);
  gsize len;

  if (frame != NULL)
    session->queued_bytes -= g_bytes_get_size (frame);
  else if (core->klass->poll_transmit_peer == NULL
           || !core->klass->poll_transmit_peer (core, session->peer_bytes, &frame))
    {
      session->dropping = FALSE;
      return;
    }
  const guint8 *data = g_bytes_get_data (frame, &len);
  session->writing = frame;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (session->outbound), data, len, G_PRIORITY_DEFAULT, priv->cancellable,
                                   on_frame_written, peer_session_ref (session));
}

static void
enqueue (SatoriPubsubRouter *self, PeerSession *session, GBytes *frame)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  gsize len = g_bytes_get_size (frame);

  if (session->queued_bytes + len > priv->max_queued_bytes)
    {
      if (!session->dropping)
        {
          g_autofree char *text = satori_peer_id_to_string (session->peer);
          g_message ("Pubsub peer %s is too slow: dropping frames while %" G_GSIZE_FORMAT
                     " bytes wait for it", text, session->queued_bytes);
        }
      session->dropping = TRUE;
      return;
    }
  g_queue_push_tail (&session->queue, g_bytes_ref (frame));
  session->queued_bytes += len;
  write_next (session);
}

/* --- events --- */

static SatoriPeerId *
peer_id_or_null (GBytes *bytes)
{
  if (bytes == NULL)
    return NULL;
  return satori_peer_id_new_from_bytes (g_bytes_get_data (bytes, NULL),
                                        g_bytes_get_size (bytes), NULL);
}

static SatoriPubsubMessage *
message_from_event (const SatoriPubsubCoreEvent *event, SatoriPeerId *local)
{
  g_autoptr(SatoriPeerId) from = peer_id_or_null (event->from);
  g_autoptr(SatoriPeerId) forwarder = peer_id_or_null (event->peer);
  g_autofree char *id = satori_pubsub_router_message_id_to_string (event->message_id);
  SatoriPubsubMessage *message = satori_pubsub_message_new (event->topic, event->data, from,
                                                            event->seqno);

  satori_pubsub_message_set_id (message, id);
  satori_pubsub_message_set_signature (message, event->signature, event->key);
  if (forwarder != NULL && !satori_peer_id_equal (forwarder, local))
    satori_pubsub_message_set_received_from (message, forwarder);
  return message;
}

static SatoriPubsubCoreVerdict
verdict_of (SatoriValidationResult result)
{
  switch (result)
    {
    case SATORI_VALIDATION_REJECT:
      return SATORI_PUBSUB_CORE_REJECT;
    case SATORI_VALIDATION_IGNORE:
      return SATORI_PUBSUB_CORE_IGNORE;
    default:
      return SATORI_PUBSUB_CORE_ACCEPT;
    }
}

static void
validate (SatoriPubsubRouter *self, SatoriPubsubMessage *message, GBytes *message_id)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  Validator *validator = g_hash_table_lookup (priv->validators,
                                              satori_pubsub_message_get_topic (message));
  /* A validator cleared while its message waited: nothing objects. */
  SatoriValidationResult result = SATORI_VALIDATION_ACCEPT;

  if (validator != NULL)
    result = validator->func (SATORI_PUBSUB (self), message, validator->user_data);
  if (result == SATORI_VALIDATION_PENDING)
    return;
  priv->core->klass->report_validation (priv->core, message_id, verdict_of (result),
                                        g_get_monotonic_time ());
  /* An accepted message left frames in the core: we run inside drain(),
   * which this asks for another round. */
  drain (self);
}

static void
disconnect_peer (SatoriPubsubRouter *self, GBytes *peer_bytes, const char *reason)
{
  g_autoptr(SatoriHost) host = NULL;
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  g_autoptr(SatoriPeerId) peer = peer_id_or_null (peer_bytes);

  host = g_weak_ref_get (&priv->host);
  if (host == NULL || peer == NULL)
    return;
  g_autofree char *text = satori_peer_id_to_string (peer);
  g_message ("Pubsub disconnects %s: %s", text, reason ? reason : "(no reason)");
  SatoriConnection *connection = satori_host_get_connection (host, peer);
  if (connection != NULL)
    satori_connection_close_async (connection, NULL, NULL, NULL);
}

static void
handle_event (SatoriPubsubRouter *self, const SatoriPubsubCoreEvent *event, SatoriPeerId *local)
{
  switch (event->type)
    {
    case SATORI_PUBSUB_CORE_EVENT_MESSAGE:
      {
        g_autoptr(SatoriPubsubMessage) message = message_from_event (event, local);
        /* A detail quark exists once someone connected to it: topics from
         * the network must not grow the quark table. */
        g_signal_emit (self, g_signal_lookup ("message", SATORI_TYPE_PUBSUB),
                       g_quark_try_string (event->topic), message);
        break;
      }
    case SATORI_PUBSUB_CORE_EVENT_VALIDATE:
      {
        g_autoptr(SatoriPubsubMessage) message = message_from_event (event, local);
        validate (self, message, event->message_id);
        break;
      }
    case SATORI_PUBSUB_CORE_EVENT_DISCONNECT_PEER:
      disconnect_peer (self, event->peer, event->reason);
      break;
    case SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION:
    case SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER:
      break;
    }
}

/* --- the core's output and deadline --- */

static gboolean
on_deadline (gpointer user_data)
{
  SatoriPubsubRouter *self = user_data;
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  g_source_set_ready_time (priv->timer, -1);
  priv->core->klass->handle_timeout (priv->core, g_get_monotonic_time ());
  drain (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
dispatch_deadline (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = { .dispatch = dispatch_deadline };

static void
arm_timer (SatoriPubsubRouter *self)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  gint64 deadline = priv->core->klass->next_deadline_us (priv->core);

  if (priv->timer == NULL)
    {
      priv->timer = g_source_new (&deadline_funcs, sizeof (GSource));
      g_source_set_static_name (priv->timer, "satori-pubsub-deadline");
      g_source_set_callback (priv->timer, on_deadline, self, NULL);
      g_source_attach (priv->timer, g_main_context_get_thread_default ());
    }
  g_source_set_ready_time (priv->timer, deadline == G_MAXINT64 ? -1 : MAX (deadline, 0));
}

/* Hands the core's frames to the peers' queues and its events to the
 * application, until both are empty. Reentrant calls (a signal handler
 * publishing, a validator answering at once) only ask for another round. */
static void
drain (SatoriPubsubRouter *self)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  g_autoptr(SatoriHost) host = g_weak_ref_get (&priv->host);

  if (priv->core == NULL || host == NULL)
    return;
  if (priv->draining)
    {
      priv->drain_again = TRUE;
      return;
    }
  g_object_ref (self);
  priv->draining = TRUE;
  do
    {
      GBytes *peer, *frame;
      SatoriPubsubCoreEvent event = { 0 };

      priv->drain_again = FALSE;
      if (priv->core->klass->poll_transmit_peer != NULL)
        {
          /* Each idle stream takes its next frame; busy ones when done. */
          GHashTableIter iter;
          PeerSession *session;
          g_hash_table_iter_init (&iter, priv->sessions);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
            write_next (session);
        }
      else
        while (priv->core->klass->poll_transmit (priv->core, &peer, &frame))
          {
            PeerSession *session = lookup_session (self, peer);
            if (session != NULL)
              enqueue (self, session, frame);
            g_bytes_unref (peer);
            g_bytes_unref (frame);
          }
      while (priv->core->klass->poll_event (priv->core, &event))
        {
          handle_event (self, &event, satori_host_get_peer_id (host));
          satori_pubsub_core_event_clear (&event);
        }
    }
  while (priv->drain_again);
  priv->draining = FALSE;
  arm_timer (self);
  g_object_unref (self);
}

/* --- reading --- */

static void
inbound_free (Inbound *inbound)
{
  peer_session_unref (inbound->session);
  g_object_unref (inbound->stream);
  g_free (inbound);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Inbound, inbound_free)

static void read_next (Inbound *inbound);

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Inbound) inbound = user_data;
  PeerSession *session = inbound->session;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  SatoriPubsubRouter *self = session->router;

  if (self == NULL || session->inbound != inbound)
    return;
  if (n <= 0)
    {
      end_session (self, session, n < 0 ? error->message : NULL);
      return;
    }
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  /* A signal handler may drop the last other reference. */
  g_object_ref (self);
  if (!priv->core->klass->handle_input (priv->core, session->peer_bytes, inbound->buffer, n,
                                        g_get_monotonic_time (), &error))
    end_session (self, session, error->message);
  else
    {
      drain (self);
      if (session->inbound == inbound)
        read_next (g_steal_pointer (&inbound));
    }
  g_object_unref (self);
}

/* Reads into @inbound's buffer; the read owns @inbound. */
static void
read_next (Inbound *inbound)
{
  SatoriPubsubRouterPrivate *priv =
    satori_pubsub_router_get_instance_private (inbound->session->router);

  g_input_stream_read_async (g_io_stream_get_input_stream (inbound->stream), inbound->buffer,
                             sizeof inbound->buffer, G_PRIORITY_DEFAULT, priv->cancellable,
                             on_read, inbound);
}

/* --- opening our stream --- */

typedef struct
{
  SatoriPubsubRouter *router;
  SatoriPeerId *peer;
} Opening;

static void
opening_free (Opening *opening)
{
  g_object_unref (opening->router);
  satori_peer_id_unref (opening->peer);
  g_free (opening);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Opening, opening_free)

static void
on_outbound_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Opening) opening = user_data;
  SatoriPubsubRouter *self = opening->router;
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *protocol = NULL;
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (SATORI_HOST (source), result,
                                                               &protocol, &error);
  PeerSession *session;

  g_hash_table_remove (priv->opening, satori_peer_id_get_bytes (opening->peer));
  if (stream == NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (opening->peer);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No pubsub stream to %s: %s", text, error->message);
      return;
    }
  if (priv->core == NULL || g_cancellable_is_cancelled (priv->cancellable))
    {
      close_stream (&stream);
      return;
    }
  session = ensure_session (self, SATORI_HOST (source), opening->peer, protocol);
  if (session->outbound != NULL)
    {
      close_stream (&stream);
      return;
    }
  session->outbound = g_steal_pointer (&stream);
  write_next (session);
  drain (self);
}

static void
open_outbound (SatoriPubsubRouter *self, SatoriHost *host, SatoriPeerId *peer)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  PeerSession *session = lookup_session (self, satori_peer_id_get_bytes (peer));
  Opening *opening;

  GBytes *peer_bytes = satori_peer_id_get_bytes (peer);

  if ((session != NULL && session->outbound != NULL) ||
      !g_hash_table_add (priv->opening, g_bytes_ref (peer_bytes)))
    return;
  opening = g_new0 (Opening, 1);
  opening->router = g_object_ref (self);
  opening->peer = satori_peer_id_ref (peer);
  satori_host_new_stream_async (host, peer, SATORI_PUBSUB_ROUTER_GET_CLASS (self)->protocol_ids,
                                priv->cancellable, on_outbound_opened, opening);
}

/* --- the host --- */

static void
on_peer_connected (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  open_outbound (user_data, host, satori_connection_get_remote_peer (connection));
}

static void
on_peer_disconnected (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  SatoriPubsubRouter *self = user_data;
  SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
  PeerSession *session = lookup_session (self, satori_peer_id_get_bytes (peer));

  if (session != NULL && satori_host_get_connection (host, peer) == NULL)
    end_session (self, session, NULL);
}

static guint32
random_u32 (gpointer user_data)
{
  return g_random_int ();
}

static void
satori_pubsub_router_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (handler);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  g_return_if_fail (priv->core == NULL);
  g_weak_ref_set (&priv->host, host);
  priv->core = SATORI_PUBSUB_ROUTER_GET_CLASS (self)->create_core (self, host, &priv->provider);
  priv->connected_id = g_signal_connect_object (host, "peer-connected",
                                                G_CALLBACK (on_peer_connected), self, 0);
  priv->disconnected_id = g_signal_connect_object (host, "peer-disconnected",
                                                   G_CALLBACK (on_peer_disconnected), self, 0);
  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);
  for (guint i = 0; i < connections->len; i++)
    open_outbound (self, host,
                   satori_connection_get_remote_peer (g_ptr_array_index (connections, i)));
  drain (self);
}

static void
end_all_sessions (SatoriPubsubRouter *self)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, priv->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      peer_session_close (value);
      g_hash_table_iter_remove (&iter);
    }
}

static void
satori_pubsub_router_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (handler);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  g_clear_signal_handler (&priv->connected_id, host);
  g_clear_signal_handler (&priv->disconnected_id, host);
  g_cancellable_cancel (priv->cancellable);
  end_all_sessions (self);
  g_weak_ref_set (&priv->host, NULL);
}

static void
satori_pubsub_router_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                    const char *protocol_id, SatoriPeerId *remote_peer,
                                    SatoriMultiaddr *remote_address)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (handler);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  g_autoptr(SatoriHost) host = g_weak_ref_get (&priv->host);

  if (host == NULL || priv->core == NULL || g_cancellable_is_cancelled (priv->cancellable))
    {
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  PeerSession *session = ensure_session (self, host, remote_peer, protocol_id);
  /* A peer has one inbound pubsub stream; a newer one replaces the old. */
  close_inbound (session);
  Inbound *inbound = g_new0 (Inbound, 1);
  inbound->session = peer_session_ref (session);
  inbound->stream = g_object_ref (stream);
  session->inbound = inbound;
  read_next (inbound);
  open_outbound (self, host, remote_peer);
  drain (self);
}

static void
satori_pubsub_router_handler_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_pubsub_router_attach;
  iface->detach = satori_pubsub_router_detach;
  iface->handle_stream = satori_pubsub_router_handle_stream;
}

/* --- SatoriPubsub --- */

static gboolean
check_attached (SatoriPubsubRouter *self, GError **error)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  if (priv->core != NULL)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                       _("The pubsub router is not attached to a host"));
  return FALSE;
}

static gboolean
check_topic (const char *topic, GError **error)
{
  if (*topic != '\0' && g_utf8_validate (topic, -1, NULL))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("A topic is a non-empty UTF-8 string"));
  return FALSE;
}

static gboolean
satori_pubsub_router_subscribe (SatoriPubsub *pubsub, const char *topic, GError **error)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (pubsub);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  if (!check_attached (self, error) || !check_topic (topic, error))
    return FALSE;
  if (!g_hash_table_add (priv->topics, g_strdup (topic)))
    return TRUE;
  priv->core->klass->subscribe (priv->core, topic, g_get_monotonic_time ());
  drain (self);
  return TRUE;
}

static gboolean
satori_pubsub_router_unsubscribe (SatoriPubsub *pubsub, const char *topic, GError **error)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (pubsub);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  if (!check_attached (self, error))
    return FALSE;
  if (!g_hash_table_remove (priv->topics, topic))
    return TRUE;
  priv->core->klass->unsubscribe (priv->core, topic, g_get_monotonic_time ());
  drain (self);
  return TRUE;
}

static void
satori_pubsub_router_publish_async (SatoriPubsub *pubsub, const char *topic, GBytes *data,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (pubsub);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) message_id = NULL;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, satori_pubsub_router_publish_async);
  if (!check_attached (self, &error) || !check_topic (topic, &error) ||
      !priv->core->klass->publish (priv->core, topic, data, g_get_monotonic_time (),
                                   &message_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  drain (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
satori_pubsub_router_publish_finish (SatoriPubsub *pubsub, GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, pubsub), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GStrv
satori_pubsub_router_get_topics (SatoriPubsub *pubsub)
{
  SatoriPubsubRouterPrivate *priv =
    satori_pubsub_router_get_instance_private (SATORI_PUBSUB_ROUTER (pubsub));
  GStrvBuilder *builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer topic;

  g_hash_table_iter_init (&iter, priv->topics);
  while (g_hash_table_iter_next (&iter, &topic, NULL))
    g_strv_builder_add (builder, topic);
  GStrv topics = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return topics;
}

static GPtrArray *
satori_pubsub_router_get_topic_peers (SatoriPubsub *pubsub, const char *topic)
{
  SatoriPubsubRouterPrivate *priv =
    satori_pubsub_router_get_instance_private (SATORI_PUBSUB_ROUTER (pubsub));
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref);

  if (priv->core == NULL)
    return peers;
  g_autoptr(GPtrArray) ids = priv->core->klass->topic_peers (priv->core, topic);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      SatoriPeerId *peer = peer_id_or_null (g_ptr_array_index (ids, i));
      if (peer != NULL)
        g_ptr_array_add (peers, peer);
    }
  return peers;
}

static void
validator_free (Validator *validator)
{
  if (validator->destroy != NULL)
    validator->destroy (validator->user_data);
  g_free (validator);
}

static void
satori_pubsub_router_set_validator (SatoriPubsub *pubsub, const char *topic,
                                    SatoriPubsubValidateFunc func, gpointer user_data,
                                    GDestroyNotify destroy)
{
  SatoriPubsubRouterPrivate *priv =
    satori_pubsub_router_get_instance_private (SATORI_PUBSUB_ROUTER (pubsub));

  if (func == NULL)
    g_hash_table_remove (priv->validators, topic);
  else
    {
      Validator *validator = g_new0 (Validator, 1);
      validator->func = func;
      validator->user_data = user_data;
      validator->destroy = destroy;
      g_hash_table_replace (priv->validators, g_strdup (topic), validator);
    }
  if (priv->core != NULL)
    priv->core->klass->set_topic_validated (priv->core, topic, func != NULL);
}

static void
satori_pubsub_router_report_validation (SatoriPubsub *pubsub, const char *message_id,
                                        SatoriValidationResult result)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (pubsub);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);
  g_autoptr(GBytes) id = message_id_from_string (message_id);

  if (priv->core == NULL || id == NULL)
    return;
  priv->core->klass->report_validation (priv->core, id, verdict_of (result),
                                        g_get_monotonic_time ());
  drain (self);
}

static void
satori_pubsub_router_pubsub_init (SatoriPubsubInterface *iface)
{
  iface->subscribe = satori_pubsub_router_subscribe;
  iface->unsubscribe = satori_pubsub_router_unsubscribe;
  iface->publish_async = satori_pubsub_router_publish_async;
  iface->publish_finish = satori_pubsub_router_publish_finish;
  iface->get_topics = satori_pubsub_router_get_topics;
  iface->get_topic_peers = satori_pubsub_router_get_topic_peers;
  iface->set_validator = satori_pubsub_router_set_validator;
  iface->report_validation = satori_pubsub_router_report_validation;
}

/* --- the object --- */

static void
satori_pubsub_router_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  SatoriPubsubRouterPrivate *priv =
    satori_pubsub_router_get_instance_private (SATORI_PUBSUB_ROUTER (object));

  switch (prop_id)
    {
    case PROP_MAX_QUEUED_BYTES:
      g_value_set_uint64 (value, priv->max_queued_bytes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_pubsub_router_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  SatoriPubsubRouterPrivate *priv =
    satori_pubsub_router_get_instance_private (SATORI_PUBSUB_ROUTER (object));

  switch (prop_id)
    {
    case PROP_MAX_QUEUED_BYTES:
      priv->max_queued_bytes = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_pubsub_router_dispose (GObject *object)
{
  SatoriPubsubRouter *self = SATORI_PUBSUB_ROUTER (object);
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  end_all_sessions (self);
  if (priv->timer != NULL)
    {
      g_source_destroy (priv->timer);
      g_clear_pointer (&priv->timer, g_source_unref);
    }
  g_hash_table_remove_all (priv->validators);
  G_OBJECT_CLASS (satori_pubsub_router_parent_class)->dispose (object);
}

static void
satori_pubsub_router_finalize (GObject *object)
{
  SatoriPubsubRouterPrivate *priv =
    satori_pubsub_router_get_instance_private (SATORI_PUBSUB_ROUTER (object));

  if (priv->core != NULL)
    priv->core->klass->free (priv->core);
  g_weak_ref_clear (&priv->host);
  g_hash_table_unref (priv->sessions);
  g_hash_table_unref (priv->opening);
  g_hash_table_unref (priv->topics);
  g_hash_table_unref (priv->validators);
  g_object_unref (priv->cancellable);
  G_OBJECT_CLASS (satori_pubsub_router_parent_class)->finalize (object);
}

static void
satori_pubsub_router_class_init (SatoriPubsubRouterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = satori_pubsub_router_get_property;
  object_class->set_property = satori_pubsub_router_set_property;
  object_class->dispose = satori_pubsub_router_dispose;
  object_class->finalize = satori_pubsub_router_finalize;

  /**
   * SatoriPubsubRouter:max-queued-bytes:
   *
   * How many bytes of frames may wait for one peer, for cores without
   * per-peer queues (floodsub; gossipsub bounds its own). While a slow
   * peer's queue is over it, new frames to that peer are dropped (and
   * logged once per episode), so a peer that does not read costs bounded
   * memory.
   */
  properties[PROP_MAX_QUEUED_BYTES] =
    g_param_spec_uint64 ("max-queued-bytes", NULL, NULL, 1024, G_MAXUINT32,
                         DEFAULT_MAX_QUEUED_BYTES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
satori_pubsub_router_init (SatoriPubsubRouter *self)
{
  SatoriPubsubRouterPrivate *priv = satori_pubsub_router_get_instance_private (self);

  g_weak_ref_init (&priv->host, NULL);
  priv->provider.random_u32 = random_u32;
  priv->sessions = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, NULL,
                                          (GDestroyNotify) peer_session_unref);
  priv->opening = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                         (GDestroyNotify) g_bytes_unref, NULL);
  priv->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  priv->validators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) validator_free);
  priv->cancellable = g_cancellable_new ();
}
