/* Tests of the satorip2p CLI's offline commands, run as a program with
 * $XDG_DATA_HOME in a folder of the test's own. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#define SEED1_HEX "0101010101010101010101010101010101010101010101010101010101010101"
#define SEED1_WIF "KwFfNUhSDaASSAwtG7ssQM1uVX8RgX5GHWnnLfhfiQDigjioWXHH"
#define SEED1_PEER_ID "16Uiu2HAmEWQnHq2jLKJypwVnVoQeFCULuyop6atvq2eWjYSUjzNi"
#define SEED1_ADDRESS "EUFL6dmXWSapcMEC2RmRtipd6ALqKwwqVY"
#define SEED1_PUBLIC "031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f"
#define SIGNER_HEX "4242424242424242424242424242424242424242424242424242424242424242"
#define SIGNER_ADDRESS "EK4BfWWMPTW82ig57MyGk6JCJgT8D9JTr5"
#define MESSAGE "Login to Satori: challenge-12345"
#define SIGNATURE \
  "IAK4Yn9ZzIxqjsEcYR0QQqdHKEd4ppRliPpw+q1RqaQNVO51GbchvDyFMjBfGMqC6Gp4Cv+1ogRXjWL+UVLH22o="

typedef struct
{
  char *dir;        /* $XDG_DATA_HOME */
  char *key;        /* the default identity key file in it */
  char *out;
  char *err;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("satorip2p-cli-XXXXXX", NULL);
  fixture->key = g_build_filename (fixture->dir, "satorip2p", "identity.key", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  const char *names[] = { "wallet.yaml", "other.key", "daemon.conf" };
  g_autofree char *sub = g_path_get_dirname (fixture->key);

  g_remove (fixture->key);
  g_rmdir (sub);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, names[i], NULL);
      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_free (fixture->key);
  g_free (fixture->out);
  g_free (fixture->err);
}

/* Runs satorip2p with @args (NULL-terminated), @input on its standard
 * input; keeps its output in the fixture and returns its exit status. */
static int
run_with_input (Fixture *fixture, const char *input, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) SATORIP2P);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
    G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_autoptr(GSubprocess) process = g_subprocess_launcher_spawnv (
    launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &fixture->out,
                                                &fixture->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

#define run(fixture, ...) run_with_input (fixture, NULL, __VA_ARGS__, NULL)

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” does not contain “%s”", text, part);
}

