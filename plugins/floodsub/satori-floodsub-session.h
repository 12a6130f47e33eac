/* satori-floodsub-session.h — the floodsub router as a sans-I/O core
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-private-key.h"
#include "satori-pubsub-core.h"
#include "satori-pubsub-message-id.h"
#include "satori-pubsub-validate.h"

G_BEGIN_DECLS

#define SATORI_FLOODSUB_PROTOCOL "/floodsub/1.0.0"

/**
 * SatoriFloodsubConfig:
 * @key: signs our messages under StrictSign (a reference is taken)
 * @policy: the signature policy messages are built and checked with
 * @max_rpc_size: the largest RPC frame accepted (so the largest message)
 * @seen_ttl_us: how long a message id is remembered
 *
 * Message ids follow the policy: `from` + `seqno` under StrictSign, the
 * SHA-256 of the data under StrictNoSign (as js-libp2p does).
 */
typedef struct
{
  SatoriPrivateKey *key;
  SatoriPubsubSignaturePolicy policy;
  gsize max_rpc_size;
  gint64 seen_ttl_us;
} SatoriFloodsubConfig;

SatoriPubsubCore *satori_floodsub_session_new (const SatoriFloodsubConfig     *config,
                                               const SatoriPubsubCoreProvider *provider);

G_END_DECLS
