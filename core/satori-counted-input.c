/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-counted-input.h"

/**
 * SatoriCountedInput:
 *
 * Reads from the base stream's input and adds what it returns to its
 * protocol's received bytes and messages. Pollable when the base is, so
 * asynchronous reads run on the main context with no thread.
 */
struct _SatoriCountedInput
{
  GInputStream parent_instance;
  GIOStream *base;
  SatoriProtocolCounters *counters;
  SatoriFrameCounter frames;
};

static void satori_counted_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriCountedInput, satori_counted_input, G_TYPE_INPUT_STREAM,
  G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, satori_counted_input_pollable_init))

static GInputStream *
base_input (SatoriCountedInput *self)
{
  return g_io_stream_get_input_stream (self->base);
}

static gssize
read_counted (SatoriCountedInput *self, void *buffer, gsize count, gboolean blocking,
              GCancellable *cancellable, GError **error)
{
  gssize n = g_pollable_stream_read (base_input (self), buffer, count, blocking, cancellable,
                                     error);
  if (n > 0)
    {
      self->counters->bytes[SATORI_COUNTED_RECEIVED] += n;
      self->counters->messages[SATORI_COUNTED_RECEIVED] +=
        satori_frame_counter_feed (&self->frames, buffer, n);
    }
  return n;
}

static gssize
satori_counted_input_read (GInputStream *stream, void *buffer, gsize count,
                           GCancellable *cancellable, GError **error)
{
  return read_counted (SATORI_COUNTED_INPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gboolean
satori_counted_input_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  return g_input_stream_close (base_input (SATORI_COUNTED_INPUT (stream)), cancellable, error);
}

static void
on_base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* GInputStream's default would close in a thread. */
static void
satori_counted_input_close_async (GInputStream *stream, int io_priority,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_counted_input_close_async);
  g_input_stream_close_async (base_input (SATORI_COUNTED_INPUT (stream)), io_priority,
                              cancellable, on_base_closed, task);
}

static gboolean
satori_counted_input_close_finish (GInputStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_counted_input_finalize (GObject *object)
{
  SatoriCountedInput *self = SATORI_COUNTED_INPUT (object);

  g_object_unref (self->base);
  g_atomic_rc_box_release (self->counters);
  G_OBJECT_CLASS (satori_counted_input_parent_class)->finalize (object);
}

static void
satori_counted_input_class_init (SatoriCountedInputClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_counted_input_finalize;
  stream_class->read_fn = satori_counted_input_read;
  stream_class->close_fn = satori_counted_input_close;
  stream_class->close_async = satori_counted_input_close_async;
  stream_class->close_finish = satori_counted_input_close_finish;
}

static void
satori_counted_input_init (SatoriCountedInput *self)
{
}

static gboolean
satori_counted_input_can_poll (GPollableInputStream *pollable)
{
  GInputStream *base = base_input (SATORI_COUNTED_INPUT (pollable));

  return G_IS_POLLABLE_INPUT_STREAM (base)
         && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
satori_counted_input_is_readable (GPollableInputStream *pollable)
{
  GInputStream *base = base_input (SATORI_COUNTED_INPUT (pollable));

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base));
}

static GSource *
satori_counted_input_create_source (GPollableInputStream *pollable, GCancellable *cancellable)
{
  GInputStream *base = base_input (SATORI_COUNTED_INPUT (pollable));
  g_autoptr(GSource) base_source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base), NULL);

  return g_pollable_source_new_full (pollable, base_source, cancellable);
}

static gssize
satori_counted_input_read_nonblocking (GPollableInputStream *pollable, void *buffer,
                                       gsize count, GError **error)
{
  return read_counted (SATORI_COUNTED_INPUT (pollable), buffer, count, FALSE, NULL, error);
}

static void
satori_counted_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = satori_counted_input_can_poll;
  iface->is_readable = satori_counted_input_is_readable;
  iface->create_source = satori_counted_input_create_source;
  iface->read_nonblocking = satori_counted_input_read_nonblocking;
}

/**
 * satori_counted_input_new:
 * @base: the stream whose input is read
 * @counters: (transfer none): the protocol's counters, acquired
 * @framing: how the protocol frames its messages
 *
 * Returns: (transfer full): the reading half
 */
GInputStream *
satori_counted_input_new (GIOStream *base, SatoriProtocolCounters *counters,
                          SatoriMessageFraming framing)
{
  SatoriCountedInput *self = g_object_new (SATORI_TYPE_COUNTED_INPUT, NULL);

  self->base = g_object_ref (base);
  self->counters = g_atomic_rc_box_acquire (counters);
  satori_frame_counter_init (&self->frames, framing);
  return G_INPUT_STREAM (self);
}
