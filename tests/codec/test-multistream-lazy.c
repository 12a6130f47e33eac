/* Tests of the lazy multistream-select dialer (SatoriMultistreamLazyStream)
 * over a real socketpair(2), against raw bytes and against the listener
 * adapter.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>

#include "satori-errors.h"
#include "satori-multistream-io.h"
#include "satori-multistream-lazy-stream.h"
#include "satori-test-util.h"

#define HEADER "\x13/multistream/1.0.0\n"
#define PROPOSAL "\x07/echo1\n"
#define NEGOTIATION HEADER PROPOSAL
#define NEGOTIATION_LEN (sizeof NEGOTIATION - 1)

typedef struct
{
  GIOStream *dialer;    /* the lazy stream */
  GIOStream *listener;  /* the raw other end */
} Fixture;

static GIOStream *
wrap_fd (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, &error);

  g_assert_no_error (error);
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  int fds[2];

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  g_autoptr(GIOStream) raw = wrap_fd (fds[0]);
  fixture->dialer = satori_multistream_lazy_stream_new (raw, "/echo1");
  fixture->listener = wrap_fd (fds[1]);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->dialer);
  g_clear_object (&fixture->listener);
}

static GInputStream *
input (GIOStream *stream)
{
  return g_io_stream_get_input_stream (stream);
}

static GOutputStream *
output (GIOStream *stream)
{
  return g_io_stream_get_output_stream (stream);
}

static void
write_all (GIOStream *stream, const char *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (output (stream), data, len, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Reads exactly @len bytes and checks them against @expected. */
static void
expect_all (GIOStream *stream, const char *expected, gsize len)
{
  g_autofree char *buf = g_malloc (len);
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  g_input_stream_read_all (input (stream), buf, len, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, n, expected, len);
}

/* Half-closes @stream: the other end reads to its end. */
static void
shutdown_write (GIOStream *stream)
{
  g_autoptr(GError) error = NULL;

  g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)), FALSE, TRUE,
                     &error);
  g_assert_no_error (error);
}

/* One asynchronous (pollable) read of up to @count bytes. */
static gssize
read_async (GIOStream *stream, void *buf, gsize count, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_input_stream_read_async (input (stream), buf, count, G_PRIORITY_DEFAULT, NULL,
                             satori_test_store_result, &result);
  return g_input_stream_read_finish (input (stream), satori_test_wait (&result), error);
}

static void
test_proposal_with_data (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char buf[256];

  g_test_summary ("The first write carries the header and the proposal in front of the "
                  "data, in one write of the base stream; later writes pass through");
  g_assert_cmpint (g_output_stream_write (output (fixture->dialer), "hello", 5, NULL, &error),
                   ==, 5);
  g_assert_no_error (error);

  /* One write on a socketpair arrives as one read. */
  gssize n = g_input_stream_read (input (fixture->listener), buf, sizeof buf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, n, NEGOTIATION "hello", NEGOTIATION_LEN + 5);

  write_all (fixture->dialer, "again", 5);
  expect_all (fixture->listener, "again", 5);
}

static void
test_echo_then_data (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char buf[64];

  g_test_summary ("The echo is checked and dropped; the bytes behind it in the same "
                  "segment are the first the application reads");
  write_all (fixture->listener, NEGOTIATION "DATA", NEGOTIATION_LEN + 4);
  gssize n = g_input_stream_read (input (fixture->dialer), buf, sizeof buf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, n, "DATA", 4);
  /* Reading flushed the proposal, never written by the application. */
  expect_all (fixture->listener, NEGOTIATION, NEGOTIATION_LEN);
}

static void
test_partial_reads (Fixture *fixture, gconstpointer data)
{
  static const char answer[] = NEGOTIATION "xyz";
  g_autoptr(GError) error = NULL;
  GString *got = g_string_new (NULL);
  char buf[2];

  g_test_summary ("An echo that arrives a byte at a time, read asynchronously two bytes at "
                  "a time, still yields exactly the data behind it");
  write_all (fixture->dialer, "q", 1);
  for (gsize i = 0; i < sizeof answer - 1; i++)
    write_all (fixture->listener, answer + i, 1);
  shutdown_write (fixture->listener);

  gssize n;
  while ((n = read_async (fixture->dialer, buf, sizeof buf, &error)) > 0)
    g_string_append_len (got, buf, n);
  g_assert_no_error (error);
  g_assert_cmpstr (got->str, ==, "xyz");
  g_string_free (got, TRUE);
}

