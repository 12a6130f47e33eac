/* satorip2pd logs to the journal: in a mount namespace of its own, the
 * test binds a folder of its own over the journal's folder and plays
 * journald there: it listens on the journal's datagram socket for native
 * entries, and on its stream socket for standard error. satorip2pd runs
 * with its standard error connected to that stream and named by
 * JOURNAL_STREAM, as systemd runs a service. (GLib's default writer finds
 * the journal by the peer address of standard error.) Needs root for the
 * mount namespace; skipped otherwise.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "satori-test-daemon.h"
#include "satori-test-util.h"

#define JOURNAL_DIR "/run/systemd/journal"
#define JOURNAL_SOCKET JOURNAL_DIR "/socket"
#define JOURNAL_STDOUT JOURNAL_DIR "/stdout"
#define WAIT_LIMIT_S 30

#define CONFIG \
  "[plugins]\nload=tcp;noise;yamux\n" \
  "[host]\nlisten=/ip4/127.0.0.1/tcp/0\n" \
  "[rest]\nenabled=false\n"

/* One journal entry: field name → value. */
static GHashTable *
parse_entry (const guint8 *data, gsize len)
{
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gsize pos = 0;

  while (pos < len)
    {
      const guint8 *end = memchr (data + pos, '\n', len - pos);
      g_assert_nonnull (end);
      const guint8 *equals = memchr (data + pos, '=', end - (data + pos));
      if (equals != NULL)
        {
          /* NAME=value\n */
          g_hash_table_replace (fields, g_strndup ((const char *) data + pos, equals - data - pos),
                                g_strndup ((const char *) equals + 1, end - equals - 1));
          pos = end - data + 1;
          continue;
        }
      /* NAME\n, a little-endian 64-bit length, the value, \n */
      char *name = g_strndup ((const char *) data + pos, end - data - pos);
      pos = end - data + 1;
      guint64 size;
      g_assert_cmpuint (len - pos, >=, sizeof size);
      memcpy (&size, data + pos, sizeof size);
      size = GUINT64_FROM_LE (size);
      pos += sizeof size;
      g_assert_cmpuint (len - pos, >, size);
      g_hash_table_replace (fields, name, g_strndup ((const char *) data + pos, size));
      pos += size + 1;
    }
  return fields;
}

/* Waits for the entry whose MESSAGE starts with @prefix. */
static GHashTable *
receive_entry (GSocket *journal, const char *prefix)
{
  g_autofree guint8 *buffer = g_malloc (65536);

  while (TRUE)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (journal, (char *) buffer, 65536, NULL, &error);
      g_assert_no_error (error);
      GHashTable *fields = parse_entry (buffer, n);
      const char *message = g_hash_table_lookup (fields, "MESSAGE");
      g_test_message ("journal: %s: %s", (char *) g_hash_table_lookup (fields, "GLIB_DOMAIN"),
                      message);
      if (message != NULL && g_str_has_prefix (message, prefix))
        return fields;
      g_hash_table_unref (fields);
    }
}

/* Where the journal's folder can be replaced: the folder itself, or the
 * nearest existing folder above it (the rest is made in @dir). */
static char *
bind_journal_dir (const char *dir)
{
  const char *journal = JOURNAL_DIR;
  const char *targets[] = { journal, "/run/systemd", "/run", NULL };

  for (guint i = 0; targets[i] != NULL; i++)
    {
      if (!g_file_test (targets[i], G_FILE_TEST_IS_DIR))
        continue;
      /* The part of the journal's path below the target. */
      g_autofree char *inside = g_build_filename (dir, journal + strlen (targets[i]), NULL);
      g_assert_cmpint (g_mkdir_with_parents (inside, 0755), ==, 0);
      g_assert_cmpint (mount (dir, targets[i], NULL, MS_BIND, NULL), ==, 0);
      return g_strdup (targets[i]);
    }
  g_assert_not_reached ();
}

static GSocket *
listen_socket (const char *path, GSocketType type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_UNIX, type, 0, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  return socket;
}

