/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pipe.h"

#include <string.h>

/* One direction of a pipe: what one end's output stream writes and the
 * other end's input stream reads. Shared by the two streams and by the
 * GSources waiting on it, possibly in different threads: every field
 * below the mutex is under it. */
typedef struct {
  GMutex mutex;
  GCond cond;            /* signalled on every change, for blocking calls */
  guint8 *data;          /* ring buffer of @capacity bytes */
  gsize capacity;
  gsize head;            /* offset of the oldest buffered byte */
  gsize len;             /* bytes buffered */
  gboolean write_closed; /* the writer is gone: EOF once drained */
  gboolean read_closed;  /* the reader is gone: writes fail */
  GList *sources;        /* PipeSources waiting here, not referenced */
} PipeBuffer;

static PipeBuffer *
pipe_buffer_new (gsize capacity)
{
  PipeBuffer *buffer = g_atomic_rc_box_new0 (PipeBuffer);

  g_mutex_init (&buffer->mutex);
  g_cond_init (&buffer->cond);
  buffer->data = g_malloc (capacity);
  buffer->capacity = capacity;
  return buffer;
}

static void
pipe_buffer_clear (gpointer data)
{
  PipeBuffer *buffer = data;

  g_assert (buffer->sources == NULL);
  g_free (buffer->data);
  g_cond_clear (&buffer->cond);
  g_mutex_clear (&buffer->mutex);
}

static void
pipe_buffer_unref (PipeBuffer *buffer)
{
  g_atomic_rc_box_release_full (buffer, pipe_buffer_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PipeBuffer, pipe_buffer_unref)

static gboolean
pipe_buffer_readable_locked (PipeBuffer *buffer)
{
  return buffer->len > 0 || buffer->write_closed || buffer->read_closed;
}

static gboolean
pipe_buffer_writable_locked (PipeBuffer *buffer)
{
  return buffer->len < buffer->capacity || buffer->read_closed || buffer->write_closed;
}

/* Whether the writing (@for_write) or the reading side can make progress. */
static gboolean
pipe_buffer_ready_locked (PipeBuffer *buffer, gboolean for_write)
{
  return for_write ? pipe_buffer_writable_locked (buffer) : pipe_buffer_readable_locked (buffer);
}

static gboolean
pipe_buffer_ready (PipeBuffer *buffer, gboolean for_write)
{
  g_mutex_lock (&buffer->mutex);
  gboolean ready = pipe_buffer_ready_locked (buffer, for_write);
  g_mutex_unlock (&buffer->mutex);
  return ready;
}

/* --- PipeSource: ready when its side of a buffer can make progress --- */

typedef struct {
  GSource source;
  PipeBuffer *buffer;
  gboolean for_write;
} PipeSource;

static gboolean
pipe_source_ready (PipeSource *self)
{
  return pipe_buffer_ready (self->buffer, self->for_write);
}

static gboolean
pipe_source_prepare (GSource *source, gint *timeout)
{
  *timeout = -1;
  return pipe_source_ready ((PipeSource *) source);
}

static gboolean
pipe_source_check (GSource *source)
{
  return pipe_source_ready ((PipeSource *) source);
}

/* The parent GPollableSource calls the user's callback; this child has
 * none, and only rearms the wake-up that pipe_buffer_notify_locked() set. */
static gboolean
pipe_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return G_SOURCE_CONTINUE;
}

/* Unlists the source before it is finalized: once this has run, no other
 * thread can find it. */
static void
pipe_source_dispose (GSource *source)
{
  PipeSource *self = (PipeSource *) source;

  g_mutex_lock (&self->buffer->mutex);
  self->buffer->sources = g_list_remove (self->buffer->sources, self);
  g_mutex_unlock (&self->buffer->mutex);
}

static void
pipe_source_finalize (GSource *source)
{
  pipe_buffer_unref (((PipeSource *) source)->buffer);
}

static GSourceFuncs pipe_source_funcs = {
  .prepare = pipe_source_prepare,
  .check = pipe_source_check,
  .dispatch = pipe_source_dispatch,
  .finalize = pipe_source_finalize,
};

static GSource *
pipe_source_new (PipeBuffer *buffer, gboolean for_write)
{
  GSource *source = g_source_new (&pipe_source_funcs, sizeof (PipeSource));
  PipeSource *self = (PipeSource *) source;

  g_source_set_static_name (source, for_write ? "SatoriPipeWritable" : "SatoriPipeReadable");
  self->buffer = g_atomic_rc_box_acquire (buffer);
  self->for_write = for_write;
  g_source_set_dispose_function (source, pipe_source_dispose);
  g_mutex_lock (&buffer->mutex);
  buffer->sources = g_list_prepend (buffer->sources, self);
  g_mutex_unlock (&buffer->mutex);
  return source;
}

