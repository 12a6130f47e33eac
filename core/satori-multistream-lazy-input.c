/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multistream-lazy-input.h"

/**
 * SatoriMultistreamLazyInput:
 *
 * The reading half of a #SatoriMultistreamLazyStream: checks the peer's
 * echo of the proposal ahead of the first bytes it returns. Pollable when
 * the base stream is, so asynchronous reads need no thread.
 */
struct _SatoriMultistreamLazyInput
{
  GInputStream parent_instance;
  SatoriMultistreamLazy *lazy;
};

static void satori_multistream_lazy_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriMultistreamLazyInput, satori_multistream_lazy_input,
                               G_TYPE_INPUT_STREAM,
  G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                         satori_multistream_lazy_input_pollable_init))

static GInputStream *
base_input (SatoriMultistreamLazyInput *self)
{
  return g_io_stream_get_input_stream (satori_multistream_lazy_get_base (self->lazy));
}

static gssize
satori_multistream_lazy_input_read (GInputStream *stream, void *buffer, gsize count,
                                    GCancellable *cancellable, GError **error)
{
  SatoriMultistreamLazyInput *self = SATORI_MULTISTREAM_LAZY_INPUT (stream);

  return satori_multistream_lazy_read (self->lazy, buffer, count, TRUE, cancellable, error);
}

static gboolean
satori_multistream_lazy_input_close (GInputStream *stream, GCancellable *cancellable,
                                     GError **error)
{
  return g_input_stream_close (base_input (SATORI_MULTISTREAM_LAZY_INPUT (stream)), cancellable,
                               error);
}

static void
base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_input_stream_close_finish (G_INPUT_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The base stream closes on this main context: no thread. */
static void
satori_multistream_lazy_input_close_async (GInputStream *stream, int io_priority,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_multistream_lazy_input_close_async);
  g_input_stream_close_async (base_input (SATORI_MULTISTREAM_LAZY_INPUT (stream)), io_priority,
                              cancellable, base_closed, task);
}

static gboolean
satori_multistream_lazy_input_close_finish (GInputStream *stream, GAsyncResult *result,
                                            GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_multistream_lazy_input_finalize (GObject *object)
{
  satori_multistream_lazy_unref (SATORI_MULTISTREAM_LAZY_INPUT (object)->lazy);
  G_OBJECT_CLASS (satori_multistream_lazy_input_parent_class)->finalize (object);
}

static void
satori_multistream_lazy_input_class_init (SatoriMultistreamLazyInputClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_multistream_lazy_input_finalize;
  stream_class->read_fn = satori_multistream_lazy_input_read;
  stream_class->close_fn = satori_multistream_lazy_input_close;
  stream_class->close_async = satori_multistream_lazy_input_close_async;
  stream_class->close_finish = satori_multistream_lazy_input_close_finish;
}

static void
satori_multistream_lazy_input_init (SatoriMultistreamLazyInput *self)
{
}

static gboolean
satori_multistream_lazy_input_can_poll (GPollableInputStream *pollable)
{
  return satori_multistream_lazy_can_poll (SATORI_MULTISTREAM_LAZY_INPUT (pollable)->lazy);
}

static gboolean
satori_multistream_lazy_input_is_readable (GPollableInputStream *pollable)
{
  return satori_multistream_lazy_is_readable (SATORI_MULTISTREAM_LAZY_INPUT (pollable)->lazy);
}

static GSource *
satori_multistream_lazy_input_create_source (GPollableInputStream *pollable,
                                             GCancellable *cancellable)
{
  SatoriMultistreamLazyInput *self = SATORI_MULTISTREAM_LAZY_INPUT (pollable);
  g_autoptr(GSource) base_source = satori_multistream_lazy_create_read_source (self->lazy);

  return g_pollable_source_new_full (pollable, base_source, cancellable);
}

static gssize
satori_multistream_lazy_input_read_nonblocking (GPollableInputStream *pollable, void *buffer,
                                                gsize count, GError **error)
{
  SatoriMultistreamLazyInput *self = SATORI_MULTISTREAM_LAZY_INPUT (pollable);

  return satori_multistream_lazy_read (self->lazy, buffer, count, FALSE, NULL, error);
}

static void
satori_multistream_lazy_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = satori_multistream_lazy_input_can_poll;
  iface->is_readable = satori_multistream_lazy_input_is_readable;
  iface->create_source = satori_multistream_lazy_input_create_source;
  iface->read_nonblocking = satori_multistream_lazy_input_read_nonblocking;
}

/**
 * satori_multistream_lazy_input_new:
 * @lazy: the negotiation it shares with the writing half
 *
 * Returns: (transfer full): the reading half
 */
GInputStream *
satori_multistream_lazy_input_new (SatoriMultistreamLazy *lazy)
{
  SatoriMultistreamLazyInput *self = g_object_new (SATORI_TYPE_MULTISTREAM_LAZY_INPUT, NULL);

  self->lazy = satori_multistream_lazy_ref (lazy);
  return G_INPUT_STREAM (self);
}
