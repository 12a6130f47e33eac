/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-counted-output.h"

/**
 * SatoriCountedOutput:
 *
 * Writes to the base stream's output and adds what it accepted to its
 * protocol's sent bytes and messages. Pollable when the base is, so
 * asynchronous writes run on the main context with no thread.
 */
struct _SatoriCountedOutput
{
  GOutputStream parent_instance;
  GIOStream *base;
  SatoriProtocolCounters *counters;
  SatoriFrameCounter frames;
};

static void satori_counted_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriCountedOutput, satori_counted_output, G_TYPE_OUTPUT_STREAM,
  G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM, satori_counted_output_pollable_init))

static GOutputStream *
base_output (SatoriCountedOutput *self)
{
  return g_io_stream_get_output_stream (self->base);
}

static gssize
write_counted (SatoriCountedOutput *self, const void *buffer, gsize count, gboolean blocking,
               GCancellable *cancellable, GError **error)
{
  gssize n = g_pollable_stream_write (base_output (self), buffer, count, blocking, cancellable,
                                      error);
  if (n > 0)
    {
      self->counters->bytes[SATORI_COUNTED_SENT] += n;
      self->counters->messages[SATORI_COUNTED_SENT] +=
        satori_frame_counter_feed (&self->frames, buffer, n);
    }
  return n;
}

static gssize
satori_counted_output_write (GOutputStream *stream, const void *buffer, gsize count,
                             GCancellable *cancellable, GError **error)
{
  return write_counted (SATORI_COUNTED_OUTPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gboolean
satori_counted_output_close (GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  return g_output_stream_close (base_output (SATORI_COUNTED_OUTPUT (stream)), cancellable,
                                error);
}

static void
on_base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* GOutputStream's default would close in a thread. Closing the base
 * sends the end of this direction of the stream. */
static void
satori_counted_output_close_async (GOutputStream *stream, int io_priority,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_counted_output_close_async);
  g_output_stream_close_async (base_output (SATORI_COUNTED_OUTPUT (stream)), io_priority,
                               cancellable, on_base_closed, task);
}

static gboolean
satori_counted_output_close_finish (GOutputStream *stream, GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_counted_output_finalize (GObject *object)
{
  SatoriCountedOutput *self = SATORI_COUNTED_OUTPUT (object);

  g_object_unref (self->base);
  g_atomic_rc_box_release (self->counters);
  G_OBJECT_CLASS (satori_counted_output_parent_class)->finalize (object);
}

static void
satori_counted_output_class_init (SatoriCountedOutputClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_counted_output_finalize;
  stream_class->write_fn = satori_counted_output_write;
  stream_class->close_fn = satori_counted_output_close;
  stream_class->close_async = satori_counted_output_close_async;
  stream_class->close_finish = satori_counted_output_close_finish;
}

static void
satori_counted_output_init (SatoriCountedOutput *self)
{
}

static gboolean
satori_counted_output_can_poll (GPollableOutputStream *pollable)
{
  GOutputStream *base = base_output (SATORI_COUNTED_OUTPUT (pollable));

  return G_IS_POLLABLE_OUTPUT_STREAM (base)
         && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (base));
}

static gboolean
satori_counted_output_is_writable (GPollableOutputStream *pollable)
{
  GOutputStream *base = base_output (SATORI_COUNTED_OUTPUT (pollable));

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (base));
}

static GSource *
satori_counted_output_create_source (GPollableOutputStream *pollable, GCancellable *cancellable)
{
  GOutputStream *base = base_output (SATORI_COUNTED_OUTPUT (pollable));
  g_autoptr(GSource) base_source =
    g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (base), NULL);

  return g_pollable_source_new_full (pollable, base_source, cancellable);
}

static gssize
satori_counted_output_write_nonblocking (GPollableOutputStream *pollable, const void *buffer,
                                         gsize count, GError **error)
{
  return write_counted (SATORI_COUNTED_OUTPUT (pollable), buffer, count, FALSE, NULL, error);
}

static void
satori_counted_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = satori_counted_output_can_poll;
  iface->is_writable = satori_counted_output_is_writable;
  iface->create_source = satori_counted_output_create_source;
  iface->write_nonblocking = satori_counted_output_write_nonblocking;
}

/**
 * satori_counted_output_new:
 * @base: the stream whose output is written
 * @counters: (transfer none): the protocol's counters, acquired
 * @framing: how the protocol frames its messages
 *
 * Returns: (transfer full): the writing half
 */
GOutputStream *
satori_counted_output_new (GIOStream *base, SatoriProtocolCounters *counters,
                           SatoriMessageFraming framing)
{
  SatoriCountedOutput *self = g_object_new (SATORI_TYPE_COUNTED_OUTPUT, NULL);

  self->base = g_object_ref (base);
  self->counters = g_atomic_rc_box_acquire (counters);
  satori_frame_counter_init (&self->frames, framing);
  return G_OUTPUT_STREAM (self);
}