/* Wakes blocking calls, and the contexts of sources that can now make
 * progress; g_source_set_ready_time() is thread-safe. Another thread may
 * be dropping a listed source's last reference, but its dispose cannot
 * unlist it while we hold the mutex, and GLib lets g_source_ref() revive
 * it until then. Returns the references taken, for the caller to drop
 * once it has unlocked: dropping the last one runs the dispose. */
static GSList *
pipe_buffer_notify_locked (PipeBuffer *buffer)
{
  GSList *woken = NULL;

  g_cond_broadcast (&buffer->cond);
  for (GList *l = buffer->sources; l != NULL; l = l->next)
    {
      PipeSource *source = l->data;
      if (pipe_buffer_ready_locked (buffer, source->for_write))
        {
          woken = g_slist_prepend (woken, g_source_ref (&source->source));
          g_source_set_ready_time (&source->source, 0);
        }
    }
  return woken;
}

static void
pipe_buffer_close_read (PipeBuffer *buffer)
{
  g_autoslist(GSource) woken = NULL;

  g_mutex_lock (&buffer->mutex);
  buffer->read_closed = TRUE;
  buffer->len = 0;     /* nobody will read it */
  woken = pipe_buffer_notify_locked (buffer);
  g_mutex_unlock (&buffer->mutex);
}

static void
pipe_buffer_close_write (PipeBuffer *buffer)
{
  g_autoslist(GSource) woken = NULL;

  g_mutex_lock (&buffer->mutex);
  buffer->write_closed = TRUE;
  woken = pipe_buffer_notify_locked (buffer);
  g_mutex_unlock (&buffer->mutex);
}

static void
wake_on_cancel (GCancellable *cancellable, PipeBuffer *buffer)
{
  g_mutex_lock (&buffer->mutex);
  g_cond_broadcast (&buffer->cond);
  g_mutex_unlock (&buffer->mutex);
}

/* The one read path, blocking or not. */
static gssize
pipe_buffer_read (PipeBuffer *buffer, guint8 *out, gsize count, gboolean blocking,
                  GCancellable *cancellable, GError **error)
{
  g_autoslist(GSource) woken = NULL;
  gulong handler = 0;
  gssize result = -1;

  if (blocking && cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_on_cancel), buffer, NULL);

  g_mutex_lock (&buffer->mutex);
  for (;;)
    {
      if (buffer->read_closed)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Stream is closed");
          break;
        }
      if (buffer->len > 0)
        {
          gsize n = MIN (count, buffer->len);
          gsize first = MIN (n, buffer->capacity - buffer->head);
          memcpy (out, buffer->data + buffer->head, first);
          memcpy (out + first, buffer->data, n - first);
          buffer->head = (buffer->head + n) % buffer->capacity;
          buffer->len -= n;
          woken = pipe_buffer_notify_locked (buffer);
          result = (gssize) n;
          break;
        }
      if (buffer->write_closed)
        {
          result = 0;
          break;
        }
      if (!blocking)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                               "No data in the pipe");
          break;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      g_cond_wait (&buffer->cond, &buffer->mutex);
    }
  g_mutex_unlock (&buffer->mutex);

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  return result;
}

/* The one write path, blocking or not: writes what fits, waiting only
 * while nothing does. */
static gssize
pipe_buffer_write (PipeBuffer *buffer, const guint8 *in, gsize count, gboolean blocking,
                   GCancellable *cancellable, GError **error)
{
  g_autoslist(GSource) woken = NULL;
  gulong handler = 0;
  gssize result = -1;

  if (blocking && cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake_on_cancel), buffer, NULL);

  g_mutex_lock (&buffer->mutex);
  for (;;)
    {
      if (buffer->write_closed)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Stream is closed");
          break;
        }
      if (buffer->read_closed)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                               "The other end of the pipe is closed");
          break;
        }
      if (buffer->len < buffer->capacity)
        {
          gsize n = MIN (count, buffer->capacity - buffer->len);
          gsize tail = (buffer->head + buffer->len) % buffer->capacity;
          gsize first = MIN (n, buffer->capacity - tail);
          memcpy (buffer->data + tail, in, first);
          memcpy (buffer->data, in + first, n - first);
          buffer->len += n;
          woken = pipe_buffer_notify_locked (buffer);
          result = (gssize) n;
          break;
        }
      if (!blocking)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "The pipe is full");
          break;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      g_cond_wait (&buffer->cond, &buffer->mutex);
    }
  g_mutex_unlock (&buffer->mutex);

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  return result;
}

