/* Tests of the GIO multistream-select adapter over a real socketpair(2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>

#include "satori-errors.h"
#include "satori-multistream-io.h"

#define HEADER "\x13/multistream/1.0.0\n"
#define HEADER_LEN 20

typedef struct
{
  GIOStream *dialer;
  GIOStream *listener;
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
  fixture->dialer = wrap_fd (fds[0]);
  fixture->listener = wrap_fd (fds[1]);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->dialer);
  g_clear_object (&fixture->listener);
}

/* The outcome of one side's negotiation. */
typedef struct
{
  gboolean finished;
  char *selected;
  GError *error;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_free (outcome->selected);
  g_clear_error (&outcome->error);
}

static void
select_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->selected = satori_multistream_select_finish (G_IO_STREAM (source), result,
                                                        &outcome->error);
  outcome->finished = TRUE;
}

static void
handle_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  outcome->selected = satori_multistream_handle_finish (G_IO_STREAM (source), result,
                                                        &outcome->error);
  outcome->finished = TRUE;
}

static void
wait_for (Outcome *outcome)
{
  while (!outcome->finished)
    g_main_context_iteration (NULL, TRUE);
}

static void
write_raw (GIOStream *stream, const char *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), data, len, NULL, NULL,
                             &error);
  g_assert_no_error (error);
}

/* Reads exactly @len bytes and checks them against @expected. */
static void
expect_raw (GIOStream *stream, const char *expected, gsize len)
{
  g_autofree char *buf = g_malloc (len);
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  g_input_stream_read_all (g_io_stream_get_input_stream (stream), buf, len, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buf, n, expected, len);
}

static void
negotiate (Fixture *fixture, const char * const *dialer_protocols,
           const char * const *listener_protocols, Outcome *dialer, Outcome *listener)
{
  satori_multistream_handle_async (fixture->listener, listener_protocols, NULL,
                                   handle_done, listener);
  satori_multistream_select_async (fixture->dialer, dialer_protocols, NULL,
                                   select_done, dialer);
  wait_for (dialer);
  wait_for (listener);
}

static void
test_select (Fixture *fixture, gconstpointer data)
{
  const char *dialer_protocols[] = { "/noise", NULL };
  const char *listener_protocols[] = { "/tls/1.0.0", "/noise", NULL };
  Outcome dialer = { 0 }, listener = { 0 };

  g_test_summary ("Both adapters on one main context agree on the shared protocol, and "
                  "the bytes each side writes next arrive intact");
  negotiate (fixture, dialer_protocols, listener_protocols, &dialer, &listener);
  g_assert_no_error (dialer.error);
  g_assert_no_error (listener.error);
  g_assert_cmpstr (dialer.selected, ==, "/noise");
  g_assert_cmpstr (listener.selected, ==, "/noise");

  write_raw (fixture->dialer, "ping", 4);
  expect_raw (fixture->listener, "ping", 4);
  write_raw (fixture->listener, "pong!", 5);
  expect_raw (fixture->dialer, "pong!", 5);
  outcome_clear (&dialer);
  outcome_clear (&listener);
}

static void
test_fallback (Fixture *fixture, gconstpointer data)
{
  const char *dialer_protocols[] = { "/yamux/1.0.0", "/mplex/6.7.0", NULL };
  const char *listener_protocols[] = { "/mplex/6.7.0", NULL };
  Outcome dialer = { 0 }, listener = { 0 };

  g_test_summary ("The dialer falls back to its second protocol after \"na\"");
  negotiate (fixture, dialer_protocols, listener_protocols, &dialer, &listener);
  g_assert_no_error (dialer.error);
  g_assert_no_error (listener.error);
  g_assert_cmpstr (dialer.selected, ==, "/mplex/6.7.0");
  g_assert_cmpstr (listener.selected, ==, "/mplex/6.7.0");
  outcome_clear (&dialer);
  outcome_clear (&listener);
}

