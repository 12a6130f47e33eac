/* satori-noise-input-stream.c — decrypts Noise transport messages from a base stream
 *
 * Pollable when the base stream is: GInputStream's read_async then runs
 * on the caller's main context with non-blocking reads, no threads.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-input-stream.h"

#include <string.h>

/* How much ciphertext one read of the base stream asks for. */
#define READ_CHUNK (64 * 1024)

struct _SatoriNoiseInputStream
{
  GInputStream parent_instance;
  GInputStream *base;
  SatoriNoiseSession *session;
  GByteArray *plaintext;
  gsize plaintext_offset;
  guint8 *ciphertext;
  gboolean eof;
};

static void satori_noise_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SatoriNoiseInputStream, satori_noise_input_stream, G_TYPE_INPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                satori_noise_input_stream_pollable_init))

static gsize
available (SatoriNoiseInputStream *self)
{
  return self->plaintext->len - self->plaintext_offset;
}

/* Reads and decrypts until some plaintext is there, or the end. */
static gssize
noise_read (SatoriNoiseInputStream *self, void *buffer, gsize count, gboolean blocking,
            GCancellable *cancellable, GError **error)
{
  while (available (self) == 0 && !self->eof)
    {
      g_byte_array_set_size (self->plaintext, 0);
      self->plaintext_offset = 0;
      gssize n = g_pollable_stream_read (self->base, self->ciphertext, READ_CHUNK, blocking,
                                         cancellable, error);
      if (n < 0)
        return -1;
      if (n == 0)
        {
          if (satori_noise_session_has_partial_input (self->session))
            {
              g_message ("Noise transport failed: the stream ended inside a message");
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                           "Noise stream ended inside a message");
              return -1;
            }
          self->eof = TRUE;
          break;
        }
      if (!satori_noise_session_decrypt (self->session, self->ciphertext, n,
                                         self->plaintext, error))
        return -1;
    }
  gsize n = MIN (count, available (self));
  if (n == 0)
    return 0;
  memcpy (buffer, self->plaintext->data + self->plaintext_offset, n);
  self->plaintext_offset += n;
  return n;
}

static gssize
satori_noise_input_stream_read (GInputStream *stream, void *buffer, gsize count,
                                GCancellable *cancellable, GError **error)
{
  return noise_read (SATORI_NOISE_INPUT_STREAM (stream), buffer, count, TRUE, cancellable,
                     error);
}

static gboolean
satori_noise_input_stream_close (GInputStream *stream, GCancellable *cancellable,
                                 GError **error)
{
  /* The connection closes the base stream. */
  return TRUE;
}

static void
satori_noise_input_stream_finalize (GObject *object)
{
  SatoriNoiseInputStream *self = SATORI_NOISE_INPUT_STREAM (object);

  g_object_unref (self->base);
  satori_noise_session_unref (self->session);
  g_byte_array_unref (self->plaintext);
  g_free (self->ciphertext);
  G_OBJECT_CLASS (satori_noise_input_stream_parent_class)->finalize (object);
}

static void
satori_noise_input_stream_class_init (SatoriNoiseInputStreamClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_noise_input_stream_finalize;
  stream_class->read_fn = satori_noise_input_stream_read;
  stream_class->close_fn = satori_noise_input_stream_close;
}

static void
satori_noise_input_stream_init (SatoriNoiseInputStream *self)
{
  self->plaintext = g_byte_array_new ();
  self->ciphertext = g_malloc (READ_CHUNK);
}

static gboolean
satori_noise_input_stream_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = SATORI_NOISE_INPUT_STREAM (stream)->base;

  return G_IS_POLLABLE_INPUT_STREAM (base)
         && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
satori_noise_input_stream_is_readable (GPollableInputStream *stream)
{
  SatoriNoiseInputStream *self = SATORI_NOISE_INPUT_STREAM (stream);

  return available (self) > 0 || self->eof
         || g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
satori_noise_input_stream_create_source (GPollableInputStream *stream,
                                         GCancellable *cancellable)
{
  SatoriNoiseInputStream *self = SATORI_NOISE_INPUT_STREAM (stream);
  g_autoptr(GSource) base_source = NULL;

  /* With plaintext at hand, wake at once; else when the base is readable
   * (which may bring only part of a message: readers retry). */
  if (available (self) > 0 || self->eof)
    base_source = g_timeout_source_new (0);
  else
    base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base),
                                                         NULL);
  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
satori_noise_input_stream_read_nonblocking (GPollableInputStream *stream, void *buffer,
                                            gsize count, GError **error)
{
  return noise_read (SATORI_NOISE_INPUT_STREAM (stream), buffer, count, FALSE, NULL, error);
}

static void
satori_noise_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = satori_noise_input_stream_can_poll;
  iface->is_readable = satori_noise_input_stream_is_readable;
  iface->create_source = satori_noise_input_stream_create_source;
  iface->read_nonblocking = satori_noise_input_stream_read_nonblocking;
}

/**
 * satori_noise_input_stream_new:
 * @base: the raw stream
 * @session: a session whose handshake is complete
 * @initial: (array length=initial_len) (nullable): ciphertext read from
 *   @base already, after the handshake
 * @initial_len: its length
 * @error: a #GError, set if @initial does not decrypt
 *
 * Returns: (transfer full) (nullable): the plaintext stream, or %NULL
 */
GInputStream *
satori_noise_input_stream_new (GInputStream *base, SatoriNoiseSession *session,
                               const guint8 *initial, gsize initial_len, GError **error)
{
  g_autoptr(SatoriNoiseInputStream) self = g_object_new (SATORI_TYPE_NOISE_INPUT_STREAM, NULL);

  self->base = g_object_ref (base);
  self->session = satori_noise_session_ref (session);
  if (initial_len > 0
      && !satori_noise_session_decrypt (session, initial, initial_len, self->plaintext, error))
    return NULL;
  return G_INPUT_STREAM (g_steal_pointer (&self));
}
