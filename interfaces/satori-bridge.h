/* satori-bridge.h — the bridge contract: a link to an outside pubsub system
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SatoriBridgeState:
 * @SATORI_BRIDGE_STATE_STOPPED: not started, or stopped
 * @SATORI_BRIDGE_STATE_CONNECTING: connecting or reconnecting
 * @SATORI_BRIDGE_STATE_CONNECTED: exchanging messages
 * @SATORI_BRIDGE_STATE_FAILED: gave up; start again to retry
 *
 * Where a bridge's link to its outside system stands.
 */
typedef enum {
  SATORI_BRIDGE_STATE_STOPPED,
  SATORI_BRIDGE_STATE_CONNECTING,
  SATORI_BRIDGE_STATE_CONNECTED,
  SATORI_BRIDGE_STATE_FAILED,
} SatoriBridgeState;

#define SATORI_TYPE_BRIDGE (satori_bridge_get_type ())
G_DECLARE_INTERFACE (SatoriBridge, satori_bridge, SATORI, BRIDGE, GObject)

/**
 * SatoriBridgeInterface:
 * @g_iface: the parent interface
 * @start_async: connects to the outside system
 * @start_finish: whether it connected
 * @stop: disconnects; idempotent
 * @subscribe: receives a topic (channel) of the outside system
 * @unsubscribe: stops receiving it
 * @publish_async: publishes to the outside system
 * @publish_finish: whether it was accepted
 *
 * Centrifugo, the legacy central pubsub. The hybrid layer joins a bridge to
 * a #SatoriPubsub. A bridge has a `state` property (#SatoriBridgeState) and
 * emits #SatoriBridge::message-received.
 */
struct _SatoriBridgeInterface
{
  GTypeInterface g_iface;

  void     (*start_async)    (SatoriBridge        *bridge,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean (*start_finish)   (SatoriBridge        *bridge,
                              GAsyncResult        *result,
                              GError             **error);
  void     (*stop)           (SatoriBridge        *bridge);
  gboolean (*subscribe)      (SatoriBridge        *bridge,
                              const char          *topic,
                              GError             **error);
  gboolean (*unsubscribe)    (SatoriBridge        *bridge,
                              const char          *topic,
                              GError             **error);
  void     (*publish_async)  (SatoriBridge        *bridge,
                              const char          *topic,
                              GBytes              *data,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean (*publish_finish) (SatoriBridge        *bridge,
                              GAsyncResult        *result,
                              GError             **error);
};

void              satori_bridge_start_async (SatoriBridge        *bridge,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean          satori_bridge_start_finish (SatoriBridge  *bridge,
                                              GAsyncResult  *result,
                                              GError       **error);
void              satori_bridge_stop (SatoriBridge *bridge);
SatoriBridgeState satori_bridge_get_state (SatoriBridge *bridge);
gboolean          satori_bridge_subscribe (SatoriBridge *bridge, const char *topic, GError **error);
gboolean          satori_bridge_unsubscribe (SatoriBridge *bridge, const char *topic, GError **error);
void              satori_bridge_publish_async (SatoriBridge        *bridge,
                                               const char          *topic,
                                               GBytes              *data,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean          satori_bridge_publish_finish (SatoriBridge  *bridge,
                                                GAsyncResult  *result,
                                                GError       **error);

G_END_DECLS
