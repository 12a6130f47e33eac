/* The memory plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-memory-transport.h"
#include "satori-plugin.h"

static gboolean
memory_plugin_init (SatoriPlugin *plugin, GError **error)
{
  return satori_plugin_add_feature (plugin, SATORI_TYPE_TRANSPORT, "memory", NULL,
                                    SATORI_RANK_MARGINAL, SATORI_TYPE_MEMORY_TRANSPORT, error);
}

SATORI_PLUGIN_DEFINE (memory, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "In-process transport over memory pipes (/memory/<id>), for tests "
                      "and simulations", memory_plugin_init)
