/* The perf plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-perf-server.h"
#include "satori-perf-session.h"
#include "satori-plugin.h"

static gboolean
perf_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_PERF_PROTOCOL_ID, NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "perf", ids,
                                    SATORI_RANK_NONE, SATORI_TYPE_PERF_SERVER, error);
}

SATORI_PLUGIN_DEFINE (perf, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "The /perf/1.0.0 benchmark protocol: server and client",
                      perf_plugin_init)