static void
test_import_and_show (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("key import writes the default key file 0600; key show prints the identity");

  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SEED1_HEX), ==, 0);
  assert_contains (fixture->out, fixture->key);
  assert_contains (fixture->out, SEED1_PEER_ID);
  GStatBuf st;
  g_assert_cmpint (g_stat (fixture->key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_cmpint (run (fixture, "key", "show"), ==, 0);
  assert_contains (fixture->out, SEED1_PEER_ID);
  assert_contains (fixture->out, SEED1_ADDRESS);
  assert_contains (fixture->out, SEED1_PUBLIC);

  g_assert_cmpint (run (fixture, "key", "import", "--force", "--json", "--entropy", SEED1_HEX),
                   ==, 0);
  g_assert_cmpstr (fixture->out, ==,
                   "{\"peer_id\": \"" SEED1_PEER_ID "\", \"address\": \"" SEED1_ADDRESS
                   "\", \"public_key\": \"" SEED1_PUBLIC "\"}\n");

  g_assert_cmpint (run (fixture, "key", "show", "--json"), ==, 0);
  g_assert_cmpstr (fixture->out, ==,
                   "{\"peer_id\": \"" SEED1_PEER_ID "\", \"address\": \"" SEED1_ADDRESS
                   "\", \"public_key\": \"" SEED1_PUBLIC "\"}\n");
}

static void
test_import_sources (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("WIF (argument or stdin), base64 entropy and wallet files import the same key");

  g_autofree char *wallet = g_build_filename (fixture->dir, "wallet.yaml", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, "other.key", NULL);
  g_assert_true (g_file_set_contents (wallet, "entropy: AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n"
                                      "address: " SEED1_ADDRESS "\n", -1, NULL));

  g_assert_cmpint (run (fixture, "key", "import", "--wif", SEED1_WIF, "--key", other), ==, 0);
  assert_contains (fixture->out, SEED1_PEER_ID);
  g_assert_cmpint (run (fixture, "key", "import", "--wallet", wallet, "--key", other,
                        "--force"), ==, 0);
  assert_contains (fixture->out, SEED1_ADDRESS);
  g_assert_cmpint (run_with_input (fixture, SEED1_WIF "\n", "key", "import", "--wif", "-",
                                   NULL), ==, 0);
  assert_contains (fixture->out, SEED1_ADDRESS);
  g_assert_cmpint (run (fixture, "key", "show", "--key", other), ==, 0);
  assert_contains (fixture->out, SEED1_ADDRESS);
}

static void
test_import_refusals (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("import refuses to overwrite without --force, bad WIFs and wallets, and "
                  "wrong option sets");

  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SEED1_HEX), ==, 0);
  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SIGNER_HEX), ==, 1);
  assert_contains (fixture->err, "--force");
  g_assert_cmpint (run (fixture, "key", "show"), ==, 0);
  assert_contains (fixture->out, SEED1_ADDRESS);
  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SIGNER_HEX, "--force"), ==, 0);
  assert_contains (fixture->out, SIGNER_ADDRESS);

  g_assert_cmpint (run (fixture, "key", "import", "--force", "--wif",
                        "KwFfNUhSDaASSAwtG7ssQM1uVX8RgX5GHWnnLfhfiQDigjioWXHJ"), ==, 1);
  assert_contains (fixture->err, "checksum");
  g_autofree char *wallet = g_build_filename (fixture->dir, "wallet.yaml", NULL);
  g_assert_true (g_file_set_contents (wallet, "words: only words\n", -1, NULL));
  g_assert_cmpint (run (fixture, "key", "import", "--force", "--wallet", wallet), ==, 1);
  assert_contains (fixture->err, "neither “entropy” nor “privateKey”");
  g_assert_cmpint (run (fixture, "key", "show"), ==, 0);
  assert_contains (fixture->out, SIGNER_ADDRESS);

  g_assert_cmpint (run (fixture, "key", "import"), ==, 2);
  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SEED1_HEX, "--wif", SEED1_WIF),
                   ==, 2);
  g_assert_cmpint (run (fixture, "key", "import", "--bogus"), ==, 2);
}

static void
test_show_refusals (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("show and sign refuse a key file others may read, and a missing one");

  g_assert_cmpint (run (fixture, "key", "show"), ==, 1);
  assert_contains (fixture->err, fixture->key);
  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SEED1_HEX), ==, 0);
  g_assert_cmpint (g_chmod (fixture->key, 0640), ==, 0);
  g_assert_cmpint (run (fixture, "key", "show"), ==, 1);
  assert_contains (fixture->err, "0640");
  g_assert_cmpint (run (fixture, "sign", MESSAGE), ==, 1);
  assert_contains (fixture->err, "0640");
  g_assert_cmpstr (fixture->out, ==, "");
}

