#include "satori-echo-check.h"

/* The writer and the reader run at the same time: an echo fills both
 * flow-control windows otherwise. What comes back is only hashed, so a
 * 100 MiB exchange holds the sent bytes and nothing more. */
struct _SatoriEchoCheck
{
  GIOStream *stream;
  GBytes *sent;
  char *sent_sha256;
  GChecksum *received_hash;
  char *received_sha256;        /* at end-of-file */
  guint64 received;
  gboolean closed;
  gboolean remote_closed_first;
  guint8 buffer[65536];
};

/* xorshift32: different bytes for every seed, cheap enough for 100 MiB */
static GBytes *
generate (gsize len, guint32 seed)
{
  guint8 *data = g_malloc (len);
  guint32 x = seed != 0 ? seed : 0x9e3779b9;

  for (gsize i = 0; i < len; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (guint8) x;
    }
  return g_bytes_new_take (data, len);
}

static void
on_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SatoriEchoCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  gboolean closed = g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error);

  g_assert_no_error (error);
  g_assert_true (closed);
  check->closed = TRUE;
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean written = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL,
                                                       &error);

  g_assert_no_error (error);
  g_assert_true (written);
  g_output_stream_close_async (G_OUTPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL, on_closed,
                               user_data);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SatoriEchoCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  g_assert_no_error (error);
  if (n == 0)
    {
      check->received_sha256 = g_strdup (g_checksum_get_string (check->received_hash));
      check->remote_closed_first = !check->closed;
      return;
    }
  g_checksum_update (check->received_hash, check->buffer, n);
  check->received += (guint64) n;
  g_input_stream_read_async (G_INPUT_STREAM (source), check->buffer, sizeof check->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_read, check);
}

/* Starts the exchange on @stream (taking a reference); the main context
 * runs it. I/O errors fail the test. */
SatoriEchoCheck *
satori_echo_check_start (GIOStream *stream, gsize len, guint32 seed)
{
  SatoriEchoCheck *check = g_new0 (SatoriEchoCheck, 1);

  check->stream = g_object_ref (stream);
  check->sent = generate (len, seed);
  check->sent_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, check->sent);
  check->received_hash = g_checksum_new (G_CHECKSUM_SHA256);
  g_input_stream_read_async (g_io_stream_get_input_stream (stream), check->buffer,
                             sizeof check->buffer, G_PRIORITY_DEFAULT, NULL, on_read, check);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (check->sent, NULL), len,
                                   G_PRIORITY_DEFAULT, NULL, on_written, check);
  return check;
}

/* Both directions finished: our write side closed, the remote's ended. */
gboolean
satori_echo_check_is_done (SatoriEchoCheck *check)
{
  return check->closed && check->received_sha256 != NULL;
}

guint64
satori_echo_check_get_received (SatoriEchoCheck *check)
{
  return check->received;
}

const char *
satori_echo_check_get_sent_sha256 (SatoriEchoCheck *check)
{
  return check->sent_sha256;
}

/* Whether the remote closed its side while we were still writing. */
gboolean
satori_echo_check_remote_closed_first (SatoriEchoCheck *check)
{
  return check->remote_closed_first;
}

/* NULL until the remote closed its side. */
const char *
satori_echo_check_get_received_sha256 (SatoriEchoCheck *check)
{
  return check->received_sha256;
}

/* Only once done: the callbacks point at @check until then. */
void
satori_echo_check_free (SatoriEchoCheck *check)
{
  g_assert_true (satori_echo_check_is_done (check));
  g_object_unref (check->stream);
  g_bytes_unref (check->sent);
  g_free (check->sent_sha256);
  g_checksum_free (check->received_hash);
  g_free (check->received_sha256);
  g_free (check);
}
