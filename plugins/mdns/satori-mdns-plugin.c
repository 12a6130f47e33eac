/* The mdns plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-mdns-discovery.h"
#include "satori-plugin.h"

static gboolean
mdns_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_DISCOVERY, "mdns", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_MDNS_DISCOVERY, error);
}

SATORI_PLUGIN_DEFINE (mdns, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "Finds peers on the local network by multicast DNS (_p2p._udp.local)",
                      mdns_plugin_init)
