/* satori-floodsub-pubsub.h — floodsub as a SatoriPubsub
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-pubsub-router.h"

G_BEGIN_DECLS

#define SATORI_TYPE_FLOODSUB_PUBSUB (satori_floodsub_pubsub_get_type ())
G_DECLARE_FINAL_TYPE (SatoriFloodsubPubsub, satori_floodsub_pubsub,
                      SATORI, FLOODSUB_PUBSUB, SatoriPubsubRouter)

SatoriFloodsubPubsub *satori_floodsub_pubsub_new (void);

G_END_DECLS