static void
test_refused (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char buf[16];

  g_test_summary ("An \"na\" fails the first read with NOT_SUPPORTED, and every later read "
                  "and write");
  write_all (fixture->dialer, "hi", 2);
  write_all (fixture->listener, HEADER "\x03na\n", sizeof HEADER - 1 + 4);

  g_assert_cmpint (read_async (fixture->dialer, buf, sizeof buf, &error), ==, -1);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "/echo1"));
  g_clear_error (&error);

  g_assert_cmpint (g_output_stream_write (output (fixture->dialer), "x", 1, NULL, &error), ==, -1);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (g_input_stream_read (input (fixture->dialer), buf, 1, NULL, &error), ==, -1);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
}

static void
test_protocol_error (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char buf[16];

  g_test_summary ("An answer that is not multistream-select fails the read with PROTOCOL");
  write_all (fixture->listener, "\x05HTTP/", 6);
  g_assert_cmpint (read_async (fixture->dialer, buf, sizeof buf, &error), ==, -1);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL);
}

static void
test_closed_before_echo (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char buf[16];

  g_test_summary ("A peer that ends the stream inside the echo fails the read with "
                  "CONNECTION_CLOSED, not an end of stream");
  write_all (fixture->listener, HEADER "\x07/ec", sizeof HEADER - 1 + 4);
  shutdown_write (fixture->listener);
  g_assert_cmpint (read_async (fixture->dialer, buf, sizeof buf, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
test_close_waits_for_echo (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char buf[64];

  g_test_summary ("Closing sends the proposal and the data at once, but the end of the "
                  "stream only after the echo");
  write_all (fixture->dialer, "x", 1);
  g_output_stream_close_async (output (fixture->dialer), G_PRIORITY_DEFAULT, NULL,
                               satori_test_store_result, &result);
  expect_all (fixture->listener, NEGOTIATION "x", NEGOTIATION_LEN + 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (result);
  g_assert_false (g_socket_condition_check (
    g_socket_connection_get_socket (G_SOCKET_CONNECTION (fixture->listener)), G_IO_IN));

  write_all (fixture->listener, NEGOTIATION, NEGOTIATION_LEN);
  g_assert_true (g_output_stream_close_finish (output (fixture->dialer),
                                               satori_test_wait (&result), &error));
  g_assert_no_error (error);
  /* A socket's output stream does not shut the socket down: close the base. */
  g_io_stream_close (fixture->dialer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (input (fixture->listener), buf, sizeof buf, NULL, &error),
                   ==, 0);
  g_assert_no_error (error);
}

static void
test_close_sends_proposal (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char buf[64];

  g_test_summary ("Closing a stream never written still sends the proposal, then the end "
                  "once the peer answered (here: refused)");
  g_io_stream_close_async (fixture->dialer, G_PRIORITY_DEFAULT, NULL, satori_test_store_result,
                           &result);
  expect_all (fixture->listener, NEGOTIATION, NEGOTIATION_LEN);
  write_all (fixture->listener, HEADER "\x03na\n", sizeof HEADER - 1 + 4);
  g_assert_true (g_io_stream_close_finish (fixture->dialer, satori_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_input_stream_read (input (fixture->listener), buf, sizeof buf, NULL, &error),
                   ==, 0);
  g_assert_no_error (error);
}

static void
test_against_listener (Fixture *fixture, gconstpointer data)
{
  const char *protocols[] = { "/other/1", "/echo1", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char buf[16];

  g_test_summary ("Against the listener adapter: the data written with the proposal "
                  "reaches the listener's protocol, and its answer the dialer");
  satori_multistream_handle_async (fixture->listener, protocols, NULL, satori_test_store_result,
                                   &result);
  g_output_stream_write_all_async (output (fixture->dialer), "ping", 4, G_PRIORITY_DEFAULT, NULL,
                                   NULL, NULL);
  g_autofree char *selected = satori_multistream_handle_finish (fixture->listener,
                                                                satori_test_wait (&result),
                                                                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (selected, ==, "/echo1");
  expect_all (fixture->listener, "ping", 4);

  write_all (fixture->listener, "pong", 4);
  g_assert_cmpint (read_async (fixture->dialer, buf, sizeof buf, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, 4, "pong", 4);
  g_assert_cmpstr (satori_multistream_lazy_stream_get_protocol (
                     SATORI_MULTISTREAM_LAZY_STREAM (fixture->dialer)), ==, "/echo1");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/multistream/lazy/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("proposal-with-data", test_proposal_with_data);
  ADD ("echo-then-data", test_echo_then_data);
  ADD ("partial-reads", test_partial_reads);
  ADD ("refused", test_refused);
  ADD ("protocol-error", test_protocol_error);
  ADD ("closed-before-echo", test_closed_before_echo);
  ADD ("close-waits-for-echo", test_close_waits_for_echo);
  ADD ("close-sends-proposal", test_close_sends_proposal);
  ADD ("against-listener", test_against_listener);
#undef ADD

  return g_test_run ();
}
