/* Tests of the plugin registry and loader. */
#include <glib/gstdio.h>
#include <string.h>

#include "satori-errors.h"
#include "satori-muxer.h"
#include "satori-protocol-handler.h"
#include "satori-registry.h"
#include "satori-transport.h"

/* --- an in-test muxer type, for static registration --- */

#define TEST_TYPE_MUXER (test_muxer_get_type ())
G_DECLARE_FINAL_TYPE (TestMuxer, test_muxer, TEST, MUXER, GObject)

struct _TestMuxer
{
  GObject parent_instance;
};

static void
test_muxer_iface_init (SatoriMuxerInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMuxer, test_muxer, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_MUXER, test_muxer_iface_init))

static void
test_muxer_class_init (TestMuxerClass *klass)
{
}

static void
test_muxer_init (TestMuxer *self)
{
}

static gboolean
ranked_init (SatoriPlugin *plugin, GError **error)
{
  const char *yamux[] = { "/yamux/1.0.0", NULL };
  const char *mplex[] = { "/mplex/6.7.0", "/yamux/1.0.0", NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_MUXER, "mplex", mplex,
                                    SATORI_RANK_SECONDARY, TEST_TYPE_MUXER, error) &&
         satori_plugin_add_feature (plugin, SATORI_TYPE_MUXER, "yamux", yamux,
                                    SATORI_RANK_PRIMARY, TEST_TYPE_MUXER, error) &&
         satori_plugin_add_feature (plugin, SATORI_TYPE_MUXER, "fallback", NULL,
                                    SATORI_RANK_MARGINAL, TEST_TYPE_MUXER, error);
}

SATORI_PLUGIN_DEFINE (ranked, "1.0", "LGPL-2.1-or-later", "Three muxers", ranked_init)

static gboolean
duplicate_init (SatoriPlugin *plugin, GError **error)
{
  return satori_plugin_add_feature (plugin, SATORI_TYPE_MUXER, "yamux", NULL,
                                    SATORI_RANK_PRIMARY, TEST_TYPE_MUXER, error);
}

SATORI_PLUGIN_DEFINE (duplicate, "1.0", "LGPL-2.1-or-later", "Registers yamux again",
                      duplicate_init)

static void
test_static_lookups (void)
{
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("Static registration; lookups by name, by protocol id and by rank");
  g_assert_true (satori_plugin_ranked_register (registry, &error));
  g_assert_no_error (error);

  SatoriFeature *yamux = satori_registry_lookup (registry, SATORI_TYPE_MUXER, "yamux");
  g_assert_nonnull (yamux);
  g_assert_cmpstr (satori_feature_get_plugin_name (yamux), ==, "ranked");
  g_assert_true (satori_feature_get_implementation_type (yamux) == TEST_TYPE_MUXER);
  g_assert_null (satori_registry_lookup (registry, SATORI_TYPE_TRANSPORT, "yamux"));
  g_assert_null (satori_registry_lookup (registry, SATORI_TYPE_MUXER, "quic"));

  /* Both speak /yamux/1.0.0: the higher rank wins. */
  g_assert_true (satori_registry_lookup_protocol (registry, SATORI_TYPE_MUXER,
                                                  "/yamux/1.0.0") == yamux);
  SatoriFeature *mplex = satori_registry_lookup_protocol (registry, SATORI_TYPE_MUXER,
                                                          "/mplex/6.7.0");
  g_assert_nonnull (mplex);
  g_assert_cmpstr (satori_feature_get_name (mplex), ==, "mplex");
  g_assert_null (satori_registry_lookup_protocol (registry, SATORI_TYPE_MUXER, "/noise"));

  g_autoptr(GPtrArray) ranked = satori_registry_list_features (registry, SATORI_TYPE_MUXER);
  g_assert_cmpuint (ranked->len, ==, 3);
  g_assert_cmpstr (satori_feature_get_name (g_ptr_array_index (ranked, 0)), ==, "yamux");
  g_assert_cmpstr (satori_feature_get_name (g_ptr_array_index (ranked, 1)), ==, "mplex");
  g_assert_cmpstr (satori_feature_get_name (g_ptr_array_index (ranked, 2)), ==, "fallback");

  g_autoptr(GObject) instance = satori_feature_create (yamux);
  g_assert_true (SATORI_IS_MUXER (instance));

  SatoriPlugin *plugin = satori_registry_find_plugin (registry, "ranked");
  g_assert_true (satori_plugin_is_loaded (plugin));
  g_assert_null (satori_plugin_get_filename (plugin));
  g_assert_cmpuint (satori_plugin_get_features (plugin)->len, ==, 3);
}

