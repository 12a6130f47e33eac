/* The satori plugin's entry: the only symbol its module exports.
 * Registers the Satori application protocols (direct messages, offline store).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-plugin.h"

static gboolean
satori_plugin_init (SatoriPlugin *plugin, GError **error)
{
  /* One feature a protocol; each registration is a single line. */
  return TRUE;
}

SATORI_PLUGIN_DEFINE (satori, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "Satori protocols: /satori/1.0.0 direct messages, offline store",
                      satori_plugin_init)