/* --- What the input and output streams share; @for_write says which --- */

/* The stream's side of the buffer is its output (@for_write) or its input. */
static void
pipe_buffer_close (PipeBuffer *buffer, gboolean for_write)
{
  if (for_write)
    pipe_buffer_close_write (buffer);
  else
    pipe_buffer_close_read (buffer);
}

/* Closing never blocks: no need for GInputStream's or GOutputStream's
 * thread. */
static void
pipe_stream_close_async (gpointer stream, PipeBuffer *buffer, gboolean for_write,
                         gpointer source_tag, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  pipe_buffer_close (buffer, for_write);
  g_task_return_boolean (task, TRUE);
}

/* A GPollableSource for @stream, woken by a PipeSource on its buffer. */
static GSource *
pipe_stream_create_source (gpointer stream, PipeBuffer *buffer, gboolean for_write,
                           GCancellable *cancellable)
{
  g_autoptr(GSource) child = pipe_source_new (buffer, for_write);
  GSource *source = g_pollable_source_new_full (stream, NULL, cancellable);

  g_source_add_child_source (source, child);
  return source;
}

/* --- SatoriPipeInputStream: reads one buffer --- */

#define SATORI_TYPE_PIPE_INPUT_STREAM (satori_pipe_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPipeInputStream, satori_pipe_input_stream, SATORI,
                      PIPE_INPUT_STREAM, GInputStream)

struct _SatoriPipeInputStream {
  GInputStream parent_instance;
  PipeBuffer *buffer;
};

static void satori_pipe_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SatoriPipeInputStream, satori_pipe_input_stream, G_TYPE_INPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                satori_pipe_input_stream_pollable_init))

static gssize
satori_pipe_input_stream_read (GInputStream *stream, void *buffer, gsize count,
                               GCancellable *cancellable, GError **error)
{
  SatoriPipeInputStream *self = SATORI_PIPE_INPUT_STREAM (stream);

  return pipe_buffer_read (self->buffer, buffer, count, TRUE, cancellable, error);
}

static gboolean
satori_pipe_input_stream_close (GInputStream *stream, GCancellable *cancellable,
                                GError **error)
{
  pipe_buffer_close_read (SATORI_PIPE_INPUT_STREAM (stream)->buffer);
  return TRUE;
}

static void
satori_pipe_input_stream_close_async (GInputStream *stream, int io_priority,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  pipe_stream_close_async (stream, SATORI_PIPE_INPUT_STREAM (stream)->buffer, FALSE,
                           satori_pipe_input_stream_close_async, cancellable, callback,
                           user_data);
}

static gboolean
satori_pipe_input_stream_close_finish (GInputStream *stream, GAsyncResult *result,
                                       GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_pipe_input_stream_finalize (GObject *object)
{
  pipe_buffer_unref (SATORI_PIPE_INPUT_STREAM (object)->buffer);
  G_OBJECT_CLASS (satori_pipe_input_stream_parent_class)->finalize (object);
}

static void
satori_pipe_input_stream_class_init (SatoriPipeInputStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_pipe_input_stream_finalize;
  stream_class->read_fn = satori_pipe_input_stream_read;
  stream_class->close_fn = satori_pipe_input_stream_close;
  stream_class->close_async = satori_pipe_input_stream_close_async;
  stream_class->close_finish = satori_pipe_input_stream_close_finish;
}

static void
satori_pipe_input_stream_init (SatoriPipeInputStream *self)
{
}

static gboolean
satori_pipe_input_stream_is_readable (GPollableInputStream *stream)
{
  return pipe_buffer_ready (SATORI_PIPE_INPUT_STREAM (stream)->buffer, FALSE);
}

static GSource *
satori_pipe_input_stream_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  return pipe_stream_create_source (stream, SATORI_PIPE_INPUT_STREAM (stream)->buffer, FALSE,
                                    cancellable);
}

static gssize
satori_pipe_input_stream_read_nonblocking (GPollableInputStream *stream, void *buffer,
                                           gsize count, GError **error)
{
  return pipe_buffer_read (SATORI_PIPE_INPUT_STREAM (stream)->buffer, buffer, count, FALSE,
                           NULL, error);
}

