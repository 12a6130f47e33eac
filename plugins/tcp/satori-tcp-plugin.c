/* The tcp plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-plugin.h"
#include "satori-tcp-transport.h"

static gboolean
tcp_plugin_init (SatoriPlugin *plugin, GError **error)
{
  return satori_plugin_add_feature (plugin, SATORI_TYPE_TRANSPORT, "tcp", NULL,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_TCP_TRANSPORT, error);
}

SATORI_PLUGIN_DEFINE (tcp, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "TCP transport over IPv4 and IPv6 (/ip4, /ip6, /dns, /dns4, /dns6 "
                      "with /tcp)", tcp_plugin_init)
