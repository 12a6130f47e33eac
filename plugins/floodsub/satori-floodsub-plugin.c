/* The floodsub plugin's entry: the only symbol its module exports.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-floodsub-pubsub.h"
#include "satori-floodsub-session.h"
#include "satori-message-framing.h"
#include "satori-plugin.h"

static gboolean
floodsub_plugin_init (SatoriPlugin *plugin, GError **error)
{
  const char *ids[] = { SATORI_FLOODSUB_PROTOCOL, NULL };

  /* A pubsub router, not a plain stream handler: a host serves the one
   * that `[host] pubsub=` names. */
  satori_message_framing_register (ids, SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED);
  return satori_plugin_add_feature (plugin, SATORI_TYPE_PUBSUB, "floodsub", ids,
                                    SATORI_RANK_SECONDARY, SATORI_TYPE_FLOODSUB_PUBSUB, error);
}

SATORI_PLUGIN_DEFINE (floodsub, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "floodsub (/floodsub/1.0.0) publish/subscribe router",
                      floodsub_plugin_init)