static void
test_not_supported (Fixture *fixture, gconstpointer data)
{
  const char *dialer_protocols[] = { "/a/1", "/b/1", NULL };
  const char *listener_protocols[] = { "/c/1", NULL };
  Outcome dialer = { 0 }, listener = { 0 };
  g_autoptr(GError) error = NULL;

  g_test_summary ("With no common protocol the dialer fails with NOT_SUPPORTED; when it "
                  "then closes, the listener fails with CONNECTION_CLOSED");
  satori_multistream_handle_async (fixture->listener, listener_protocols, NULL,
                                   handle_done, &listener);
  satori_multistream_select_async (fixture->dialer, dialer_protocols, NULL,
                                   select_done, &dialer);
  wait_for (&dialer);
  g_assert_error (dialer.error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_assert_null (dialer.selected);
  g_assert_false (listener.finished);

  g_io_stream_close (fixture->dialer, NULL, &error);
  g_assert_no_error (error);
  wait_for (&listener);
  g_assert_error (listener.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  outcome_clear (&dialer);
  outcome_clear (&listener);
}

static void
test_bytes_after_proposal (Fixture *fixture, gconstpointer data)
{
  const char *protocols[] = { "/noise", NULL };
  Outcome listener = { 0 };
  static const char lazy[] = HEADER "\x07/noise\n" "APPLICATION DATA";

  g_test_summary ("A lazy dialer's data, in the same write as its proposal, is left "
                  "unread by the listener for the next layer");
  write_raw (fixture->dialer, lazy, sizeof lazy - 1);
  satori_multistream_handle_async (fixture->listener, protocols, NULL, handle_done, &listener);
  wait_for (&listener);
  g_assert_no_error (listener.error);
  g_assert_cmpstr (listener.selected, ==, "/noise");

  expect_raw (fixture->dialer, HEADER "\x07/noise\n", HEADER_LEN + 8);
  expect_raw (fixture->listener, "APPLICATION DATA", 16);
  outcome_clear (&listener);
}

static void
test_bytes_after_echo (Fixture *fixture, gconstpointer data)
{
  const char *protocols[] = { "/yamux/1.0.0", NULL };
  Outcome dialer = { 0 };
  static const char answer[] = HEADER "\x0d/yamux/1.0.0\n" "\x00\x01\x02\x03";

  g_test_summary ("Bytes the listener sends right behind its echo are left unread by the "
                  "dialer for the next layer");
  write_raw (fixture->listener, answer, sizeof answer - 1);
  satori_multistream_select_async (fixture->dialer, protocols, NULL, select_done, &dialer);
  wait_for (&dialer);
  g_assert_no_error (dialer.error);
  g_assert_cmpstr (dialer.selected, ==, "/yamux/1.0.0");

  expect_raw (fixture->listener, HEADER "\x0d/yamux/1.0.0\n", HEADER_LEN + 14);
  expect_raw (fixture->dialer, "\x00\x01\x02\x03", 4);
  outcome_clear (&dialer);
}

static void
test_protocol_error (Fixture *fixture, gconstpointer data)
{
  const char *protocols[] = { "/noise", NULL };
  Outcome dialer = { 0 };

  g_test_summary ("A peer that answers with something other than multistream-select "
                  "fails the dialer with a PROTOCOL error");
  write_raw (fixture->listener, "\x05HTTP/", 6);
  satori_multistream_select_async (fixture->dialer, protocols, NULL, select_done, &dialer);
  wait_for (&dialer);
  g_assert_error (dialer.error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL);
  outcome_clear (&dialer);
}

static void
test_closed (Fixture *fixture, gconstpointer data)
{
  const char *protocols[] = { "/noise", NULL };
  Outcome dialer = { 0 };
  g_autoptr(GError) error = NULL;

  g_test_summary ("A peer that stops sending mid-message fails the dialer with "
                  "CONNECTION_CLOSED");
  write_raw (fixture->listener, HEADER "\x07/no", HEADER_LEN + 4);
  /* Half-close, so the dialer's own write still succeeds. */
  g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (fixture->listener)),
                     FALSE, TRUE, &error);
  g_assert_no_error (error);
  satori_multistream_select_async (fixture->dialer, protocols, NULL, select_done, &dialer);
  wait_for (&dialer);
  g_assert_error (dialer.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  outcome_clear (&dialer);
}

static void
test_cancel (Fixture *fixture, gconstpointer data)
{
  const char *protocols[] = { "/noise", NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome dialer = { 0 };

  g_test_summary ("Cancelling while waiting for a silent peer fails with CANCELLED");
  satori_multistream_select_async (fixture->dialer, protocols, cancellable, select_done,
                                   &dialer);
  /* Let the proposal go out and the read start. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (dialer.finished);
  g_cancellable_cancel (cancellable);
  wait_for (&dialer);
  g_assert_error (dialer.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  expect_raw (fixture->listener, HEADER "\x07/noise\n", HEADER_LEN + 8);
  outcome_clear (&dialer);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/multistream/io/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("select", test_select);
  ADD ("fallback", test_fallback);
  ADD ("not-supported", test_not_supported);
  ADD ("bytes-after-proposal", test_bytes_after_proposal);
  ADD ("bytes-after-echo", test_bytes_after_echo);
  ADD ("protocol-error", test_protocol_error);
  ADD ("closed", test_closed);
  ADD ("cancel", test_cancel);
#undef ADD

  return g_test_run ();
}