static void
satori_pipe_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = satori_pipe_input_stream_is_readable;
  iface->create_source = satori_pipe_input_stream_create_source;
  iface->read_nonblocking = satori_pipe_input_stream_read_nonblocking;
}

/* --- SatoriPipeOutputStream: writes one buffer --- */

#define SATORI_TYPE_PIPE_OUTPUT_STREAM (satori_pipe_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPipeOutputStream, satori_pipe_output_stream, SATORI,
                      PIPE_OUTPUT_STREAM, GOutputStream)

struct _SatoriPipeOutputStream {
  GOutputStream parent_instance;
  PipeBuffer *buffer;
};

static void satori_pipe_output_stream_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SatoriPipeOutputStream, satori_pipe_output_stream, G_TYPE_OUTPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                satori_pipe_output_stream_pollable_init))

static gssize
satori_pipe_output_stream_write (GOutputStream *stream, const void *buffer, gsize count,
                                 GCancellable *cancellable, GError **error)
{
  SatoriPipeOutputStream *self = SATORI_PIPE_OUTPUT_STREAM (stream);

  return pipe_buffer_write (self->buffer, buffer, count, TRUE, cancellable, error);
}

static gboolean
satori_pipe_output_stream_close (GOutputStream *stream, GCancellable *cancellable,
                                 GError **error)
{
  pipe_buffer_close_write (SATORI_PIPE_OUTPUT_STREAM (stream)->buffer);
  return TRUE;
}

static void
satori_pipe_output_stream_close_async (GOutputStream *stream, int io_priority,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  pipe_stream_close_async (stream, SATORI_PIPE_OUTPUT_STREAM (stream)->buffer, TRUE,
                           satori_pipe_output_stream_close_async, cancellable, callback,
                           user_data);
}

static gboolean
satori_pipe_output_stream_close_finish (GOutputStream *stream, GAsyncResult *result,
                                        GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_pipe_output_stream_finalize (GObject *object)
{
  pipe_buffer_unref (SATORI_PIPE_OUTPUT_STREAM (object)->buffer);
  G_OBJECT_CLASS (satori_pipe_output_stream_parent_class)->finalize (object);
}

static void
satori_pipe_output_stream_class_init (SatoriPipeOutputStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_pipe_output_stream_finalize;
  stream_class->write_fn = satori_pipe_output_stream_write;
  stream_class->close_fn = satori_pipe_output_stream_close;
  stream_class->close_async = satori_pipe_output_stream_close_async;
  stream_class->close_finish = satori_pipe_output_stream_close_finish;
}

static void
satori_pipe_output_stream_init (SatoriPipeOutputStream *self)
{
}

static gboolean
satori_pipe_output_stream_is_writable (GPollableOutputStream *stream)
{
  return pipe_buffer_ready (SATORI_PIPE_OUTPUT_STREAM (stream)->buffer, TRUE);
}

static GSource *
satori_pipe_output_stream_create_source (GPollableOutputStream *stream,
                                         GCancellable *cancellable)
{
  return pipe_stream_create_source (stream, SATORI_PIPE_OUTPUT_STREAM (stream)->buffer, TRUE,
                                    cancellable);
}

static gssize
satori_pipe_output_stream_write_nonblocking (GPollableOutputStream *stream, const void *buffer,
                                             gsize count, GError **error)
{
  return pipe_buffer_write (SATORI_PIPE_OUTPUT_STREAM (stream)->buffer, buffer, count, FALSE,
                            NULL, error);
}

static void
satori_pipe_output_stream_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->is_writable = satori_pipe_output_stream_is_writable;
  iface->create_source = satori_pipe_output_stream_create_source;
  iface->write_nonblocking = satori_pipe_output_stream_write_nonblocking;
}

/* --- SatoriPipeIOStream: one end --- */

#define SATORI_TYPE_PIPE_IO_STREAM (satori_pipe_io_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPipeIOStream, satori_pipe_io_stream, SATORI, PIPE_IO_STREAM,
                      GIOStream)

struct _SatoriPipeIOStream {
  GIOStream parent_instance;
  SatoriPipeInputStream *input;
  SatoriPipeOutputStream *output;
};

G_DEFINE_TYPE (SatoriPipeIOStream, satori_pipe_io_stream, G_TYPE_IO_STREAM)

static GInputStream *
satori_pipe_io_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (SATORI_PIPE_IO_STREAM (stream)->input);
}

