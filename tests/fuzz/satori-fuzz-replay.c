/* Replays a fuzz corpus through a target's LLVMFuzzerTestOneInput() as an
 * ordinary GTest, so every corpus input runs (under ASan/UBSan) in the
 * normal suite. Usage: replay-NAME [--tap] CORPUS_DIR
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
replay_one (gconstpointer user_data)
{
  const char *path = user_data;
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  /* Copy into an exact-size buffer so ASan sees reads past the end. */
  g_autofree guint8 *exact = g_memdup2 (contents, len);
  g_assert_cmpint (LLVMFuzzerTestOneInput (exact, len), ==, 0);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (argc < 2)
    g_error ("usage: %s [--tap] CORPUS_DIR", argv[0]);

  const char *dir_path = argv[1];
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 0);

  g_autofree char *base = g_path_get_basename (dir_path);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/replay/%s", base, file);
      g_test_add_data_func_full (test_path, g_build_filename (dir_path, file, NULL),
                                 replay_one, g_free);
    }
  return g_test_run ();
}
