/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-registry.h"

#include <string.h>

#include "satori-errors.h"
#include "satori-plugin-loader.h"

/**
 * SatoriRegistry:
 *
 * Knows every plugin: those loaded from files on the search path
 * (`SATORI_PLUGIN_PATH`, colon-separated, first; then the installed plugin
 * directory), those registered statically, and those refused, with why.
 * Loaded plugins register features, which are looked up by (interface,
 * name), by (interface, protocol id), or listed by rank.
 *
 * A registry is used from one thread.
 */
struct _SatoriRegistry
{
  GObject parent_instance;

  GStrv search_path;
  GPtrArray *plugins;         /* SatoriPlugin, loaded and refused, in load order */
  GPtrArray *features;        /* SatoriFeature, in registration order */
};

G_DEFINE_FINAL_TYPE (SatoriRegistry, satori_registry, G_TYPE_OBJECT)

static void
satori_registry_finalize (GObject *object)
{
  SatoriRegistry *self = SATORI_REGISTRY (object);

  g_strfreev (self->search_path);
  g_ptr_array_unref (self->plugins);
  g_ptr_array_unref (self->features);
  G_OBJECT_CLASS (satori_registry_parent_class)->finalize (object);
}

static void
satori_registry_class_init (SatoriRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_registry_finalize;
}

static GStrv
default_search_path (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *env = g_getenv ("SATORI_PLUGIN_PATH");

  if (env != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
      for (guint i = 0; dirs[i] != NULL; i++)
        if (dirs[i][0] != '\0')
          g_strv_builder_add (builder, dirs[i]);
    }
  g_strv_builder_add (builder, SATORI_PLUGINDIR);
  return g_strv_builder_end (builder);
}

static void
satori_registry_init (SatoriRegistry *self)
{
  self->search_path = default_search_path ();
  self->plugins = g_ptr_array_new_with_free_func (g_object_unref);
  self->features = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * satori_registry_new:
 *
 * Creates an empty registry whose search path is `SATORI_PLUGIN_PATH`
 * followed by the installed plugin directory. Nothing is loaded yet.
 *
 * Returns: (transfer full): a new #SatoriRegistry
 */
SatoriRegistry *
satori_registry_new (void)
{
  return g_object_new (SATORI_TYPE_REGISTRY, NULL);
}

/**
 * satori_registry_get_default:
 *
 * Returns: (transfer none): the process-wide registry, created on first use
 */
SatoriRegistry *
satori_registry_get_default (void)
{
  static SatoriRegistry *registry;

  if (g_once_init_enter (&registry))
    g_once_init_leave (&registry, satori_registry_new ());
  return registry;
}

/**
 * satori_registry_set_search_path:
 * @registry: a #SatoriRegistry
 * @dirs: (array zero-terminated=1): directories, searched in order
 *
 * Replaces the directories searched for `libsatori-NAME.so` files.
 */
void
satori_registry_set_search_path (SatoriRegistry *registry, const char * const *dirs)
{
  g_return_if_fail (SATORI_IS_REGISTRY (registry));
  g_return_if_fail (dirs != NULL);
  g_strfreev (registry->search_path);
  registry->search_path = g_strdupv ((char **) dirs);
}

/**
 * satori_registry_get_search_path:
 * @registry: a #SatoriRegistry
 *
 * Returns: (transfer none) (array zero-terminated=1): the search path
 */
const char * const *
satori_registry_get_search_path (SatoriRegistry *registry)
{
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);
  return (const char * const *) registry->search_path;
}

/**
 * satori_registry_find_plugin:
 * @registry: a #SatoriRegistry
 * @name: a plugin name
 *
 * Returns: (transfer none) (nullable): the plugin of that name, loaded or
 *   refused (a loaded one wins), or %NULL
 */
SatoriPlugin *
satori_registry_find_plugin (SatoriRegistry *registry, const char *name)
{
  SatoriPlugin *refused = NULL;

  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < registry->plugins->len; i++)
    {
      SatoriPlugin *plugin = g_ptr_array_index (registry->plugins, i);
      if (strcmp (satori_plugin_get_name (plugin), name) != 0)
        continue;
      if (satori_plugin_is_loaded (plugin))
        return plugin;
      refused = plugin;
    }
  return refused;
}

