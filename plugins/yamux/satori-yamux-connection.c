/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-yamux-connection.h"

#include "satori-yamux-stream.h"

/* Large reads and writes: fewer calls into the layer below (Noise, TCP). */
#define IO_BUFFER_SIZE (256 * 1024)

/**
 * SatoriYamuxConnection:
 *
 * The GIO adapter of a #SatoriYamuxSession: it reads the underlying stream
 * asynchronously and feeds the session, writes what the session transmits,
 * turns session events into #SatoriYamuxStream state and signals, and arms
 * one timer for the session's next deadline. It keeps itself alive while
 * I/O is pending, that is until it is closed (by either side or an error).
 *
 * Its buffers exist only while bytes pass: it reads a readable stream
 * below into a buffer of the thread, and keeps only what the session did
 * not take yet; a write buffer lives until it is written. An idle
 * connection holds neither.
 */
struct _SatoriYamuxConnection
{
  GObject parent_instance;

  GIOStream *base;
  SatoriYamuxSession *session;
  GMainContext *context;
  GHashTable *streams;            /* id -> SatoriYamuxStream, unowned */
  GSource *timer;
  GCancellable *read_cancellable; /* cancelled at shutdown */

  guint8 *read_buf;               /* read_len bytes, or NULL when idle */
  gsize read_len;
  gsize read_pos;                 /* bytes of read_buf fed so far */
  gboolean reading;
  GSource *read_source;           /* waiting until the base is readable */
  guint8 *write_buf;              /* the bytes being written, or NULL */
  gboolean writing;
  gboolean write_failed;

  gboolean shutting_down;         /* no more reads; close when written */
  gboolean base_closing;
  gboolean closed;                /* "closed" was emitted */
  gboolean remote_went_away;      /* a normal GoAway came: EOF is clean */
  GError *close_error;
  GPtrArray *close_tasks;
  gint64 rtt_us;
};

static void satori_yamux_connection_iface_init (SatoriMuxedConnectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriYamuxConnection, satori_yamux_connection, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_MUXED_CONNECTION, satori_yamux_connection_iface_init))

static void flush (SatoriYamuxConnection *self);
static void start_read (SatoriYamuxConnection *self);

static SatoriYamuxStream *
lookup_stream (SatoriYamuxConnection *self, guint32 id)
{
  return g_hash_table_lookup (self->streams, GUINT_TO_POINTER (id));
}

static void
finish_close (SatoriYamuxConnection *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  g_signal_emit_by_name (self, "closed", self->close_error);
  for (guint i = 0; i < self->close_tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (self->close_tasks, i), TRUE);
  g_ptr_array_set_size (self->close_tasks, 0);
}

static void
base_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SatoriYamuxConnection) self = user_data;

  /* The session is over either way. */
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  finish_close (self);
}

/* Once reads stopped and writes are done, closes the stream below. */
static void
maybe_close_base (SatoriYamuxConnection *self)
{
  if (!self->shutting_down || self->reading || self->writing || self->base_closing)
    return;
  if (!self->write_failed && satori_yamux_session_get_pending_output (self->session) > 0)
    {
      flush (self);
      return;
    }
  self->base_closing = TRUE;
  g_io_stream_close_async (self->base, G_PRIORITY_DEFAULT, NULL, base_closed_cb,
                           g_object_ref (self));
}

/* Stops the connection: @error (taken, nullable) is what "closed" reports. */
static void
shutdown_connection (SatoriYamuxConnection *self, GError *error)
{
  GHashTableIter iter;
  gpointer stream;

  if (self->shutting_down)
    {
      g_clear_error (&error);
      return;
    }
  self->shutting_down = TRUE;
  self->close_error = error;
  g_source_set_ready_time (self->timer, -1);
  g_cancellable_cancel (self->read_cancellable);
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &stream))
    satori_yamux_stream_push_closed (stream, error);
  maybe_close_base (self);
}

