/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-yamux-stream.h"

#include <string.h>

#include "satori-yamux-connection.h"
#include "satori-yamux-input-stream.h"
#include "satori-yamux-output-stream.h"

/**
 * SatoriYamuxStream:
 *
 * One stream of a #SatoriYamuxConnection. Reads return 0 once the remote
 * finished (FIN); closing the output stream sends FIN; closing the whole
 * stream closes both halves; satori_yamux_stream_reset() aborts it (RST).
 * Received bytes are held here until read, and only then is window given
 * back to the remote. All of it runs on the connection's main context.
 */
struct _SatoriYamuxStream
{
  GIOStream parent_instance;

  SatoriYamuxConnection *connection;
  guint32 id;
  GInputStream *input;
  GOutputStream *output;

  GQueue chunks;          /* of GBytes, received and not yet read */
  gsize chunk_offset;     /* bytes of the head chunk already read */
  gboolean remote_fin;
  gboolean reset;         /* by either side */
  gboolean read_closed;
  gboolean write_closed;
  GError *error;          /* the connection closed */
};

G_DEFINE_FINAL_TYPE (SatoriYamuxStream, satori_yamux_stream, G_TYPE_IO_STREAM)

static GInputStream *
satori_yamux_stream_get_input_stream (GIOStream *stream)
{
  return SATORI_YAMUX_STREAM (stream)->input;
}

static GOutputStream *
satori_yamux_stream_get_output_stream (GIOStream *stream)
{
  return SATORI_YAMUX_STREAM (stream)->output;
}

static gboolean
satori_yamux_stream_close_fn (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  SatoriYamuxStream *self = SATORI_YAMUX_STREAM (stream);

  /* Through the halves, so that they are marked closed too. */
  g_output_stream_close (self->output, NULL, NULL);
  g_input_stream_close (self->input, NULL, NULL);
  return TRUE;
}

static void
satori_yamux_stream_close_async (GIOStream *stream, int io_priority, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_yamux_stream_close_async);
  satori_yamux_stream_close_fn (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
satori_yamux_stream_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_yamux_stream_dispose (GObject *object)
{
  SatoriYamuxStream *self = SATORI_YAMUX_STREAM (object);

  /* The halves' weak references are already cleared: close here. */
  if (self->connection != NULL)
    {
      satori_yamux_stream_close_write (self);
      satori_yamux_stream_close_read (self);
      satori_yamux_connection_forget_stream (self->connection, self->id);
    }
  G_OBJECT_CLASS (satori_yamux_stream_parent_class)->dispose (object);
  g_clear_object (&self->connection);
}

static void
satori_yamux_stream_finalize (GObject *object)
{
  SatoriYamuxStream *self = SATORI_YAMUX_STREAM (object);

  g_queue_clear_full (&self->chunks, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (satori_yamux_stream_parent_class)->finalize (object);
}

static void
satori_yamux_stream_class_init (SatoriYamuxStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = satori_yamux_stream_dispose;
  object_class->finalize = satori_yamux_stream_finalize;
  stream_class->get_input_stream = satori_yamux_stream_get_input_stream;
  stream_class->get_output_stream = satori_yamux_stream_get_output_stream;
  stream_class->close_fn = satori_yamux_stream_close_fn;
  stream_class->close_async = satori_yamux_stream_close_async;
  stream_class->close_finish = satori_yamux_stream_close_finish;
}

static void
satori_yamux_stream_init (SatoriYamuxStream *self)
{
  g_queue_init (&self->chunks);
}

/**
 * satori_yamux_stream_new:
 * @connection: the connection the stream belongs to
 * @id: the stream id
 *
 * For #SatoriYamuxConnection, which keeps an unowned pointer until the
 * stream tells it, at dispose, to forget it.
 *
 * Returns: (transfer full): a new stream
 */
SatoriYamuxStream *
satori_yamux_stream_new (SatoriYamuxConnection *connection, guint32 id)
{
  SatoriYamuxStream *self = g_object_new (SATORI_TYPE_YAMUX_STREAM, NULL);

  self->connection = g_object_ref (connection);
  self->id = id;
  self->input = satori_yamux_input_stream_new (self);
  self->output = satori_yamux_output_stream_new (self);
  return self;
}

/**
 * satori_yamux_stream_get_id:
 * @self: a stream
 *
 * Returns: the yamux stream id
 */
guint32
satori_yamux_stream_get_id (SatoriYamuxStream *self)
{
  g_return_val_if_fail (SATORI_IS_YAMUX_STREAM (self), 0);
  return self->id;
}

/**
 * satori_yamux_stream_reset:
 * @self: a stream
 *
 * Aborts the stream in both directions (RST): pending reads and writes
 * fail, and so does the remote's side.
 */
void
satori_yamux_stream_reset (SatoriYamuxStream *self)
{
  g_return_if_fail (SATORI_IS_YAMUX_STREAM (self));

  if (self->reset || self->error != NULL)
    return;
  self->reset = TRUE;
  satori_yamux_connection_reset_stream (self->connection, self->id);
}

/* Drops unread bytes, giving their window back. */
static void
discard_chunks (SatoriYamuxStream *self)
{
  gsize n = 0;
  GBytes *chunk;

  while ((chunk = g_queue_pop_head (&self->chunks)) != NULL)
    {
      n += g_bytes_get_size (chunk);
      g_bytes_unref (chunk);
    }
  n -= self->chunk_offset;
  self->chunk_offset = 0;
  if (n > 0)
    satori_yamux_connection_consume (self->connection, self->id, n);
}

/**
 * satori_yamux_stream_push_data:
 * @self: a stream
 * @data: bytes received
 *
 * Queues @data for reading (a reference is taken).
 */
void
satori_yamux_stream_push_data (SatoriYamuxStream *self, GBytes *data)
{
  if (self->read_closed)
    satori_yamux_connection_consume (self->connection, self->id, g_bytes_get_size (data));
  else
    g_queue_push_tail (&self->chunks, g_bytes_ref (data));
}

/**
 * satori_yamux_stream_push_fin:
 * @self: a stream
 *
 * The remote finished sending: reads return 0 after the queued bytes.
 */
void
satori_yamux_stream_push_fin (SatoriYamuxStream *self)
{
  self->remote_fin = TRUE;
}

/**
 * satori_yamux_stream_push_reset:
 * @self: a stream
 *
 * The remote reset the stream.
 */
void
satori_yamux_stream_push_reset (SatoriYamuxStream *self)
{
  self->reset = TRUE;
}

/**
 * satori_yamux_stream_push_closed:
 * @self: a stream
 * @error: (nullable): why the connection closed
 *
 * The connection closed: what is not yet finished fails.
 */
void
satori_yamux_stream_push_closed (SatoriYamuxStream *self, const GError *error)
{
  if (self->error != NULL)
    return;
  if (error != NULL)
    self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "The yamux connection closed: %s", error->message);
  else
    self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                       "The yamux connection closed");
}

