/* Tests of satori-inspect and satorip2pd, run as programs. */
#include <glib/gstdio.h>
#include <string.h>

#include <gio/gio.h>

#include "satori-test-util.h"

typedef struct
{
  char *dir;                  /* a plugin folder made for the test */
} Fixture;

static void
copy_file (const char *source, const char *dir, int mode)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autofree char *base = g_path_get_basename (source);
  g_autofree char *target = g_build_filename (dir, base, NULL);

  g_assert_true (g_file_get_contents (source, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (target, contents, len, NULL));
  g_assert_cmpint (g_chmod (target, mode), ==, 0);
}

/* The real memory plugin, one built for another ABI major, and a
 * world-writable copy of a good plugin. */
static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("satori-tools-XXXXXX", NULL);
  copy_file (MEMORY_PLUGIN, fixture->dir, 0755);
  copy_file (TEST_PLUGIN_DIR "/libsatori-testbadabi.so", fixture->dir, 0755);
  copy_file (TEST_PLUGIN_DIR "/libsatori-testgood.so", fixture->dir, 0666);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static int
run (const char *plugin_path, char **out, char **err, const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "SATORI_PLUGIN_PATH", plugin_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_tmp_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", plugin_path, TRUE);
  g_autoptr(GSubprocess) process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static void
test_inspect_list (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { SATORI_INSPECT, NULL };

  g_test_summary ("satori-inspect lists the memory plugin with its ABI, and says why the "
                  "others were refused");
  g_assert_cmpint (run (fixture->dir, &out, &err, argv), ==, 0);
  g_assert_nonnull (strstr (out, "memory         0.1.0    ABI 1.1"));
  g_assert_nonnull (strstr (out, "Transport"));
  g_assert_true (g_regex_match_simple ("testbadabi +REFUSED: .*built for plugin ABI 2\\.0", out,
                                       0, 0));
  g_assert_true (g_regex_match_simple ("testgood +REFUSED: .*writable by its group or by others",
                                       out, 0, 0));
  g_assert_nonnull (strstr (out, "1 plugins loaded, 2 refused"));
}

static void
test_inspect_one (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *good[] = { SATORI_INSPECT, "memory", NULL };
  const char *bad[] = { SATORI_INSPECT, "testbadabi", NULL };

  g_test_summary ("satori-inspect NAME shows one plugin, or why it was refused");
  g_assert_cmpint (run (fixture->dir, &out, &err, good), ==, 0);
  g_assert_nonnull (strstr (out, "Plugin ABI:   1.1 (core 1.1)"));
  g_assert_nonnull (strstr (out, "Implementation:  SatoriMemoryTransport"));
  g_assert_nonnull (strstr (out, "buffer-size"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (fixture->dir, &out, &err, bad), ==, 1);
  g_assert_nonnull (strstr (err, "Plugin 'testbadabi' could not be loaded"));
  g_assert_nonnull (strstr (err, "built for plugin ABI 2.0"));
}

/* Runs satorip2pd on a config file holding @text: it must exit 1 naming
 * the file with @line, and @word. */
static void
assert_daemon_refuses (Fixture *fixture, const char *text, guint line, const char *word)
{
  g_autofree char *config = g_build_filename (fixture->dir, "refused.conf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { SATORIP2PD, "--config", config, NULL };

  g_assert_true (g_file_set_contents (config, text, -1, NULL));
  g_assert_cmpint (run (fixture->dir, &out, &err, argv), ==, 1);
  g_autofree char *expected = g_strdup_printf ("%s:%u", config, line);
  g_assert_nonnull (strstr (err, expected));
  g_assert_nonnull (strstr (err, word));
}

static void
test_daemon_bad_config (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("satorip2pd refuses a bad configuration, naming file, line and key");
  assert_daemon_refuses (fixture, "[plugins]\nload=memory\n[host]\ntransports=memory\n"
                                  "[memory]\nbuffer-size=lots\n", 6, "buffer-size");
}

static void
test_daemon_missing_plugin (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("satorip2pd refuses to start with a plugin it cannot find, naming the "
                  "plugin and where the configuration asks for it");
  assert_daemon_refuses (fixture, "[plugins]\nload=memory;nosuch\n[host]\ntransports=memory\n",
                         2, "nosuch");
}

static void
test_daemon_runs_until_sigterm (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *config = g_build_filename (fixture->dir, "test.conf", NULL);
  g_autofree char *key = g_build_filename (fixture->dir, "identity.key", NULL);

  g_test_summary ("satorip2pd creates its key (secp256k1, as a wallet key), listens as "
                  "configured and exits cleanly on SIGTERM");
  g_assert_true (g_file_set_contents (config, "[plugins]\nload=memory\n[host]\ntransports=memory\nsecurity=\nmuxers=\n"
                                   "listen=/memory/31337\n", -1, NULL));
  g_subprocess_launcher_setenv (launcher, "SATORI_PLUGIN_PATH", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_autoptr(GSubprocess) daemon = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD,
                                                               "--config", config, "--key", key,
                                                               NULL);
  g_assert_no_error (error);

  /* Wait for the line saying it listens, then stop it. */
  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stderr_pipe (daemon));
  gboolean listening = FALSE;
  char *line;
  while (!listening && (line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    {
      /* A secp256k1 key's peer id: 16Uiu2HA… */
      listening = strstr (line, "Listening on /memory/31337/p2p/16Uiu2HA") != NULL;
      g_free (line);
    }
  g_assert_true (listening);
  g_subprocess_send_signal (daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 0);

  GStatBuf st;
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tools/inspect/list", Fixture, NULL, fixture_set_up, test_inspect_list,
              fixture_tear_down);
  g_test_add ("/tools/inspect/one", Fixture, NULL, fixture_set_up, test_inspect_one,
              fixture_tear_down);
  g_test_add ("/tools/satorip2pd/bad-config", Fixture, NULL, fixture_set_up,
              test_daemon_bad_config, fixture_tear_down);
  g_test_add ("/tools/satorip2pd/missing-plugin", Fixture, NULL, fixture_set_up,
              test_daemon_missing_plugin, fixture_tear_down);
  g_test_add ("/tools/satorip2pd/runs-until-sigterm", Fixture, NULL, fixture_set_up,
              test_daemon_runs_until_sigterm, fixture_tear_down);
  return g_test_run ();
}
