/* satori-dbus-plugins.c — io.satorinet.P2P1.Plugins over the registry:
 * what can be loaded and what is. A plugin of stream protocols (ping,
 * kad…) can be enabled and disabled while the daemon runs; one the host
 * is wired with ([host] transports=, pubsub=, discovery=…) cannot.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-dbus-plugins.h"

#include <glib/gi18n.h>

#include "satori-dbus-error.h"
#include "satori-host-config.h"

/* What the methods work on; the configuration is replaced on reload. */
typedef struct
{
  SatoriHost     *host;
  SatoriRegistry *registry;
  SatoriConfig   *config;
} Plugins;

static void
plugins_free (Plugins *plugins)
{
  g_object_unref (plugins->host);
  g_object_unref (plugins->registry);
  g_object_unref (plugins->config);
  g_free (plugins);
}

/* The plugin of that name if it is loaded (not refused). */
static SatoriPlugin *
find_loaded (SatoriRegistry *registry, const char *name)
{
  SatoriPlugin *plugin = satori_registry_find_plugin (registry, name);

  return plugin != NULL && satori_plugin_is_loaded (plugin) ? plugin : NULL;
}

/* Loaded, for a plugin of stream protocols, means served: a disabled one
 * stays in memory but serves nothing. */
static gboolean
is_enabled (Plugins *plugins, SatoriPlugin *plugin)
{
  GPtrArray *features = satori_plugin_get_features (plugin);

  for (guint i = 0; features != NULL && i < features->len; i++)
    if (satori_feature_get_interface_type (g_ptr_array_index (features, i)) ==
        SATORI_TYPE_PROTOCOL_HANDLER)
      return satori_host_serves_plugin (plugins->host, plugins->registry,
                                        satori_plugin_get_name (plugin));
  return TRUE;
}

static GVariant *
describe_plugin (Plugins *plugins, const char *name)
{
  SatoriPlugin *plugin = find_loaded (plugins->registry, name);
  static const char * const none[] = { NULL };

  if (plugin == NULL)
    return g_variant_new ("(sss^asb)", name, "", "", none, FALSE);
  g_autoptr(GStrvBuilder) features = g_strv_builder_new ();
  GPtrArray *list = satori_plugin_get_features (plugin);
  for (guint i = 0; list != NULL && i < list->len; i++)
    g_strv_builder_add (features, satori_feature_get_name (g_ptr_array_index (list, i)));
  g_auto(GStrv) names = g_strv_builder_end (features);
  return g_variant_new ("(sss^asb)", name, satori_plugin_get_version (plugin),
                        satori_plugin_get_description (plugin), names,
                        is_enabled (plugins, plugin));
}

static gboolean
handle_list_plugins (SatoriDBusPlugins *skeleton, GDBusMethodInvocation *invocation,
                     Plugins *plugins)
{
  g_auto(GStrv) names = satori_registry_list_available (plugins->registry);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssasb)"));
  for (guint i = 0; names[i] != NULL; i++)
    g_variant_builder_add_value (&builder, describe_plugin (plugins, names[i]));
  satori_dbus_plugins_complete_list_plugins (skeleton, invocation,
                                             g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* The D-Bus error for why a plugin could not be toggled. */
static void
return_toggle_error (GDBusMethodInvocation *invocation, const GError *error)
{
  int code = SATORI_DBUS_ERROR_NOT_SUPPORTED;

  if (g_error_matches (error, SATORI_PLUGIN_ERROR, SATORI_PLUGIN_ERROR_NOT_FOUND))
    code = SATORI_DBUS_ERROR_NOT_FOUND;
  g_dbus_method_invocation_return_error_literal (invocation, SATORI_DBUS_ERROR, code,
                                                 error->message);
}

static void
toggle (GDBusMethodInvocation *invocation, Plugins *plugins, const char *name, gboolean enable)
{
  g_auto(GStrv) names = satori_registry_list_available (plugins->registry);
  g_autoptr(GError) error = NULL;

  if (!g_strv_contains ((const char * const *) names, name))
    g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                           SATORI_DBUS_ERROR_NOT_FOUND,
                                           _("No plugin named “%s” on the plugin path"), name);
  else if (!enable && find_loaded (plugins->registry, name) == NULL)
    g_dbus_method_invocation_return_value (invocation, NULL);
  else if (enable ? satori_host_serve_plugin (plugins->host, plugins->config, plugins->registry,
                                              name, &error)
                  : satori_host_unserve_plugin (plugins->host, plugins->registry, name, &error))
    {
      g_message (enable ? _("Plugin %s enabled") : _("Plugin %s disabled"), name);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    return_toggle_error (invocation, error);
}

static gboolean
handle_enable (SatoriDBusPlugins *skeleton, GDBusMethodInvocation *invocation,
               const char *name, Plugins *plugins)
{
  toggle (invocation, plugins, name, TRUE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_disable (SatoriDBusPlugins *skeleton, GDBusMethodInvocation *invocation,
                const char *name, Plugins *plugins)
{
  toggle (invocation, plugins, name, FALSE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * satori_dbus_plugins_new:
 * @host: the daemon's host
 * @registry: the registry the daemon loaded its plugins with
 * @config: the configuration that configures plugins enabled later
 *
 * Makes the io.satorinet.P2P1.Plugins skeleton, to export with
 * g_dbus_interface_skeleton_export().
 *
 * Returns: (transfer full): the skeleton
 */
SatoriDBusPlugins *
satori_dbus_plugins_new (SatoriHost *host, SatoriRegistry *registry, SatoriConfig *config)
{
  SatoriDBusPlugins *skeleton = satori_dbus_plugins_skeleton_new ();
  Plugins *plugins = g_new0 (Plugins, 1);

  plugins->host = g_object_ref (host);
  plugins->registry = g_object_ref (registry);
  plugins->config = g_object_ref (config);
  g_object_set_data_full (G_OBJECT (skeleton), "satori-plugins", plugins,
                          (GDestroyNotify) plugins_free);
  g_signal_connect (skeleton, "handle-list-plugins", G_CALLBACK (handle_list_plugins), plugins);
  g_signal_connect (skeleton, "handle-enable-plugin", G_CALLBACK (handle_enable), plugins);
  g_signal_connect (skeleton, "handle-disable-plugin", G_CALLBACK (handle_disable), plugins);
  return skeleton;
}

/**
 * satori_dbus_plugins_set_config:
 * @skeleton: a skeleton from satori_dbus_plugins_new()
 * @config: the configuration reloaded
 *
 * Plugins enabled from now on are configured by @config.
 */
void
satori_dbus_plugins_set_config (SatoriDBusPlugins *skeleton, SatoriConfig *config)
{
  Plugins *plugins = g_object_get_data (G_OBJECT (skeleton), "satori-plugins");

  g_set_object (&plugins->config, config);
}
