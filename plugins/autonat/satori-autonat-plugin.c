/* The autonat plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-autonat-service.h"
#include "satori-plugin.h"

static gboolean
autonat_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_AUTONAT_PROTOCOL, NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "autonat", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_AUTONAT_SERVICE, error);
}

SATORI_PLUGIN_DEFINE (autonat, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "AutoNAT v1 (/libp2p/autonat/1.0.0): dial-back server and reachability",
                      autonat_plugin_init)
