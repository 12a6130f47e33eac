/* satori-perf as a user runs it: a server and a client as subprocesses on
 * 127.0.0.1 over TCP+Noise+Yamux; the client's JSON line is checked. */
#include <gio/gio.h>
#include <signal.h>
#include <string.h>

static const char *tool;

static char *
json_field (const char *line, const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\"%s\":([0-9.eE+-]+)", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_true (g_regex_match (regex, line, 0, &match));
  return g_match_info_fetch (match, 1);
}

static void
test_tool (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autofree char *address = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_test_summary ("The server prints its address; the client prints one final JSON line");
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, tool, "--server",
                             "--listen", "/ip4/127.0.0.1/tcp/0", NULL);
  g_assert_no_error (error);
  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  address = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_assert_true (g_str_has_prefix (address, "/ip4/127.0.0.1/tcp/"));
  g_assert_nonnull (strstr (address, "/p2p/12D3KooW"));

  client = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             &error, tool, "--upload", "3000000", "--download", "2000001",
                             address, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (client, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("client: %s%s", out, err);
  g_assert_true (g_subprocess_get_if_exited (client));
  g_assert_cmpint (g_subprocess_get_exit_status (client), ==, 0);

  g_assert_true (g_str_has_prefix (out, "{\"type\":\"final\","));
  g_assert_true (g_str_has_suffix (out, "}\n"));
  g_autofree char *upload = json_field (out, "upload_bytes");
  g_autofree char *download = json_field (out, "download_bytes");
  g_autofree char *seconds = json_field (out, "seconds");
  g_autofree char *gbit = json_field (out, "gbit_per_s");
  g_assert_cmpstr (upload, ==, "3000000");
  g_assert_cmpstr (download, ==, "2000001");
  g_assert_cmpfloat (g_ascii_strtod (seconds, NULL), >, 0.0);
  g_assert_cmpfloat (g_ascii_strtod (gbit, NULL), >, 0.0);

  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait_check (server, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tool = argc > 1 ? argv[1] : "satori-perf";
  g_test_add_func ("/perf/tool/server-client", test_tool);
  return g_test_run ();
}
