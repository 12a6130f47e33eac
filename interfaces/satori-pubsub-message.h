/* satori-pubsub-message.h — one message on a pubsub topic
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PUBSUB_MESSAGE (satori_pubsub_message_get_type ())
GType satori_pubsub_message_get_type (void) G_GNUC_CONST;

SatoriPubsubMessage *satori_pubsub_message_new (const char   *topic,
                                                GBytes       *data,
                                                SatoriPeerId *from,
                                                GBytes       *seqno);
SatoriPubsubMessage *satori_pubsub_message_ref (SatoriPubsubMessage *message);
void                 satori_pubsub_message_unref (SatoriPubsubMessage *message);

const char   *satori_pubsub_message_get_topic (const SatoriPubsubMessage *message);
GBytes       *satori_pubsub_message_get_data (const SatoriPubsubMessage *message);
SatoriPeerId *satori_pubsub_message_get_from (const SatoriPubsubMessage *message);
GBytes       *satori_pubsub_message_get_seqno (const SatoriPubsubMessage *message);
const char   *satori_pubsub_message_get_id (const SatoriPubsubMessage *message);
void          satori_pubsub_message_set_id (SatoriPubsubMessage *message,
                                            const char          *id);
GBytes       *satori_pubsub_message_get_signature (const SatoriPubsubMessage *message);
GBytes       *satori_pubsub_message_get_key (const SatoriPubsubMessage *message);
void          satori_pubsub_message_set_signature (SatoriPubsubMessage *message,
                                                   GBytes              *signature,
                                                   GBytes              *key);
SatoriPeerId *satori_pubsub_message_get_received_from (const SatoriPubsubMessage *message);
void          satori_pubsub_message_set_received_from (SatoriPubsubMessage *message,
                                                       SatoriPeerId        *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPubsubMessage, satori_pubsub_message_unref)

G_END_DECLS