static GOutputStream *
satori_pipe_io_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (SATORI_PIPE_IO_STREAM (stream)->output);
}

/* Shuts both buffers first, so that an operation pending on either half
 * finishes (with G_IO_ERROR_CLOSED), then closes the halves themselves;
 * that fails, harmlessly, for a half whose operation is still pending. */
static gboolean
satori_pipe_io_stream_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  SatoriPipeIOStream *self = SATORI_PIPE_IO_STREAM (stream);

  pipe_buffer_close_write (self->output->buffer);
  pipe_buffer_close_read (self->input->buffer);
  g_output_stream_close (G_OUTPUT_STREAM (self->output), NULL, NULL);
  g_input_stream_close (G_INPUT_STREAM (self->input), NULL, NULL);
  return TRUE;
}

static void
satori_pipe_io_stream_close_async (GIOStream *stream, int io_priority,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_pipe_io_stream_close_async);
  satori_pipe_io_stream_close (stream, NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
satori_pipe_io_stream_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_pipe_io_stream_finalize (GObject *object)
{
  SatoriPipeIOStream *self = SATORI_PIPE_IO_STREAM (object);

  g_object_unref (self->input);
  g_object_unref (self->output);
  G_OBJECT_CLASS (satori_pipe_io_stream_parent_class)->finalize (object);
}

static void
satori_pipe_io_stream_class_init (SatoriPipeIOStreamClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_pipe_io_stream_finalize;
  stream_class->get_input_stream = satori_pipe_io_stream_get_input_stream;
  stream_class->get_output_stream = satori_pipe_io_stream_get_output_stream;
  stream_class->close_fn = satori_pipe_io_stream_close;
  stream_class->close_async = satori_pipe_io_stream_close_async;
  stream_class->close_finish = satori_pipe_io_stream_close_finish;
}

static void
satori_pipe_io_stream_init (SatoriPipeIOStream *self)
{
}

static GIOStream *
pipe_io_stream_new (PipeBuffer *incoming, PipeBuffer *outgoing)
{
  SatoriPipeIOStream *self = g_object_new (SATORI_TYPE_PIPE_IO_STREAM, NULL);

  self->input = g_object_new (SATORI_TYPE_PIPE_INPUT_STREAM, NULL);
  self->input->buffer = g_atomic_rc_box_acquire (incoming);
  self->output = g_object_new (SATORI_TYPE_PIPE_OUTPUT_STREAM, NULL);
  self->output->buffer = g_atomic_rc_box_acquire (outgoing);
  return G_IO_STREAM (self);
}

/**
 * satori_pipe_new_pair:
 * @capacity: how many bytes each direction buffers, more than 0
 * @a: (out) (transfer full): one end
 * @b: (out) (transfer full): the other end
 *
 * Makes two connected in-memory #GIOStreams, for tests and for the
 * in-process memory transport: what @a writes, @b reads, and back.
 *
 * Both halves of each end are pollable (#GPollableInputStream,
 * #GPollableOutputStream), so async calls and pollable sources never
 * block and run on the caller's thread-default #GMainContext, which is
 * woken from whatever thread the other end uses. A write takes what fits
 * in the @capacity bytes and waits (async) or fails with
 * %G_IO_ERROR_WOULD_BLOCK (non-blocking) while the buffer is full.
 *
 * Plain synchronous reads and writes block, like a socket's: until at
 * least one byte can move, the stream or its peer closes, or @cancellable
 * fires. That works across threads; in a single thread use the async or
 * pollable calls, since nothing else could fill or drain the buffer.
 *
 * Closing @a's output stream gives @b's reads end-of-file after the bytes
 * already buffered. Closing @a's input stream discards what is buffered
 * for it and makes @b's writes fail with %G_IO_ERROR_BROKEN_PIPE.
 * Closing (or dropping the last reference to) @a does both, and an
 * operation pending on @a at that moment fails with %G_IO_ERROR_CLOSED.
 */
void
satori_pipe_new_pair (gsize capacity, GIOStream **a, GIOStream **b)
{
  g_return_if_fail (capacity > 0);
  g_return_if_fail (a != NULL && b != NULL);

  g_autoptr(PipeBuffer) a_to_b = pipe_buffer_new (capacity);
  g_autoptr(PipeBuffer) b_to_a = pipe_buffer_new (capacity);
  *a = pipe_io_stream_new (b_to_a, a_to_b);
  *b = pipe_io_stream_new (a_to_b, b_to_a);
}
