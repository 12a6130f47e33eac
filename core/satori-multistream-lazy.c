/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multistream-lazy.h"

#include <string.h>

#include "satori-errors.h"
#include "satori-multistream.h"

/* A dialer's negotiation of one protocol without waiting for the echo
 * (rust-libp2p's V1Lazy, go-libp2p's lazy client): the header and the
 * proposal go out with the first write (or before the first read or the
 * close), and the echo is read and checked ahead of the first bytes the
 * caller reads. The proposal is then final: a refusal ("na") fails every
 * later read and write, since bytes already sent cannot be taken back.
 *
 * Closing waits for the echo before the end of the stream goes out:
 * js-libp2p 3 drops the bytes behind a proposal when the end arrives
 * before it has answered.
 *
 * At most this many bytes of the first write are copied behind the
 * proposal; the rest follows in the next write. */
#define MAX_COALESCED (64 * 1024)

struct _SatoriMultistreamLazy
{
  GIOStream *base;
  SatoriMultistream *core;   /* NULL once the echo was read */
  char *protocol;
  GByteArray *unsent;        /* header and proposal not written yet, or NULL */
  GError *error;             /* the negotiation failed */
  GPtrArray *waiters;        /* GTasks of satori_multistream_lazy_complete_async() */
  GSource *echo_source;      /* reads the echo for the waiters */
};

/**
 * satori_multistream_lazy_new:
 * @base: the stream to negotiate on
 * @protocol: the one protocol to propose
 *
 * Returns: (transfer full): the state of a negotiation that sent nothing yet
 */
SatoriMultistreamLazy *
satori_multistream_lazy_new (GIOStream *base, const char *protocol)
{
  const char *protocols[] = { protocol, NULL };
  SatoriMultistream *core = satori_multistream_new (SATORI_MULTISTREAM_ROLE_DIALER, protocols);

  g_return_val_if_fail (core != NULL, NULL);

  SatoriMultistreamLazy *self = g_rc_box_new0 (SatoriMultistreamLazy);
  self->base = g_object_ref (base);
  self->core = core;
  self->protocol = g_strdup (protocol);
  self->unsent = g_bytes_unref_to_array (satori_multistream_poll_transmit_bytes (core));
  self->waiters = g_ptr_array_new ();
  return self;
}

SatoriMultistreamLazy *
satori_multistream_lazy_ref (SatoriMultistreamLazy *self)
{
  return g_rc_box_acquire (self);
}

static void
lazy_clear (gpointer data)
{
  SatoriMultistreamLazy *self = data;

  g_object_unref (self->base);
  satori_multistream_free (self->core);
  g_free (self->protocol);
  g_clear_pointer (&self->unsent, g_byte_array_unref);
  g_clear_error (&self->error);
  /* Each waiter holds a reference. */
  g_assert (self->waiters->len == 0 && self->echo_source == NULL);
  g_ptr_array_unref (self->waiters);
}

void
satori_multistream_lazy_unref (SatoriMultistreamLazy *self)
{
  g_rc_box_release_full (self, lazy_clear);
}

GIOStream *
satori_multistream_lazy_get_base (SatoriMultistreamLazy *self)
{
  return self->base;
}

const char *
satori_multistream_lazy_get_protocol (SatoriMultistreamLazy *self)
{
  return self->protocol;
}

static GInputStream *
base_input (SatoriMultistreamLazy *self)
{
  return g_io_stream_get_input_stream (self->base);
}

static GOutputStream *
base_output (SatoriMultistreamLazy *self)
{
  return g_io_stream_get_output_stream (self->base);
}

static gboolean
check_failed (SatoriMultistreamLazy *self, GError **error)
{
  if (self->error == NULL)
    return FALSE;
  g_propagate_error (error, g_error_copy (self->error));
  return TRUE;
}

/* Drops the first @n unsent bytes, which the base stream took. */
static void
consume_unsent (SatoriMultistreamLazy *self, gsize n)
{
  if (n >= self->unsent->len)
    g_clear_pointer (&self->unsent, g_byte_array_unref);
  else
    g_byte_array_remove_range (self->unsent, 0, n);
}

static gboolean
flush_unsent (SatoriMultistreamLazy *self, gboolean blocking, GCancellable *cancellable,
              GError **error)
{
  while (self->unsent != NULL)
    {
      gssize n = g_pollable_stream_write (base_output (self), self->unsent->data,
                                          self->unsent->len, blocking, cancellable, error);
      if (n < 0)
        return FALSE;
      consume_unsent (self, n);
    }
  return TRUE;
}

