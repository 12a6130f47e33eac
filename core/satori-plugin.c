/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-plugin.h"

#include "satori-errors.h"
#include "satori-registry.h"

/**
 * SatoriPlugin:
 *
 * A plugin the registry knows of: loaded (its descriptor read and its init
 * run, its features registered), or refused, with the reason kept so that
 * `satori-inspect` can say why.
 */
struct _SatoriPlugin
{
  GObject parent_instance;

  SatoriRegistry *registry;     /* weak */
  const SatoriPluginDesc *desc; /* lives in a resident module, or static */
  char *name;
  char *filename;
  GError *refusal;
  GPtrArray *features;
};

G_DEFINE_FINAL_TYPE (SatoriPlugin, satori_plugin, G_TYPE_OBJECT)

static void
satori_plugin_finalize (GObject *object)
{
  SatoriPlugin *self = SATORI_PLUGIN (object);

  g_clear_weak_pointer (&self->registry);
  g_free (self->name);
  g_free (self->filename);
  g_clear_error (&self->refusal);
  g_ptr_array_unref (self->features);
  G_OBJECT_CLASS (satori_plugin_parent_class)->finalize (object);
}

static void
satori_plugin_class_init (SatoriPluginClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_plugin_finalize;
}

static void
satori_plugin_init (SatoriPlugin *self)
{
  self->features = g_ptr_array_new_with_free_func (g_object_unref);
}

SatoriPlugin *
_satori_plugin_new_loaded (SatoriRegistry         *registry,
                           const SatoriPluginDesc *desc,
                           const char             *filename)
{
  SatoriPlugin *self = g_object_new (SATORI_TYPE_PLUGIN, NULL);

  g_set_weak_pointer (&self->registry, registry);
  self->desc = desc;
  self->name = g_strdup (desc->name);
  self->filename = g_strdup (filename);
  return self;
}

SatoriPlugin *
_satori_plugin_new_refused (const char   *name,
                            const char   *filename,
                            const GError *reason)
{
  SatoriPlugin *self = g_object_new (SATORI_TYPE_PLUGIN, NULL);

  self->name = g_strdup (name);
  self->filename = g_strdup (filename);
  self->refusal = g_error_copy (reason);
  return self;
}

/* A plugin whose init failed: keep the reason, drop what it registered. */
void
_satori_plugin_set_refused (SatoriPlugin *plugin, const GError *reason)
{
  g_clear_error (&plugin->refusal);
  plugin->refusal = g_error_copy (reason);
  plugin->desc = NULL;
  g_ptr_array_set_size (plugin->features, 0);
}

/**
 * satori_plugin_get_name:
 * @plugin: a #SatoriPlugin
 *
 * Returns: the plugin's name (for a refused file, derived from its file name)
 */
const char *
satori_plugin_get_name (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), NULL);
  return plugin->name;
}

/**
 * satori_plugin_get_version:
 * @plugin: a #SatoriPlugin
 *
 * Returns: (nullable): the version, or %NULL for a refused plugin
 */
const char *
satori_plugin_get_version (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), NULL);
  return plugin->desc ? plugin->desc->version : NULL;
}

/**
 * satori_plugin_get_license:
 * @plugin: a #SatoriPlugin
 *
 * Returns: (nullable): the SPDX license, or %NULL for a refused plugin
 */
const char *
satori_plugin_get_license (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), NULL);
  return plugin->desc ? plugin->desc->license : NULL;
}

/**
 * satori_plugin_get_description:
 * @plugin: a #SatoriPlugin
 *
 * Returns: (nullable): the one-line description, or %NULL for a refused plugin
 */
const char *
satori_plugin_get_description (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), NULL);
  return plugin->desc ? plugin->desc->description : NULL;
}

/**
 * satori_plugin_get_filename:
 * @plugin: a #SatoriPlugin
 *
 * Returns: (nullable): the module's path, or %NULL for a static plugin
 */
const char *
satori_plugin_get_filename (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), NULL);
  return plugin->filename;
}

/**
 * satori_plugin_get_abi:
 * @plugin: a loaded #SatoriPlugin
 * @major: (out) (optional): the ABI major it was built for
 * @minor: (out) (optional): the ABI minor it was built for
 *
 * Both are 0 for a refused plugin.
 */
void
satori_plugin_get_abi (SatoriPlugin *plugin, guint *major, guint *minor)
{
  g_return_if_fail (SATORI_IS_PLUGIN (plugin));
  if (major)
    *major = plugin->desc ? plugin->desc->abi_major : 0;
  if (minor)
    *minor = plugin->desc ? plugin->desc->abi_minor : 0;
}

/**
 * satori_plugin_is_loaded:
 * @plugin: a #SatoriPlugin
 *
 * Returns: %TRUE when the plugin was loaded and initialised
 */
gboolean
satori_plugin_is_loaded (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), FALSE);
  return plugin->refusal == NULL;
}

/**
 * satori_plugin_get_refusal:
 * @plugin: a #SatoriPlugin
 *
 * Returns: (nullable) (transfer none): why the plugin was refused, in the
 *   %SATORI_PLUGIN_ERROR domain, or %NULL when it is loaded
 */
const GError *
satori_plugin_get_refusal (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), NULL);
  return plugin->refusal;
}

/**
 * satori_plugin_get_features:
 * @plugin: a #SatoriPlugin
 *
 * Returns: (transfer none) (element-type SatoriFeature): its features
 */
GPtrArray *
satori_plugin_get_features (SatoriPlugin *plugin)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), NULL);
  return plugin->features;
}

/**
 * satori_plugin_add_feature:
 * @plugin: the plugin being initialised
 * @interface_type: the interface implemented, such as %SATORI_TYPE_TRANSPORT
 * @name: the feature's name, unique per interface, used by the configuration
 * @protocol_ids: (nullable) (array zero-terminated=1): protocol ids spoken,
 *   in preference order
 * @rank: a #SatoriRank or any value in between
 * @implementation_type: an instantiatable #GObject type implementing
 *   @interface_type
 * @error: %SATORI_PLUGIN_ERROR_BAD_FEATURE or %SATORI_PLUGIN_ERROR_DUPLICATE
 *
 * Registers a feature. Called from a plugin's #SatoriPluginInitFunc.
 *
 * Returns: %TRUE when registered
 */
gboolean
satori_plugin_add_feature (SatoriPlugin       *plugin,
                           GType               interface_type,
                           const char         *name,
                           const char * const *protocol_ids,
                           guint               rank,
                           GType               implementation_type,
                           GError            **error)
{
  g_return_val_if_fail (SATORI_IS_PLUGIN (plugin), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!G_TYPE_IS_INTERFACE (interface_type) ||
      !G_TYPE_IS_INSTANTIATABLE (implementation_type) ||
      G_TYPE_IS_ABSTRACT (implementation_type) ||
      !g_type_is_a (implementation_type, interface_type))
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_BAD_FEATURE,
                   "feature '%s' of plugin '%s': type %s does not implement %s",
                   name, plugin->name, g_type_name (implementation_type),
                   g_type_name (interface_type));
      return FALSE;
    }
  if (plugin->registry == NULL)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_BAD_FEATURE,
                   "plugin '%s' has no registry", plugin->name);
      return FALSE;
    }

  g_autoptr(SatoriFeature) feature =
    _satori_feature_new (plugin->name, interface_type, name, protocol_ids,
                         rank, implementation_type);
  if (!_satori_registry_add_feature (plugin->registry, feature, error))
    return FALSE;
  g_ptr_array_add (plugin->features, g_steal_pointer (&feature));
  return TRUE;
}
