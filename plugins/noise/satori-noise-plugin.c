/* The noise plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-security.h"
#include "satori-plugin.h"

static gboolean
noise_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { "/noise", NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_SECURITY, "noise", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_NOISE_SECURITY, error);
}

SATORI_PLUGIN_DEFINE (noise, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "libp2p Noise security (/noise: XX, X25519, ChaChaPoly, SHA-256) with "
                      "early muxer negotiation", noise_plugin_init)
