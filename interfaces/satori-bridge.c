/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-bridge.h"

#include "satori-enum-types.h"

/**
 * SatoriBridge:
 *
 * The contract of a bridge plugin. See #SatoriBridgeInterface.
 */
G_DEFINE_INTERFACE (SatoriBridge, satori_bridge, G_TYPE_OBJECT)

static void
satori_bridge_default_init (SatoriBridgeInterface *iface)
{
  /* Interface properties live in GObject's pspec pool, made when the
   * GObject class is first initialised; this may run before that. */
  g_type_class_unref (g_type_class_ref (G_TYPE_OBJECT));

  /**
   * SatoriBridge:state:
   *
   * Where the link stands; watch `notify::state` for failover.
   */
  g_object_interface_install_property (iface,
    g_param_spec_enum ("state", NULL, NULL, SATORI_TYPE_BRIDGE_STATE,
                       SATORI_BRIDGE_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * SatoriBridge::message-received:
   * @bridge: the bridge
   * @topic: the topic (channel) it came on
   * @data: the payload, a #GBytes
   *
   * A message arrived from the outside system.
   */
  g_signal_new ("message-received", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);
}

/**
 * satori_bridge_start_async:
 * @bridge: a #SatoriBridge
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when connected or failed
 * @user_data: data for @callback
 *
 * Connects to the outside system.
 */
void
satori_bridge_start_async (SatoriBridge *bridge, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_BRIDGE (bridge));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_BRIDGE_GET_IFACE (bridge)->start_async (bridge, cancellable, callback, user_data);
}

/**
 * satori_bridge_start_finish:
 * @bridge: a #SatoriBridge
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when connected
 */
gboolean
satori_bridge_start_finish (SatoriBridge *bridge, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_BRIDGE (bridge), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_BRIDGE_GET_IFACE (bridge)->start_finish (bridge, result, error);
}

/**
 * satori_bridge_stop:
 * @bridge: a #SatoriBridge
 *
 * Disconnects. Idempotent.
 */
void
satori_bridge_stop (SatoriBridge *bridge)
{
  g_return_if_fail (SATORI_IS_BRIDGE (bridge));
  SATORI_BRIDGE_GET_IFACE (bridge)->stop (bridge);
}

/**
 * satori_bridge_get_state:
 * @bridge: a #SatoriBridge
 *
 * Returns: the `state` property
 */
SatoriBridgeState
satori_bridge_get_state (SatoriBridge *bridge)
{
  SatoriBridgeState state = SATORI_BRIDGE_STATE_STOPPED;

  g_return_val_if_fail (SATORI_IS_BRIDGE (bridge), state);
  g_object_get (bridge, "state", &state, NULL);
  return state;
}

/**
 * satori_bridge_subscribe:
 * @bridge: a #SatoriBridge
 * @topic: the topic (channel)
 * @error: return location for a #GError
 *
 * Receives @topic from the outside system.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_bridge_subscribe (SatoriBridge *bridge, const char *topic, GError **error)
{
  g_return_val_if_fail (SATORI_IS_BRIDGE (bridge), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  return SATORI_BRIDGE_GET_IFACE (bridge)->subscribe (bridge, topic, error);
}

/**
 * satori_bridge_unsubscribe:
 * @bridge: a #SatoriBridge
 * @topic: the topic (channel)
 * @error: return location for a #GError
 *
 * Stops receiving @topic.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_bridge_unsubscribe (SatoriBridge *bridge, const char *topic, GError **error)
{
  g_return_val_if_fail (SATORI_IS_BRIDGE (bridge), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  return SATORI_BRIDGE_GET_IFACE (bridge)->unsubscribe (bridge, topic, error);
}

/**
 * satori_bridge_publish_async:
 * @bridge: a #SatoriBridge
 * @topic: the topic (channel)
 * @data: the payload
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when accepted or failed
 * @user_data: data for @callback
 *
 * Publishes to the outside system.
 */
void
satori_bridge_publish_async (SatoriBridge *bridge, const char *topic, GBytes *data,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_return_if_fail (SATORI_IS_BRIDGE (bridge));
  g_return_if_fail (topic != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_BRIDGE_GET_IFACE (bridge)->publish_async (bridge, topic, data, cancellable,
                                                   callback, user_data);
}

/**
 * satori_bridge_publish_finish:
 * @bridge: a #SatoriBridge
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the outside system accepted it
 */
gboolean
satori_bridge_publish_finish (SatoriBridge *bridge, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_BRIDGE (bridge), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_BRIDGE_GET_IFACE (bridge)->publish_finish (bridge, result, error);
}
