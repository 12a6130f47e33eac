/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-counted-stream.h"

#include "satori-counted-input.h"
#include "satori-counted-output.h"

/**
 * SatoriCountedStream:
 *
 * What a protocol handler gets from the host: the negotiated stream, with
 * every byte it reads or writes, and every message when its protocol's
 * framing is registered (satori_message_framing_register()), added to the
 * protocol's counters. Counting costs an addition per read or write: the
 * counters are plain integers, touched only on the host's main context.
 */
struct _SatoriCountedStream
{
  GIOStream parent_instance;
  GIOStream *base;
  GInputStream *input;
  GOutputStream *output;
};

G_DEFINE_FINAL_TYPE (SatoriCountedStream, satori_counted_stream, G_TYPE_IO_STREAM)

static GInputStream *
satori_counted_stream_get_input_stream (GIOStream *stream)
{
  return SATORI_COUNTED_STREAM (stream)->input;
}

static GOutputStream *
satori_counted_stream_get_output_stream (GIOStream *stream)
{
  return SATORI_COUNTED_STREAM (stream)->output;
}

static gboolean
satori_counted_stream_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  return g_io_stream_close (SATORI_COUNTED_STREAM (stream)->base, cancellable, error);
}

static void
on_base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* GIOStream's default would close in a thread. */
static void
satori_counted_stream_close_async (GIOStream *stream, int io_priority, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_counted_stream_close_async);
  g_io_stream_close_async (SATORI_COUNTED_STREAM (stream)->base, io_priority, cancellable,
                           on_base_closed, task);
}

static gboolean
satori_counted_stream_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_counted_stream_finalize (GObject *object)
{
  SatoriCountedStream *self = SATORI_COUNTED_STREAM (object);

  g_object_unref (self->input);
  g_object_unref (self->output);
  g_object_unref (self->base);
  G_OBJECT_CLASS (satori_counted_stream_parent_class)->finalize (object);
}

static void
satori_counted_stream_class_init (SatoriCountedStreamClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_counted_stream_finalize;
  stream_class->get_input_stream = satori_counted_stream_get_input_stream;
  stream_class->get_output_stream = satori_counted_stream_get_output_stream;
  stream_class->close_fn = satori_counted_stream_close;
  stream_class->close_async = satori_counted_stream_close_async;
  stream_class->close_finish = satori_counted_stream_close_finish;
}

static void
satori_counted_stream_init (SatoriCountedStream *self)
{
}

/**
 * satori_counted_stream_new:
 * @base: a negotiated stream
 * @counters: (transfer none): its protocol's counters, acquired
 * @framing: how the protocol frames its messages
 *
 * Returns: (transfer full): a stream over @base that counts its traffic
 */
GIOStream *
satori_counted_stream_new (GIOStream *base, SatoriProtocolCounters *counters,
                           SatoriMessageFraming framing)
{
  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  SatoriCountedStream *self = g_object_new (SATORI_TYPE_COUNTED_STREAM, NULL);

  self->base = g_object_ref (base);
  self->input = satori_counted_input_new (base, counters, framing);
  self->output = satori_counted_output_new (base, counters, framing);
  return G_IO_STREAM (self);
}
