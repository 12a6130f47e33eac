/* satori-inspect — lists plugins, their features, protocol ids, ranks and
 * configuration keys, like gst-inspect.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "satorip2p.h"
#include "satori-i18n.h"

static const char *
interface_label (GType type)
{
  const char *name = g_type_name (type);
  return g_str_has_prefix (name, "Satori") ? name + strlen ("Satori") : name;
}

static void
print_plugin_line (SatoriPlugin *plugin)
{
  if (!satori_plugin_is_loaded (plugin))
    {
      g_print (_("%-14s REFUSED: %s\n"), satori_plugin_get_name (plugin),
               satori_plugin_get_refusal (plugin)->message);
      return;
    }
  guint major, minor;
  satori_plugin_get_abi (plugin, &major, &minor);
  GPtrArray *features = satori_plugin_get_features (plugin);
  g_print ("%-14s %-8s ABI %u.%u  %s\n", satori_plugin_get_name (plugin),
           satori_plugin_get_version (plugin), major, minor,
           satori_plugin_get_description (plugin));
  for (guint i = 0; i < features->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (features, i);
      g_autofree char *ids = g_strjoinv (" ", (char **) satori_feature_get_protocol_ids (feature));
      g_print ("  %-12s %-18s rank %-4u %s\n", satori_feature_get_name (feature),
               interface_label (satori_feature_get_interface_type (feature)),
               satori_feature_get_rank (feature), ids);
    }
}

static void
print_property (GParamSpec *pspec)
{
  GValue value = G_VALUE_INIT;
  g_value_init (&value, pspec->value_type);
  g_param_value_set_default (pspec, &value);
  g_autofree char *default_text = g_strdup_value_contents (&value);
  g_value_unset (&value);

  g_print ("      %-22s %-10s %s\n", pspec->name, g_type_name (pspec->value_type),
           g_param_spec_get_blurb (pspec) ? g_param_spec_get_blurb (pspec) : "");
  if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      GParamSpecUInt *u = G_PARAM_SPEC_UINT (pspec);
      g_print (_("%31sRange: %u – %u  Default: %s\n"), "", u->minimum, u->maximum, default_text);
    }
  else if (G_IS_PARAM_SPEC_INT (pspec))
    {
      GParamSpecInt *i = G_PARAM_SPEC_INT (pspec);
      g_print (_("%31sRange: %d – %d  Default: %s\n"), "", i->minimum, i->maximum, default_text);
    }
  else
    g_print (_("%31sDefault: %s\n"), "", default_text);
}

static int
print_plugin_details (SatoriRegistry *registry, const char *name)
{
  g_autoptr(GError) error = NULL;
  SatoriPlugin *plugin = satori_registry_load (registry, name, &error);

  if (plugin == NULL)
    {
      g_printerr (_("Plugin '%s' could not be loaded: %s\n"), name, error->message);
      return 1;
    }

  guint major, minor;
  satori_plugin_get_abi (plugin, &major, &minor);
  g_print (_("Plugin Details:\n"));
  g_print (_("  Name:         %s\n"), satori_plugin_get_name (plugin));
  g_print (_("  Description:  %s\n"), satori_plugin_get_description (plugin));
  g_print (_("  Filename:     %s\n"), satori_plugin_get_filename (plugin));
  g_print (_("  Version:      %s\n"), satori_plugin_get_version (plugin));
  g_print (_("  License:      %s\n"), satori_plugin_get_license (plugin));
  g_print (_("  Plugin ABI:   %u.%u (core %u.%u)\n"), major, minor,
           SATORI_PLUGIN_ABI_MAJOR, SATORI_PLUGIN_ABI_MINOR);

  GPtrArray *features = satori_plugin_get_features (plugin);
  g_print (_("\nFeatures:\n"));
  for (guint i = 0; i < features->len; i++)
    {
      SatoriFeature *feature = g_ptr_array_index (features, i);
      g_autofree char *ids = g_strjoinv (", ", (char **) satori_feature_get_protocol_ids (feature));
      g_print ("  %s\n", satori_feature_get_name (feature));
      g_print (_("    Interface:       %s\n"), g_type_name (satori_feature_get_interface_type (feature)));
      g_print (_("    Implementation:  %s\n"),
               g_type_name (satori_feature_get_implementation_type (feature)));
      g_print (_("    Rank:            %u\n"), satori_feature_get_rank (feature));
      g_print (_("    Protocol ids:    %s\n"), *ids ? ids : _("(none)"));

      g_autoptr(GTypeClass) klass = g_type_class_ref (satori_feature_get_implementation_type (feature));
      guint n_props = 0;
      g_autofree GParamSpec **props = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_props);
      g_print (_("    Configuration keys ([%s] group):\n"), satori_feature_get_name (feature));
      if (n_props == 0)
        g_print (_("      (none)\n"));
      for (guint p = 0; p < n_props; p++)
        if (props[p]->flags & G_PARAM_WRITABLE)
          print_property (props[p]);
    }
  return 0;
}

int
main (int argc, char **argv)
{
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version and plugin ABI"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  satori_i18n_init_program ();

  context = g_option_context_new (_("[PLUGIN] — list satorip2p plugins, or show one"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (show_version)
    {
      g_print (_("satori-inspect %s, plugin ABI %u.%u\n"), PACKAGE_VERSION,
               SATORI_PLUGIN_ABI_MAJOR, SATORI_PLUGIN_ABI_MINOR);
      return 0;
    }

  SatoriRegistry *registry = satori_registry_get_default ();
  if (argc > 2)
    {
      g_printerr (_("Give at most one plugin name\n"));
      return 2;
    }
  if (argc == 2)
    return print_plugin_details (registry, argv[1]);

  satori_registry_scan (registry);
  GPtrArray *plugins = satori_registry_get_plugins (registry);
  guint loaded = 0;
  for (guint i = 0; i < plugins->len; i++)
    {
      print_plugin_line (g_ptr_array_index (plugins, i));
      loaded += satori_plugin_is_loaded (g_ptr_array_index (plugins, i));
    }
  g_autofree char *path = g_strjoinv (":", (char **) satori_registry_get_search_path (registry));
  g_print (_("\n%u plugins loaded, %u refused; search path %s\n"), loaded,
           plugins->len - loaded, path);
  return 0;
}
