/* Tests of the yamux GIO adapter: two connections over an in-memory pipe
 * on one main context, through the SatoriMuxer contract. */
#include <string.h>

#include "satori-muxer.h"
#include "satori-pipe.h"
#include "satori-registry.h"
#include "satori-yamux-stream.h"

gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriRegistry *registry;
  SatoriMuxedConnection *client;
  SatoriMuxedConnection *server;
  GPtrArray *accepted;          /* streams the server accepted */
  gboolean echo;                /* the server echoes what it accepts */
  guint closed_signals;
  GError *server_closed_error;
} Fixture;

static void
echo_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
  g_object_unref (user_data);
}

static void
on_stream_accepted (SatoriMuxedConnection *connection, GIOStream *stream, Fixture *fixture)
{
  g_ptr_array_add (fixture->accepted, g_object_ref (stream));
  if (fixture->echo)
    g_output_stream_splice_async (g_io_stream_get_output_stream (stream),
                                  g_io_stream_get_input_stream (stream),
                                  G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT,
                                  NULL, echo_done, g_object_ref (stream));
}

static void
on_server_closed (SatoriMuxedConnection *connection, GError *error, Fixture *fixture)
{
  fixture->closed_signals++;
  fixture->server_closed_error = error != NULL ? g_error_copy (error) : NULL;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) a = NULL;
  g_autoptr(GIOStream) b = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  SatoriFeature *feature = satori_registry_lookup (fixture->registry, SATORI_TYPE_MUXER, "yamux");
  g_assert_nonnull (feature);
  g_autoptr(SatoriMuxer) muxer = satori_feature_create (feature);

  satori_pipe_new_pair (256 * 1024, &a, &b);
  fixture->client = satori_muxer_create_connection (muxer, a, TRUE, &error);
  g_assert_no_error (error);
  fixture->server = satori_muxer_create_connection (muxer, b, FALSE, &error);
  g_assert_no_error (error);
  fixture->accepted = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->echo = TRUE;
  g_signal_connect (fixture->server, "stream-accepted", G_CALLBACK (on_stream_accepted), fixture);
  g_signal_connect (fixture->server, "closed", G_CALLBACK (on_server_closed), fixture);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
close_connection (SatoriMuxedConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  satori_muxed_connection_close_async (connection, NULL, store_result, &result);
  g_assert_true (satori_muxed_connection_close_finish (connection, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_ptr_array_unref (fixture->accepted);
  close_connection (fixture->client);
  while (fixture->closed_signals == 0)
    g_main_context_iteration (NULL, TRUE);
  close_connection (fixture->server);
  g_signal_handlers_disconnect_by_data (fixture->server, fixture);
  g_clear_error (&fixture->server_closed_error);
  g_object_unref (fixture->client);
  g_object_unref (fixture->server);
  g_object_unref (fixture->registry);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GIOStream *
open_stream (SatoriMuxedConnection *connection)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  satori_muxed_connection_open_stream_async (connection, NULL, store_result, &result);
  GIOStream *stream = satori_muxed_connection_open_stream_finish (connection, wait_for (&result),
                                                                  &error);
  g_assert_no_error (error);
  return stream;
}

/* One client stream: writes @data, closes its output, reads until EOF. */
typedef struct {
  GIOStream *stream;
  GBytes *data;
  GByteArray *echoed;
  guint8 buf[65536];
  gboolean written, done;
} Exchange;

static void read_more (Exchange *exchange);

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Exchange *exchange = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  g_assert_no_error (error);
  if (n == 0)
    {
      exchange->done = TRUE;
      return;
    }
  g_byte_array_append (exchange->echoed, exchange->buf, n);
  read_more (exchange);
}

static void
read_more (Exchange *exchange)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (exchange->stream), exchange->buf,
                             sizeof exchange->buf, G_PRIORITY_DEFAULT, NULL, read_cb, exchange);
}

static void
write_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Exchange *exchange = user_data;
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (source), NULL, &error);
  g_assert_no_error (error);
  exchange->written = TRUE;
}

