/* The yamux plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-plugin.h"
#include "satori-yamux-muxer.h"
#include "satori-yamux-session.h"

static gboolean
yamux_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_YAMUX_PROTOCOL_ID, NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_MUXER, "yamux", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_YAMUX_MUXER, error);
}

SATORI_PLUGIN_DEFINE (yamux, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "The /yamux/1.0.0 stream muxer, with window auto-tuning and keep-alive",
                      yamux_plugin_init)
