/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-yamux-input-stream.h"

/**
 * SatoriYamuxInputStream:
 *
 * The reading half of a #SatoriYamuxStream: pollable, so asynchronous
 * reads need no thread. It refers to its stream weakly; once the stream is
 * gone, reads fail.
 */
struct _SatoriYamuxInputStream
{
  GInputStream parent_instance;

  GWeakRef stream;
};

static void satori_yamux_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriYamuxInputStream, satori_yamux_input_stream,
                               G_TYPE_INPUT_STREAM,
  G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, satori_yamux_input_stream_pollable_init))

static SatoriYamuxStream *
get_stream (SatoriYamuxInputStream *self, GError **error)
{
  SatoriYamuxStream *stream = g_weak_ref_get (&self->stream);

  if (stream == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The yamux stream is gone");
  return stream;
}

static gssize
read_impl (SatoriYamuxInputStream *self, void *buffer, gsize count, gboolean blocking,
           GCancellable *cancellable, GError **error)
{
  g_autoptr(SatoriYamuxStream) stream = get_stream (self, error);

  if (stream == NULL)
    return -1;
  return satori_yamux_stream_read (stream, buffer, count, blocking, cancellable, error);
}

static gssize
satori_yamux_input_stream_read (GInputStream *stream, void *buffer, gsize count,
                                GCancellable *cancellable, GError **error)
{
  return read_impl (SATORI_YAMUX_INPUT_STREAM (stream), buffer, count, TRUE, cancellable, error);
}

static gboolean
satori_yamux_input_stream_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  g_autoptr(SatoriYamuxStream) parent = g_weak_ref_get (&SATORI_YAMUX_INPUT_STREAM (stream)->stream);

  if (parent != NULL)
    satori_yamux_stream_close_read (parent);
  return TRUE;
}

/* Closing never blocks, so it needs no thread. */
static void
satori_yamux_input_stream_close_async (GInputStream *stream, int io_priority,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_yamux_input_stream_close_async);
  satori_yamux_input_stream_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
satori_yamux_input_stream_close_finish (GInputStream *stream, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_yamux_input_stream_finalize (GObject *object)
{
  g_weak_ref_clear (&SATORI_YAMUX_INPUT_STREAM (object)->stream);
  G_OBJECT_CLASS (satori_yamux_input_stream_parent_class)->finalize (object);
}

static void
satori_yamux_input_stream_class_init (SatoriYamuxInputStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_yamux_input_stream_finalize;
  stream_class->read_fn = satori_yamux_input_stream_read;
  stream_class->close_fn = satori_yamux_input_stream_close;
  stream_class->close_async = satori_yamux_input_stream_close_async;
  stream_class->close_finish = satori_yamux_input_stream_close_finish;
}

static void
satori_yamux_input_stream_init (SatoriYamuxInputStream *self)
{
  g_weak_ref_init (&self->stream, NULL);
}

static gboolean
satori_yamux_input_stream_is_readable (GPollableInputStream *pollable)
{
  g_autoptr(SatoriYamuxStream) stream = get_stream (SATORI_YAMUX_INPUT_STREAM (pollable), NULL);
  return stream == NULL || satori_yamux_stream_is_ready (stream, FALSE);
}

static GSource *
satori_yamux_input_stream_create_source (GPollableInputStream *pollable,
                                         GCancellable *cancellable)
{
  g_autoptr(SatoriYamuxStream) stream = get_stream (SATORI_YAMUX_INPUT_STREAM (pollable), NULL);

  if (stream == NULL)
    {
      /* Ready at once, so the caller sees the error. */
      g_autoptr(GSource) ready = g_timeout_source_new (0);
      GSource *source = g_pollable_source_new_full (pollable, NULL, cancellable);

      g_source_add_child_source (source, ready);
      return source;
    }
  return satori_yamux_stream_create_source (stream, G_OBJECT (pollable), FALSE, cancellable);
}

static gssize
satori_yamux_input_stream_read_nonblocking (GPollableInputStream *pollable, void *buffer,
                                            gsize count, GError **error)
{
  return read_impl (SATORI_YAMUX_INPUT_STREAM (pollable), buffer, count, FALSE, NULL, error);
}

static void
satori_yamux_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = satori_yamux_input_stream_is_readable;
  iface->create_source = satori_yamux_input_stream_create_source;
  iface->read_nonblocking = satori_yamux_input_stream_read_nonblocking;
}

/**
 * satori_yamux_input_stream_new:
 * @stream: the yamux stream to read from
 *
 * Returns: (transfer full): the input stream of @stream
 */
GInputStream *
satori_yamux_input_stream_new (SatoriYamuxStream *stream)
{
  SatoriYamuxInputStream *self = g_object_new (SATORI_TYPE_YAMUX_INPUT_STREAM, NULL);

  g_weak_ref_set (&self->stream, stream);
  return G_INPUT_STREAM (self);
}
