/* satori-pubsub-signing.h — building, signing and verifying pubsub messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "pubsub-rpc.pb-c.h"
#include "satori-private-key.h"

G_BEGIN_DECLS

/**
 * SATORI_PUBSUB_SIGN_PREFIX:
 *
 * What a pubsub signature covers comes after this prefix: the encoded
 * Message without its `signature` and `key` fields.
 */
#define SATORI_PUBSUB_SIGN_PREFIX "libp2p-pubsub:"

GBytes  *satori_pubsub_build_message  (const char *topic, GBytes *data, GBytes *seqno,
                                       SatoriPrivateKey *key, GError **error);
gboolean satori_pubsub_verify_message (const Satori__Pubsub__Message *message,
                                       GError **error);

G_END_DECLS
