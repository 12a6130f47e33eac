/* Interop with js-libp2p 3.x over TCP + Noise + Yamux, both directions.
 * The js peer is tests/interop/js-peer.mjs (see its README). */
#include <glib/gstdio.h>
#include <string.h>

#include "satori-echo-check.h"
#include "satori-js-peer.h"
#include "satori-test-echo.h"
#include "satori-test-host.h"
#include "satori-test-util.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);

#define ECHO "/echo/1.0.0"
#define SINK "/satori-interop/sink/1.0.0"
#define MIB (1024 * 1024)
/* Issue 3: at least 100 streams at once, each with its own data. */
#define CONCURRENT_STREAMS 100

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *host;
  SatoriTestEcho *echo;
  SatoriJsPeer *js;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_no_error (error);

  fixture->host = satori_test_host_new (fixture->registry, "tcp", "noise", "yamux");
  fixture->echo = satori_test_echo_new ();
  satori_host_set_handler (fixture->host, ECHO, SATORI_PROTOCOL_HANDLER (fixture->echo));
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->js != NULL)
    satori_js_peer_stop (fixture->js);
  satori_host_close (fixture->host);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->host);
  g_object_unref (fixture->echo);
  g_object_unref (fixture->registry);
}

/* Starts a js peer that dials @fixture's host and waits until it is up. */
static void
start_js_dialing_us (Fixture *fixture)
{
  g_autofree char *address = satori_test_listen (fixture->host, "/ip4/127.0.0.1/tcp/0");
  const char *args[] = { "--dial", address, NULL };

  fixture->js = satori_js_peer_start (args);
  json_object_unref (satori_js_peer_wait_event (fixture->js, "dial"));
}

/* Starts a js peer that listens and connects @fixture's host to it. */
static SatoriConnection *
connect_to_js (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };

  fixture->js = satori_js_peer_start (args);
  JsonObject *listening = satori_js_peer_wait_event (fixture->js, "listening");
  JsonArray *addrs = json_object_get_array_member (listening, "addrs");
  g_autoptr(SatoriMultiaddr) target =
    satori_multiaddr_new_from_string (json_array_get_string_element (addrs, 0), &error);
  g_assert_no_error (error);
  json_object_unref (listening);
  SatoriConnection *connection = satori_test_connect (fixture->host, target, &error);
  g_assert_no_error (error);
  return connection;
}

static void
on_peer_connected (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  g_set_object ((SatoriConnection **) user_data, connection);
}

static void
test_js_dials_us (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConnection) inbound = NULL;
  g_autofree char *address = satori_test_listen (fixture->host, "/ip4/127.0.0.1/tcp/0");
  const char *args[] = { "--dial", address, NULL };

  g_test_summary ("js dials us over TCP+Noise+Yamux and echoes on 10 concurrent streams");
  g_signal_connect (fixture->host, "peer-connected", G_CALLBACK (on_peer_connected), &inbound);
  fixture->js = satori_js_peer_start (args);
  JsonObject *listening = satori_js_peer_wait_event (fixture->js, "listening");
  g_autofree char *js_peer = g_strdup (json_object_get_string_member (listening, "peerId"));
  json_object_unref (listening);

  JsonObject *connected = satori_js_peer_wait_event (fixture->js, "connected");
  g_assert_cmpstr (json_object_get_string_member (connected, "encryption"), ==, "/noise");
  g_assert_cmpstr (json_object_get_string_member (connected, "multiplexer"), ==, "/yamux/1.0.0");
  json_object_unref (connected);
  while (inbound == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_autofree char *seen = satori_peer_id_to_string (satori_connection_get_remote_peer (inbound));
  g_assert_cmpstr (seen, ==, js_peer);

  satori_js_peer_send (fixture->js, "{\"cmd\":\"echo\",\"bytes\":1048576,\"streams\":10}");
  JsonObject *echo = satori_js_peer_wait_event (fixture->js, "echo");
  g_assert_true (json_object_get_boolean_member (echo, "ok"));
  g_assert_cmpint (json_object_get_int_member (echo, "total_bytes"), ==, 10 * 1048576);
  json_object_unref (echo);
  g_assert_cmpuint (satori_test_echo_get_streams (fixture->echo), ==, 10);
}

