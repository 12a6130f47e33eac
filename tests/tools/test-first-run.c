/* satorip2pd's first run: no config file, no key, nothing in its folders.
 * It must come up on the embedded defaults — a new key readable only by its
 * owner, libp2p on TCP port 24600, REST on 127.0.0.1:8080 — so the test
 * runs it in a network namespace of its own (as root; skipped otherwise),
 * where those ports are free and nothing outside can reach it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "satori-test-daemon.h"
#include "satori-test-util.h"

#define DEFAULT_PORT "/tcp/24600"

static gboolean
enter_network_namespace (void)
{
  g_autoptr(GError) error = NULL;
  const char *lo_up[] = { "ip", "link", "set", "lo", "up", NULL };
  gint status = 0;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root for a network namespace of its own");
      return FALSE;
    }
  if (unshare (CLONE_NEWNET) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("cannot make a network namespace: %s",
                                                 g_strerror (errno));
      g_test_skip (reason);
      return FALSE;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) lo_up, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return TRUE;
}

/* The REST API's answer to GET @path, status line and all. */
static char *
http_get (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1:8080", 0, NULL, &error);
  g_assert_no_error (error);
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
                                              path);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_assert_true (g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GString *answer = g_string_new (NULL);
  char buffer[4096];
  gssize n;
  while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (answer, buffer, n);
  g_assert_no_error (error);
  return g_string_free (answer, FALSE);
}

static void
test_first_run (void)
{
  g_autoptr(GError) error = NULL;
  SatoriTestDaemon daemon = { 0 };

  g_test_summary ("With no config and no key, satorip2pd creates a key only its owner can "
                  "read, listens on TCP port 24600 and answers REST on 127.0.0.1:8080 with its status");
  if (!enter_network_namespace ())
    return;

  satori_test_daemon_prepare (&daemon);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  satori_test_daemon_setenv (&daemon, launcher);
  GSubprocess *process = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD, NULL);
  g_assert_no_error (error);
  satori_test_daemon_attach (&daemon, process);

  const char * const *addresses = satori_dbus_node_get_listen_addresses (daemon.node);
  gboolean default_port = FALSE;
  for (guint i = 0; addresses[i] != NULL; i++)
    default_port |= g_str_has_suffix (addresses[i], DEFAULT_PORT);
  g_assert_true (default_port);
  g_assert_true (g_str_has_prefix (satori_dbus_node_get_peer_id (daemon.node), "16Uiu2HA"));

  g_autofree char *key = g_build_filename (daemon.dir, "satorip2p", "identity.key", NULL);
  struct stat info;
  g_assert_cmpint (g_stat (key, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  g_autofree char *status = http_get ("/status");
  g_assert_true (g_str_has_prefix (status, "HTTP/1.0 200") ||
                 g_str_has_prefix (status, "HTTP/1.1 200"));
  g_assert_nonnull (strstr (status, satori_dbus_node_get_peer_id (daemon.node)));

  satori_test_daemon_stop (&daemon);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/satorip2pd/first-run/defaults", test_first_run);
  return g_test_run ();
}