/* Completes the waiters once the echo was read or the negotiation failed. */
static void
settle (SatoriMultistreamLazy *self)
{
  if (self->core != NULL && self->error == NULL)
    return;
  if (self->echo_source != NULL)
    {
      g_source_destroy (self->echo_source);
      g_clear_pointer (&self->echo_source, g_source_unref);
    }
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) task = g_ptr_array_index (waiters, i);
      if (self->error != NULL)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
fail_closed (SatoriMultistreamLazy *self)
{
  g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
               "the stream ended before the peer confirmed %s", self->protocol);
  settle (self);
}

/* Feeds bytes read into @buffer to the negotiation; moves what follows
 * the echo to the front of @buffer and returns its length. */
static gssize
take_echo (SatoriMultistreamLazy *self, guint8 *buffer, gsize n, GError **error)
{
  gsize consumed;

  if (!satori_multistream_handle_input (self->core, buffer, n, &consumed, &self->error))
    {
      g_debug ("Lazy negotiation of %s failed: %s", self->protocol, self->error->message);
      settle (self);
      check_failed (self, error);
      return -1;
    }
  if (!satori_multistream_is_done (self->core))
    return 0;
  g_clear_pointer (&self->core, satori_multistream_free);
  settle (self);
  memmove (buffer, buffer + consumed, n - consumed);
  return n - consumed;
}

/**
 * satori_multistream_lazy_read:
 * @self: a negotiation
 * @buffer: (array length=count): where to put what the peer sent after the echo
 * @count: the size of @buffer (> 0)
 * @blocking: whether to wait for the base stream
 * @cancellable: (nullable): a #GCancellable
 * @error: %SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED when the peer refused the
 *   protocol, %G_IO_ERROR_WOULD_BLOCK when not @blocking and nothing is there
 *
 * Sends the proposal if it is still unsent, reads and checks the echo if
 * it was not read yet, then reads application bytes.
 *
 * Returns: the number of bytes read, 0 at the end, -1 on error
 */
gssize
satori_multistream_lazy_read (SatoriMultistreamLazy *self, void *buffer, gsize count,
                              gboolean blocking, GCancellable *cancellable, GError **error)
{
  if (check_failed (self, error) || !flush_unsent (self, blocking, cancellable, error))
    return -1;
  while (self->core != NULL)
    {
      gssize n = g_pollable_stream_read (base_input (self), buffer, count, blocking,
                                         cancellable, error);
      if (n < 0)
        return -1;
      if (n == 0)
        {
          fail_closed (self);
          check_failed (self, error);
          return -1;
        }
      gssize after_echo = take_echo (self, buffer, n, error);
      if (after_echo != 0)
        return after_echo;
    }
  return g_pollable_stream_read (base_input (self), buffer, count, blocking, cancellable, error);
}

/**
 * satori_multistream_lazy_write:
 * @self: a negotiation
 * @buffer: (array length=count): application bytes
 * @count: how many (> 0)
 * @blocking: whether to wait for the base stream
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Writes application bytes; the first write carries the header and the
 * proposal in front of them.
 *
 * Returns: how many of @buffer's bytes were written, or -1 on error
 */
gssize
satori_multistream_lazy_write (SatoriMultistreamLazy *self, const void *buffer, gsize count,
                               gboolean blocking, GCancellable *cancellable, GError **error)
{
  if (check_failed (self, error))
    return -1;
  while (self->unsent != NULL)
    {
      gsize head = self->unsent->len;
      gsize taken = MIN (count, MAX_COALESCED);
      g_autoptr(GByteArray) both = g_byte_array_sized_new (head + taken);

      g_byte_array_append (both, self->unsent->data, head);
      g_byte_array_append (both, buffer, taken);
      gssize n = g_pollable_stream_write (base_output (self), both->data, both->len, blocking,
                                          cancellable, error);
      if (n < 0)
        return -1;
      consume_unsent (self, n);
      if ((gsize) n > head)
        return n - head;
      if (self->unsent != NULL && !blocking)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                               "the proposal is not all written yet");
          return -1;
        }
    }
  return g_pollable_stream_write (base_output (self), buffer, count, blocking, cancellable,
                                  error);
}

/**
 * satori_multistream_lazy_flush:
 * @self: a negotiation
 * @cancellable: (nullable): a #GCancellable
 * @error: a #GError
 *
 * Writes the header and the proposal if they are still unsent, blocking.
 *
 * Returns: %FALSE on error
 */