static void
on_peer_disconnected (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_we_dial_js (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint disconnected = 0;

  g_test_summary ("We dial js, echo 32 MiB through its echo service, and see its close");
  g_autoptr(SatoriConnection) connection = connect_to_js (fixture);
  g_assert_cmpstr (satori_connection_get_muxer_protocol (connection), ==, "/yamux/1.0.0");

  g_autoptr(GAsyncResult) opened = NULL;
  const char *protocols[] = { ECHO, NULL };
  satori_connection_open_stream_async (connection, protocols, NULL, satori_test_store_result,
                                       &opened);
  g_autoptr(GIOStream) stream =
    satori_connection_open_stream_finish (connection, satori_test_wait (&opened), NULL, &error);
  g_assert_no_error (error);

  gsize len = 32 * 1024 * 1024;
  g_autofree guint8 *payload = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    payload[i] = (guint8) (i * 131 + (i >> 13));
  g_autoptr(GBytes) echoed = satori_test_echo_round_trip (stream, payload, len);
  g_assert_cmpuint (g_bytes_get_size (echoed), ==, len);
  g_assert_true (memcmp (g_bytes_get_data (echoed, NULL), payload, len) == 0);

  g_signal_connect (fixture->host, "peer-disconnected", G_CALLBACK (on_peer_disconnected),
                    &disconnected);
  satori_js_peer_send (fixture->js, "{\"cmd\":\"close\"}");
  json_object_unref (satori_js_peer_wait_event (fixture->js, "close"));
  while (disconnected == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (satori_connection_is_closed (connection));
}

/* Echoes a few bytes on a new (lazily negotiated) stream: written and
 * half-closed at once, before js has answered the proposal. */
static void
echo_small (SatoriConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  const char *echo[] = { ECHO, NULL };

  satori_connection_open_stream_async (connection, echo, NULL, satori_test_store_result, &opened);
  g_autoptr(GIOStream) stream =
    satori_connection_open_stream_finish (connection, satori_test_wait (&opened), NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) echoed = satori_test_echo_round_trip (stream, (const guint8 *) "ok", 2);
  g_assert_cmpmem (g_bytes_get_data (echoed, NULL), g_bytes_get_size (echoed), "ok", 2);
}

static void
test_js_lazy_write_close (Fixture *fixture, gconstpointer data)
{

  g_test_summary ("js gets the bytes of a lazily negotiated stream that is written and "
                  "half-closed at once (the end waits for js's echo of the proposal)");
  g_autoptr(SatoriConnection) connection = connect_to_js (fixture);
  for (guint i = 0; i < 20; i++)
    echo_small (connection);
  JsonObject *served = satori_js_peer_wait_event (fixture->js, "echo-served");
  g_assert_true (json_object_get_boolean_member (served, "ok"));
  g_assert_cmpint (json_object_get_int_member (served, "bytes"), ==, 2);
  json_object_unref (served);
}

static void
test_js_refuses_lazy_proposal (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *nope[] = { "/no/such/1.0.0", NULL };
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  char buf[16];

  g_test_summary ("A protocol js lacks, proposed lazily with data behind it, fails our "
                  "first read with NOT_SUPPORTED; the connection still echoes");
  g_autoptr(SatoriConnection) connection = connect_to_js (fixture);

  satori_connection_open_stream_async (connection, nope, NULL, satori_test_store_result, &opened);
  g_autoptr(GIOStream) stream =
    satori_connection_open_stream_finish (connection, satori_test_wait (&opened), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), "hello", 5, NULL, NULL,
                             &error);
  g_assert_no_error (error);
  GInputStream *input = g_io_stream_get_input_stream (stream);
  g_input_stream_read_async (input, buf, sizeof buf, G_PRIORITY_DEFAULT, NULL,
                             satori_test_store_result, &read);
  g_assert_cmpint (g_input_stream_read_finish (input, satori_test_wait (&read), &error), ==, -1);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  echo_small (connection);
  g_assert_false (satori_connection_is_closed (connection));
}

static void
test_js_resets_stream (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("js resets an echo stream mid-transfer; the connection survives");
  start_js_dialing_us (fixture);
  satori_js_peer_send (fixture->js, "{\"cmd\":\"reset-echo\",\"bytes\":4194304}");
  JsonObject *reset = satori_js_peer_wait_event (fixture->js, "reset-echo");
  g_assert_true (json_object_get_boolean_member (reset, "connection_ok"));
  json_object_unref (reset);
}

/* Has the js peer echo @bytes on each of @streams concurrent streams
 * through our echo service, and checks the SHA-256 of what each stream
 * sent against what came back, and that every stream had its own data.
 * js gives up before satori_js_peer_wait_event() would, to say why. */
static JsonObject *
js_echo_checked (Fixture *fixture, gsize bytes, guint streams)
{
  g_autofree char *command =
    g_strdup_printf ("{\"cmd\":\"echo\",\"bytes\":%" G_GSIZE_FORMAT ",\"streams\":%u,"
                     "\"timeout_ms\":55000}", bytes, streams);
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  guint served = satori_test_echo_get_streams (fixture->echo);

  satori_js_peer_send (fixture->js, command);
  JsonObject *echo = satori_js_peer_wait_event (fixture->js, "echo");
  g_assert_true (json_object_get_boolean_member (echo, "ok"));
  g_assert_cmpint (json_object_get_int_member (echo, "total_bytes"), ==, (gint64) (bytes * streams));
  JsonArray *sent = json_object_get_array_member (echo, "sent_sha256");
  JsonArray *received = json_object_get_array_member (echo, "received_sha256");
  g_assert_cmpuint (json_array_get_length (sent), ==, streams);
  g_assert_cmpuint (json_array_get_length (received), ==, streams);
  for (guint i = 0; i < streams; i++)
    {
      const char *hash = json_array_get_string_element (sent, i);
      g_assert_cmpstr (json_array_get_string_element (received, i), ==, hash);
      g_assert_true (g_hash_table_add (distinct, (gpointer) hash));
    }
  g_assert_cmpuint (satori_test_echo_get_streams (fixture->echo), ==, served + streams);
  return echo;
}

static void
test_js_dials_us_100mib (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("js dials us and echoes 100 MiB on one stream, SHA-256 checked");
  start_js_dialing_us (fixture);
  json_object_unref (js_echo_checked (fixture, 100 * MIB, 1));
}

static void
test_js_dials_us_concurrent (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("js dials us and echoes on 100 streams at once, each its own data and SHA-256");
  start_js_dialing_us (fixture);
  json_object_unref (js_echo_checked (fixture, 256 * 1024, CONCURRENT_STREAMS));
}

static void
test_js_half_closes (Fixture *fixture, gconstpointer data)
{
  gsize len = 4 * MIB;

  g_test_summary ("js closes its write side mid-echo; we echo the rest, then close ours");
  start_js_dialing_us (fixture);
  JsonObject *echo = js_echo_checked (fixture, len, 1);
  /* js closed while bytes were still to come back: everything after that
   * was our side writing on a stream the remote had half-closed. */
  gint64 at_close = json_array_get_int_element (json_object_get_array_member (echo,
                                                                              "received_at_close"), 0);
  g_test_message ("%" G_GINT64_FORMAT " of %" G_GSIZE_FORMAT " bytes back at js's close", at_close,
                  len);
  g_assert_cmpint (at_close, <, (gint64) len);
  json_object_unref (echo);
  /* The connection is still good for new streams. */
  json_object_unref (js_echo_checked (fixture, 1024, 1));
}

typedef struct
{
  gsize len;
  guint32 seed;
  SatoriEchoCheck *check;
} EchoRun;

static void
on_echo_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EchoRun *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream =
    satori_connection_open_stream_finish (SATORI_CONNECTION (source), result, NULL, &error);

  g_assert_no_error (error);
  run->check = satori_echo_check_start (stream, run->len, run->seed);
}