static gboolean
fail_if_broken (SatoriYamuxStream *self, GError **error)
{
  if (self->reset)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                           "The yamux stream was reset");
      return TRUE;
    }
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return TRUE;
    }
  return FALSE;
}

/**
 * satori_yamux_stream_is_ready:
 * @self: a stream
 * @for_write: %TRUE for writing, %FALSE for reading
 *
 * Returns: whether a read or write would not block (it may fail)
 */
gboolean
satori_yamux_stream_is_ready (SatoriYamuxStream *self, gboolean for_write)
{
  if (self->reset || self->error != NULL)
    return TRUE;
  if (for_write)
    return self->write_closed ||
           satori_yamux_connection_get_send_capacity (self->connection, self->id) > 0;
  return self->read_closed || self->remote_fin || !g_queue_is_empty (&self->chunks);
}

/* The child source of a pollable source: ready when the stream is. */
typedef struct {
  GSource source;
  SatoriYamuxStream *stream;
  gboolean for_write;
} WaitSource;

static gboolean
wait_source_prepare (GSource *source, gint *timeout)
{
  WaitSource *wait = (WaitSource *) source;

  *timeout = -1;
  return satori_yamux_stream_is_ready (wait->stream, wait->for_write);
}

static gboolean
wait_source_check (GSource *source)
{
  WaitSource *wait = (WaitSource *) source;
  return satori_yamux_stream_is_ready (wait->stream, wait->for_write);
}

static gboolean
wait_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_source_finalize (GSource *source)
{
  g_object_unref (((WaitSource *) source)->stream);
}

static GSourceFuncs wait_source_funcs = {
  wait_source_prepare, wait_source_check, wait_source_dispatch, wait_source_finalize,
  NULL, NULL,
};

