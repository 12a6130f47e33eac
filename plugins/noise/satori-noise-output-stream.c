/* satori-noise-output-stream.c — encrypts into Noise transport messages on a base stream
 *
 * A write encrypts up to WRITE_MAX bytes straight into one buffer of
 * messages and hands it to the base stream. A non-blocking write that
 * could not pass all of it on keeps the rest and returns WOULD_BLOCK; the
 * retry (with the same buffer, as GIO's pollable writers do) sends the
 * rest and reports the plaintext written, so a completed write always has
 * left this stream. The buffer lives only until it is written: an idle
 * connection holds none.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-output-stream.h"

/* Plaintext per write: four full transport messages. */
#define WRITE_MAX (4 * SATORI_NOISE_MAX_PLAINTEXT)

struct _SatoriNoiseOutputStream
{
  GOutputStream parent_instance;
  GOutputStream *base;
  SatoriNoiseSession *session;
  GByteArray *pending;          /* ciphertext not yet written, or NULL */
  gsize pending_offset;
  gsize pending_plaintext;      /* the plaintext it stands for */
};

static void satori_noise_output_stream_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SatoriNoiseOutputStream, satori_noise_output_stream,
                         G_TYPE_OUTPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                satori_noise_output_stream_pollable_init))

static gboolean
flush_pending (SatoriNoiseOutputStream *self, gboolean blocking, GCancellable *cancellable,
               GError **error)
{
  while (self->pending != NULL && self->pending_offset < self->pending->len)
    {
      gssize n = g_pollable_stream_write (self->base, self->pending->data + self->pending_offset,
                                          self->pending->len - self->pending_offset, blocking,
                                          cancellable, error);
      if (n < 0)
        return FALSE;
      self->pending_offset += n;
    }
  g_clear_pointer (&self->pending, g_byte_array_unref);
  self->pending_offset = 0;
  return TRUE;
}

static gssize
noise_write (SatoriNoiseOutputStream *self, const void *buffer, gsize count, gboolean blocking,
             GCancellable *cancellable, GError **error)
{
  if (self->pending == NULL)
    {
      gsize n = MIN (count, WRITE_MAX);
      self->pending = g_byte_array_new ();
      if (!satori_noise_session_encrypt (self->session, buffer, n, self->pending, error))
        {
          g_clear_pointer (&self->pending, g_byte_array_unref);
          return -1;
        }
      self->pending_plaintext = n;
    }
  if (!flush_pending (self, blocking, cancellable, error))
    return -1;
  return self->pending_plaintext;
}

static gssize
satori_noise_output_stream_write (GOutputStream *stream, const void *buffer, gsize count,
                                  GCancellable *cancellable, GError **error)
{
  return noise_write (SATORI_NOISE_OUTPUT_STREAM (stream), buffer, count, TRUE, cancellable,
                      error);
}

static gboolean
satori_noise_output_stream_close (GOutputStream *stream, GCancellable *cancellable,
                                  GError **error)
{
  SatoriNoiseOutputStream *self = SATORI_NOISE_OUTPUT_STREAM (stream);

  /* Closing the base's output half tells the remote we are done. */
  return g_output_stream_close (self->base, cancellable, error);
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
satori_noise_output_stream_close_async (GOutputStream *stream, int io_priority,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  SatoriNoiseOutputStream *self = SATORI_NOISE_OUTPUT_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_noise_output_stream_close_async);
  g_output_stream_close_async (self->base, io_priority, cancellable, base_closed, task);
}

static gboolean
satori_noise_output_stream_close_finish (GOutputStream *stream, GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_noise_output_stream_finalize (GObject *object)
{
  SatoriNoiseOutputStream *self = SATORI_NOISE_OUTPUT_STREAM (object);

  g_object_unref (self->base);
  satori_noise_session_unref (self->session);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  G_OBJECT_CLASS (satori_noise_output_stream_parent_class)->finalize (object);
}

static void
satori_noise_output_stream_class_init (SatoriNoiseOutputStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_noise_output_stream_finalize;
  stream_class->write_fn = satori_noise_output_stream_write;
  stream_class->close_fn = satori_noise_output_stream_close;
  stream_class->close_async = satori_noise_output_stream_close_async;
  stream_class->close_finish = satori_noise_output_stream_close_finish;
}

static void
satori_noise_output_stream_init (SatoriNoiseOutputStream *self)
{
}

static gboolean
satori_noise_output_stream_can_poll (GPollableOutputStream *stream)
{
  GOutputStream *base = SATORI_NOISE_OUTPUT_STREAM (stream)->base;

  return G_IS_POLLABLE_OUTPUT_STREAM (base)
         && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (base));
}

static gboolean
satori_noise_output_stream_is_writable (GPollableOutputStream *stream)
{
  SatoriNoiseOutputStream *self = SATORI_NOISE_OUTPUT_STREAM (stream);

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static GSource *
satori_noise_output_stream_create_source (GPollableOutputStream *stream,
                                          GCancellable *cancellable)
{
  SatoriNoiseOutputStream *self = SATORI_NOISE_OUTPUT_STREAM (stream);
  g_autoptr(GSource) base_source =
    g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base), NULL);

  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
satori_noise_output_stream_write_nonblocking (GPollableOutputStream *stream, const void *buffer,
                                              gsize count, GError **error)
{
  return noise_write (SATORI_NOISE_OUTPUT_STREAM (stream), buffer, count, FALSE, NULL, error);
}

static void
satori_noise_output_stream_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = satori_noise_output_stream_can_poll;
  iface->is_writable = satori_noise_output_stream_is_writable;
  iface->create_source = satori_noise_output_stream_create_source;
  iface->write_nonblocking = satori_noise_output_stream_write_nonblocking;
}

/**
 * satori_noise_output_stream_new:
 * @base: the raw stream
 * @session: a session whose handshake is complete
 *
 * Returns: (transfer full): the plaintext stream
 */
GOutputStream *
satori_noise_output_stream_new (GOutputStream *base, SatoriNoiseSession *session)
{
  SatoriNoiseOutputStream *self = g_object_new (SATORI_TYPE_NOISE_OUTPUT_STREAM, NULL);

  self->base = g_object_ref (base);
  self->session = satori_noise_session_ref (session);
  return G_OUTPUT_STREAM (self);
}
