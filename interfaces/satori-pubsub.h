/* satori-pubsub.h — the publish/subscribe contract
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-pubsub-message.h"
#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SatoriValidationResult:
 * @SATORI_VALIDATION_ACCEPT: deliver and forward
 * @SATORI_VALIDATION_REJECT: drop and penalise the sender
 * @SATORI_VALIDATION_IGNORE: drop without penalty
 * @SATORI_VALIDATION_PENDING: the validator answers later with
 *   satori_pubsub_report_validation()
 *
 * A topic validator's verdict, as in GossipSub v1.1.
 */
typedef enum {
  SATORI_VALIDATION_ACCEPT,
  SATORI_VALIDATION_REJECT,
  SATORI_VALIDATION_IGNORE,
  SATORI_VALIDATION_PENDING,
} SatoriValidationResult;

#define SATORI_TYPE_PUBSUB (satori_pubsub_get_type ())
G_DECLARE_INTERFACE (SatoriPubsub, satori_pubsub, SATORI, PUBSUB, GObject)

/**
 * SatoriPubsubValidateFunc:
 * @pubsub: the router
 * @message: the message, before delivery or forwarding
 * @user_data: the data given to satori_pubsub_set_validator()
 *
 * Returns: the verdict
 */
typedef SatoriValidationResult (*SatoriPubsubValidateFunc) (SatoriPubsub        *pubsub,
                                                            SatoriPubsubMessage *message,
                                                            gpointer             user_data);

/**
 * SatoriPubsubInterface:
 * @g_iface: the parent interface
 * @subscribe: joins a topic
 * @unsubscribe: leaves a topic
 * @publish_async: publishes on a topic (subscribed or not)
 * @publish_finish: whether it was sent
 * @get_topics: the subscribed topics
 * @get_topic_peers: the peers known to be subscribed to a topic
 * @set_validator: sets or clears a topic's validator
 * @report_validation: the verdict for a message left pending
 *
 * GossipSub, floodsub. Emits #SatoriPubsub::message, detailed by topic,
 * for every accepted message on a subscribed topic.
 */
struct _SatoriPubsubInterface
{
  GTypeInterface g_iface;

  gboolean   (*subscribe)         (SatoriPubsub             *pubsub,
                                   const char               *topic,
                                   GError                  **error);
  gboolean   (*unsubscribe)       (SatoriPubsub             *pubsub,
                                   const char               *topic,
                                   GError                  **error);
  void       (*publish_async)     (SatoriPubsub             *pubsub,
                                   const char               *topic,
                                   GBytes                   *data,
                                   GCancellable             *cancellable,
                                   GAsyncReadyCallback       callback,
                                   gpointer                  user_data);
  gboolean   (*publish_finish)    (SatoriPubsub             *pubsub,
                                   GAsyncResult             *result,
                                   GError                  **error);
  GStrv      (*get_topics)        (SatoriPubsub             *pubsub);
  GPtrArray *(*get_topic_peers)   (SatoriPubsub             *pubsub,
                                   const char               *topic);
  void       (*set_validator)     (SatoriPubsub             *pubsub,
                                   const char               *topic,
                                   SatoriPubsubValidateFunc  func,
                                   gpointer                  user_data,
                                   GDestroyNotify            destroy);
  void       (*report_validation) (SatoriPubsub             *pubsub,
                                   const char               *message_id,
                                   SatoriValidationResult    result);
};

gboolean   satori_pubsub_subscribe (SatoriPubsub *pubsub, const char *topic, GError **error);
gboolean   satori_pubsub_unsubscribe (SatoriPubsub *pubsub, const char *topic, GError **error);
void       satori_pubsub_publish_async (SatoriPubsub        *pubsub,
                                        const char          *topic,
                                        GBytes              *data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean   satori_pubsub_publish_finish (SatoriPubsub  *pubsub,
                                         GAsyncResult  *result,
                                         GError       **error);
GStrv      satori_pubsub_get_topics (SatoriPubsub *pubsub);
GPtrArray *satori_pubsub_get_topic_peers (SatoriPubsub *pubsub, const char *topic);
void       satori_pubsub_set_validator (SatoriPubsub             *pubsub,
                                        const char               *topic,
                                        SatoriPubsubValidateFunc  func,
                                        gpointer                  user_data,
                                        GDestroyNotify            destroy);
void       satori_pubsub_report_validation (SatoriPubsub           *pubsub,
                                            const char             *message_id,
                                            SatoriValidationResult  result);

G_END_DECLS
