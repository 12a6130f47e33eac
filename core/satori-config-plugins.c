/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-config-plugins.h"

#include <glib/gi18n-lib.h>

#include "satori-errors.h"

/* Groups the core itself reads; every other group belongs to a feature. */
static const char * const core_groups[] = { "plugins", "host", NULL };
static const char * const plugins_keys[] = { "load", NULL };
static const char * const host_keys[] = { "listen", "transports", "security", "muxers",
                                          "upgrade-timeout", "max-connections", "low-water",
                                          "high-water", "grace-period", "pubsub", NULL };

static char *
describe_origin (SatoriConfig *config, const char *group, const char *key)
{
  const char *file = NULL;
  int line = 0;

  if (!satori_config_get_origin (config, group, key, &file, &line))
    return g_strdup_printf ("[%s] %s", group, key);
  if (line <= 0)
    return g_strdup_printf ("%s: [%s] %s", file, group, key);
  return g_strdup_printf ("%s:%d: [%s] %s", file, line, group, key);
}

/**
 * satori_config_load_plugins:
 * @config: a #SatoriConfig
 * @registry: where to load them
 * @error: %SATORI_CONFIG_ERROR_UNKNOWN_PLUGIN naming the file and line of
 *   `[plugins] load=` and why the plugin could not be loaded;
 *   %SATORI_CONFIG_ERROR_UNKNOWN_GROUP or %SATORI_CONFIG_ERROR_UNKNOWN_KEY
 *   for a group or key that nothing reads
 *
 * Loads every plugin named by `[plugins] load=`, in order, then checks
 * that every group is `[plugins]`, `[host]` or the name of a feature of a
 * loaded plugin (which configures that feature's properties). A group
 * named after a plugin that is installed but not loaded is kept for when
 * it is, and so is one only the built-in defaults
 * (%SATORI_CONFIG_ORIGIN_DEFAULTS) define; any other group that names
 * nothing is an error.
 *
 * Returns: %TRUE when every plugin loaded and every group is known
 */
gboolean
satori_config_load_plugins (SatoriConfig *config, SatoriRegistry *registry, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SATORI_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), FALSE);

  if (!satori_config_check_keys (config, "plugins", plugins_keys, error) ||
      !satori_config_check_keys (config, "host", host_keys, error))
    return FALSE;

  g_auto(GStrv) names = NULL;
  if (satori_config_has_key (config, "plugins", "load"))
    {
      names = satori_config_get_string_list (config, "plugins", "load", error);
      if (names == NULL)
        return FALSE;
    }

  g_autoptr(GStrvBuilder) known = g_strv_builder_new ();
  g_strv_builder_addv (known, (const char **) core_groups);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SatoriPlugin *plugin = satori_registry_load (registry, names[i], &local_error);
      if (plugin == NULL)
        {
          g_autofree char *where = describe_origin (config, "plugins", "load");
          g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_UNKNOWN_PLUGIN,
                       _("%s: plugin “%s” cannot be loaded: %s"), where, names[i],
                       local_error->message);
          return FALSE;
        }
      g_strv_builder_add (known, names[i]);
      GPtrArray *features = satori_plugin_get_features (plugin);
      for (guint j = 0; j < features->len; j++)
        g_strv_builder_add (known, satori_feature_get_name (g_ptr_array_index (features, j)));
    }

  g_auto(GStrv) available = satori_registry_list_available (registry);
  g_strv_builder_addv (known, (const char **) available);
  g_auto(GStrv) groups = satori_config_get_groups (config);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *file = NULL;
      if (satori_config_get_origin (config, groups[i], NULL, &file, NULL) &&
          g_strcmp0 (file, SATORI_CONFIG_ORIGIN_DEFAULTS) == 0)
        g_strv_builder_add (known, groups[i]);
    }
  g_auto(GStrv) known_groups = g_strv_builder_end (known);
  return satori_config_check_groups (config, (const char * const *) known_groups, error);
}

/**
 * satori_config_create_feature:
 * @config: a #SatoriConfig
 * @feature: a feature of a loaded plugin
 * @error: as satori_config_apply(): a key that names no property, or a
 *   value that does not fit one
 *
 * Creates an instance of @feature with the properties its group (named
 * after the feature) sets.
 *
 * Returns: (transfer full) (type GObject) (nullable): the instance, or %NULL
 */
gpointer
satori_config_create_feature (SatoriConfig *config, SatoriFeature *feature, GError **error)
{
  g_return_val_if_fail (SATORI_IS_CONFIG (config), NULL);
  g_return_val_if_fail (SATORI_IS_FEATURE (feature), NULL);

  return satori_config_new_object (config, satori_feature_get_name (feature),
                                   satori_feature_get_implementation_type (feature), error);
}
