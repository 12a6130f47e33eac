/* Tests of the sans-I/O multistream-select core: two cores talk through
 * in-memory buffers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-errors.h"
#include "satori-frame.h"
#include "satori-multistream.h"

#define HEADER "\x13/multistream/1.0.0\n"
#define HEADER_LEN 20

/* One side of a negotiation: its core, the bytes it received but did not
 * consume, and how it failed. */
typedef struct
{
  SatoriMultistream *ms;
  GByteArray *inbox;
  GError *error;
} Peer;

static void
peer_init (Peer *peer, SatoriMultistreamRole role, const char * const *protocols)
{
  peer->ms = satori_multistream_new (role, protocols);
  g_assert_nonnull (peer->ms);
  peer->inbox = g_byte_array_new ();
  peer->error = NULL;
}

static void
peer_clear (Peer *peer)
{
  satori_multistream_free (peer->ms);
  g_byte_array_unref (peer->inbox);
  g_clear_error (&peer->error);
}

/* Feeds @to everything waiting in its inbox; returns how much it took. */
static gsize
peer_feed (Peer *to)
{
  gsize consumed = 0;

  if (to->error != NULL)
    return 0;
  satori_multistream_handle_input (to->ms, to->inbox->data, to->inbox->len, &consumed,
                                   &to->error);
  g_assert_cmpuint (consumed, <=, to->inbox->len);
  g_byte_array_remove_range (to->inbox, 0, consumed);
  return consumed;
}

/* Moves what @from has to send into @to's inbox; returns the byte count. */
static gsize
peer_send (Peer *from, Peer *to)
{
  g_autoptr(GBytes) bytes = satori_multistream_poll_transmit_bytes (from->ms);

  if (bytes == NULL)
    return 0;
  g_byte_array_append (to->inbox, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return g_bytes_get_size (bytes);
}

/* Exchanges bytes until neither side has anything to send or consume. */
static void
run (Peer *dialer, Peer *listener)
{
  gboolean progress = TRUE;

  while (progress)
    {
      progress = FALSE;
      progress |= peer_send (dialer, listener) > 0;
      progress |= peer_feed (listener) > 0;
      progress |= peer_send (listener, dialer) > 0;
      progress |= peer_feed (dialer) > 0;
    }
}

static GBytes *
drain (SatoriMultistream *ms)
{
  GBytes *bytes = satori_multistream_poll_transmit_bytes (ms);
  return bytes != NULL ? bytes : g_bytes_new (NULL, 0);
}

static void
assert_bytes (GBytes *bytes, const char *expected, gsize len)
{
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, len);
}

static void
test_select (void)
{
  const char *dialer_protocols[] = { "/noise", NULL };
  const char *listener_protocols[] = { "/tls/1.0.0", "/noise", NULL };
  Peer dialer, listener;

  g_test_summary ("A dialer and a listener agree on the protocol they share");
  peer_init (&dialer, SATORI_MULTISTREAM_ROLE_DIALER, dialer_protocols);
  peer_init (&listener, SATORI_MULTISTREAM_ROLE_LISTENER, listener_protocols);
  g_assert_false (satori_multistream_is_done (dialer.ms));
  g_assert_null (satori_multistream_get_selected_protocol (dialer.ms));

  run (&dialer, &listener);

  g_assert_no_error (dialer.error);
  g_assert_no_error (listener.error);
  g_assert_true (satori_multistream_is_done (dialer.ms));
  g_assert_true (satori_multistream_is_done (listener.ms));
  g_assert_cmpstr (satori_multistream_get_selected_protocol (dialer.ms), ==, "/noise");
  g_assert_cmpstr (satori_multistream_get_selected_protocol (listener.ms), ==, "/noise");
  g_assert_cmpuint (dialer.inbox->len, ==, 0);
  g_assert_cmpuint (listener.inbox->len, ==, 0);
  g_assert_cmpuint (satori_multistream_get_wanted (dialer.ms), ==, 0);
  peer_clear (&dialer);
  peer_clear (&listener);
}

