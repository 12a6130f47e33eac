/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multistream-lazy-stream.h"

#include "satori-multistream-lazy-input.h"
#include "satori-multistream-lazy-output.h"
#include "satori-multistream-lazy.h"

/**
 * SatoriMultistreamLazyStream:
 *
 * A stream on which a dialer proposed one protocol without waiting for
 * the answer, so the proposal and the first application bytes share a
 * round trip: the header and proposal go out with the first write (or
 * before the first read, or on close), and the peer's echo is checked
 * ahead of the first bytes read; closing waits for the echo before it
 * sends the end of the stream. A refusal surfaces as
 * %SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED from that read and from every
 * later read and write.
 */
struct _SatoriMultistreamLazyStream
{
  GIOStream parent_instance;
  SatoriMultistreamLazy *lazy;
  GInputStream *input;
  GOutputStream *output;
};

G_DEFINE_FINAL_TYPE (SatoriMultistreamLazyStream, satori_multistream_lazy_stream,
                     G_TYPE_IO_STREAM)

static GInputStream *
satori_multistream_lazy_stream_get_input_stream (GIOStream *stream)
{
  return SATORI_MULTISTREAM_LAZY_STREAM (stream)->input;
}

static GOutputStream *
satori_multistream_lazy_stream_get_output_stream (GIOStream *stream)
{
  return SATORI_MULTISTREAM_LAZY_STREAM (stream)->output;
}

static gboolean
satori_multistream_lazy_stream_close (GIOStream *stream, GCancellable *cancellable,
                                      GError **error)
{
  SatoriMultistreamLazy *lazy = SATORI_MULTISTREAM_LAZY_STREAM (stream)->lazy;

  return satori_multistream_lazy_flush (lazy, cancellable, error)
         && g_io_stream_close (satori_multistream_lazy_get_base (lazy), cancellable, error);
}

static void
base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
completed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SatoriMultistreamLazyStream *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* A refusal was or will be reported by the reads and writes. */
  if (!satori_multistream_lazy_complete_finish (result, &error))
    g_debug ("Closing a lazily negotiated stream: %s", error->message);
  g_io_stream_close_async (satori_multistream_lazy_get_base (self->lazy),
                           g_task_get_priority (task), g_task_get_cancellable (task),
                           base_closed, task);
}

/* The base stream closes on this main context: no thread. */
static void
satori_multistream_lazy_stream_close_async (GIOStream *stream, int io_priority,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriMultistreamLazyStream *self = SATORI_MULTISTREAM_LAZY_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_multistream_lazy_stream_close_async);
  g_task_set_priority (task, io_priority);
  satori_multistream_lazy_complete_async (self->lazy, cancellable, completed, task);
}

static gboolean
satori_multistream_lazy_stream_close_finish (GIOStream *stream, GAsyncResult *result,
                                             GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_multistream_lazy_stream_finalize (GObject *object)
{
  SatoriMultistreamLazyStream *self = SATORI_MULTISTREAM_LAZY_STREAM (object);

  g_object_unref (self->input);
  g_object_unref (self->output);
  satori_multistream_lazy_unref (self->lazy);
  G_OBJECT_CLASS (satori_multistream_lazy_stream_parent_class)->finalize (object);
}

static void
satori_multistream_lazy_stream_class_init (SatoriMultistreamLazyStreamClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_multistream_lazy_stream_finalize;
  stream_class->get_input_stream = satori_multistream_lazy_stream_get_input_stream;
  stream_class->get_output_stream = satori_multistream_lazy_stream_get_output_stream;
  stream_class->close_fn = satori_multistream_lazy_stream_close;
  stream_class->close_async = satori_multistream_lazy_stream_close_async;
  stream_class->close_finish = satori_multistream_lazy_stream_close_finish;
}

static void
satori_multistream_lazy_stream_init (SatoriMultistreamLazyStream *self)
{
}

/**
 * satori_multistream_lazy_stream_new:
 * @base: a stream to the peer, positioned at the start of negotiation
 * @protocol: the one protocol id to propose
 *
 * Proposes @protocol on @base as the dialer, lazily: nothing is sent or
 * read until the returned stream is written, read or closed. Use it where
 * the dialer proposes a single protocol; with a choice, the answer must be
 * awaited (satori_multistream_select_async()).
 *
 * Returns: (transfer full): a stream that speaks @protocol over @base
 */
GIOStream *
satori_multistream_lazy_stream_new (GIOStream *base, const char *protocol)
{
  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (protocol != NULL, NULL);

  g_autoptr(SatoriMultistreamLazy) lazy = satori_multistream_lazy_new (base, protocol);
  g_return_val_if_fail (lazy != NULL, NULL);

  SatoriMultistreamLazyStream *self = g_object_new (SATORI_TYPE_MULTISTREAM_LAZY_STREAM, NULL);
  self->input = satori_multistream_lazy_input_new (lazy);
  self->output = satori_multistream_lazy_output_new (lazy);
  self->lazy = g_steal_pointer (&lazy);
  return G_IO_STREAM (self);
}

/**
 * satori_multistream_lazy_stream_get_protocol:
 * @stream: a #SatoriMultistreamLazyStream
 *
 * Returns: the protocol id proposed (confirmed or not yet)
 */
const char *
satori_multistream_lazy_stream_get_protocol (SatoriMultistreamLazyStream *stream)
{
  g_return_val_if_fail (SATORI_IS_MULTISTREAM_LAZY_STREAM (stream), NULL);
  return satori_multistream_lazy_get_protocol (stream->lazy);
}
