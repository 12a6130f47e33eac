/* The gossipsub plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-gossipsub-pubsub.h"
#include "satori-gossipsub-session.h"
#include "satori-message-framing.h"
#include "satori-plugin.h"

static gboolean
gossipsub_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_GOSSIPSUB_PROTOCOL_1_2, SATORI_GOSSIPSUB_PROTOCOL_1_1,
                        SATORI_GOSSIPSUB_PROTOCOL_1_0, SATORI_FLOODSUB_PROTOCOL, NULL };

  /* A pubsub router, not a plain stream handler: a host serves the one
   * that `[host] pubsub=` names. Ranked above floodsub, whose protocol
   * it also serves. */
  satori_message_framing_register (ids, SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED);
  return satori_plugin_add_feature (plugin, SATORI_TYPE_PUBSUB, "gossipsub", ids,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_GOSSIPSUB_PUBSUB, error);
}

SATORI_PLUGIN_DEFINE (gossipsub, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "GossipSub (/meshsub/1.2.0, 1.1.0, 1.0.0) publish/subscribe router",
                      gossipsub_plugin_init)
