/* satori-noise-input-stream.c — decrypts Noise transport messages from a base stream
 *
 * Pollable when the base stream is: GInputStream's read_async then runs
 * on the caller's main context with non-blocking reads, no threads.
 * A read decrypts in buffers of the thread; a stream keeps only the
 * plaintext its reader has not taken yet, so an idle connection holds no
 * buffer.
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
  GByteArray *plaintext;        /* decrypted and not yet read, or NULL */
  gsize plaintext_offset;
  gboolean eof;
};

/* What one read of the base brings, and its plaintext: one per thread,
 * shared by all streams, as a read needs them only until it returns. */
typedef struct
{
  guint8 ciphertext[READ_CHUNK];
  GByteArray *plaintext;
} Scratch;

static void
scratch_free (gpointer data)
{
  Scratch *scratch = data;

  g_byte_array_unref (scratch->plaintext);
  g_free (scratch);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

/* Takes this thread's scratch (a read nested in a read gets its own). */
static Scratch *
scratch_take (void)
{
  Scratch *scratch = g_private_get (&scratch_key);

  if (scratch == NULL)
    {
      scratch = g_new (Scratch, 1);
      scratch->plaintext = g_byte_array_sized_new (READ_CHUNK);
    }
  g_private_set (&scratch_key, NULL);
  g_byte_array_set_size (scratch->plaintext, 0);
  return scratch;
}

static void
scratch_give_back (Scratch *scratch)
{
  if (g_private_get (&scratch_key) == NULL)
    g_private_set (&scratch_key, scratch);
  else
    scratch_free (scratch);
}

static void satori_noise_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SatoriNoiseInputStream, satori_noise_input_stream, G_TYPE_INPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                satori_noise_input_stream_pollable_init))

static gsize
available (SatoriNoiseInputStream *self)
{
  return self->plaintext != NULL ? self->plaintext->len - self->plaintext_offset : 0;
}

/* Reads and decrypts into @plaintext until it holds some, or the end. */
static gboolean
read_base (SatoriNoiseInputStream *self, Scratch *scratch, gboolean blocking,
           GCancellable *cancellable, GError **error)
{
  while (scratch->plaintext->len == 0)
    {
      gssize n = g_pollable_stream_read (self->base, scratch->ciphertext, READ_CHUNK, blocking,
                                         cancellable, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          if (satori_noise_session_has_partial_input (self->session))
            {
              g_message ("Noise transport failed: the stream ended inside a message");
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                           "Noise stream ended inside a message");
              return FALSE;
            }
          self->eof = TRUE;
          return TRUE;
        }
      if (!satori_noise_session_decrypt (self->session, scratch->ciphertext, n,
                                         scratch->plaintext, error))
        return FALSE;
      /* No message cut by the end of this read: none to keep memory for. */
      if (!satori_noise_session_has_partial_input (self->session))
        satori_noise_session_release_input (self->session);
    }
  return TRUE;
}

/* Serves plaintext kept from an earlier read; else reads, and keeps what
 * does not fit in @buffer. */
static gssize
noise_read (SatoriNoiseInputStream *self, void *buffer, gsize count, gboolean blocking,
            GCancellable *cancellable, GError **error)
{
  gsize n;

  if (available (self) > 0)
    {
      n = MIN (count, available (self));
      memcpy (buffer, self->plaintext->data + self->plaintext_offset, n);
      self->plaintext_offset += n;
      if (available (self) == 0)
        g_clear_pointer (&self->plaintext, g_byte_array_unref);
      return n;
    }
  if (self->eof)
    return 0;

  Scratch *scratch = scratch_take ();
  if (!read_base (self, scratch, blocking, cancellable, error))
    {
      scratch_give_back (scratch);
      return -1;
    }
  n = MIN (count, scratch->plaintext->len);
  if (n > 0)
    memcpy (buffer, scratch->plaintext->data, n);
  if (n < scratch->plaintext->len)
    {
      self->plaintext = g_byte_array_sized_new (scratch->plaintext->len - n);
      g_byte_array_append (self->plaintext, scratch->plaintext->data + n,
                           scratch->plaintext->len - n);
      self->plaintext_offset = 0;
    }
  scratch_give_back (scratch);
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
  g_clear_pointer (&self->plaintext, g_byte_array_unref);
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

/* Ready while plaintext is kept or the stream ended, asked at every turn
 * of the main loop. A source that decided this once, when it was made (a
 * 0 ms timeout), stayed ready after the plaintext was read: a reader that
 * keeps its source across reads (the yamux connection) was then woken on
 * every turn, and lower-priority sources never ran. */
typedef struct
{
  GSource parent;
  SatoriNoiseInputStream *stream;
} KeptSource;

static gboolean
kept_source_check (GSource *source)
{
  SatoriNoiseInputStream *self = ((KeptSource *) source)->stream;

  return available (self) > 0 || self->eof;
}

static gboolean
kept_source_prepare (GSource *source, gint *timeout)
{
  *timeout = -1;
  return kept_source_check (source);
}

static gboolean
kept_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  /* Without a callback it only wakes its parent, the pollable source. */
  return callback == NULL || callback (user_data);
}

static void
kept_source_finalize (GSource *source)
{
  g_object_unref (((KeptSource *) source)->stream);
}

static GSourceFuncs kept_source_funcs = {
  kept_source_prepare, kept_source_check, kept_source_dispatch, kept_source_finalize,
  NULL, NULL,
};

static GSource *
satori_noise_input_stream_create_source (GPollableInputStream *stream,
                                         GCancellable *cancellable)
{
  SatoriNoiseInputStream *self = SATORI_NOISE_INPUT_STREAM (stream);

  /* Readable when plaintext is kept, or when the base is (which may bring
   * only part of a message: readers retry). */
  g_autoptr(GSource) base_source = g_pollable_input_stream_create_source (
    G_POLLABLE_INPUT_STREAM (self->base), NULL);
  GSource *source = g_pollable_source_new_full (stream, base_source, cancellable);
  g_autoptr(GSource) kept = g_source_new (&kept_source_funcs, sizeof (KeptSource));
  ((KeptSource *) kept)->stream = g_object_ref (self);
  g_source_set_name (kept, "SatoriNoiseKeptPlaintext");
  g_source_add_child_source (source, kept);
  return source;
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
  if (initial_len == 0)
    return G_INPUT_STREAM (g_steal_pointer (&self));
  self->plaintext = g_byte_array_new ();
  if (!satori_noise_session_decrypt (session, initial, initial_len, self->plaintext, error))
    return NULL;
  return G_INPUT_STREAM (g_steal_pointer (&self));
}
