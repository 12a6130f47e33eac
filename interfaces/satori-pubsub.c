/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub.h"

/**
 * SatoriPubsub:
 *
 * The contract of a pubsub router plugin. See #SatoriPubsubInterface.
 */
G_DEFINE_INTERFACE (SatoriPubsub, satori_pubsub, G_TYPE_OBJECT)

static void
satori_pubsub_default_init (SatoriPubsubInterface *iface)
{
  /**
   * SatoriPubsub::message:
   * @pubsub: the router
   * @message: the #SatoriPubsubMessage
   *
   * An accepted message arrived on a subscribed topic. The signal detail is
   * the topic: connect to `message::satori/stream/ID` for one topic.
   */
  g_signal_new ("message", G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, SATORI_TYPE_PUBSUB_MESSAGE);
}

/**
 * satori_pubsub_subscribe:
 * @pubsub: a #SatoriPubsub
 * @topic: the topic
 * @error: return location for a #GError
 *
 * Joins @topic. Subscribing twice is not an error.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_pubsub_subscribe (SatoriPubsub *pubsub, const char *topic, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PUBSUB (pubsub), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  return SATORI_PUBSUB_GET_IFACE (pubsub)->subscribe (pubsub, topic, error);
}

/**
 * satori_pubsub_unsubscribe:
 * @pubsub: a #SatoriPubsub
 * @topic: the topic
 * @error: return location for a #GError
 *
 * Leaves @topic.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_pubsub_unsubscribe (SatoriPubsub *pubsub, const char *topic, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PUBSUB (pubsub), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  return SATORI_PUBSUB_GET_IFACE (pubsub)->unsubscribe (pubsub, topic, error);
}

/**
 * satori_pubsub_publish_async:
 * @pubsub: a #SatoriPubsub
 * @topic: the topic
 * @data: the payload
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when sent
 * @user_data: data for @callback
 *
 * Publishes @data on @topic.
 */
void
satori_pubsub_publish_async (SatoriPubsub *pubsub, const char *topic, GBytes *data,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PUBSUB (pubsub));
  g_return_if_fail (topic != NULL);
  g_return_if_fail (data != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_PUBSUB_GET_IFACE (pubsub)->publish_async (pubsub, topic, data, cancellable,
                                                   callback, user_data);
}

/**
 * satori_pubsub_publish_finish:
 * @pubsub: a #SatoriPubsub
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the message was handed to the network
 */
gboolean
satori_pubsub_publish_finish (SatoriPubsub *pubsub, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PUBSUB (pubsub), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_PUBSUB_GET_IFACE (pubsub)->publish_finish (pubsub, result, error);
}

/**
 * satori_pubsub_get_topics:
 * @pubsub: a #SatoriPubsub
 *
 * Returns: (transfer full): the subscribed topics
 */
GStrv
satori_pubsub_get_topics (SatoriPubsub *pubsub)
{
  g_return_val_if_fail (SATORI_IS_PUBSUB (pubsub), NULL);
  return SATORI_PUBSUB_GET_IFACE (pubsub)->get_topics (pubsub);
}

/**
 * satori_pubsub_get_topic_peers:
 * @pubsub: a #SatoriPubsub
 * @topic: the topic
 *
 * Returns: (transfer container) (element-type SatoriPeerId): the peers
 *   known to be subscribed to @topic
 */
GPtrArray *
satori_pubsub_get_topic_peers (SatoriPubsub *pubsub, const char *topic)
{
  g_return_val_if_fail (SATORI_IS_PUBSUB (pubsub), NULL);
  g_return_val_if_fail (topic != NULL, NULL);
  return SATORI_PUBSUB_GET_IFACE (pubsub)->get_topic_peers (pubsub, topic);
}

/**
 * satori_pubsub_set_validator:
 * @pubsub: a #SatoriPubsub
 * @topic: the topic
 * @func: (nullable) (scope notified): the validator, or %NULL to clear it
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets the validator every message on @topic passes before delivery and
 * forwarding.
 */
void
satori_pubsub_set_validator (SatoriPubsub *pubsub, const char *topic,
                             SatoriPubsubValidateFunc func, gpointer user_data,
                             GDestroyNotify destroy)
{
  g_return_if_fail (SATORI_IS_PUBSUB (pubsub));
  g_return_if_fail (topic != NULL);
  SATORI_PUBSUB_GET_IFACE (pubsub)->set_validator (pubsub, topic, func, user_data, destroy);
}

/**
 * satori_pubsub_report_validation:
 * @pubsub: a #SatoriPubsub
 * @message_id: the id of a message its validator left pending
 * @result: the verdict, not %SATORI_VALIDATION_PENDING
 *
 * Completes an asynchronous validation.
 */
void
satori_pubsub_report_validation (SatoriPubsub *pubsub, const char *message_id,
                                 SatoriValidationResult result)
{
  g_return_if_fail (SATORI_IS_PUBSUB (pubsub));
  g_return_if_fail (message_id != NULL);
  g_return_if_fail (result != SATORI_VALIDATION_PENDING);
  SATORI_PUBSUB_GET_IFACE (pubsub)->report_validation (pubsub, message_id, result);
}
