/* The bootstrap plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-bootstrap-discovery.h"
#include "satori-plugin.h"

static gboolean
bootstrap_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_DISCOVERY, "bootstrap", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_BOOTSTRAP_DISCOVERY, error);
}

SATORI_PLUGIN_DEFINE (bootstrap, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "Dials bootstrap peers (/p2p/ and /dnsaddr/) while connections are few",
                      bootstrap_plugin_init)
