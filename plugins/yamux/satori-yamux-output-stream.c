/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-yamux-output-stream.h"

/**
 * SatoriYamuxOutputStream:
 *
 * The writing half of a #SatoriYamuxStream: pollable, so asynchronous
 * writes need no thread. A write completes once the session took the
 * bytes, within the stream's send window. Closing it sends FIN.
 */
struct _SatoriYamuxOutputStream
{
  GOutputStream parent_instance;

  GWeakRef stream;
};

static void satori_yamux_output_stream_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriYamuxOutputStream, satori_yamux_output_stream,
                               G_TYPE_OUTPUT_STREAM,
  G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM, satori_yamux_output_stream_pollable_init))

static SatoriYamuxStream *
get_stream (SatoriYamuxOutputStream *self, GError **error)
{
  SatoriYamuxStream *stream = g_weak_ref_get (&self->stream);

  if (stream == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The yamux stream is gone");
  return stream;
}

static gssize
write_impl (SatoriYamuxOutputStream *self, const void *buffer, gsize count, gboolean blocking,
            GCancellable *cancellable, GError **error)
{
  g_autoptr(SatoriYamuxStream) stream = get_stream (self, error);

  if (stream == NULL)
    return -1;
  return satori_yamux_stream_write (stream, buffer, count, blocking, cancellable, error);
}

static gssize
satori_yamux_output_stream_write (GOutputStream *stream, const void *buffer, gsize count,
                                  GCancellable *cancellable, GError **error)
{
  return write_impl (SATORI_YAMUX_OUTPUT_STREAM (stream), buffer, count, TRUE, cancellable,
                     error);
}

static gboolean
satori_yamux_output_stream_close (GOutputStream *stream, GCancellable *cancellable,
                                  GError **error)
{
  g_autoptr(SatoriYamuxStream) parent =
    g_weak_ref_get (&SATORI_YAMUX_OUTPUT_STREAM (stream)->stream);

  if (parent != NULL)
    satori_yamux_stream_close_write (parent);
  return TRUE;
}

/* Closing (queueing FIN) never blocks, so it needs no thread. */
static void
satori_yamux_output_stream_close_async (GOutputStream *stream, int io_priority,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_yamux_output_stream_close_async);
  satori_yamux_output_stream_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
satori_yamux_output_stream_close_finish (GOutputStream *stream, GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_yamux_output_stream_finalize (GObject *object)
{
  g_weak_ref_clear (&SATORI_YAMUX_OUTPUT_STREAM (object)->stream);
  G_OBJECT_CLASS (satori_yamux_output_stream_parent_class)->finalize (object);
}

static void
satori_yamux_output_stream_class_init (SatoriYamuxOutputStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_yamux_output_stream_finalize;
  stream_class->write_fn = satori_yamux_output_stream_write;
  stream_class->close_fn = satori_yamux_output_stream_close;
  stream_class->close_async = satori_yamux_output_stream_close_async;
  stream_class->close_finish = satori_yamux_output_stream_close_finish;
}

static void
satori_yamux_output_stream_init (SatoriYamuxOutputStream *self)
{
  g_weak_ref_init (&self->stream, NULL);
}

static gboolean
satori_yamux_output_stream_is_writable (GPollableOutputStream *pollable)
{
  g_autoptr(SatoriYamuxStream) stream = get_stream (SATORI_YAMUX_OUTPUT_STREAM (pollable), NULL);
  return stream == NULL || satori_yamux_stream_is_ready (stream, TRUE);
}

static GSource *
satori_yamux_output_stream_create_source (GPollableOutputStream *pollable,
                                          GCancellable *cancellable)
{
  g_autoptr(SatoriYamuxStream) stream = get_stream (SATORI_YAMUX_OUTPUT_STREAM (pollable), NULL);

  if (stream == NULL)
    {
      /* Ready at once, so the caller sees the error. */
      g_autoptr(GSource) ready = g_timeout_source_new (0);
      GSource *source = g_pollable_source_new_full (pollable, NULL, cancellable);

      g_source_add_child_source (source, ready);
      return source;
    }
  return satori_yamux_stream_create_source (stream, G_OBJECT (pollable), TRUE, cancellable);
}

static gssize
satori_yamux_output_stream_write_nonblocking (GPollableOutputStream *pollable, const void *buffer,
                                              gsize count, GError **error)
{
  return write_impl (SATORI_YAMUX_OUTPUT_STREAM (pollable), buffer, count, FALSE, NULL, error);
}

static void
satori_yamux_output_stream_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->is_writable = satori_yamux_output_stream_is_writable;
  iface->create_source = satori_yamux_output_stream_create_source;
  iface->write_nonblocking = satori_yamux_output_stream_write_nonblocking;
}

/**
 * satori_yamux_output_stream_new:
 * @stream: the yamux stream to write to
 *
 * Returns: (transfer full): the output stream of @stream
 */
GOutputStream *
satori_yamux_output_stream_new (SatoriYamuxStream *stream)
{
  SatoriYamuxOutputStream *self = g_object_new (SATORI_TYPE_YAMUX_OUTPUT_STREAM, NULL);

  g_weak_ref_set (&self->stream, stream);
  return G_OUTPUT_STREAM (self);
}