static void
handle_stream_opened (SatoriYamuxConnection *self, guint32 id)
{
  g_autoptr(SatoriYamuxStream) stream = satori_yamux_stream_new (self, id);

  g_hash_table_insert (self->streams, GUINT_TO_POINTER (id), stream);
  /* Handlers keep the stream by taking a reference; if none does, it is
   * closed when the last reference goes. */
  g_signal_emit_by_name (self, "stream-accepted", stream);
}

static void
handle_event (SatoriYamuxConnection *self, SatoriYamuxEvent *event)
{
  SatoriYamuxStream *stream = lookup_stream (self, event->stream_id);

  switch (event->type)
    {
    case SATORI_YAMUX_EVENT_STREAM_OPENED:
      if (!self->shutting_down)
        handle_stream_opened (self, event->stream_id);
      break;
    case SATORI_YAMUX_EVENT_STREAM_DATA:
      if (stream != NULL)
        satori_yamux_stream_push_data (stream, event->data);
      else
        satori_yamux_session_consume (self->session, event->stream_id,
                                      g_bytes_get_size (event->data), g_get_monotonic_time ());
      break;
    case SATORI_YAMUX_EVENT_STREAM_FINISHED:
      if (stream != NULL)
        satori_yamux_stream_push_fin (stream);
      break;
    case SATORI_YAMUX_EVENT_STREAM_RESET:
      if (stream != NULL)
        satori_yamux_stream_push_reset (stream);
      break;
    case SATORI_YAMUX_EVENT_STREAM_WRITABLE:
      /* Pollable sources check the window each time the context prepares. */
      break;
    case SATORI_YAMUX_EVENT_GO_AWAY:
      g_debug ("yamux: the remote went away (code %u)", event->code);
      self->remote_went_away = TRUE;
      break;
    case SATORI_YAMUX_EVENT_PING_RTT:
      self->rtt_us = event->rtt_us;
      break;
    case SATORI_YAMUX_EVENT_SESSION_CLOSED:
      shutdown_connection (self, g_error_copy (event->error));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
process_events (SatoriYamuxConnection *self)
{
  SatoriYamuxEvent event;

  while (satori_yamux_session_poll_event (self->session, &event))
    {
      handle_event (self, &event);
      satori_yamux_event_clear (&event);
    }
}

static void
reschedule (SatoriYamuxConnection *self)
{
  if (!self->shutting_down)
    g_source_set_ready_time (self->timer, satori_yamux_session_next_deadline_us (self->session));
}

/* Feeds what was read; stops early when the session pushes back. */
static void
feed (SatoriYamuxConnection *self)
{
  while (self->read_pos < self->read_len && !self->shutting_down)
    {
      gsize consumed;

      if (!satori_yamux_session_handle_input (self->session, self->read_buf + self->read_pos,
                                              self->read_len - self->read_pos,
                                              g_get_monotonic_time (), &consumed, NULL))
        break; /* SESSION_CLOSED follows */
      self->read_pos += consumed;
      if (consumed == 0)
        break;
    }
  process_events (self);
  flush (self);
  reschedule (self);
  start_read (self);
}

/* A read of the base ended with @n bytes in read_buf, or @error (taken). */
static void
read_done (SatoriYamuxConnection *self, gssize n, GError *error)
{
  self->reading = FALSE;
  if (n <= 0)
    g_clear_pointer (&self->read_buf, g_free);
  if (self->shutting_down)
    {
      g_clear_error (&error);
      maybe_close_base (self);
      return;
    }
  if (n < 0)
    {
      shutdown_connection (self, error);
      return;
    }
  if (n == 0)
    {
      shutdown_connection (self, self->remote_went_away ? NULL :
                           g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                "The remote closed the connection"));
      return;
    }
  self->read_len = n;
  self->read_pos = 0;
  feed (self);
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SatoriYamuxConnection) self = user_data;
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  read_done (self, n, error);
}

/* One read buffer per thread, shared by its connections: a read needs it
 * only until what it brought is fed. */
static GPrivate scratch_key = G_PRIVATE_INIT (g_free);

/* Takes this thread's buffer (a read nested in a read gets its own). */
static guint8 *
scratch_take (void)
{
  guint8 *scratch = g_private_get (&scratch_key);

  g_private_set (&scratch_key, NULL);
  return scratch != NULL ? scratch : g_malloc (IO_BUFFER_SIZE);
}

