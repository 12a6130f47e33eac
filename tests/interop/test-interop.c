/* Interop with js-libp2p 3.x over TCP + Noise + Yamux, both directions.
 * The js peer is tests/interop/js-peer.mjs (see its README). */
#include <glib/gstdio.h>
#include <string.h>

#include "satori-js-peer.h"
#include "satori-test-echo.h"
#include "satori-test-host.h"
#include "satori-test-util.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);

#define ECHO "/echo/1.0.0"

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

/* Dials the js peer of a fixture that listens. */
static SatoriConnection *
dial_js (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
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
test_we_dial_js (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };
  guint disconnected = 0;

  g_test_summary ("We dial js, echo 32 MiB through its echo service, and see its close");
  fixture->js = satori_js_peer_start (args);
  g_autoptr(SatoriConnection) connection = dial_js (fixture);
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
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };

  g_test_summary ("js gets the bytes of a lazily negotiated stream that is written and "
                  "half-closed at once (the end waits for js's echo of the proposal)");
  fixture->js = satori_js_peer_start (args);
  g_autoptr(SatoriConnection) connection = dial_js (fixture);
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
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };
  const char *nope[] = { "/no/such/1.0.0", NULL };
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  char buf[16];

  g_test_summary ("A protocol js lacks, proposed lazily with data behind it, fails our "
                  "first read with NOT_SUPPORTED; the connection still echoes");
  fixture->js = satori_js_peer_start (args);
  g_autoptr(SatoriConnection) connection = dial_js (fixture);

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
  g_autofree char *address = satori_test_listen (fixture->host, "/ip4/127.0.0.1/tcp/0");
  const char *args[] = { "--dial", address, NULL };

  g_test_summary ("js resets an echo stream mid-transfer; the connection survives");
  fixture->js = satori_js_peer_start (args);
  json_object_unref (satori_js_peer_wait_event (fixture->js, "connected"));
  satori_js_peer_send (fixture->js, "{\"cmd\":\"reset-echo\",\"bytes\":4194304}");
  JsonObject *reset = satori_js_peer_wait_event (fixture->js, "reset-echo");
  g_assert_true (json_object_get_boolean_member (reset, "connection_ok"));
  json_object_unref (reset);
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
  ADD ("/interop/js/dials-daemon", test_js_dials_daemon);
#undef ADD
  return g_test_run ();
}
