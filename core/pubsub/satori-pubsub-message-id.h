/* satori-pubsub-message-id.h — message ids
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "pubsub-rpc.pb-c.h"

G_BEGIN_DECLS

/**
 * SatoriPubsubMessageIdFunc:
 * @message: a message that passed satori_pubsub_check_message()
 * @user_data: the data given with the function
 *
 * Computes the id that names @message in the seen cache and in gossip.
 * Every peer of a network must use the same function.
 *
 * Returns: (transfer full): the id
 */
typedef GBytes *(*SatoriPubsubMessageIdFunc) (const Satori__Pubsub__Message *message,
                                              gpointer user_data);

GBytes *satori_pubsub_default_message_id (const Satori__Pubsub__Message *message,
                                          gpointer user_data);
GBytes *satori_pubsub_content_message_id (const Satori__Pubsub__Message *message,
                                          gpointer user_data);
GBytes *satori_pubsub_key_message_id     (const Satori__Pubsub__Message *message,
                                          gpointer user_data);

G_END_DECLS