static void
test_wire (void)
{
  const char *protocols[] = { "/noise", NULL };
  g_autoptr(SatoriMultistream) dialer = satori_multistream_new (SATORI_MULTISTREAM_ROLE_DIALER,
                                                                protocols);
  g_autoptr(SatoriMultistream) listener = satori_multistream_new (SATORI_MULTISTREAM_ROLE_LISTENER,
                                                                  protocols);
  g_autoptr(GBytes) first = drain (dialer);
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GBytes) greeting = drain (listener);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("The bytes on the wire: the dialer sends the header and its proposal in "
                  "one write, the listener its header at once and then the echo");
  assert_bytes (first, HEADER "\x07/noise\n", HEADER_LEN + 8);
  none = satori_multistream_poll_transmit_bytes (dialer);
  g_assert_null (none);
  assert_bytes (greeting, HEADER, HEADER_LEN);

  g_assert_true (satori_multistream_handle_input (listener, g_bytes_get_data (first, NULL),
                                                  g_bytes_get_size (first), &consumed, &error));
  g_assert_no_error (error);
  reply = drain (listener);
  assert_bytes (reply, "\x07/noise\n", 8);
}

static void
test_lazy (void)
{
  const char *protocols[] = { "/yamux/1.0.0", NULL };
  Peer dialer, listener;

  g_test_summary ("Lazy negotiation: application bytes sent right behind the proposal, "
                  "and right behind the echo, are left unconsumed for the protocol");
  peer_init (&dialer, SATORI_MULTISTREAM_ROLE_DIALER, protocols);
  peer_init (&listener, SATORI_MULTISTREAM_ROLE_LISTENER, protocols);

  /* The dialer does not wait: header, proposal and data in one write. */
  peer_send (&dialer, &listener);
  g_byte_array_append (listener.inbox, (const guint8 *) "hello", 5);
  peer_feed (&listener);
  g_assert_no_error (listener.error);
  g_assert_true (satori_multistream_is_done (listener.ms));
  g_assert_cmpmem (listener.inbox->data, listener.inbox->len, "hello", 5);

  /* The listener's header, echo and first reply arrive together. */
  peer_send (&listener, &dialer);
  g_byte_array_append (dialer.inbox, (const guint8 *) "\x00world", 6);
  peer_feed (&dialer);
  g_assert_no_error (dialer.error);
  g_assert_true (satori_multistream_is_done (dialer.ms));
  g_assert_cmpstr (satori_multistream_get_selected_protocol (dialer.ms), ==, "/yamux/1.0.0");
  g_assert_cmpmem (dialer.inbox->data, dialer.inbox->len, "\x00world", 6);

  /* Once done, nothing more is consumed. */
  g_assert_cmpuint (peer_feed (&dialer), ==, 0);
  g_assert_no_error (dialer.error);
  peer_clear (&dialer);
  peer_clear (&listener);
}

static void
test_fallback (void)
{
  const char *dialer_protocols[] = { "/yamux/1.0.0", "/mplex/6.7.0", NULL };
  const char *listener_protocols[] = { "/mplex/6.7.0", NULL };
  Peer dialer, listener;

  g_test_summary ("After \"na\" the dialer proposes its next protocol, which is accepted");
  peer_init (&dialer, SATORI_MULTISTREAM_ROLE_DIALER, dialer_protocols);
  peer_init (&listener, SATORI_MULTISTREAM_ROLE_LISTENER, listener_protocols);

  peer_send (&dialer, &listener);
  peer_feed (&listener);
  g_assert_false (satori_multistream_is_done (listener.ms));
  {
    g_autoptr(GBytes) answer = drain (listener.ms);
    assert_bytes (answer, HEADER "\x03na\n", HEADER_LEN + 4);
    g_byte_array_append (dialer.inbox, g_bytes_get_data (answer, NULL),
                         g_bytes_get_size (answer));
  }
  peer_feed (&dialer);
  g_assert_no_error (dialer.error);
  {
    g_autoptr(GBytes) second = drain (dialer.ms);
    assert_bytes (second, "\x0d/mplex/6.7.0\n", 14);
    g_byte_array_append (listener.inbox, g_bytes_get_data (second, NULL),
                         g_bytes_get_size (second));
  }
  run (&dialer, &listener);

  g_assert_no_error (dialer.error);
  g_assert_no_error (listener.error);
  g_assert_cmpstr (satori_multistream_get_selected_protocol (dialer.ms), ==, "/mplex/6.7.0");
  g_assert_cmpstr (satori_multistream_get_selected_protocol (listener.ms), ==, "/mplex/6.7.0");
  peer_clear (&dialer);
  peer_clear (&listener);
}