static void
exchange_start (Exchange *exchange, SatoriMuxedConnection *connection, gsize size, guint seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand);
  g_rand_free (rand);
  exchange->stream = open_stream (connection);
  exchange->data = g_bytes_new_take (data, size);
  exchange->echoed = g_byte_array_new ();
  g_output_stream_write_all_async (g_io_stream_get_output_stream (exchange->stream), data, size,
                                   G_PRIORITY_DEFAULT, NULL, write_cb, exchange);
  read_more (exchange);
}

static void
exchange_check_and_clear (Exchange *exchange)
{
  g_assert_true (exchange->written);
  g_assert_cmpmem (exchange->echoed->data, exchange->echoed->len,
                   g_bytes_get_data (exchange->data, NULL), g_bytes_get_size (exchange->data));
  g_object_unref (exchange->stream);
  g_bytes_unref (exchange->data);
  g_byte_array_unref (exchange->echoed);
}

static void
test_echo (Fixture *fixture, gconstpointer data)
{
  Exchange exchange = { 0 };

  exchange_start (&exchange, fixture->client, 5, 1);
  while (!exchange.done)
    g_main_context_iteration (NULL, TRUE);
  exchange_check_and_clear (&exchange);
  g_assert_cmpuint (fixture->accepted->len, ==, 1);
}

static void
test_many_streams (Fixture *fixture, gconstpointer data)
{
  guint n = 200;
  g_autofree Exchange *exchanges = g_new0 (Exchange, n);
  guint done = 0;

  for (guint i = 0; i < n; i++)
    exchange_start (&exchanges[i], fixture->client, 1000 + i * 997, i);
  while (done < n)
    {
      g_main_context_iteration (NULL, TRUE);
      done = 0;
      for (guint i = 0; i < n; i++)
        done += exchanges[i].done;
    }
  for (guint i = 0; i < n; i++)
    exchange_check_and_clear (&exchanges[i]);
  g_assert_cmpuint (fixture->accepted->len, ==, n);
}

/* The server hashes what it reads; the client writes 64 MiB. */
typedef struct {
  GInputStream *input;
  GChecksum *checksum;
  gsize total;
  guint8 buf[256 * 1024];
  gboolean done;
} Sink;

static void
sink_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Sink *sink = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  g_assert_no_error (error);
  if (n == 0)
    {
      sink->done = TRUE;
      return;
    }
  g_checksum_update (sink->checksum, sink->buf, n);
  sink->total += n;
  g_input_stream_read_async (sink->input, sink->buf, sizeof sink->buf, G_PRIORITY_DEFAULT, NULL,
                             sink_read_cb, sink);
}

static void
test_large_transfer (Fixture *fixture, gconstpointer data)
{
  gsize total = 64 * 1024 * 1024, chunk = 1024 * 1024, written = 0;
  g_autofree guint8 *buf = g_malloc (chunk);
  g_autoptr(GChecksum) sent = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree Sink *sink = g_new0 (Sink, 1);
  g_autoptr(GError) error = NULL;

  fixture->echo = FALSE;
  g_autoptr(GIOStream) stream = open_stream (fixture->client);
  GOutputStream *output = g_io_stream_get_output_stream (stream);
  gint64 start = g_get_monotonic_time ();

  while (fixture->accepted->len == 0)
    g_main_context_iteration (NULL, TRUE);
  sink->input = g_io_stream_get_input_stream (g_ptr_array_index (fixture->accepted, 0));
  sink->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_input_stream_read_async (sink->input, sink->buf, sizeof sink->buf, G_PRIORITY_DEFAULT, NULL,
                             sink_read_cb, sink);
  while (written < total)
    {
      g_autoptr(GAsyncResult) result = NULL;

      for (gsize i = 0; i < chunk; i += 8)
        memcpy (buf + i, &written, 8), written += 8;
      g_checksum_update (sent, buf, chunk);
      g_output_stream_write_all_async (output, buf, chunk, G_PRIORITY_DEFAULT, NULL,
                                       store_result, &result);
      g_assert_true (g_output_stream_write_all_finish (output, wait_for (&result), NULL, &error));
    }
  g_assert_true (g_output_stream_close (output, NULL, &error));
  while (!sink->done)
    g_main_context_iteration (NULL, TRUE);

  gint64 elapsed = MAX (g_get_monotonic_time () - start, 1);
  g_test_message ("64 MiB in %.3f s: %.2f Gbit/s", elapsed / 1e6, total * 8.0 / elapsed / 1e3);
  g_assert_cmpuint (sink->total, ==, total);
  g_assert_cmpstr (g_checksum_get_string (sink->checksum), ==, g_checksum_get_string (sent));
  g_checksum_free (sink->checksum);
}

