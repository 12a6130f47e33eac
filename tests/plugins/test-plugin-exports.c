/* Every plugin module exports its descriptor and nothing else: the linker
 * version script hides the rest (NetworkManager's habit). Reads the dynamic
 * symbol table with nm(1). Usage: test-plugin-exports [--tap] MODULE... */
#include <string.h>

#include <glib.h>

static void
check_exports (gconstpointer data)
{
  const char *path = data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *argv[] = { "nm", "-D", "--defined-only", path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_autofree char *base = g_path_get_basename (path);
  /* libsatori-circuit-relay.so → satori_plugin_circuit_relay_desc */
  g_autofree char *name = g_strndup (base + strlen ("libsatori-"),
                                     strlen (base) - strlen ("libsatori-") - strlen (".so"));
  g_strdelimit (name, "-", '_');
  g_autofree char *expected = g_strdup_printf ("satori_plugin_%s_desc", name);

  guint found = 0;
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      guint n = g_strv_length (fields);
      if (n < 2)
        continue;
      const char *symbol = fields[n - 1];
      /* Absolute symbols (type A) are version-node names, not code or data. */
      if (strcmp (fields[n - 2], "A") == 0)
        continue;
      g_assert_cmpstr (symbol, ==, expected);
      found++;
    }
  g_assert_cmpuint (found, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *base = g_path_get_basename (argv[i]);
      g_autofree char *test_path = g_strdup_printf ("/plugins/exports/%s", base);
      g_test_add_data_func (test_path, argv[i], check_exports);
    }
  return g_test_run ();
}