static void
test_no_common (void)
{
  const char *dialer_protocols[] = { "/a/1", "/b/1", NULL };
  const char *listener_protocols[] = { "/c/1", NULL };
  Peer dialer, listener;

  g_test_summary ("When every proposal gets \"na\" the dialer fails with NOT_SUPPORTED, "
                  "naming what it proposed; the listener keeps waiting");
  peer_init (&dialer, SATORI_MULTISTREAM_ROLE_DIALER, dialer_protocols);
  peer_init (&listener, SATORI_MULTISTREAM_ROLE_LISTENER, listener_protocols);
  run (&dialer, &listener);

  g_assert_error (dialer.error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (dialer.error->message, "/a/1, /b/1"));
  g_assert_false (satori_multistream_is_done (dialer.ms));
  g_assert_null (satori_multistream_get_selected_protocol (dialer.ms));
  g_assert_cmpuint (satori_multistream_get_wanted (dialer.ms), ==, 0);
  g_assert_no_error (listener.error);
  g_assert_false (satori_multistream_is_done (listener.ms));
  peer_clear (&dialer);
  peer_clear (&listener);
}

static void
test_empty_listener (void)
{
  const char *dialer_protocols[] = { "/a/1", NULL };
  const char *no_protocols[] = { NULL };
  Peer dialer, listener;

  g_test_summary ("A listener that accepts nothing answers \"na\" to everything");
  peer_init (&dialer, SATORI_MULTISTREAM_ROLE_DIALER, dialer_protocols);
  peer_init (&listener, SATORI_MULTISTREAM_ROLE_LISTENER, no_protocols);
  run (&dialer, &listener);
  g_assert_error (dialer.error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_assert_no_error (listener.error);
  peer_clear (&dialer);
  peer_clear (&listener);
}

/* Feeds @input to a fresh core of @role and expects a PROTOCOL error
 * whose message contains @fragment. Returns how much was consumed. */
static gsize
expect_protocol_error (SatoriMultistreamRole role, const char *input, gsize len,
                       const char *fragment)
{
  const char *protocols[] = { "/noise", NULL };
  g_autoptr(SatoriMultistream) ms = satori_multistream_new (role, protocols);
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_assert_false (satori_multistream_handle_input (ms, (const guint8 *) input, len,
                                                   &consumed, &error));
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
  g_assert_cmpuint (consumed, <=, len);
  g_assert_false (satori_multistream_is_done (ms));
  g_assert_cmpuint (satori_multistream_get_wanted (ms), ==, 0);
  return consumed;
}

static void
test_garbage (void)
{
  static const char http[] = "GET / HTTP/1.1\r\nHost: example.org\r\nUser-Agent: test\r\n"
                             "Accept: */*\r\nConnection: close\r\n\r\n";

  g_test_summary ("Garbage instead of the header is a PROTOCOL error");
  /* 'G' announces a 71-byte message; it does not end in a newline. */
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, http, sizeof http - 1, "newline");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_DIALER, "\x03" "abc", 4, "newline");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, "\x00", 1, "newline");
}

static void
test_wrong_header (void)
{
  g_test_summary ("Any first message but /multistream/1.0.0 is a PROTOCOL error");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, "\x13/multistream/2.0.0\n", 20,
                         "expected the header");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_DIALER, "\x03na\n", 4, "\"na\"");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, "\x07/noise\n", 8, "/noise");
}

static void
test_not_utf8 (void)
{
  g_test_summary ("A message that is not UTF-8, or holds a NUL, is a PROTOCOL error");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, HEADER "\x04/\xff\xfe\n",
                         HEADER_LEN + 5, "UTF-8");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, HEADER "\x04/a\x00\n",
                         HEADER_LEN + 5, "UTF-8");
}

static void
test_unexpected_reply (void)
{
  g_test_summary ("A reply that is neither the echo nor \"na\" is a PROTOCOL error");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_DIALER, HEADER "\x07/other\n", HEADER_LEN + 8,
                         "\"/other\"");
}