/* Opens @streams echo streams to js at once, each sending @len bytes of its
 * own; checks the SHA-256 of what came back, and of what js's echo service
 * received, against what we sent. */
static void
echo_through_js (Fixture *fixture, SatoriConnection *connection, gsize len, guint streams)
{
  const char *protocols[] = { ECHO, NULL };
  g_autofree EchoRun *runs = g_new0 (EchoRun, streams);
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < streams; i++)
    {
      runs[i] = (EchoRun) { .len = len, .seed = i + 1 };
      satori_connection_open_stream_async (connection, protocols, NULL, on_echo_opened, &runs[i]);
    }
  for (guint i = 0; i < streams; i++)
    {
      while (runs[i].check == NULL || !satori_echo_check_is_done (runs[i].check))
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (satori_echo_check_get_received (runs[i].check), ==, len);
      g_assert_cmpstr (satori_echo_check_get_received_sha256 (runs[i].check), ==,
                       satori_echo_check_get_sent_sha256 (runs[i].check));
      g_assert_true (g_hash_table_add (sent,
                                       g_strdup (satori_echo_check_get_sent_sha256 (runs[i].check))));
      satori_echo_check_free (runs[i].check);
    }
  for (guint i = 0; i < streams; i++)
    {
      JsonObject *served = satori_js_peer_wait_event (fixture->js, "echo-served");
      g_assert_true (json_object_get_boolean_member (served, "ok"));
      g_assert_cmpint (json_object_get_int_member (served, "bytes"), ==, (gint64) len);
      g_assert_true (g_hash_table_remove (sent, json_object_get_string_member (served, "sha256")));
      json_object_unref (served);
    }
}

static void
test_we_dial_js_100mib (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConnection) connection = NULL;

  g_test_summary ("We dial js and echo 100 MiB on one stream, SHA-256 checked on both ends");
  connection = connect_to_js (fixture);
  echo_through_js (fixture, connection, 100 * MIB, 1);
}

