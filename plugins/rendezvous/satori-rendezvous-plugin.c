/* The rendezvous plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-rendezvous-service.h"
#include "satori-message-framing.h"
#include "satori-plugin.h"

/* One type is both: the point serves streams, and the client reaches the
 * host it was attached to as a protocol handler. */
static gboolean
rendezvous_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_RENDEZVOUS_PROTOCOL, NULL };

  satori_message_framing_register (ids, SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED);
  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "rendezvous", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_RENDEZVOUS_SERVICE, error) &&
         satori_plugin_add_feature (plugin, SATORI_TYPE_DISCOVERY, "rendezvous", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_RENDEZVOUS_SERVICE, error);
}

SATORI_PLUGIN_DEFINE (rendezvous, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "libp2p rendezvous (/rendezvous/1.0.0): point and client",
                      rendezvous_plugin_init)
