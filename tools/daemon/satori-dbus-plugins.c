/* satori-dbus-plugins.c — io.satorinet.P2P1.Plugins over the registry:
 * what can be loaded and what is. Plugins are loaded when the daemon
 * starts; none can be toggled while it runs yet.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-dbus-plugins.h"

#include <glib/gi18n.h>

#include "satori-dbus-error.h"

/* The plugin of that name if it is loaded (not refused). */
static SatoriPlugin *
find_loaded (SatoriRegistry *registry, const char *name)
{
  SatoriPlugin *plugin = satori_registry_find_plugin (registry, name);

  return plugin != NULL && satori_plugin_is_loaded (plugin) ? plugin : NULL;
}

static GVariant *
describe_plugin (SatoriRegistry *registry, const char *name)
{
  SatoriPlugin *plugin = find_loaded (registry, name);
  static const char * const none[] = { NULL };

  if (plugin == NULL)
    return g_variant_new ("(sss^asb)", name, "", "", none, FALSE);
  g_autoptr(GStrvBuilder) features = g_strv_builder_new ();
  GPtrArray *list = satori_plugin_get_features (plugin);
  for (guint i = 0; list != NULL && i < list->len; i++)
    g_strv_builder_add (features, satori_feature_get_name (g_ptr_array_index (list, i)));
  g_auto(GStrv) names = g_strv_builder_end (features);
  return g_variant_new ("(sss^asb)", name, satori_plugin_get_version (plugin),
                        satori_plugin_get_description (plugin), names, TRUE);
}

static gboolean
handle_list_plugins (SatoriDBusPlugins *skeleton, GDBusMethodInvocation *invocation,
                     SatoriRegistry *registry)
{
  g_auto(GStrv) names = satori_registry_list_available (registry);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssasb)"));
  for (guint i = 0; names[i] != NULL; i++)
    g_variant_builder_add_value (&builder, describe_plugin (registry, names[i]));
  satori_dbus_plugins_complete_list_plugins (skeleton, invocation,
                                             g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Succeeds when @name already is in the asked state: it cannot change yet. */
static void
toggle (GDBusMethodInvocation *invocation, SatoriRegistry *registry, const char *name,
        gboolean load)
{
  g_auto(GStrv) names = satori_registry_list_available (registry);

  if (!g_strv_contains ((const char * const *) names, name))
    g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                           SATORI_DBUS_ERROR_NOT_FOUND,
                                           _("No plugin named “%s” on the plugin path"), name);
  else if ((find_loaded (registry, name) != NULL) == load)
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                           SATORI_DBUS_ERROR_NOT_SUPPORTED,
                                           load ? _("Plugin “%s” cannot be loaded while the "
                                                    "daemon runs: add it to [plugins] load= "
                                                    "and restart the daemon")
                                                : _("Plugin “%s” cannot be unloaded while the "
                                                    "daemon runs: remove it from [plugins] "
                                                    "load= and restart the daemon"),
                                           name);
}

static gboolean
handle_enable (SatoriDBusPlugins *skeleton, GDBusMethodInvocation *invocation,
               const char *name, SatoriRegistry *registry)
{
  toggle (invocation, registry, name, TRUE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_disable (SatoriDBusPlugins *skeleton, GDBusMethodInvocation *invocation,
                const char *name, SatoriRegistry *registry)
{
  toggle (invocation, registry, name, FALSE);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * satori_dbus_plugins_new:
 * @registry: the registry the daemon loaded its plugins with
 *
 * Makes the io.satorinet.P2P1.Plugins skeleton over @registry, to export
 * with g_dbus_interface_skeleton_export().
 *
 * Returns: (transfer full): the skeleton
 */
SatoriDBusPlugins *
satori_dbus_plugins_new (SatoriRegistry *registry)
{
  SatoriDBusPlugins *skeleton = satori_dbus_plugins_skeleton_new ();

  g_object_set_data_full (G_OBJECT (skeleton), "satori-registry", g_object_ref (registry),
                          g_object_unref);
  g_signal_connect (skeleton, "handle-list-plugins", G_CALLBACK (handle_list_plugins), registry);
  g_signal_connect (skeleton, "handle-enable-plugin", G_CALLBACK (handle_enable), registry);
  g_signal_connect (skeleton, "handle-disable-plugin", G_CALLBACK (handle_disable), registry);
  return skeleton;
}
