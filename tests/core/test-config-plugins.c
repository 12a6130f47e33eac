/* Tests of loading and configuring the plugins a configuration names,
 * with the real memory plugin module (found through SATORI_PLUGIN_PATH). */
#include <string.h>

#include "satori-config-plugins.h"
#include "satori-errors.h"
#include "satori-transport.h"

static SatoriConfig *
config_from (const char *text)
{
  SatoriConfig *config = satori_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (satori_config_load_data (config, "test.conf", text, -1, &error));
  g_assert_no_error (error);
  return config;
}

static void
test_load_and_configure (void)
{
  g_autoptr(SatoriConfig) config = config_from ("[plugins]\nload=memory\n\n"
                                                "[memory]\nbuffer-size=4096\n");
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("[plugins] load= loads the module; the feature's group sets its properties");
  g_assert_true (satori_config_load_plugins (config, registry, &error));
  g_assert_no_error (error);

  SatoriFeature *feature = satori_registry_lookup (registry, SATORI_TYPE_TRANSPORT, "memory");
  g_assert_nonnull (feature);
  g_autoptr(GObject) transport = satori_config_create_feature (config, feature, &error);
  g_assert_no_error (error);
  guint size = 0;
  g_object_get (transport, "buffer-size", &size, NULL);
  g_assert_cmpuint (size, ==, 4096);
}

static void
test_unknown_plugin (void)
{
  g_autoptr(SatoriConfig) config = config_from ("# plugins\n[plugins]\nload=memory;nosuch\n");
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A plugin that is not there is an error naming file, line and key");
  g_assert_false (satori_config_load_plugins (config, registry, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_PLUGIN);
  g_assert_nonnull (strstr (error->message, "test.conf:3: [plugins] load"));
  g_assert_nonnull (strstr (error->message, "nosuch"));
}

static void
test_unknown_group_and_key (void)
{
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A group that names no plugin, or an unknown [host] key, is an error");
  g_autoptr(SatoriConfig) group = config_from ("[plugins]\nload=memory\n[nosuch]\nwindow=1\n");
  g_assert_false (satori_config_load_plugins (group, registry, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_GROUP);
  g_assert_nonnull (strstr (error->message, "nosuch"));
  g_clear_error (&error);

  g_autoptr(SatoriConfig) key = config_from ("[host]\nlisten=/memory/1\nlistne=/memory/2\n");
  g_assert_false (satori_config_load_plugins (key, registry, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_KEY);
  g_assert_nonnull (strstr (error->message, "listne"));
}

static void
test_bad_property_value (void)
{
  g_autoptr(SatoriConfig) config = config_from ("[plugins]\nload=memory\n"
                                                "[memory]\nbuffer-size=12\n");
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(GError) error = NULL;

  g_test_summary ("A value outside the property's range names file, line, key and range");
  g_assert_true (satori_config_load_plugins (config, registry, &error));
  SatoriFeature *feature = satori_registry_lookup (registry, SATORI_TYPE_TRANSPORT, "memory");
  g_assert_null (satori_config_create_feature (config, feature, &error));
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "test.conf:4"));
  g_assert_nonnull (strstr (error->message, "buffer-size"));
  g_assert_nonnull (strstr (error->message, "1024"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/plugins/load-and-configure", test_load_and_configure);
  g_test_add_func ("/config/plugins/unknown-plugin", test_unknown_plugin);
  g_test_add_func ("/config/plugins/unknown-group-and-key", test_unknown_group_and_key);
  g_test_add_func ("/config/plugins/bad-property-value", test_bad_property_value);
  return g_test_run ();
}
