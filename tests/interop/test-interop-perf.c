/* /perf/1.0.0 between tools/satori-perf and the js peer's perf (js-peer.mjs),
 * both ways, with the byte counts checked on both ends. */
#include <string.h>

#include "satori-js-peer.h"

/* Odd sizes, so that an off-by-some in either direction shows. */
#define UPLOAD 1048579
#define DOWNLOAD 2097157

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_counts (JsonObject *object, const char *what)
{
  g_test_message ("%s: upload %" G_GINT64_FORMAT ", download %" G_GINT64_FORMAT, what,
                  json_object_get_int_member (object, "upload_bytes"),
                  json_object_get_int_member (object, "download_bytes"));
  g_assert_cmpint (json_object_get_int_member (object, "upload_bytes"), ==, UPLOAD);
  g_assert_cmpint (json_object_get_int_member (object, "download_bytes"), ==, DOWNLOAD);
}

static void
test_js_client (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("The js perf client runs /perf/1.0.0 against satori-perf --server");
  g_autoptr(GSubprocess) server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                                    SATORI_PERF, "--server", NULL);
  g_assert_no_error (error);
  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  g_autofree char *address = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (address, "/p2p/"));

  const char *args[] = { "--dial", address, NULL };
  SatoriJsPeer *js = satori_js_peer_start (args);
  json_object_unref (satori_js_peer_wait_event (js, "dial"));
  satori_js_peer_send (js, "{\"cmd\":\"perf\",\"upload\":" G_STRINGIFY (UPLOAD)
                       ",\"download\":" G_STRINGIFY (DOWNLOAD) "}");
  JsonObject *perf = satori_js_peer_wait_event (js, "perf");
  assert_counts (perf, "js client");
  json_object_unref (perf);
  satori_js_peer_stop (js);

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait_check (server, NULL, &error));
  g_assert_no_error (error);
}

static void
test_js_server (void)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--listen", "/ip4/127.0.0.1/tcp/0", NULL };
  g_autofree char *out = NULL;

  g_test_summary ("satori-perf runs /perf/1.0.0 against the js perf server");
  SatoriJsPeer *js = satori_js_peer_start (args);
  JsonObject *listening = satori_js_peer_wait_event (js, "listening");
  g_autofree char *address =
    g_strdup (json_array_get_string_element (json_object_get_array_member (listening, "addrs"), 0));
  json_object_unref (listening);

  g_autoptr(GSubprocess) client =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, SATORI_PERF,
                      "--upload", G_STRINGIFY (UPLOAD), "--download", G_STRINGIFY (DOWNLOAD),
                      address, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (client, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (client), ==, 0);
  JsonObject *final = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (final, "type"), ==, "final");
  assert_counts (final, "satori-perf client");
  json_object_unref (final);

  JsonObject *served = satori_js_peer_wait_event (js, "perf-served");
  g_assert_true (json_object_get_boolean_member (served, "ok"));
  assert_counts (served, "js server");
  json_object_unref (served);
  satori_js_peer_stop (js);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/interop/perf/js-client", test_js_client);
  g_test_add_func ("/interop/perf/js-server", test_js_server);
  return g_test_run ();
}
