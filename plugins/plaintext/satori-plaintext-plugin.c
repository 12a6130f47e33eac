/* The plaintext plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-plaintext-security.h"
#include "satori-plaintext-session.h"
#include "satori-plugin.h"

static gboolean
plaintext_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_PLAINTEXT_PROTOCOL_ID, NULL };

  return satori_plugin_add_feature (plugin, SATORI_TYPE_SECURITY, "plaintext", ids,
                                    SATORI_RANK_MARGINAL, SATORI_TYPE_PLAINTEXT_SECURITY, error);
}

SATORI_PLUGIN_DEFINE (plaintext, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "/plaintext/2.0.0: exchanges peer ids and keys, encrypts nothing "
                      "(tests only)", plaintext_plugin_init)