/* What the daemon wrote on standard error, once it has exited. */
static char *
read_to_end (GSocket *stream)
{
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  while ((n = g_socket_receive (stream, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (text, buffer, n);
  g_assert_cmpint (n, ==, 0);
  return g_string_free (text, FALSE);
}

static void
test_daemon_to_journal (void)
{
  g_autoptr(GError) error = NULL;
  SatoriTestDaemon daemon = { 0 };

  g_test_summary ("With standard error connected to the journal, satorip2pd's messages reach "
                  "the journal's socket with MESSAGE, PRIORITY and GLIB_DOMAIN=satorip2pd, "
                  "and not standard error");
  if (geteuid () != 0)
    {
      g_test_skip ("needs root for a mount namespace of its own");
      return;
    }
  if (unshare (CLONE_NEWNS) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("cannot make a mount namespace: %s",
                                                 g_strerror (errno));
      g_test_skip (reason);
      return;
    }
  /* Nothing mounted here may show outside. */
  g_assert_cmpint (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
  g_autofree char *journal_dir = g_dir_make_tmp ("satori-journal-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *mounted = bind_journal_dir (journal_dir);

  g_autoptr(GSocket) journal = listen_socket (JOURNAL_SOCKET, G_SOCKET_TYPE_DATAGRAM);
  g_socket_set_timeout (journal, WAIT_LIMIT_S);

  daemon.dir = g_dir_make_tmp ("satori-journal-daemon-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *config = g_build_filename (daemon.dir, "test.conf", NULL);
  g_autofree char *key = g_build_filename (daemon.dir, "identity.key", NULL);
  g_assert_true (g_file_set_contents (config, CONFIG, -1, NULL));
  /* Before the daemon's standard error exists: GTestDBus forks a watcher
   * that would keep it open. */
  daemon.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (daemon.bus);
  g_autoptr(GSocket) stream_server = listen_socket (JOURNAL_STDOUT, G_SOCKET_TYPE_STREAM);
  g_assert_true (g_socket_listen (stream_server, &error));
  g_autoptr(GSocket) daemon_stderr = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                                   0, &error);
  g_assert_no_error (error);
  g_autoptr(GSocketAddress) stdout_address = g_unix_socket_address_new (JOURNAL_STDOUT);
  g_assert_true (g_socket_connect (daemon_stderr, stdout_address, NULL, &error));
  g_assert_no_error (error);
  g_autoptr(GSocket) stderr_stream = g_socket_accept (stream_server, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (stderr_stream, WAIT_LIMIT_S);
  struct stat info;
  g_assert_cmpint (fstat (g_socket_get_fd (daemon_stderr), &info), ==, 0);
  g_autofree char *stream = g_strdup_printf ("%lu:%lu", (unsigned long) info.st_dev,
                                             (unsigned long) info.st_ino);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  satori_test_daemon_setenv (&daemon, launcher);
  g_subprocess_launcher_setenv (launcher, "JOURNAL_STREAM", stream, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  g_subprocess_launcher_take_stderr_fd (launcher, dup (g_socket_get_fd (daemon_stderr)));
  g_autoptr(GSubprocess) process = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD,
                                                                "--config", config, "--key", key,
                                                                NULL);
  g_assert_no_error (error);
  /* The daemon's standard error is the daemon's alone, so it ends with it. */
  g_clear_object (&launcher);
  g_clear_object (&daemon_stderr);

  g_autoptr(GHashTable) listening = receive_entry (journal, "Listening on /ip4/127.0.0.1/tcp/");
  g_assert_cmpstr (g_hash_table_lookup (listening, "GLIB_DOMAIN"), ==, "satorip2pd");
  g_assert_cmpstr (g_hash_table_lookup (listening, "PRIORITY"), ==, "5");
  g_assert_cmpstr (g_hash_table_lookup (listening, "CODE_FILE"), !=, NULL);

  g_subprocess_send_signal (process, SIGTERM);
  g_autoptr(GHashTable) stopping = receive_entry (journal, "Shutting down");
  g_assert_cmpstr (g_hash_table_lookup (stopping, "GLIB_DOMAIN"), ==, "satorip2pd");
  g_assert_cmpstr (g_hash_table_lookup (stopping, "PRIORITY"), ==, "5");
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* What went to the journal did not go to standard error too. */
  g_autofree char *errors = read_to_end (stderr_stream);
  g_assert_null (strstr (errors, "Listening on"));
  g_assert_null (strstr (errors, "Shutting down"));

  g_test_dbus_down (daemon.bus);
  g_clear_object (&daemon.bus);
  g_assert_cmpint (umount2 (mounted, MNT_DETACH), ==, 0);
  satori_test_remove_tree (journal_dir);
  satori_test_remove_tree (daemon.dir);
  g_free (daemon.dir);
}

int
main (int argc, char **argv)
{
  /* The daemon's messages are compared in English. */
  g_setenv ("LC_ALL", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/satorip2pd/logging/journal", test_daemon_to_journal);
  return g_test_run ();
}