static SatoriPlugin *
find_loaded (SatoriRegistry *registry, const char *name)
{
  SatoriPlugin *plugin = satori_registry_find_plugin (registry, name);
  return plugin != NULL && satori_plugin_is_loaded (plugin) ? plugin : NULL;
}

static void
record_refusal (SatoriRegistry *registry, const char *name, const char *filename,
                const GError *reason)
{
  g_message ("Plugin '%s' refused: %s", name, reason->message);
  g_ptr_array_add (registry->plugins, _satori_plugin_new_refused (name, filename, reason));
}

/* GTypes live for the whole process, and a plugin's types are registered
 * by the code of the module that was loaded first. A second copy of that
 * code (another file of the same plugin, or a module of a plugin that is
 * also linked in statically) would try to register them again, so only
 * the descriptor seen first for each name may initialise, in any registry. */
G_LOCK_DEFINE_STATIC (process_plugins);
static GHashTable *process_plugins;  /* name → const SatoriPluginDesc * */

static gboolean
claim_process_name (const SatoriPluginDesc *desc, const char *filename, GError **error)
{
  G_LOCK (process_plugins);
  if (process_plugins == NULL)
    process_plugins = g_hash_table_new (g_str_hash, g_str_equal);
  const SatoriPluginDesc *first = g_hash_table_lookup (process_plugins, desc->name);
  if (first == NULL)
    g_hash_table_insert (process_plugins, (gpointer) desc->name, (gpointer) desc);
  G_UNLOCK (process_plugins);

  if (first != NULL && first != desc)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_DUPLICATE,
                   "%s: another copy of plugin '%s' is already in this process; "
                   "its types cannot be registered twice",
                   filename ? filename : "static plugin", desc->name);
      return FALSE;
    }
  return TRUE;
}

/* Runs init; on failure the plugin stays listed as refused, with none of
 * the features it may have registered before failing. */