/**
 * satori_yamux_stream_create_source:
 * @self: a stream
 * @pollable: the #GPollableInputStream or #GPollableOutputStream
 * @for_write: which readiness to wait for
 * @cancellable: (nullable): a #GCancellable
 *
 * State only changes on the connection's main context, so readiness is
 * checked each time the context prepares; no wake-ups are needed.
 *
 * Returns: (transfer full): a #GPollableSource
 */
GSource *
satori_yamux_stream_create_source (SatoriYamuxStream *self, GObject *pollable,
                                   gboolean for_write, GCancellable *cancellable)
{
  g_autoptr(GSource) child = g_source_new (&wait_source_funcs, sizeof (WaitSource));
  WaitSource *wait = (WaitSource *) child;

  wait->stream = g_object_ref (self);
  wait->for_write = for_write;
  g_source_set_static_name (child, "SatoriYamuxStream wait");
  /* Added afterwards: as the child of g_pollable_source_new_full() it
   * would need a closure callback. */
  GSource *source = g_pollable_source_new_full (pollable, NULL, cancellable);
  g_source_add_child_source (source, child);
  return source;
}

/* Runs the connection's context until the stream is ready. */
static gboolean
wait_ready (SatoriYamuxStream *self, gboolean for_write, GCancellable *cancellable,
            GError **error)
{
  GMainContext *context = satori_yamux_connection_get_context (self->connection);

  while (!satori_yamux_stream_is_ready (self, for_write))
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_main_context_iteration (context, TRUE);
    }
  return TRUE;
}

static gssize
read_nonblocking (SatoriYamuxStream *self, guint8 *buffer, gsize count, GError **error)
{
  gsize n = 0;
  GBytes *chunk;

  while (n < count && (chunk = g_queue_peek_head (&self->chunks)) != NULL)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (chunk, &size);
      gsize take = MIN (count - n, size - self->chunk_offset);

      memcpy (buffer + n, data + self->chunk_offset, take);
      n += take;
      self->chunk_offset += take;
      if (self->chunk_offset == size)
        {
          g_bytes_unref (g_queue_pop_head (&self->chunks));
          self->chunk_offset = 0;
        }
    }
  if (n > 0)
    {
      satori_yamux_connection_consume (self->connection, self->id, n);
      return n;
    }
  if (fail_if_broken (self, error))
    return -1;
  if (self->remote_fin || count == 0)
    return 0;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "No yamux data yet");
  return -1;
}

/**
 * satori_yamux_stream_read:
 * @self: a stream
 * @buffer: where to read to
 * @count: the size of @buffer
 * @blocking: whether to run the main context until data comes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: bytes read, 0 at the end of the stream, -1 on error
 */
gssize
satori_yamux_stream_read (SatoriYamuxStream *self, void *buffer, gsize count, gboolean blocking,
                          GCancellable *cancellable, GError **error)
{
  if (blocking && !wait_ready (self, FALSE, cancellable, error))
    return -1;
  return read_nonblocking (self, buffer, count, error);
}

/**
 * satori_yamux_stream_write:
 * @self: a stream
 * @buffer: the bytes to write
 * @count: the size of @buffer
 * @blocking: whether to run the main context until there is window
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: bytes the session took, or -1 on error
 */
gssize
satori_yamux_stream_write (SatoriYamuxStream *self, const void *buffer, gsize count,
                           gboolean blocking, GCancellable *cancellable, GError **error)
{
  GError *local_error = NULL;

  if (count == 0)
    return 0;
  if (blocking && !wait_ready (self, TRUE, cancellable, error))
    return -1;
  if (fail_if_broken (self, error))
    return -1;
  gsize n = satori_yamux_connection_send (self->connection, self->id, buffer, count,
                                          &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return -1;
    }
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "No yamux window yet");
      return -1;
    }
  return n;
}

/**
 * satori_yamux_stream_close_read:
 * @self: a stream
 *
 * Stops reading: unread and later bytes are dropped (their window is
 * given back).
 */
void
satori_yamux_stream_close_read (SatoriYamuxStream *self)
{
  if (self->read_closed)
    return;
  self->read_closed = TRUE;
  discard_chunks (self);
}

/**
 * satori_yamux_stream_close_write:
 * @self: a stream
 *
 * Sends FIN, unless the stream is broken.
 */
void
satori_yamux_stream_close_write (SatoriYamuxStream *self)
{
  if (self->write_closed)
    return;
  self->write_closed = TRUE;
  if (!self->reset && self->error == NULL)
    satori_yamux_connection_close_stream (self->connection, self->id);
}
