/* Tests of the in-memory GIOStream pair.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-pipe.h"

#define IN(stream) g_io_stream_get_input_stream (stream)
#define OUT(stream) g_io_stream_get_output_stream (stream)

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Runs the default context without blocking, a few times. */
static void
spin (void)
{
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
}

static gssize
read_now (GIOStream *stream, void *buffer, gsize size)
{
  g_autoptr(GError) error = NULL;
  gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (IN (stream)),
                                                       buffer, size, NULL, &error);
  g_assert_no_error (error);
  return n;
}

static gssize
write_now (GIOStream *stream, const void *data, gsize size)
{
  g_autoptr(GError) error = NULL;
  gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (OUT (stream)),
                                                         data, size, NULL, &error);
  g_assert_no_error (error);
  return n;
}

static gssize
read_async (GIOStream *stream, void *buffer, gsize size, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_input_stream_read_async (IN (stream), buffer, size, G_PRIORITY_DEFAULT, NULL,
                             store_result, &result);
  return g_input_stream_read_finish (IN (stream), wait_for (&result), error);
}

static void
write_all_async (GIOStream *stream, const void *data, gsize size)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gsize written;

  g_output_stream_write_all_async (OUT (stream), data, size, G_PRIORITY_DEFAULT, NULL,
                                   store_result, &result);
  g_output_stream_write_all_finish (OUT (stream), wait_for (&result), &written, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, size);
}

static void
test_async_both_ways (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[16];

  satori_pipe_new_pair (1024, &a, &b);
  g_assert_true (G_IS_POLLABLE_INPUT_STREAM (IN (a)));
  g_assert_true (G_IS_POLLABLE_OUTPUT_STREAM (OUT (a)));
  g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (IN (a))));

  /* A read started before the data arrives. */
  g_autoptr(GAsyncResult) pending = NULL;
  g_input_stream_read_async (IN (b), buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &pending);
  spin ();
  g_assert_null (pending);
  write_all_async (a, "hello", 5);
  gssize n = g_input_stream_read_finish (IN (b), wait_for (&pending), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, "hello", 5);

  write_all_async (b, "world!", 6);
  n = read_async (a, buffer, sizeof buffer, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, "world!", 6);
}

/* --- large transfer --- */

typedef struct {
  GOutputStream *out;
  const guint8 *data;
  gsize len;
  gsize sent;
  gboolean done;
} Writer;

typedef struct {
  GInputStream *in;
  guint8 buffer[37 * 1024];
  GChecksum *checksum;
  gsize received;
  gboolean done;
} Reader;

static void writer_next (Writer *writer);

static void
writer_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;

  g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
  writer->done = TRUE;
}

static void
writer_wrote (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;
  gsize written;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error);
  g_assert_no_error (error);
  writer->sent += written;
  writer_next (writer);
}

/* Chunks bigger than the pipe, of changing sizes. */
static void
writer_next (Writer *writer)
{
  if (writer->sent == writer->len)
    {
      g_output_stream_close_async (writer->out, G_PRIORITY_DEFAULT, NULL, writer_closed, writer);
      return;
    }
  gsize chunk = MIN (100000 + writer->sent % 50000, writer->len - writer->sent);
  g_output_stream_write_all_async (writer->out, writer->data + writer->sent, chunk,
                                   G_PRIORITY_DEFAULT, NULL, writer_wrote, writer);
}

static void reader_next (Reader *reader);

static void
reader_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  g_assert_no_error (error);
  if (n == 0)
    {
      reader->done = TRUE;
      return;
    }
  g_checksum_update (reader->checksum, reader->buffer, n);
  reader->received += (gsize) n;
  reader_next (reader);
}

static void
reader_next (Reader *reader)
{
  g_input_stream_read_async (reader->in, reader->buffer, sizeof reader->buffer,
                             G_PRIORITY_DEFAULT, NULL, reader_read, reader);
}

static guint8 *
random_data (gsize len, guint32 seed, char **sha256)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  return data;
}

