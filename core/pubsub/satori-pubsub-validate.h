/* satori-pubsub-validate.h — checking a received message against the
 * signature policy
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "pubsub-rpc.pb-c.h"

G_BEGIN_DECLS

/**
 * SatoriPubsubSignaturePolicy:
 * @SATORI_PUBSUB_STRICT_SIGN: messages carry `from`, an 8-byte `seqno` and
 *   a valid signature (and `key` when `from` does not inline it)
 * @SATORI_PUBSUB_STRICT_NO_SIGN: messages carry none of `from`, `seqno`,
 *   `signature`, `key`
 *
 * The signature policies of the pubsub spec.
 */
typedef enum {
  SATORI_PUBSUB_STRICT_SIGN,
  SATORI_PUBSUB_STRICT_NO_SIGN,
} SatoriPubsubSignaturePolicy;

/**
 * SATORI_PUBSUB_SEQNO_LENGTH:
 *
 * The size of a sequence number: a big-endian 64-bit integer.
 */
#define SATORI_PUBSUB_SEQNO_LENGTH 8

/**
 * SatoriPubsubCheckFlags:
 * @SATORI_PUBSUB_CHECK_SHORT_SEQNO: accept a seqno of 1 to 8 bytes:
 *   js-libp2p's floodsub sends its 64-bit seqno without leading zero bytes
 *   (1 message in 256 would be lost otherwise)
 *
 * What a router tolerates beyond the spec, for interoperability.
 */
typedef enum {
  SATORI_PUBSUB_CHECK_SHORT_SEQNO = 1 << 0,
} SatoriPubsubCheckFlags;

gboolean satori_pubsub_check_message (const Satori__Pubsub__Message *message,
                                      SatoriPubsubSignaturePolicy policy,
                                      GError **error);
gboolean satori_pubsub_check_message_full (const Satori__Pubsub__Message *message,
                                           SatoriPubsubSignaturePolicy policy,
                                           SatoriPubsubCheckFlags flags,
                                           GError **error);

G_END_DECLS