static void
test_we_dial_js_concurrent (Fixture *fixture, gconstpointer data)
{
  g_autoptr(SatoriConnection) connection = NULL;

  g_test_summary ("We dial js and echo on 100 streams at once, each its own data and SHA-256");
  connection = connect_to_js (fixture);
  echo_through_js (fixture, connection, 256 * 1024, CONCURRENT_STREAMS);
}

static void
test_js_half_closes_our_stream (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  const char *protocols[] = { SINK, NULL };
  gsize len = 16 * MIB;

  g_test_summary ("On a stream we opened, js closes its side first; we write 16 MiB on");
  g_autoptr(SatoriConnection) connection = connect_to_js (fixture);
  satori_connection_open_stream_async (connection, protocols, NULL, satori_test_store_result,
                                       &opened);
  g_autoptr(GIOStream) stream =
    satori_connection_open_stream_finish (connection, satori_test_wait (&opened), NULL, &error);
  g_assert_no_error (error);
  /* js's sink sends "sink\n" and closes at once, then reads all we send:
   * flow control keeps us from writing 16 MiB before its close arrives. */
  g_autoptr(SatoriEchoCheck) check = satori_echo_check_start (stream, len, 1);
  while (!satori_echo_check_is_done (check))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (satori_echo_check_remote_closed_first (check));
  g_assert_cmpuint (satori_echo_check_get_received (check), ==, strlen ("sink\n"));

  JsonObject *served = satori_js_peer_wait_event (fixture->js, "sink-served");
  g_assert_true (json_object_get_boolean_member (served, "ok"));
  g_assert_cmpint (json_object_get_int_member (served, "bytes"), ==, (gint64) len);
  g_assert_cmpstr (json_object_get_string_member (served, "sha256"), ==,
                   satori_echo_check_get_sent_sha256 (check));
  json_object_unref (served);
}

static void
test_js_dials_daemon (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("satori-interop-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (dir, "test.conf", NULL);
  g_autofree char *key = g_build_filename (dir, "identity.key", NULL);

  g_test_summary ("satorip2pd on its default plugins takes a js-libp2p dial, identify and ping");
  g_assert_true (g_file_set_contents (config, "[host]\nlisten=/ip4/127.0.0.1/tcp/0\n", -1, NULL));
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", dir, TRUE);
  g_autoptr(GSubprocess) daemon = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD,
                                                               "--config", config, "--key", key,
                                                               NULL);
  g_assert_no_error (error);

  /* "Listening on /ip4/127.0.0.1/tcp/PORT/p2p/ID" */
  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stderr_pipe (daemon));
  g_autofree char *address = NULL;
  while (address == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      const char *at = strstr (line, "Listening on ");
      if (at != NULL)
        address = g_strdup (at + strlen ("Listening on "));
    }

  const char *args[] = { "--dial", address, NULL };
  fixture->js = satori_js_peer_start (args);
  JsonObject *connected = satori_js_peer_wait_event (fixture->js, "connected");
  g_assert_cmpstr (json_object_get_string_member (connected, "encryption"), ==, "/noise");
  g_assert_true (g_str_has_suffix (address, json_object_get_string_member (connected, "peer")));
  json_object_unref (connected);
  /* The default plugins include identify and ping. */
  JsonObject *identify = satori_js_peer_wait_event (fixture->js, "identify");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (identify, "agentVersion"),
                                   "satorip2p/"));
  json_object_unref (identify);
  satori_js_peer_send (fixture->js, "{\"cmd\":\"ping\"}");
  json_object_unref (satori_js_peer_wait_event (fixture->js, "ping"));

  g_subprocess_send_signal (daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 0);
  g_remove (key);
  g_remove (config);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/interop/js/dials-us", test_js_dials_us);
  ADD ("/interop/js/we-dial", test_we_dial_js);
  ADD ("/interop/js/reset-stream", test_js_resets_stream);
  ADD ("/interop/js/lazy-refused", test_js_refuses_lazy_proposal);
  ADD ("/interop/js/lazy-write-close", test_js_lazy_write_close);
  ADD ("/interop/js/half-close", test_js_half_closes);
  ADD ("/interop/js/half-close-our-stream", test_js_half_closes_our_stream);
  ADD ("/interop/js/dials-us-100mib", test_js_dials_us_100mib);
  ADD ("/interop/js/we-dial-100mib", test_we_dial_js_100mib);
  ADD ("/interop/js/dials-us-concurrent", test_js_dials_us_concurrent);
  ADD ("/interop/js/we-dial-concurrent", test_we_dial_js_concurrent);
  ADD ("/interop/js/dials-daemon", test_js_dials_daemon);
#undef ADD
  return g_test_run ();
}
