/* Tests of satori_frame_stream_*: one varint-length-prefixed message at a
 * time over an in-memory pipe. */
#include <string.h>

#include "satorip2p.h"
#include "satori-test-util.h"

static GBytes *
read_message (GIOStream *stream, gsize max_size, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_frame_stream_read_async (stream, max_size, NULL, satori_test_store_result, &result);
  return satori_frame_stream_read_finish (stream, satori_test_wait (&result), error);
}

static void
write_message (GIOStream *stream, const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) message = g_bytes_new (text, strlen (text));

  satori_frame_stream_write_async (stream, message, NULL, satori_test_store_result, &result);
  g_assert_true (satori_frame_stream_write_finish (stream, satori_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr(GIOStream) a = NULL, b = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Two messages written back to back are read one at a time, never one "
                  "past the other; the end of the stream before a message is NULL, no error");
  satori_pipe_new_pair (1 << 16, &a, &b);
  write_message (a, "first");
  write_message (a, "second message");
  g_assert_true (g_io_stream_close (a, NULL, NULL));

  g_autoptr(GBytes) first = read_message (b, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (first, NULL), g_bytes_get_size (first), "first", 5);
  g_autoptr(GBytes) second = read_message (b, 1024, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (second, NULL), g_bytes_get_size (second),
                   "second message", 14);
  g_autoptr(GBytes) none = read_message (b, 1024, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static void
test_bad_input (void)
{
  g_autoptr(GIOStream) a = NULL, b = NULL;
  g_autoptr(GIOStream) c = NULL, d = NULL;
  g_autoptr(GError) error = NULL;
  gsize written;

  g_test_summary ("A message over the limit and a stream ending inside a message are errors");
  satori_pipe_new_pair (1 << 16, &a, &b);
  write_message (a, "a message of thirty-two bytes...");
  g_autoptr(GBytes) big = read_message (b, 8, &error);
  g_assert_null (big);
  g_assert_nonnull (error);
  g_clear_error (&error);

  satori_pipe_new_pair (1 << 16, &c, &d);
  static const guint8 truncated[] = { 10, 'a', 'b' };   /* says 10 bytes, has 2 */
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (c), truncated,
                                            sizeof truncated, &written, NULL, NULL));
  g_assert_true (g_io_stream_close (c, NULL, NULL));
  g_autoptr(GBytes) cut = read_message (d, 1024, &error);
  g_assert_null (cut);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame-stream/round-trip", test_round_trip);
  g_test_add_func ("/frame-stream/bad-input", test_bad_input);
  return g_test_run ();
}