static SatoriPlugin *
add_plugin (SatoriRegistry *registry, const SatoriPluginDesc *desc,
            const char *filename, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (find_loaded (registry, desc->name) != NULL)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_DUPLICATE,
                   "a plugin named '%s' is already loaded", desc->name);
      return NULL;
    }
  if (!claim_process_name (desc, filename, &local_error))
    {
      record_refusal (registry, desc->name, filename, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  SatoriPlugin *plugin = _satori_plugin_new_loaded (registry, desc, filename);
  g_ptr_array_add (registry->plugins, plugin);

  if (desc->init != NULL && !desc->init (plugin, &local_error))
    {
      if (local_error == NULL)
        g_set_error (&local_error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_INIT,
                     "init of plugin '%s' failed without saying why", desc->name);
      GPtrArray *features = satori_plugin_get_features (plugin);
      for (guint i = 0; i < features->len; i++)
        g_ptr_array_remove (registry->features, g_ptr_array_index (features, i));
      g_prefix_error (&local_error, "init of plugin '%s' failed: ", desc->name);
      g_message ("Plugin '%s' refused: %s", desc->name, local_error->message);
      _satori_plugin_set_refused (plugin, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return plugin;
}

/**
 * satori_registry_register_static:
 * @registry: a #SatoriRegistry
 * @desc: a descriptor compiled into the program
 * @error: why the plugin was refused
 *
 * Registers a plugin linked into the program, as `satori_plugin_NAME_register()`
 * (written by SATORI_PLUGIN_DEFINE()) does. The ABI is checked as for files.
 *
 * Returns: %TRUE when the plugin is loaded
 */
gboolean
satori_registry_register_static (SatoriRegistry *registry,
                                 const SatoriPluginDesc *desc,
                                 GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), FALSE);
  g_return_val_if_fail (desc != NULL && desc->name != NULL, FALSE);

  if (!_satori_plugin_check_abi (desc, desc->name, &local_error))
    {
      record_refusal (registry, desc->name, NULL, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return add_plugin (registry, desc, NULL, error) != NULL;
}

/**
 * satori_registry_load_file:
 * @registry: a #SatoriRegistry
 * @path: a `libsatori-NAME.so` file
 * @error: why the plugin was refused, in the %SATORI_PLUGIN_ERROR domain
 *
 * Loads one plugin file. The file must be a regular file owned by root or
 * by this user and writable by nobody else; its descriptor's ABI is checked
 * before any of its functions is called. A refused plugin is kept in the
 * list with its reason, and logged.
 *
 * Returns: (transfer none) (nullable): the loaded plugin, or %NULL
 */
SatoriPlugin *
satori_registry_load_file (SatoriRegistry *registry, const char *path, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  g_autofree char *name = _satori_plugin_name_from_filename (path);
  const SatoriPluginDesc *desc = _satori_plugin_loader_open (path, &local_error);
  if (desc == NULL)
    {
      record_refusal (registry, name ? name : path, path, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return add_plugin (registry, desc, path, error);
}

static char *
find_plugin_file (SatoriRegistry *registry, const char *name)
{
  g_autofree char *base = g_strdup_printf ("libsatori-%s.so", name);

  for (guint i = 0; registry->search_path[i] != NULL; i++)
    {
      char *path = g_build_filename (registry->search_path[i], base, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
  return NULL;
}

/**
 * satori_registry_load:
 * @registry: a #SatoriRegistry
 * @name: a plugin name, such as `yamux`
 * @error: why it could not be loaded
 *
 * Loads the plugin called @name from the first directory of the search
 * path that has its file, unless it is loaded already.
 *
 * Returns: (transfer none) (nullable): the plugin, or %NULL
 */
SatoriPlugin *
satori_registry_load (SatoriRegistry *registry, const char *name, GError **error)
{
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  SatoriPlugin *plugin = find_loaded (registry, name);
  if (plugin != NULL)
    return plugin;

  g_autofree char *path = find_plugin_file (registry, name);
  if (path == NULL)
    {
      g_autofree char *dirs = g_strjoinv (G_SEARCHPATH_SEPARATOR_S, registry->search_path);
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_NOT_FOUND,
                   "no plugin '%s' (libsatori-%s.so) in %s", name, name, dirs);
      return NULL;
    }
  return satori_registry_load_file (registry, path, error);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/**
 * satori_registry_scan:
 * @registry: a #SatoriRegistry
 *
 * Loads every `libsatori-NAME.so` on the search path, as `satori-inspect`
 * does. Where two directories have a plugin of the same name, the first
 * wins. Refused plugins are kept with their reasons; the rest load.
 */
void
satori_registry_scan (SatoriRegistry *registry)
{
  g_return_if_fail (SATORI_IS_REGISTRY (registry));

  for (guint i = 0; registry->search_path[i] != NULL; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (registry->search_path[i], 0, NULL);
      if (dir == NULL)
        continue;

      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
      const char *entry;
      while ((entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *name = _satori_plugin_name_from_filename (entry);
          if (name != NULL && satori_registry_find_plugin (registry, name) == NULL)
            g_ptr_array_add (files, g_build_filename (registry->search_path[i], entry, NULL));
        }
      g_ptr_array_sort (files, compare_strings);
      for (guint j = 0; j < files->len; j++)
        satori_registry_load_file (registry, g_ptr_array_index (files, j), NULL);
    }
}

/**
 * satori_registry_list_available:
 * @registry: a #SatoriRegistry
 *
 * Lists the plugins that could be loaded, by the names of the
 * `libsatori-NAME.so` files on the search path, without loading any.
 *
 * Returns: (transfer full): the names, sorted, each once
 */
GStrv
satori_registry_list_available (SatoriRegistry *registry)
{
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);

  g_autoptr(GPtrArray) names = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  for (guint i = 0; registry->search_path[i] != NULL; i++)
    {
      g_autoptr(GDir) dir = g_dir_open (registry->search_path[i], 0, NULL);
      const char *entry;
      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        {
          char *name = _satori_plugin_name_from_filename (entry);
          if (name != NULL && !g_strv_contains ((const char * const *) names->pdata, name))
            g_ptr_array_add (names, name);
          else
            g_free (name);
        }
    }
  g_ptr_array_sort (names, compare_strings);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/**
 * satori_registry_get_plugins:
 * @registry: a #SatoriRegistry
 *
 * Returns: (transfer none) (element-type SatoriPlugin): every plugin, loaded
 *   or refused, in the order they were met
 */
GPtrArray *
satori_registry_get_plugins (SatoriRegistry *registry)
{
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);
  return registry->plugins;
}

gboolean
_satori_registry_add_feature (SatoriRegistry *registry, SatoriFeature *feature,
                              GError **error)
{
  GType iface = satori_feature_get_interface_type (feature);
  const char *name = satori_feature_get_name (feature);
  SatoriFeature *existing = satori_registry_lookup (registry, iface, name);

  if (existing != NULL)
    {
      g_set_error (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_DUPLICATE,
                   "%s feature '%s' is already registered by plugin '%s'",
                   g_type_name (iface), name, satori_feature_get_plugin_name (existing));
      return FALSE;
    }
  g_ptr_array_add (registry->features, g_object_ref (feature));
  return TRUE;
}

/**
 * satori_registry_lookup:
 * @registry: a #SatoriRegistry
 * @interface_type: an interface type such as %SATORI_TYPE_TRANSPORT
 * @name: a feature name such as `tcp`
 *
 * Returns: (transfer none) (nullable): the feature, or %NULL
 */
SatoriFeature *
satori_registry_lookup (SatoriRegistry *registry, GType interface_type, const char *name)
{
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < registry->features->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (registry->features, i);
      if (satori_feature_get_interface_type (feature) == interface_type &&
          strcmp (satori_feature_get_name (feature), name) == 0)
        return feature;
    }
  return NULL;
}

static int
compare_rank (gconstpointer a, gconstpointer b)
{
  SatoriFeature *fa = *(SatoriFeature **) a;
  SatoriFeature *fb = *(SatoriFeature **) b;
  guint ra = satori_feature_get_rank (fa);
  guint rb = satori_feature_get_rank (fb);

  if (ra != rb)
    return ra > rb ? -1 : 1;
  return strcmp (satori_feature_get_name (fa), satori_feature_get_name (fb));
}

/**
 * satori_registry_list_features:
 * @registry: a #SatoriRegistry
 * @interface_type: an interface type, or %G_TYPE_INVALID for all
 *
 * Returns: (transfer container) (element-type SatoriFeature): the features
 *   of that interface, highest rank first, then by name
 */
GPtrArray *
satori_registry_list_features (SatoriRegistry *registry, GType interface_type)
{
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);

  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < registry->features->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (registry->features, i);
      if (interface_type == G_TYPE_INVALID ||
          satori_feature_get_interface_type (feature) == interface_type)
        g_ptr_array_add (result, g_object_ref (feature));
    }
  g_ptr_array_sort (result, compare_rank);
  return result;
}

/**
 * satori_registry_lookup_protocol:
 * @registry: a #SatoriRegistry
 * @interface_type: an interface type
 * @protocol_id: a protocol id such as `/yamux/1.0.0`
 *
 * Returns: (transfer none) (nullable): the highest-ranked feature of that
 *   interface speaking @protocol_id, or %NULL
 */
SatoriFeature *
satori_registry_lookup_protocol (SatoriRegistry *registry, GType interface_type,
                                 const char *protocol_id)
{
  g_return_val_if_fail (SATORI_IS_REGISTRY (registry), NULL);
  g_return_val_if_fail (protocol_id != NULL, NULL);

  g_autoptr(GPtrArray) ranked = satori_registry_list_features (registry, interface_type);
  for (guint i = 0; i < ranked->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (ranked, i);
      if (satori_feature_has_protocol_id (feature, protocol_id))
        return feature;
    }
  return NULL;
}
