/* The satori plugin's entry: the only symbol its module exports.
 * Registers the Satori application protocols (direct messages, offline store).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-message-service.h"
#include "satori-message-framing.h"
#include "satori-plugin.h"
#include "satori-store-service.h"

static gboolean
satori_plugin_init (SatoriPlugin *plugin, GError **error)
{
  /* One feature a protocol. */
  const char *messages[] = { SATORI_MESSAGE_PROTOCOL, NULL };
  const char *store_ids[] = { SATORI_STORE_PROTOCOL, NULL };

  /* One message a stream each way: no framing on the wire. */
  satori_message_framing_register (messages, SATORI_MESSAGE_FRAMING_WHOLE_STREAM);
  satori_message_framing_register (store_ids, SATORI_MESSAGE_FRAMING_WHOLE_STREAM);
  return satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "satori", messages,
                                    SATORI_RANK_PRIMARY, SATORI_TYPE_MESSAGE_SERVICE, error) &&
         satori_plugin_add_feature (plugin, SATORI_TYPE_PROTOCOL_HANDLER, "satori-store",
                                    store_ids, SATORI_RANK_PRIMARY, SATORI_TYPE_STORE_SERVICE,
                                    error);
}

SATORI_PLUGIN_DEFINE (satori, PACKAGE_VERSION, "LGPL-2.1-or-later",
                      "Satori protocols: /satori/1.0.0 direct messages, offline store",
                      satori_plugin_init)
