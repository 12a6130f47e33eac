/* The identify plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-identify-service.h"
#include "satori-message-framing.h"
#include "satori-plugin.h"

static gboolean
identify_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_IDENTIFY_PROTOCOL, SATORI_IDENTIFY_PUSH_PROTOCOL, NULL };

  satori_message_framing_register (ids, SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED);
  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "identify", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_IDENTIFY_SERVICE, error);
}

SATORI_PLUGIN_DEFINE (identify, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "libp2p identify (/ipfs/id/1.0.0) and identify push (/ipfs/id/push/1.0.0)",
                      identify_plugin_init)
