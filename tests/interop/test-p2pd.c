/* satori-p2pd against @libp2p/daemon-client: the daemon runs on a unix
 * control socket in a temporary directory, and p2pd-client.mjs drives it
 * (IDENTIFY, CONNECT, LIST_PEERS, STREAM_OPEN, STREAM_HANDLER, a DHT
 * request without -dht, DISCONNECT) against a js-libp2p peer,
 * p2pd-pubsub-client.mjs its PUBSUB requests against a js floodsub peer,
 * and p2pd-dht-client.mjs the DHT requests of two daemons with a js
 * kad-dht peer between them. A raw malformed request must get an ERROR
 * response without hurting the daemon.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  char *socket_path;
  GSubprocess *process;
} Daemon;

typedef struct
{
  char *dir;
  Daemon daemons[2];
  guint n_daemons;
} Fixture;

/* What a test starts: daemons with these flags (space-separated, or NULL). */
typedef struct
{
  guint n_daemons;
  const char *flags;
} Setup;

static const Setup one_daemon = { 1, NULL };

/* Starts daemon @i, ready once it printed its addresses: "Peer Addrs:" and
 * one line. */
static void
start_daemon (Fixture *fixture, guint i, const char *flags)
{
  g_autoptr(GError) error = NULL;
  Daemon *daemon = &fixture->daemons[i];
  g_autofree char *name = g_strdup_printf ("p2pd-%u.sock", i);

  daemon->socket_path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *listen = g_strdup_printf ("-listen=/unix%s", daemon->socket_path);
  g_auto(GStrv) extra = flags != NULL ? g_strsplit (flags, " ", -1) : NULL;
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_strv_builder_add_many (argv, SATORI_P2PD, listen, "-hostAddrs=/ip4/127.0.0.1/tcp/0",
                           "-noise=true", "-muxer=yamux", NULL);
  if (extra != NULL)
    g_strv_builder_addv (argv, (const char **) extra);
  g_auto(GStrv) command = g_strv_builder_end (argv);
  daemon->process = g_subprocess_newv ((const char * const *) command,
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon->process));
  gboolean control = FALSE, addrs = FALSE;
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (addrs)
        {
          g_assert_true (g_str_has_prefix (line, "/ip4/127.0.0.1/tcp/"));
          break;
        }
      control |= g_str_has_prefix (line, "Control socket: /unix/");
      addrs = g_str_equal (line, "Peer Addrs:");
    }
  g_assert_true (control);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  const Setup *setup = data;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("satori-p2pd-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->n_daemons = setup->n_daemons;
  for (guint i = 0; i < setup->n_daemons; i++)
    start_daemon (fixture, i, setup->flags);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < fixture->n_daemons; i++)
    {
      g_autoptr(GError) error = NULL;
      Daemon *daemon = &fixture->daemons[i];

      g_subprocess_send_signal (daemon->process, SIGTERM);
      g_subprocess_wait (daemon->process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (daemon->process));
      g_assert_cmpint (g_subprocess_get_exit_status (daemon->process), ==, 0);
      g_assert_false (g_file_test (daemon->socket_path, G_FILE_TEST_EXISTS));
      g_clear_object (&daemon->process);
      g_free (daemon->socket_path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* Runs tests/interop/@name against the daemons; it must print a pass. */
static void
run_client (Fixture *fixture, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "interop", name, NULL);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();

  g_strv_builder_add_many (argv, "node", script, NULL);
  for (guint i = 0; i < fixture->n_daemons; i++)
    {
      g_autofree char *control = g_strdup_printf ("/unix%s", fixture->daemons[i].socket_path);
      g_strv_builder_add (argv, control);
    }
  g_auto(GStrv) command = g_strv_builder_end (argv);
  g_autoptr(GSubprocess) client = g_subprocess_newv ((const char * const *) command,
                                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_autofree char *output = NULL;
  g_subprocess_communicate_utf8 (client, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", output);

  g_assert_true (g_subprocess_get_if_exited (client));
  g_assert_cmpint (g_subprocess_get_exit_status (client), ==, 0);
  g_assert_nonnull (strstr (output, "{\"result\":\"pass\"}"));
}

static void
test_daemon_client (Fixture *fixture, gconstpointer data)
{
  run_client (fixture, "p2pd-client.mjs");
}

static void
test_dht (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("DHT with two daemons started with -dht and a js kad-dht peer between "
                  "them: FIND_PEER, GET_CLOSEST_PEERS, PUT_VALUE / GET_VALUE / SEARCH_VALUE "
                  "(streamed) of /pk/ records and GET_PUBLIC_KEY, PROVIDE / FIND_PROVIDERS, "
                  "each way with js");
  run_client (fixture, "p2pd-dht-client.mjs");
}

static void
test_pubsub (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("PUBSUB with -pubsub -pubsubRouter=floodsub: SUBSCRIBE streams what a js "
                  "peer publishes, PUBLISH reaches it, GET_TOPICS and LIST_PEERS follow, "
                  "cancelling leaves the topic");
  run_client (fixture, "p2pd-pubsub-client.mjs");
}

/* Sends @request raw and returns everything the daemon answers. */
static GBytes *
exchange (Fixture *fixture, const guint8 *request, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (
    fixture->daemons[0].socket_path);
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_no_error (error);

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_output_stream_splice (sink, g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static void
test_malformed (Fixture *fixture, gconstpointer data)
{
  /* A 3-byte request that is not a protobuf, then one announcing more
   * than the daemon accepts. */
  const guint8 garbage[] = { 0x03, 0x0a, 0xff, 0xff };
  const guint8 huge[] = { 0xff, 0xff, 0x7f };
  /* Response{type=ERROR, error{msg=...}} starts 08 01 12. */
  const guint8 error_start[] = { 0x08, 0x01, 0x12 };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) answer = i == 0 ? exchange (fixture, garbage, sizeof garbage)
                                        : exchange (fixture, huge, sizeof huge);
      gsize len;
      const guint8 *bytes = g_bytes_get_data (answer, &len);
      g_assert_cmpuint (len, >, 1 + sizeof error_start);
      g_assert_cmpmem (bytes + 1, sizeof error_start, error_start, sizeof error_start);
    }

  /* Still serving: IDENTIFY answers OK (08 00). */
  const guint8 identify[] = { 0x02, 0x08, 0x00 };
  g_autoptr(GBytes) answer = exchange (fixture, identify, sizeof identify);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (answer, &len);
  g_assert_cmpuint (len, >, 3);
  g_assert_cmpint (bytes[1], ==, 0x08);
  g_assert_cmpint (bytes[2], ==, 0x00);
}

static void
test_pubsub_disabled (Fixture *fixture, gconstpointer data)
{
  /* Request{type=PUBSUB, pubsub{type=GET_TOPICS}}. */
  const guint8 get_topics[] = { 0x06, 0x08, 0x08, 0x42, 0x02, 0x08, 0x00 };
  const guint8 error_start[] = { 0x08, 0x01, 0x12 };

  g_test_summary ("Without -pubsub, PUBSUB requests get an ERROR response");
  g_autoptr(GBytes) answer = exchange (fixture, get_topics, sizeof get_topics);
  gsize len;
  const guint8 *bytes = g_bytes_get_data (answer, &len);
  g_assert_cmpuint (len, >, 1 + sizeof error_start);
  g_assert_cmpmem (bytes + 1, sizeof error_start, error_start, sizeof error_start);
}

static void
test_unknown_flag (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                                    SATORI_P2PD, "-noSuchFlag", NULL);
  g_assert_no_error (error);
  g_subprocess_wait (daemon, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 2);
}

int
main (int argc, char **argv)
{
  static const Setup pubsub = { 1, "-pubsub -pubsubRouter=floodsub" };
  static const Setup dht = { 2, "-dht" };

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/p2pd/interop/daemon-client", Fixture, &one_daemon, fixture_set_up,
              test_daemon_client, fixture_tear_down);
  g_test_add ("/p2pd/interop/malformed", Fixture, &one_daemon, fixture_set_up, test_malformed,
              fixture_tear_down);
  g_test_add ("/p2pd/interop/pubsub", Fixture, &pubsub, fixture_set_up, test_pubsub,
              fixture_tear_down);
  g_test_add ("/p2pd/interop/pubsub-disabled", Fixture, &one_daemon, fixture_set_up,
              test_pubsub_disabled, fixture_tear_down);
  g_test_add ("/p2pd/interop/dht", Fixture, &dht, fixture_set_up, test_dht, fixture_tear_down);
  g_test_add_func ("/p2pd/interop/unknown-flag", test_unknown_flag);
  return g_test_run ();
}