static void
test_oversized (void)
{
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autofree char *line = g_strnfill (SATORI_MULTISTREAM_MAX_MESSAGE, 'a');

  g_test_summary ("A message over 1024 bytes is refused from its length prefix, before "
                  "its body is read; a long line in an error message is cut short");
  g_byte_array_append (input, (const guint8 *) HEADER, HEADER_LEN);
  satori_frame_append (input, (const guint8 *) line, SATORI_MULTISTREAM_MAX_MESSAGE + 1);
  g_assert_cmpuint (expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER,
                                           (const char *) input->data, input->len, "limit"),
                    ==, HEADER_LEN + 2);

  /* 1024 bytes exactly is allowed, and quoted briefly. */
  line[SATORI_MULTISTREAM_MAX_MESSAGE - 1] = '\n';
  g_byte_array_set_size (input, 0);
  satori_frame_append (input, (const guint8 *) line, SATORI_MULTISTREAM_MAX_MESSAGE);
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, (const char *) input->data,
                         input->len, "aaa\"...");
}

static void
test_not_minimal (void)
{
  g_test_summary ("A non-minimal length prefix is a PROTOCOL error");
  expect_protocol_error (SATORI_MULTISTREAM_ROLE_LISTENER, "\x93\x00/multistream/1.0.0\n", 21,
                         "minimal");
}

static void
test_error_sticks (void)
{
  const char *protocols[] = { "/noise", NULL };
  g_autoptr(SatoriMultistream) ms = satori_multistream_new (SATORI_MULTISTREAM_ROLE_LISTENER,
                                                            protocols);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("After an error every later call fails the same way and takes nothing");
  g_bytes_unref (drain (ms));   /* the listener's header */
  g_assert_false (satori_multistream_handle_input (ms, (const guint8 *) "\x02xx", 3,
                                                   &consumed, &error));
  g_clear_error (&error);
  g_assert_false (satori_multistream_handle_input (ms, (const guint8 *) HEADER, HEADER_LEN,
                                                   &consumed, &error));
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_PROTOCOL);
  g_assert_cmpuint (consumed, ==, 0);
  after = satori_multistream_poll_transmit_bytes (ms);
  g_assert_null (after);
}

/* Runs a whole negotiation with every byte delivered on its own. */
static void
test_byte_at_a_time (void)
{
  const char *dialer_protocols[] = { "/yamux/1.0.0", "/mplex/6.7.0", NULL };
  const char *listener_protocols[] = { "/mplex/6.7.0", NULL };
  Peer peers[2];
  Peer *dialer = &peers[0], *listener = &peers[1];

  g_test_summary ("Input cut into single bytes still negotiates; no side is done before "
                  "the last byte of its final message, and get_wanted() never asks for "
                  "more than that message holds");
  peer_init (dialer, SATORI_MULTISTREAM_ROLE_DIALER, dialer_protocols);
  peer_init (listener, SATORI_MULTISTREAM_ROLE_LISTENER, listener_protocols);

  for (gboolean progress = TRUE; progress;)
    {
      progress = FALSE;
      for (guint i = 0; i < 2; i++)
        {
          Peer *from = &peers[i], *to = &peers[1 - i];
          g_autoptr(GBytes) bytes = satori_multistream_poll_transmit_bytes (from->ms);
          gsize size;
          const guint8 *data;

          if (bytes == NULL)
            continue;
          data = g_bytes_get_data (bytes, &size);
          for (gsize j = 0; j < size; j++)
            {
              gsize consumed;

              g_assert_false (satori_multistream_is_done (to->ms));
              g_assert_cmpuint (satori_multistream_get_wanted (to->ms), >=, 1);
              g_assert_cmpuint (satori_multistream_get_wanted (to->ms), <=, size - j);
              g_assert_true (satori_multistream_handle_input (to->ms, data + j, 1, &consumed,
                                                              &to->error));
              g_assert_no_error (to->error);
              g_assert_cmpuint (consumed, ==, 1);
            }
          progress = TRUE;
        }
    }

  g_assert_cmpstr (satori_multistream_get_selected_protocol (dialer->ms), ==, "/mplex/6.7.0");
  g_assert_cmpstr (satori_multistream_get_selected_protocol (listener->ms), ==, "/mplex/6.7.0");
  peer_clear (dialer);
  peer_clear (listener);
}