static void
test_large_transfer (void)
{
  const gsize len = 8 * 1024 * 1024;
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autofree char *sum_ab = NULL;
  g_autofree char *sum_ba = NULL;
  g_autofree guint8 *data_ab = random_data (len, 1, &sum_ab);
  g_autofree guint8 *data_ba = random_data (len, 2, &sum_ba);

  satori_pipe_new_pair (64 * 1024, &a, &b);

  Writer writer_ab = { OUT (a), data_ab, len, 0, FALSE };
  Writer writer_ba = { OUT (b), data_ba, len, 0, FALSE };
  g_autofree Reader *reader_ab = g_new0 (Reader, 1);
  g_autofree Reader *reader_ba = g_new0 (Reader, 1);
  reader_ab->in = IN (b);
  reader_ab->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  reader_ba->in = IN (a);
  reader_ba->checksum = g_checksum_new (G_CHECKSUM_SHA256);

  writer_next (&writer_ab);
  writer_next (&writer_ba);
  reader_next (reader_ab);
  reader_next (reader_ba);
  while (!writer_ab.done || !writer_ba.done || !reader_ab->done || !reader_ba->done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (reader_ab->received, ==, len);
  g_assert_cmpuint (reader_ba->received, ==, len);
  g_assert_cmpstr (g_checksum_get_string (reader_ab->checksum), ==, sum_ab);
  g_assert_cmpstr (g_checksum_get_string (reader_ba->checksum), ==, sum_ba);
  g_checksum_free (reader_ab->checksum);
  g_checksum_free (reader_ba->checksum);
}

static void
test_backpressure (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  GPollableOutputStream *out;
  char buffer[32];

  satori_pipe_new_pair (16, &a, &b);
  out = G_POLLABLE_OUTPUT_STREAM (OUT (a));

  g_assert_true (g_pollable_output_stream_is_writable (out));
  g_assert_cmpint (write_now (a, "0123456789abcdefghij", 20), ==, 16);
  g_assert_false (g_pollable_output_stream_is_writable (out));
  gssize n = g_pollable_output_stream_write_nonblocking (out, "x", 1, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_cmpint (n, ==, -1);
  g_clear_error (&error);

  /* An async write waits for room... */
  g_autoptr(GAsyncResult) result = NULL;
  g_output_stream_write_async (OUT (a), "KLMNOPQRST", 10, G_PRIORITY_DEFAULT, NULL,
                               store_result, &result);
  spin ();
  g_assert_null (result);

  /* ...and takes what fits when the reader frees some. */
  g_assert_cmpint (read_now (b, buffer, 6), ==, 6);
  g_assert_cmpmem (buffer, 6, "012345", 6);
  n = g_output_stream_write_finish (OUT (a), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 6);

  g_assert_cmpint (read_now (b, buffer, sizeof buffer), ==, 16);
  g_assert_cmpmem (buffer, 16, "6789abcdefKLMNOP", 16);
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (IN (b)), buffer,
                                                sizeof buffer, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_assert_cmpint (n, ==, -1);
}

static void
test_half_close (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[16];

  satori_pipe_new_pair (64, &a, &b);
  write_all_async (a, "abc", 3);
  g_output_stream_close (OUT (a), NULL, &error);
  g_assert_no_error (error);

  /* The buffered bytes first, then end-of-file, and again. */
  gssize n = read_async (b, buffer, sizeof buffer, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, "abc", 3);
  g_assert_cmpint (read_async (b, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (read_now (b, buffer, sizeof buffer), ==, 0);

  /* The other direction still works. */
  write_all_async (b, "back", 4);
  n = read_async (a, buffer, sizeof buffer, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, "back", 4);
}

static void
test_broken_pipe (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;

  satori_pipe_new_pair (4, &a, &b);

  /* A write waiting for room when the reader goes away. */
  g_assert_cmpint (write_now (a, "full", 4), ==, 4);
  g_autoptr(GAsyncResult) result = NULL;
  g_output_stream_write_async (OUT (a), "more", 4, G_PRIORITY_DEFAULT, NULL,
                               store_result, &result);
  spin ();
  g_assert_null (result);
  g_input_stream_close (IN (b), NULL, &error);
  g_assert_no_error (error);
  gssize n = g_output_stream_write_finish (OUT (a), wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpint (n, ==, -1);
  g_clear_error (&error);

  /* Every kind of write fails the same way, and the writer can poll it. */
  g_assert_true (g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (OUT (a))));
  n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (OUT (a)), "x", 1,
                                                  NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_clear_error (&error);
  n = g_output_stream_write (OUT (a), "x", 1, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpint (n, ==, -1);
}

static void
test_close_pending_read (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[8];

  satori_pipe_new_pair (64, &a, &b);

  /* Closing the reader's own GIOStream under a pending read. */
  g_autoptr(GAsyncResult) result = NULL;
  g_input_stream_read_async (IN (a), buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &result);
  spin ();
  g_assert_null (result);
  g_io_stream_close (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_io_stream_is_closed (a));
  gssize n = g_input_stream_read_finish (IN (a), wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpint (n, ==, -1);
  g_clear_error (&error);

  /* Both halves of A are gone for B. */
  g_assert_cmpint (read_async (b, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
  n = g_output_stream_write (OUT (b), "x", 1, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

static void
test_peer_dropped (void)
{
  g_autoptr(GIOStream) a = NULL;
  GIOStream *b = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[8];

  satori_pipe_new_pair (64, &a, &b);
  g_autoptr(GAsyncResult) result = NULL;
  g_input_stream_read_async (IN (a), buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &result);
  spin ();
  g_object_unref (b);
  gssize n = g_input_stream_read_finish (IN (a), wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
}

static void
test_close_async (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) out_result = NULL;
  char buffer[8];

  satori_pipe_new_pair (64, &a, &b);
  g_output_stream_close_async (OUT (b), G_PRIORITY_DEFAULT, NULL, store_result, &out_result);
  g_assert_true (g_output_stream_close_finish (OUT (b), wait_for (&out_result), &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_is_closed (OUT (b)));

  g_io_stream_close_async (a, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  g_assert_true (g_io_stream_close_finish (a, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_true (g_input_stream_is_closed (IN (a)));
  g_assert_true (g_output_stream_is_closed (OUT (a)));
  g_assert_cmpint (read_async (b, buffer, sizeof buffer, &error), ==, 0);
  g_assert_no_error (error);
}

/* --- pollable sources --- */

typedef struct {
  guint fired;
  gssize last;
} SourceState;

static gboolean
on_readable (GObject *stream, gpointer user_data)
{
  SourceState *state = user_data;
  char buffer[64];
  g_autoptr(GError) error = NULL;

  state->fired++;
  state->last = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                          buffer, sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  return state->last > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
on_writable (GObject *stream, gpointer user_data)
{
  SourceState *state = user_data;
  g_autoptr(GError) error = NULL;

  state->fired++;
  state->last = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (stream),
                                                            "w", 1, NULL, &error);
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GObject *stream, gpointer user_data)
{
  SourceState *state = user_data;

  state->fired++;
  return G_SOURCE_REMOVE;
}

static void
test_pollable_sources (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  SourceState in_state = { 0 }, out_state = { 0 }, cancel_state = { 0 };
  char buffer[8];

  satori_pipe_new_pair (8, &a, &b);

  g_autoptr(GSource) in_source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (IN (b)), NULL);
  g_source_set_callback (in_source, G_SOURCE_FUNC (on_readable), &in_state, NULL);
  g_source_attach (in_source, NULL);
  spin ();
  g_assert_cmpuint (in_state.fired, ==, 0);

  /* Fires once per arrival: no busy loop once drained. */
  write_now (a, "xyz", 3);
  while (in_state.fired < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (in_state.last, ==, 3);
  spin ();
  g_assert_cmpuint (in_state.fired, ==, 1);
  write_now (a, "uv", 2);
  while (in_state.fired < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (in_state.last, ==, 2);

  /* End-of-file makes it readable too. */
  g_output_stream_close (OUT (a), NULL, &error);
  g_assert_no_error (error);
  while (in_state.fired < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (in_state.last, ==, 0);
  g_assert_true (g_source_is_destroyed (in_source));

  /* Writable once the reader makes room. */
  g_assert_cmpint (write_now (b, "12345678", 8), ==, 8);
  g_autoptr(GSource) out_source =
    g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (OUT (b)), NULL);
  g_source_set_callback (out_source, G_SOURCE_FUNC (on_writable), &out_state, NULL);
  g_source_attach (out_source, NULL);
  spin ();
  g_assert_cmpuint (out_state.fired, ==, 0);
  g_assert_cmpint (read_now (a, buffer, 3), ==, 3);
  while (out_state.fired < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (out_state.last, ==, 1);

  /* The cancellable wakes a source that would otherwise sleep. */
  g_assert_cmpint (write_now (b, "12345678", 8), ==, 2);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) cancel_source =
    g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (OUT (b)), cancellable);
  g_source_set_callback (cancel_source, G_SOURCE_FUNC (on_cancelled), &cancel_state, NULL);
  g_source_attach (cancel_source, NULL);
  spin ();
  g_assert_cmpuint (cancel_state.fired, ==, 0);
  g_cancellable_cancel (cancellable);
  while (cancel_state.fired < 1)
    g_main_context_iteration (NULL, TRUE);
}

/* A source on a context of its own thread is woken by writes from here. */
typedef struct {
  GIOStream *stream;
  GMainContext *context;
  gsize received;
} ThreadReader;

static gboolean
thread_on_readable (GObject *stream, gpointer user_data)
{
  ThreadReader *reader = user_data;
  char buffer[1024];
  g_autoptr(GError) error = NULL;
  gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                       buffer, sizeof buffer, NULL, &error);

  g_assert_no_error (error);
  reader->received += (gsize) n;
  return n > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gpointer
source_thread (gpointer user_data)
{
  ThreadReader *reader = user_data;
  g_autoptr(GSource) source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (IN (reader->stream)), NULL);

  g_main_context_push_thread_default (reader->context);
  g_source_set_callback (source, G_SOURCE_FUNC (thread_on_readable), reader, NULL);
  g_source_attach (source, reader->context);
  while (!g_source_is_destroyed (source))
    g_main_context_iteration (reader->context, TRUE);
  g_main_context_pop_thread_default (reader->context);
  return NULL;
}

static void
test_thread_source_wakeup (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  ThreadReader reader = { NULL, context, 0 };
  const gsize total = 256 * 1024;
  g_autofree guint8 *data = g_malloc0 (total);

  satori_pipe_new_pair (4096, &a, &b);
  reader.stream = b;
  GThread *thread = g_thread_new ("pipe-source", source_thread, &reader);

  /* Blocking writes from this thread, reads on the other's context. */
  gsize written;
  g_output_stream_write_all (OUT (a), data, total, &written, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (OUT (a), NULL, &error);
  g_assert_no_error (error);
  g_thread_join (thread);
  g_assert_cmpuint (reader.received, ==, total);
}

/* --- blocking calls across threads --- */

typedef struct {
  GIOStream *stream;
  GCancellable *cancellable;
  GChecksum *checksum;
  gsize received;
  GError *error;
} BlockingReader;

static gpointer
blocking_reader_thread (gpointer user_data)
{
  BlockingReader *reader = user_data;
  guint8 buffer[3000];
  gssize n;

  while ((n = g_input_stream_read (IN (reader->stream), buffer, sizeof buffer,
                                   reader->cancellable, &reader->error)) > 0)
    {
      g_checksum_update (reader->checksum, buffer, n);
      reader->received += (gsize) n;
    }
  return NULL;
}

static void
test_thread_blocking_reader (void)
{
  const gsize len = 1024 * 1024;
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree guint8 *data = random_data (len, 3, &expected);
  BlockingReader reader = { 0 };

  satori_pipe_new_pair (4096, &a, &b);
  reader.stream = b;
  reader.checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GThread *thread = g_thread_new ("pipe-reader", blocking_reader_thread, &reader);

  write_all_async (a, data, len);
  g_output_stream_close (OUT (a), NULL, &error);
  g_assert_no_error (error);
  g_thread_join (thread);

  g_assert_no_error (reader.error);
  g_assert_cmpuint (reader.received, ==, len);
  g_assert_cmpstr (g_checksum_get_string (reader.checksum), ==, expected);
  g_checksum_free (reader.checksum);
}

static void
test_thread_blocking_cancel (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  BlockingReader reader = { 0 };

  satori_pipe_new_pair (64, &a, &b);
  reader.stream = b;
  reader.cancellable = cancellable;
  reader.checksum = g_checksum_new (G_CHECKSUM_SHA256);
  GThread *thread = g_thread_new ("pipe-cancel", blocking_reader_thread, &reader);

  g_usleep (50 * 1000);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);
  g_assert_error (reader.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (reader.received, ==, 0);
  g_clear_error (&reader.error);
  g_checksum_free (reader.checksum);
}

static void
test_sync_same_thread (void)
{
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[8];
  gsize n;

  /* Synchronous calls return at once when they can make progress. */
  satori_pipe_new_pair (8, &a, &b);
  g_assert_true (g_output_stream_write_all (OUT (a), "sync", 4, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all (IN (b), buffer, 4, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, "sync", 4);
  g_io_stream_close (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (IN (b), buffer, sizeof buffer, NULL, &error), ==, 0);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("The in-memory GIOStream pair");

  g_test_add_func ("/pipe/async/both-ways", test_async_both_ways);
  g_test_add_func ("/pipe/async/large-transfer", test_large_transfer);
  g_test_add_func ("/pipe/async/backpressure", test_backpressure);
  g_test_add_func ("/pipe/close/half-close", test_half_close);
  g_test_add_func ("/pipe/close/broken-pipe", test_broken_pipe);
  g_test_add_func ("/pipe/close/pending-read", test_close_pending_read);
  g_test_add_func ("/pipe/close/peer-dropped", test_peer_dropped);
  g_test_add_func ("/pipe/close/async", test_close_async);
  g_test_add_func ("/pipe/pollable/sources", test_pollable_sources);
  g_test_add_func ("/pipe/thread/source-wakeup", test_thread_source_wakeup);
  g_test_add_func ("/pipe/thread/blocking-reader", test_thread_blocking_reader);
  g_test_add_func ("/pipe/thread/blocking-cancel", test_thread_blocking_cancel);
  g_test_add_func ("/pipe/sync/same-thread", test_sync_same_thread);
  return g_test_run ();
}
