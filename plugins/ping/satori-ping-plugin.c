/* The ping plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-ping-service.h"
#include "satori-plugin.h"

static gboolean
ping_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_PING_PROTOCOL, NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "ping", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_PING_SERVICE, error);
}

SATORI_PLUGIN_DEFINE (ping, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "libp2p ping (/ipfs/ping/1.0.0): echo server and RTT client",
                      ping_plugin_init)
