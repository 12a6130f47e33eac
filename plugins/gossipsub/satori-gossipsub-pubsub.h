/* satori-gossipsub-pubsub.h — GossipSub as a SatoriPubsub
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-pubsub-router.h"

G_BEGIN_DECLS

#define SATORI_TYPE_GOSSIPSUB_PUBSUB (satori_gossipsub_pubsub_get_type ())
G_DECLARE_FINAL_TYPE (SatoriGossipsubPubsub, satori_gossipsub_pubsub,
                      SATORI, GOSSIPSUB_PUBSUB, SatoriPubsubRouter)

SatoriGossipsubPubsub *satori_gossipsub_pubsub_new (void);

G_END_DECLS