static void
test_truncated (void)
{
  const char *protocols[] = { "/noise", NULL };
  g_autoptr(SatoriMultistream) ms = satori_multistream_new (SATORI_MULTISTREAM_ROLE_LISTENER,
                                                            protocols);
  static const char input[] = HEADER "\x07/noise\n";
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("Input that stops inside a message is kept, not an error; the rest "
                  "completes it");
  g_assert_true (satori_multistream_handle_input (ms, (const guint8 *) input,
                                                  sizeof input - 2, &consumed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, sizeof input - 2);
  g_assert_false (satori_multistream_is_done (ms));
  g_assert_cmpuint (satori_multistream_get_wanted (ms), ==, 1);

  g_assert_true (satori_multistream_handle_input (ms, (const guint8 *) input + sizeof input - 2,
                                                  1, &consumed, &error));
  g_assert_no_error (error);
  g_assert_true (satori_multistream_is_done (ms));
}

static void
test_ls (void)
{
  const char *protocols[] = { "/a/1", "/bb/2", NULL };
  g_autoptr(SatoriMultistream) ms = satori_multistream_new (SATORI_MULTISTREAM_ROLE_LISTENER,
                                                            protocols);
  g_autoptr(GBytes) list = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("The listener answers \"ls\" with its protocols and keeps negotiating");
  g_bytes_unref (drain (ms));   /* the listener's header */
  g_assert_true (satori_multistream_handle_input (ms, (const guint8 *) HEADER "\x03ls\n",
                                                  HEADER_LEN + 4, &consumed, &error));
  g_assert_no_error (error);
  list = drain (ms);
  /* One message: each id as a message of its own, then a newline. */
  assert_bytes (list, "\x0e" "\x05/a/1\n" "\x06/bb/2\n" "\n", 15);
  g_assert_false (satori_multistream_is_done (ms));

  g_assert_true (satori_multistream_handle_input (ms, (const guint8 *) "\x06/bb/2\n", 7,
                                                  &consumed, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (satori_multistream_get_selected_protocol (ms), ==, "/bb/2");
}

static void
test_poll_transmit (void)
{
  const char *protocols[] = { "/noise", NULL };
  g_autoptr(SatoriMultistream) ms = satori_multistream_new (SATORI_MULTISTREAM_ROLE_DIALER,
                                                            protocols);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buf[3];
  gsize n;

  g_test_summary ("poll_transmit() into a small buffer hands out the same bytes in order");
  while ((n = satori_multistream_poll_transmit (ms, buf, sizeof buf)) > 0)
    {
      g_assert_cmpuint (n, <=, sizeof buf);
      g_byte_array_append (out, buf, n);
    }
  g_assert_cmpmem (out->data, out->len, HEADER "\x07/noise\n", HEADER_LEN + 8);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/multistream/select", test_select);
  g_test_add_func ("/codec/multistream/wire", test_wire);
  g_test_add_func ("/codec/multistream/lazy", test_lazy);
  g_test_add_func ("/codec/multistream/fallback", test_fallback);
  g_test_add_func ("/codec/multistream/no-common", test_no_common);
  g_test_add_func ("/codec/multistream/empty-listener", test_empty_listener);
  g_test_add_func ("/codec/multistream/garbage", test_garbage);
  g_test_add_func ("/codec/multistream/wrong-header", test_wrong_header);
  g_test_add_func ("/codec/multistream/not-utf8", test_not_utf8);
  g_test_add_func ("/codec/multistream/unexpected-reply", test_unexpected_reply);
  g_test_add_func ("/codec/multistream/oversized", test_oversized);
  g_test_add_func ("/codec/multistream/not-minimal", test_not_minimal);
  g_test_add_func ("/codec/multistream/error-sticks", test_error_sticks);
  g_test_add_func ("/codec/multistream/byte-at-a-time", test_byte_at_a_time);
  g_test_add_func ("/codec/multistream/truncated", test_truncated);
  g_test_add_func ("/codec/multistream/ls", test_ls);
  g_test_add_func ("/codec/multistream/poll-transmit", test_poll_transmit);

  return g_test_run ();
}