static void
scratch_give_back (guint8 *scratch)
{
  if (g_private_get (&scratch_key) == NULL)
    g_private_set (&scratch_key, scratch);
  else
    g_free (scratch);
}

/* Feeds @n bytes read into @scratch; keeps a copy of what the session
 * did not take. */
static void
feed_scratch (SatoriYamuxConnection *self, guint8 *scratch, gsize n)
{
  self->read_buf = scratch;
  self->read_len = n;
  self->read_pos = 0;
  feed (self);
  self->read_buf = self->read_pos < self->read_len
    ? g_memdup2 (scratch + self->read_pos, self->read_len - self->read_pos) : NULL;
  self->read_len -= self->read_pos;
  self->read_pos = 0;
}

/* Readable: reads once and feeds. The source stays while reading goes on
 * (attaching one costs GLib several wake-ups) and goes when the session
 * pushes back or the connection ends. One read per turn lets readers of
 * the streams take their data before more comes. */
static gboolean
readable_cb (GObject *stream, gpointer user_data)
{
  SatoriYamuxConnection *self = user_data;
  GError *error = NULL;
  gssize n = -1;

  guint8 *scratch = scratch_take ();
  if (!self->shutting_down)
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), scratch,
                                                  IO_BUFFER_SIZE, NULL, &error);
  if (n > 0)
    feed_scratch (self, scratch, n);
  scratch_give_back (scratch);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_clear_error (&error);
      return G_SOURCE_CONTINUE;
    }
  if (n > 0 && self->read_len == 0 && !self->shutting_down)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->read_source, g_source_unref);
  if (n > 0)
    {
      self->reading = FALSE;
      maybe_close_base (self);
    }
  else
    read_done (self, n, error);
  return G_SOURCE_REMOVE;
}

/* Reads once all that was read is fed: when the base is readable if it
 * can be polled, else into a buffer held while waiting. */
static void
start_read (SatoriYamuxConnection *self)
{
  GInputStream *input = g_io_stream_get_input_stream (self->base);

  if (self->reading || self->shutting_down || self->read_pos < self->read_len)
    return;
  self->reading = TRUE;
  if (G_IS_POLLABLE_INPUT_STREAM (input)
      && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (input)))
    {
      /* What was kept from the last read is all fed. */
      g_clear_pointer (&self->read_buf, g_free);
      self->read_len = self->read_pos = 0;
      self->read_source = g_pollable_input_stream_create_source (
        G_POLLABLE_INPUT_STREAM (input), self->read_cancellable);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (readable_cb), g_object_ref (self),
                             g_object_unref);
      g_source_attach (self->read_source, self->context);
      return;
    }
  if (self->read_buf == NULL)
    self->read_buf = g_malloc (IO_BUFFER_SIZE);
  g_input_stream_read_async (input, self->read_buf, IO_BUFFER_SIZE, G_PRIORITY_DEFAULT,
                             self->read_cancellable, read_cb, g_object_ref (self));
}

static void
write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SatoriYamuxConnection) self = user_data;
  GError *error = NULL;

  self->writing = FALSE;
  g_clear_pointer (&self->write_buf, g_free);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      self->write_failed = TRUE;
      shutdown_connection (self, error);
      maybe_close_base (self);
      return;
    }
  flush (self);
  /* Input held back for lack of output room can go on. */
  if (self->read_pos < self->read_len && !self->writing)
    feed (self);
  maybe_close_base (self);
}

static void
flush (SatoriYamuxConnection *self)
{
  if (self->writing || self->write_failed)
    return;
  gsize n = MIN (satori_yamux_session_get_pending_output (self->session), IO_BUFFER_SIZE);
  if (n == 0)
    return;
  self->write_buf = g_malloc (n);
  n = satori_yamux_session_poll_transmit (self->session, self->write_buf, n);
  self->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->base), self->write_buf,
                                   n, G_PRIORITY_DEFAULT, NULL, write_cb, g_object_ref (self));
  process_events (self);
}

