/* The kad plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-dht.h"
#include "satori-message-framing.h"
#include "satori-plugin.h"

/* One object serves the stream protocol and discovery; the
 * configuration creates it as a protocol handler ([kad] group). */
static gboolean
kad_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_KAD_PROTOCOL_ID, NULL };

  satori_message_framing_register (ids, SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED);
  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "kad", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_KAD_DHT, error) &&
         satori_plugin_add_feature (plugin, SATORI_TYPE_DISCOVERY, "kad", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_KAD_DHT, error);
}

SATORI_PLUGIN_DEFINE (kad, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "Kademlia DHT (/ipfs/kad/1.0.0): peer and content routing, records",
                      kad_plugin_init)
