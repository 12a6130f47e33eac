/* satorip2p plugins: what the daemon can load and has loaded; enabling
 * and disabling where the daemon allows it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "satorip2p-bus.h"
#include "satorip2p-cli.h"

int
satori_cli_plugins (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  int status = satori_cli_bus_parse (&bus, NULL,
                                     _("Lists the plugins the daemon finds, their features, and "
                                       "whether they are loaded."),
                                     NULL, &argc, &argv, 0, 0);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  g_autoptr(SatoriDBusPlugins) plugins = satori_cli_bus_plugins (&bus, &error);
  g_autoptr(GVariant) list = NULL;
  if (plugins == NULL ||
      !satori_dbus_plugins_call_list_plugins_sync (plugins, &list, NULL, &error))
    return satori_cli_bus_fail (error);

  g_autoptr(JsonBuilder) builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      const char *name, *version, *description;
      g_autofree const char **features = NULL;
      gboolean loaded;
      g_variant_get_child (list, i, "(&s&s&s^a&sb)", &name, &version, &description, &features,
                           &loaded);
      if (!bus.json)
        {
          g_autofree char *joined = g_strjoinv (", ", (char **) features);
          g_print ("%-12s %-8s %-10s %s\n", name, version, loaded ? _("loaded") : _("available"),
                   description);
          if (*joined != '\0')
            g_print ("%-12s %s\n", "", joined);
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, version);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, description);
      json_builder_set_member_name (builder, "features");
      json_builder_begin_array (builder);
      for (guint j = 0; features[j] != NULL; j++)
        json_builder_add_string_value (builder, features[j]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "loaded");
      json_builder_add_boolean_value (builder, loaded);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (bus.json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      satori_cli_print_json (root);
    }
  return SATORI_CLI_EXIT_OK;
}

/* Enables or disables one plugin. */
static int
toggle (int argc, char **argv, gboolean enable)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  int status = satori_cli_bus_parse (&bus, _("NAME"),
                                     enable ? _("Loads a plugin into the running daemon.")
                                            : _("Unloads a plugin from the running daemon."),
                                     NULL, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  g_autoptr(SatoriDBusPlugins) plugins = satori_cli_bus_plugins (&bus, &error);
  gboolean done = plugins != NULL &&
    (enable ? satori_dbus_plugins_call_enable_plugin_sync (plugins, argv[1], NULL, &error)
            : satori_dbus_plugins_call_disable_plugin_sync (plugins, argv[1], NULL, &error));
  if (!done)
    return satori_cli_bus_fail (error);
  if (bus.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "loaded");
      json_builder_add_boolean_value (builder, enable);
      json_builder_end_object (builder);
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      satori_cli_print_json (root);
    }
  return SATORI_CLI_EXIT_OK;
}

int
satori_cli_plugins_enable (int argc, char **argv)
{
  return toggle (argc, argv, TRUE);
}

int
satori_cli_plugins_disable (int argc, char **argv)
{
  return toggle (argc, argv, FALSE);
}