static gboolean
timer_cb (gpointer user_data)
{
  SatoriYamuxConnection *self = user_data;

  satori_yamux_session_handle_timeout (self->session, g_get_monotonic_time ());
  process_events (self);
  flush (self);
  reschedule (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs timer_funcs = { NULL, NULL, timer_dispatch, NULL, NULL, NULL };

/* --- SatoriMuxedConnection --- */

static void
satori_yamux_connection_open_stream_async (SatoriMuxedConnection *connection,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data)
{
  SatoriYamuxConnection *self = SATORI_YAMUX_CONNECTION (connection);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, satori_yamux_connection_open_stream_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->shutting_down)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "The yamux connection is closed");
      return;
    }
  guint32 id = satori_yamux_session_open_stream (self->session, g_get_monotonic_time (), &error);
  if (id == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  SatoriYamuxStream *stream = satori_yamux_stream_new (self, id);
  g_hash_table_insert (self->streams, GUINT_TO_POINTER (id), stream);
  flush (self);
  reschedule (self);
  g_task_return_pointer (task, stream, g_object_unref);
}

static GIOStream *
satori_yamux_connection_open_stream_finish (SatoriMuxedConnection *connection,
                                            GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
satori_yamux_connection_close_async (SatoriMuxedConnection *connection,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  SatoriYamuxConnection *self = SATORI_YAMUX_CONNECTION (connection);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_yamux_connection_close_async);
  if (self->closed)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (self->close_tasks, task);
  satori_yamux_session_go_away (self->session, SATORI_YAMUX_GO_AWAY_NORMAL);
  shutdown_connection (self, NULL);
}