gboolean
satori_multistream_lazy_flush (SatoriMultistreamLazy *self, GCancellable *cancellable,
                               GError **error)
{
  return flush_unsent (self, TRUE, cancellable, error);
}

/* Reads no further than the echo, so what follows stays for the reader. */
static gboolean
read_echo (GPollableInputStream *input, gpointer user_data)
{
  /* Completing the waiters may drop every other reference. */
  g_autoptr(SatoriMultistreamLazy) self = satori_multistream_lazy_ref (user_data);
  guint8 buf[SATORI_MULTISTREAM_MAX_MESSAGE];

  while (self->core != NULL && self->error == NULL)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (
        input, buf, satori_multistream_get_wanted (self->core), NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n < 0)
        {
          self->error = g_steal_pointer (&error);
          settle (self);
        }
      else if (n == 0)
        fail_closed (self);
      else
        take_echo (self, buf, n, NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
wait_for_echo (SatoriMultistreamLazy *self, GTask *task)
{
  if ((self->core == NULL && self->error == NULL) || !satori_multistream_lazy_can_poll (self))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (self->waiters, task);
  if (self->echo_source != NULL)
    return;
  GPollableInputStream *input = G_POLLABLE_INPUT_STREAM (base_input (self));
  self->echo_source = g_pollable_input_stream_create_source (input, NULL);
  g_source_set_callback (self->echo_source, G_SOURCE_FUNC (read_echo), self, NULL);
  g_source_attach (self->echo_source, g_task_get_context (task));
  /* The echo may be there already. */
  read_echo (input, self);
}

static void
flushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  wait_for_echo (g_task_get_task_data (task), task);
}

/**
 * satori_multistream_lazy_complete_async:
 * @self: a negotiation
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the echo was read, or the negotiation failed
 * @user_data: data for @callback
 *
 * Writes the header and the proposal if they are still unsent, then waits
 * until the echo was read (by the caller's reads or, when none is under
 * way, by reading only the echo), on the thread-default main context.
 * Closing calls it first, so that the end of the stream never overtakes
 * the peer's answer.
 */
void
satori_multistream_lazy_complete_async (SatoriMultistreamLazy *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_multistream_lazy_complete_async);
  g_task_set_task_data (task, satori_multistream_lazy_ref (self),
                        (GDestroyNotify) satori_multistream_lazy_unref);
  if (self->unsent == NULL)
    {
      wait_for_echo (self, task);
      return;
    }
  GByteArray *unsent = g_steal_pointer (&self->unsent);
  g_object_set_data_full (G_OBJECT (task), "unsent", unsent, (GDestroyNotify) g_byte_array_unref);
  g_output_stream_write_all_async (base_output (self), unsent->data, unsent->len,
                                   G_PRIORITY_DEFAULT, cancellable, flushed, task);
}

/**
 * satori_multistream_lazy_complete_finish:
 * @result: the result given to the callback
 * @error: the negotiation's error, or the write's
 *
 * Returns: %TRUE when the peer confirmed the protocol
 */
gboolean
satori_multistream_lazy_complete_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * satori_multistream_lazy_can_poll:
 * @self: a negotiation
 *
 * Returns: whether both halves of the base stream can be polled
 */
gboolean
satori_multistream_lazy_can_poll (SatoriMultistreamLazy *self)
{
  GInputStream *in = base_input (self);
  GOutputStream *out = base_output (self);

  return G_IS_POLLABLE_INPUT_STREAM (in)
         && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (in))
         && G_IS_POLLABLE_OUTPUT_STREAM (out)
         && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (out));
}

/**
 * satori_multistream_lazy_is_readable:
 * @self: a negotiation
 *
 * Returns: whether a read can make progress without blocking: a read
 *   first writes an unsent proposal
 */
gboolean
satori_multistream_lazy_is_readable (SatoriMultistreamLazy *self)
{
  if (self->error != NULL)
    return TRUE;
  if (self->unsent != NULL)
    return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (base_output (self)));
  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base_input (self)));
}

/**
 * satori_multistream_lazy_create_read_source:
 * @self: a negotiation
 *
 * Returns: (transfer full): a source that fires when
 *   satori_multistream_lazy_is_readable() may have become true
 */
GSource *
satori_multistream_lazy_create_read_source (SatoriMultistreamLazy *self)
{
  if (self->error != NULL)
    return g_timeout_source_new (0);
  if (self->unsent != NULL)
    return g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (base_output (self)),
                                                   NULL);
  return g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base_input (self)),
                                                NULL);
}