static void
test_static_duplicate (void)
{
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A second feature of the same interface and name is refused");
  g_assert_true (satori_plugin_ranked_register (registry, NULL));
  g_assert_false (satori_plugin_duplicate_register (registry, &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "already registered by plugin 'ranked'"));
  g_assert_false (satori_plugin_is_loaded (satori_registry_find_plugin (registry, "duplicate")));

  g_clear_error (&error);
  g_assert_false (satori_plugin_ranked_register (registry, &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_DUPLICATE);
}

static void
test_static_abi (void)
{
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;
  SatoriPluginDesc newer = satori_plugin_ranked_desc;

  g_test_summary ("A descriptor with a newer minor or another major is refused");
  newer.name = "newer";
  newer.abi_minor = SATORI_PLUGIN_ABI_MINOR + 1;
  g_assert_false (satori_registry_register_static (registry, &newer, &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_ABI);

  SatoriPlugin *plugin = satori_registry_find_plugin (registry, "newer");
  g_assert_nonnull (plugin);
  g_assert_false (satori_plugin_is_loaded (plugin));
  g_assert_error (satori_plugin_get_refusal (plugin), SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_ABI);
  g_assert_null (satori_registry_lookup (registry, SATORI_TYPE_MUXER, "yamux"));
}

static SatoriRegistry *
registry_on_test_dir (void)
{
  SatoriRegistry *registry = satori_registry_new ();
  const char *dirs[] = { TEST_PLUGIN_DIR, NULL };

  satori_registry_set_search_path (registry, dirs);
  return registry;
}

static void
test_load_good (void)
{
  g_autoptr(SatoriRegistry) registry = registry_on_test_dir ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A good plugin file loads and registers its feature");
  SatoriPlugin *plugin = satori_registry_load (registry, "testgood", &error);
  g_assert_no_error (error);
  g_assert_nonnull (plugin);
  g_assert_cmpstr (satori_plugin_get_version (plugin), ==, "1.2.3");
  g_assert_cmpstr (satori_plugin_get_description (plugin), ==, "A plugin that loads");
  g_assert_true (g_str_has_suffix (satori_plugin_get_filename (plugin), "/libsatori-testgood.so"));
  guint major, minor;
  satori_plugin_get_abi (plugin, &major, &minor);
  g_assert_cmpuint (major, ==, SATORI_PLUGIN_ABI_MAJOR);
  g_assert_cmpuint (minor, ==, SATORI_PLUGIN_ABI_MINOR);

  SatoriFeature *feature = satori_registry_lookup_protocol (registry,
                                                            SATORI_TYPE_PROTOCOL_HANDLER,
                                                            "/test/good/1.0.0");
  g_assert_nonnull (feature);
  g_autoptr(GObject) handler = satori_feature_create (feature);
  g_assert_true (SATORI_IS_PROTOCOL_HANDLER (handler));

  /* Loading again returns the same plugin. */
  g_assert_true (satori_registry_load (registry, "testgood", NULL) == plugin);
}

static void
test_load_bad_abi (void)
{
  g_autoptr(SatoriRegistry) registry = registry_on_test_dir ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A plugin file built for another ABI major is refused before its init runs");
  g_assert_null (satori_registry_load (registry, "testbadabi", &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_ABI);
  g_autofree char *expected = g_strdup_printf ("built for plugin ABI %u.0",
                                               SATORI_PLUGIN_ABI_MAJOR + 1);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_false (satori_plugin_is_loaded (satori_registry_find_plugin (registry, "testbadabi")));
}

static void
test_load_failing_init (void)
{
  g_autoptr(SatoriRegistry) registry = registry_on_test_dir ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A plugin whose init fails is refused and its features forgotten");
  g_assert_null (satori_registry_load (registry, "testfailinit", &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_BAD_FEATURE);
  g_assert_nonnull (strstr (error->message, "does not implement SatoriTransport"));
  g_assert_null (satori_registry_lookup (registry, SATORI_TYPE_PROTOCOL_HANDLER, "half"));
  SatoriPlugin *plugin = satori_registry_find_plugin (registry, "testfailinit");
  g_assert_false (satori_plugin_is_loaded (plugin));
  g_assert_cmpuint (satori_plugin_get_features (plugin)->len, ==, 0);
}

static void
test_load_not_found (void)
{
  g_autoptr(SatoriRegistry) registry = registry_on_test_dir ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A missing plugin names the directories searched");
  g_assert_null (satori_registry_load (registry, "nosuch", &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, TEST_PLUGIN_DIR));
}

/* Copies a test plugin into @dir with @mode. */
static char *
copy_plugin (const char *dir, const char *name, int mode)
{
  g_autofree char *base = g_strdup_printf ("libsatori-%s.so", name);
  g_autofree char *source = g_build_filename (TEST_PLUGIN_DIR, base, NULL);
  char *target = g_build_filename (dir, base, NULL);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (source, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (target, contents, len, NULL));
  g_assert_cmpint (g_chmod (target, mode), ==, 0);
  return target;
}

/* Tests that load copies of a plugin file run in a fresh process: a
 * process holds one copy of a plugin's code (see test_load_second_copy). */
static gboolean
run_in_subprocess (void)
{
  if (g_test_subprocess ())
    return TRUE;
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  return FALSE;
}

static void
test_load_world_writable (void)
{
  if (!run_in_subprocess ())
    return;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("satori-registry-XXXXXX", NULL);
  g_autofree char *path = copy_plugin (dir, "testgood", 0666);

  g_test_summary ("A group- or world-writable plugin file is refused");
  g_assert_null (satori_registry_load_file (registry, path, &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_INSECURE_FILE);
  g_assert_nonnull (strstr (error->message, "writable by its group or by others"));

  g_clear_error (&error);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  g_assert_nonnull (satori_registry_load_file (registry, path, &error));
  g_assert_no_error (error);

  g_remove (path);
  g_rmdir (dir);
}

static void
test_load_second_copy (void)
{
  g_test_summary ("A second copy of a loaded plugin's code is refused, whatever the registry");
  if (!run_in_subprocess ())
    return;
  g_autoptr(SatoriRegistry) first = registry_on_test_dir ();
  g_autoptr(SatoriRegistry) second = registry_on_test_dir ();
  g_autoptr(SatoriRegistry) third = satori_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("satori-registry-XXXXXX", NULL);
  g_autofree char *copy = copy_plugin (dir, "testgood", 0755);

  g_assert_nonnull (satori_registry_load (first, "testgood", &error));
  g_assert_no_error (error);
  /* The same module in another registry is fine: its types exist already. */
  g_assert_nonnull (satori_registry_load (second, "testgood", &error));
  g_assert_no_error (error);

  g_assert_null (satori_registry_load_file (third, copy, &error));
  g_assert_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "another copy of plugin 'testgood'"));
  g_assert_null (satori_registry_lookup (third, SATORI_TYPE_PROTOCOL_HANDLER, "good"));

  g_remove (copy);
  g_rmdir (dir);
}

static void
test_scan_refusals (void)
{
  if (!run_in_subprocess ())
    return;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autofree char *dir = g_dir_make_tmp ("satori-registry-XXXXXX", NULL);
  g_autofree char *good = copy_plugin (dir, "testgood", 0644);
  g_autofree char *bad_abi = copy_plugin (dir, "testbadabi", 0644);
  g_autofree char *fail = copy_plugin (dir, "testfailinit", 0666);
  const char *dirs[] = { dir, NULL };

  g_test_summary ("A scan loads the good plugins and keeps each refusal with its reason");
  satori_registry_set_search_path (registry, dirs);
  satori_registry_scan (registry);

  GPtrArray *plugins = satori_registry_get_plugins (registry);
  g_assert_cmpuint (plugins->len, ==, 3);
  g_assert_true (satori_plugin_is_loaded (satori_registry_find_plugin (registry, "testgood")));
  g_assert_error (satori_plugin_get_refusal (satori_registry_find_plugin (registry, "testbadabi")),
                  SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_ABI);
  g_assert_error (satori_plugin_get_refusal (satori_registry_find_plugin (registry, "testfailinit")),
                  SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_INSECURE_FILE);
  g_autoptr(GPtrArray) all = satori_registry_list_features (registry, G_TYPE_INVALID);
  g_assert_cmpuint (all->len, ==, 1);

  g_remove (good);
  g_remove (bad_abi);
  g_remove (fail);
  g_rmdir (dir);
}

static void
test_search_path_env (void)
{
  g_test_summary ("SATORI_PLUGIN_PATH comes first in the search path");
  if (g_test_subprocess ())
    {
      g_setenv ("SATORI_PLUGIN_PATH", "/first:/second", TRUE);
      g_autoptr(SatoriRegistry) registry = satori_registry_new ();
      const char * const *path = satori_registry_get_search_path (registry);
      g_assert_cmpstr (path[0], ==, "/first");
      g_assert_cmpstr (path[1], ==, "/second");
      g_assert_nonnull (path[2]);
      g_assert_null (path[3]);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/registry/static/lookups", test_static_lookups);
  g_test_add_func ("/registry/static/duplicate", test_static_duplicate);
  g_test_add_func ("/registry/static/abi", test_static_abi);
  g_test_add_func ("/registry/load/good", test_load_good);
  g_test_add_func ("/registry/load/bad-abi", test_load_bad_abi);
  g_test_add_func ("/registry/load/failing-init", test_load_failing_init);
  g_test_add_func ("/registry/load/not-found", test_load_not_found);
  g_test_add_func ("/registry/load/world-writable", test_load_world_writable);
  g_test_add_func ("/registry/load/second-copy", test_load_second_copy);
  g_test_add_func ("/registry/scan/refusals", test_scan_refusals);
  g_test_add_func ("/registry/search-path/env", test_search_path_env);
  return g_test_run ();
}