static gboolean
satori_yamux_connection_close_finish (SatoriMuxedConnection *connection, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
satori_yamux_connection_is_closed (SatoriMuxedConnection *connection)
{
  return SATORI_YAMUX_CONNECTION (connection)->shutting_down;
}

static guint
satori_yamux_connection_get_n_streams (SatoriMuxedConnection *connection)
{
  SatoriYamuxConnection *self = SATORI_YAMUX_CONNECTION (connection);
  return self->shutting_down ? 0 : satori_yamux_session_get_n_streams (self->session);
}

static void
satori_yamux_connection_iface_init (SatoriMuxedConnectionInterface *iface)
{
  iface->open_stream_async = satori_yamux_connection_open_stream_async;
  iface->open_stream_finish = satori_yamux_connection_open_stream_finish;
  iface->close_async = satori_yamux_connection_close_async;
  iface->close_finish = satori_yamux_connection_close_finish;
  iface->is_closed = satori_yamux_connection_is_closed;
  iface->get_n_streams = satori_yamux_connection_get_n_streams;
}

/* --- GObject --- */

static void
satori_yamux_connection_dispose (GObject *object)
{
  SatoriYamuxConnection *self = SATORI_YAMUX_CONNECTION (object);

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  G_OBJECT_CLASS (satori_yamux_connection_parent_class)->dispose (object);
}

static void
satori_yamux_connection_finalize (GObject *object)
{
  SatoriYamuxConnection *self = SATORI_YAMUX_CONNECTION (object);

  g_clear_object (&self->base);
  g_clear_pointer (&self->session, satori_yamux_session_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_object (&self->read_cancellable);
  g_free (self->read_buf);
  g_free (self->write_buf);
  g_clear_error (&self->close_error);
  g_clear_pointer (&self->close_tasks, g_ptr_array_unref);
  G_OBJECT_CLASS (satori_yamux_connection_parent_class)->finalize (object);
}

static void
satori_yamux_connection_class_init (SatoriYamuxConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = satori_yamux_connection_dispose;
  object_class->finalize = satori_yamux_connection_finalize;
}

static void
satori_yamux_connection_init (SatoriYamuxConnection *self)
{
  self->streams = g_hash_table_new (NULL, NULL);
  self->read_cancellable = g_cancellable_new ();
  self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * satori_yamux_connection_new:
 * @base: the secured connection
 * @is_client: %TRUE on the dialing side
 * @config: (nullable): session limits, or %NULL for the defaults
 *
 * Starts a yamux session over @base on the thread-default main context.
 *
 * Returns: (transfer full): the connection, which owns @base from now on
 */
SatoriYamuxConnection *
satori_yamux_connection_new (GIOStream *base, gboolean is_client, const SatoriYamuxConfig *config)
{
  SatoriYamuxConnection *self = g_object_new (SATORI_TYPE_YAMUX_CONNECTION, NULL);

  self->base = g_object_ref (base);
  self->session = satori_yamux_session_new (is_client, config);
  self->context = g_main_context_ref_thread_default ();
  self->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_static_name (self->timer, "SatoriYamuxConnection timer");
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, self->context);
  reschedule (self);
  start_read (self);
  return self;
}

/**
 * satori_yamux_connection_get_rtt_us:
 * @self: a connection
 *
 * Returns: the last round trip time measured by ping, 0 before the first
 */
gint64
satori_yamux_connection_get_rtt_us (SatoriYamuxConnection *self)
{
  g_return_val_if_fail (SATORI_IS_YAMUX_CONNECTION (self), 0);
  return self->rtt_us;
}

/**
 * satori_yamux_connection_get_context:
 * @self: a connection
 *
 * Returns: (transfer none): the main context the connection runs on
 */
GMainContext *
satori_yamux_connection_get_context (SatoriYamuxConnection *self)
{
  return self->context;
}

/**
 * satori_yamux_connection_send:
 * @self: a connection
 * @stream_id: a stream
 * @data: (array length=len): bytes to send
 * @len: the length of @data
 * @error: return location for a #GError
 *
 * Returns: how many bytes the session took, possibly 0; 0 with @error set
 *   when the stream or connection is closed
 */
gsize
satori_yamux_connection_send (SatoriYamuxConnection *self, guint32 stream_id,
                              const guint8 *data, gsize len, GError **error)
{
  GError *local_error = NULL;
  gsize n = satori_yamux_session_send (self->session, stream_id, data, len, &local_error);

  if (local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s", local_error->message);
      g_error_free (local_error);
      return 0;
    }
  flush (self);
  return n;
}

/**
 * satori_yamux_connection_get_send_capacity:
 * @self: a connection
 * @stream_id: a stream
 *
 * Returns: how many bytes could be sent on @stream_id now
 */
gsize
satori_yamux_connection_get_send_capacity (SatoriYamuxConnection *self, guint32 stream_id)
{
  return satori_yamux_session_get_send_capacity (self->session, stream_id);
}

/**
 * satori_yamux_connection_consume:
 * @self: a connection
 * @stream_id: a stream
 * @n: bytes the application read
 *
 * Gives window back to the remote.
 */
void
satori_yamux_connection_consume (SatoriYamuxConnection *self, guint32 stream_id, gsize n)
{
  satori_yamux_session_consume (self->session, stream_id, n, g_get_monotonic_time ());
  flush (self);
}

/**
 * satori_yamux_connection_close_stream:
 * @self: a connection
 * @stream_id: a stream
 *
 * Sends FIN on @stream_id.
 */
void
satori_yamux_connection_close_stream (SatoriYamuxConnection *self, guint32 stream_id)
{
  satori_yamux_session_close_stream (self->session, stream_id, NULL);
  flush (self);
}

/**
 * satori_yamux_connection_reset_stream:
 * @self: a connection
 * @stream_id: a stream
 *
 * Sends RST on @stream_id.
 */
void
satori_yamux_connection_reset_stream (SatoriYamuxConnection *self, guint32 stream_id)
{
  satori_yamux_session_reset_stream (self->session, stream_id);
  flush (self);
}

/**
 * satori_yamux_connection_forget_stream:
 * @self: a connection
 * @stream_id: a stream whose object is going away
 *
 * Later events of @stream_id find no stream object; its data is dropped.
 */
void
satori_yamux_connection_forget_stream (SatoriYamuxConnection *self, guint32 stream_id)
{
  g_hash_table_remove (self->streams, GUINT_TO_POINTER (stream_id));
}
