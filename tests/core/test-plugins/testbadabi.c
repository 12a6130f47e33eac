/* A plugin built for the next ABI major: the loader must refuse it before
 * calling anything in it. Its init aborts the test if it ever runs. */
#include "satori-plugin.h"

static gboolean
testbadabi_init (SatoriPlugin *plugin, GError **error)
{
  g_error ("the init of a plugin with a foreign ABI ran");
  return FALSE;
}

G_MODULE_EXPORT extern const SatoriPluginDesc satori_plugin_testbadabi_desc;
const SatoriPluginDesc satori_plugin_testbadabi_desc = {
  SATORI_PLUGIN_ABI_MAJOR + 1, 0, "testbadabi", "9.9", "LGPL-2.1-or-later",
  "Built for another ABI", testbadabi_init, { NULL }
};
