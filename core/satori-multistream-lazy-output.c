/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multistream-lazy-output.h"

/**
 * SatoriMultistreamLazyOutput:
 *
 * The writing half of a #SatoriMultistreamLazyStream: its first write
 * carries the multistream header and the proposal in front of the data;
 * closing it sends them first if nothing was written, and sends the end
 * only after the peer's echo. Pollable when the base stream is, so
 * asynchronous writes need no thread.
 */
struct _SatoriMultistreamLazyOutput
{
  GOutputStream parent_instance;
  SatoriMultistreamLazy *lazy;
};

static void satori_multistream_lazy_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriMultistreamLazyOutput, satori_multistream_lazy_output,
                               G_TYPE_OUTPUT_STREAM,
  G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                         satori_multistream_lazy_output_pollable_init))

static GOutputStream *
base_output (SatoriMultistreamLazyOutput *self)
{
  return g_io_stream_get_output_stream (satori_multistream_lazy_get_base (self->lazy));
}

static gssize
satori_multistream_lazy_output_write (GOutputStream *stream, const void *buffer, gsize count,
                                      GCancellable *cancellable, GError **error)
{
  SatoriMultistreamLazyOutput *self = SATORI_MULTISTREAM_LAZY_OUTPUT (stream);

  return satori_multistream_lazy_write (self->lazy, buffer, count, TRUE, cancellable, error);
}

static gboolean
satori_multistream_lazy_output_close (GOutputStream *stream, GCancellable *cancellable,
                                      GError **error)
{
  SatoriMultistreamLazyOutput *self = SATORI_MULTISTREAM_LAZY_OUTPUT (stream);

  return satori_multistream_lazy_flush (self->lazy, cancellable, error)
         && g_output_stream_close (base_output (self), cancellable, error);
}

static void
base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
completed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SatoriMultistreamLazyOutput *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* A refusal was or will be reported by the reads and writes. */
  if (!satori_multistream_lazy_complete_finish (result, &error))
    g_debug ("Closing a lazily negotiated stream: %s", error->message);
  g_output_stream_close_async (base_output (self), g_task_get_priority (task),
                               g_task_get_cancellable (task), base_closed, task);
}

/* The base stream closes on this main context: no thread. */
static void
satori_multistream_lazy_output_close_async (GOutputStream *stream, int io_priority,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriMultistreamLazyOutput *self = SATORI_MULTISTREAM_LAZY_OUTPUT (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_multistream_lazy_output_close_async);
  g_task_set_priority (task, io_priority);
  satori_multistream_lazy_complete_async (self->lazy, cancellable, completed, task);
}

static gboolean
satori_multistream_lazy_output_close_finish (GOutputStream *stream, GAsyncResult *result,
                                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_multistream_lazy_output_finalize (GObject *object)
{
  satori_multistream_lazy_unref (SATORI_MULTISTREAM_LAZY_OUTPUT (object)->lazy);
  G_OBJECT_CLASS (satori_multistream_lazy_output_parent_class)->finalize (object);
}

static void
satori_multistream_lazy_output_class_init (SatoriMultistreamLazyOutputClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_multistream_lazy_output_finalize;
  stream_class->write_fn = satori_multistream_lazy_output_write;
  stream_class->close_fn = satori_multistream_lazy_output_close;
  stream_class->close_async = satori_multistream_lazy_output_close_async;
  stream_class->close_finish = satori_multistream_lazy_output_close_finish;
}

static void
satori_multistream_lazy_output_init (SatoriMultistreamLazyOutput *self)
{
}

static gboolean
satori_multistream_lazy_output_can_poll (GPollableOutputStream *pollable)
{
  return satori_multistream_lazy_can_poll (SATORI_MULTISTREAM_LAZY_OUTPUT (pollable)->lazy);
}

static gboolean
satori_multistream_lazy_output_is_writable (GPollableOutputStream *pollable)
{
  GOutputStream *base = base_output (SATORI_MULTISTREAM_LAZY_OUTPUT (pollable));

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (base));
}

static GSource *
satori_multistream_lazy_output_create_source (GPollableOutputStream *pollable,
                                              GCancellable *cancellable)
{
  GOutputStream *base = base_output (SATORI_MULTISTREAM_LAZY_OUTPUT (pollable));
  g_autoptr(GSource) base_source =
    g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (base), NULL);

  return g_pollable_source_new_full (pollable, base_source, cancellable);
}

static gssize
satori_multistream_lazy_output_write_nonblocking (GPollableOutputStream *pollable,
                                                  const void *buffer, gsize count,
                                                  GError **error)
{
  SatoriMultistreamLazyOutput *self = SATORI_MULTISTREAM_LAZY_OUTPUT (pollable);

  return satori_multistream_lazy_write (self->lazy, buffer, count, FALSE, NULL, error);
}

static void
satori_multistream_lazy_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = satori_multistream_lazy_output_can_poll;
  iface->is_writable = satori_multistream_lazy_output_is_writable;
  iface->create_source = satori_multistream_lazy_output_create_source;
  iface->write_nonblocking = satori_multistream_lazy_output_write_nonblocking;
}

/**
 * satori_multistream_lazy_output_new:
 * @lazy: the negotiation it shares with the reading half
 *
 * Returns: (transfer full): the writing half
 */
GOutputStream *
satori_multistream_lazy_output_new (SatoriMultistreamLazy *lazy)
{
  SatoriMultistreamLazyOutput *self = g_object_new (SATORI_TYPE_MULTISTREAM_LAZY_OUTPUT, NULL);

  self->lazy = satori_multistream_lazy_ref (lazy);
  return G_OUTPUT_STREAM (self);
}