static gssize
read_all (GIOStream *stream, guint8 *buf, gsize size, GError **error)
{
  gsize n = 0;

  while (n < size)
    {
      g_autoptr(GAsyncResult) result = NULL;
      GInputStream *input = g_io_stream_get_input_stream (stream);

      g_input_stream_read_async (input, buf + n, size - n, G_PRIORITY_DEFAULT, NULL,
                                 store_result, &result);
      gssize got = g_input_stream_read_finish (input, wait_for (&result), error);
      if (got <= 0)
        return got < 0 ? -1 : (gssize) n;
      n += got;
    }
  return n;
}

static void
test_fin_and_rst (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint8 buf[64];

  fixture->echo = FALSE;
  /* FIN: the client half-closes; the server reads to EOF, then answers. */
  g_autoptr(GIOStream) stream = open_stream (fixture->client);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (stream), "ping", 4,
                                            NULL, NULL, &error));
  g_assert_true (g_output_stream_close (g_io_stream_get_output_stream (stream), NULL, &error));
  while (fixture->accepted->len == 0)
    g_main_context_iteration (NULL, TRUE);
  GIOStream *server_stream = g_ptr_array_index (fixture->accepted, 0);
  g_assert_cmpint (read_all (server_stream, buf, sizeof buf, &error), ==, 4);
  g_assert_cmpmem (buf, 4, "ping", 4);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (server_stream),
                                            "pong", 4, NULL, NULL, &error));
  g_assert_true (g_io_stream_close (server_stream, NULL, &error));
  g_assert_cmpint (read_all (stream, buf, sizeof buf, &error), ==, 4);
  g_assert_cmpmem (buf, 4, "pong", 4);
  g_assert_true (g_io_stream_close (stream, NULL, &error));
  while (satori_muxed_connection_get_n_streams (fixture->client) > 0)
    g_main_context_iteration (NULL, TRUE);

  /* RST: the server resets; the client's reads and writes fail. */
  g_autoptr(GIOStream) doomed = open_stream (fixture->client);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (doomed), "x", 1,
                                            NULL, NULL, &error));
  while (fixture->accepted->len == 1)
    g_main_context_iteration (NULL, TRUE);
  satori_yamux_stream_reset (SATORI_YAMUX_STREAM (g_ptr_array_index (fixture->accepted, 1)));
  g_assert_cmpint (read_all (doomed, buf, sizeof buf, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);
  g_assert_false (g_output_stream_write_all (g_io_stream_get_output_stream (doomed), "x", 1,
                                             NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
test_remote_close (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint8 buf[16];

  fixture->echo = FALSE;
  g_autoptr(GIOStream) stream = open_stream (fixture->client);
  while (fixture->accepted->len == 0)
    g_main_context_iteration (NULL, TRUE);
  GIOStream *server_stream = g_ptr_array_index (fixture->accepted, 0);
  g_assert_false (g_io_stream_is_closed (stream));

  close_connection (fixture->client);
  g_assert_true (satori_muxed_connection_is_closed (fixture->client));
  while (fixture->closed_signals == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (fixture->server_closed_error);
  g_assert_true (satori_muxed_connection_is_closed (fixture->server));
  g_assert_cmpint (read_all (server_stream, buf, sizeof buf, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);

  /* Opening on a closed connection fails. */
  g_autoptr(GAsyncResult) result = NULL;
  satori_muxed_connection_open_stream_async (fixture->client, NULL, store_result, &result);
  g_assert_null (satori_muxed_connection_open_stream_finish (fixture->client, wait_for (&result),
                                                            &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("The yamux muxer over an in-memory pipe");
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/yamux/connection/echo", test_echo);
  ADD ("/yamux/connection/many-streams", test_many_streams);
  ADD ("/yamux/connection/large-transfer", test_large_transfer);
  ADD ("/yamux/connection/fin-and-rst", test_fin_and_rst);
  ADD ("/yamux/connection/remote-close", test_remote_close);
  return g_test_run ();
}
