/* Tests of identity key files. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "satori-errors.h"
#include "satori-key-file.h"

static char *
temp_path (const char *name, char **dir)
{
  *dir = g_dir_make_tmp ("satori-key-file-XXXXXX", NULL);
  return g_build_filename (*dir, "sub", name, NULL);
}

static void
remove_tree (const char *dir, const char *path)
{
  g_autofree char *sub = g_path_get_dirname (path);
  g_remove (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

static void
test_create_and_reload (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path ("identity.key", &dir);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_test_summary ("A created key is saved 0600 in a 0700 folder and loads back the same");
  g_autoptr(SatoriPrivateKey) created = satori_key_file_load_or_create (path,
                                                                         SATORI_KEY_TYPE_ED25519,
                                                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_autofree char *sub = g_path_get_dirname (path);
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_autoptr(SatoriPrivateKey) loaded = satori_key_file_load_or_create (path,
                                                                        SATORI_KEY_TYPE_ED25519,
                                                                        &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) a = satori_private_key_to_protobuf (created);
  g_autoptr(GBytes) b = satori_private_key_to_protobuf (loaded);
  g_assert_true (g_bytes_equal (a, b));
  remove_tree (dir, path);
}

static void
test_loose_permissions (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path ("identity.key", &dir);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A key file others may read is refused, naming the file and mode");
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_SECP256K1, NULL);
  g_assert_true (satori_key_file_save (key, path, &error));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  g_assert_null (satori_key_file_load (path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "0644"));
  remove_tree (dir, path);
}

static void
test_garbage (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_path ("identity.key", &dir);
  g_autofree char *sub = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A file that holds no key is an error naming the file");
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "not a key", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_null (satori_key_file_load (path, &error));
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, path));
  remove_tree (dir, path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key-file/create-and-reload", test_create_and_reload);
  g_test_add_func ("/key-file/loose-permissions", test_loose_permissions);
  g_test_add_func ("/key-file/garbage", test_garbage);
  return g_test_run ();
}