static void
test_sign_and_verify (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("sign prints the §5.6 signature; verify exits 0 valid, 1 invalid, 2 misused");

  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SIGNER_HEX), ==, 0);
  g_assert_cmpint (run (fixture, "sign", MESSAGE), ==, 0);
  g_assert_cmpstr (fixture->out, ==, SIGNATURE "\n");

  g_assert_cmpint (run (fixture, "verify", "--address", SIGNER_ADDRESS, "--signature", SIGNATURE,
                        MESSAGE), ==, 0);
  assert_contains (fixture->out, SIGNER_ADDRESS);
  g_assert_cmpint (run (fixture, "verify", "--address", SEED1_ADDRESS, "--signature", SIGNATURE,
                        MESSAGE), ==, 1);
  assert_contains (fixture->err, "Invalid signature");
  g_assert_cmpint (run (fixture, "verify", "--address", SIGNER_ADDRESS, "--signature", SIGNATURE,
                        MESSAGE "."), ==, 1);
  g_assert_cmpint (run (fixture, "verify", "--address", SIGNER_ADDRESS, "--signature", "AAAA",
                        MESSAGE), ==, 1);
  assert_contains (fixture->err, "base64");

  g_assert_cmpint (run (fixture, "sign", "--json", MESSAGE), ==, 0);
  g_assert_cmpstr (fixture->out, ==,
                   "{\"signature\":\"" SIGNATURE "\",\"address\":\"" SIGNER_ADDRESS "\"}\n");
  g_assert_cmpint (run (fixture, "verify", "--json", "--address", SIGNER_ADDRESS, "--signature",
                        SIGNATURE, MESSAGE), ==, 0);
  g_assert_cmpstr (fixture->out, ==, "{\"valid\":true,\"address\":\"" SIGNER_ADDRESS "\"}\n");
  g_assert_cmpint (run (fixture, "verify", "--json", "--address", SEED1_ADDRESS, "--signature",
                        SIGNATURE, MESSAGE), ==, 1);
  assert_contains (fixture->out, "{\"valid\":false,\"address\":\"" SEED1_ADDRESS "\",\"error\":");

  g_assert_cmpint (run (fixture, "verify", "--address", SIGNER_ADDRESS, MESSAGE), ==, 2);
  g_assert_cmpint (run (fixture, "verify", "--address", SIGNER_ADDRESS, "--signature",
                        SIGNATURE), ==, 2);
  g_assert_cmpint (run (fixture, "sign"), ==, 2);
  g_assert_cmpint (run (fixture, "sign", "a", "b"), ==, 2);
}

static void
test_help (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("satorip2p lists its commands; each has --help; unknown commands are usage errors");

  g_assert_cmpint (run (fixture, "--help"), ==, 0);
  assert_contains (fixture->out, "key import");
  assert_contains (fixture->out, "verify");
  g_assert_cmpint (run (fixture, "key", "import", "--help"), ==, 0);
  assert_contains (fixture->out, "satorip2p key import");
  assert_contains (fixture->out, "--wallet");
  g_assert_cmpint (run (fixture, "verify", "--help"), ==, 0);
  assert_contains (fixture->out, "--signature");
  g_assert_cmpint (run (fixture, "frobnicate"), ==, 2);
  assert_contains (fixture->err, "frobnicate");
  g_assert_cmpint (run (fixture, "key", "frobnicate"), ==, 2);
  assert_contains (fixture->err, "key frobnicate");
}

static void
test_daemon_uses_key (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("satorip2pd runs with the imported key as its identity (16Uiu2HA… PeerID)");

  g_autofree char *plugin_dir = g_path_get_dirname (MEMORY_PLUGIN);
  g_autofree char *config = g_build_filename (fixture->dir, "daemon.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_assert_cmpint (run (fixture, "key", "import", "--entropy", SEED1_HEX), ==, 0);
  g_assert_true (g_file_set_contents (config, "[plugins]\nload=memory\n[host]\ntransports=memory\n"
                                      "security=\nmuxers=\nlisten=/memory/31338\n"
                                      "[rest]\nenabled=false\n", -1, NULL));
  g_subprocess_launcher_setenv (launcher, "SATORI_PLUGIN_PATH", plugin_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_autoptr(GSubprocess) daemon = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD,
                                                               "--config", config, NULL);
  g_assert_no_error (error);

  g_autoptr(GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stderr_pipe (daemon));
  gboolean listening = FALSE;
  char *line;
  while (!listening && (line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    {
      listening = strstr (line, "Listening on /memory/31338/p2p/" SEED1_PEER_ID) != NULL;
      g_free (line);
    }
  g_assert_true (listening);
  g_subprocess_send_signal (daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tools/satorip2p/key/import-and-show", test_import_and_show);
  ADD ("/tools/satorip2p/key/import-sources", test_import_sources);
  ADD ("/tools/satorip2p/key/import-refusals", test_import_refusals);
  ADD ("/tools/satorip2p/key/show-refusals", test_show_refusals);
  ADD ("/tools/satorip2p/sign-and-verify", test_sign_and_verify);
  ADD ("/tools/satorip2p/help", test_help);
  ADD ("/tools/satorip2p/daemon-uses-key", test_daemon_uses_key);
#undef ADD
  return g_test_run ();
}
