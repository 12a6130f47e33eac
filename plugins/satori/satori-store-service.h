/* satori-store-service.h — /satori/store/1.0.0: holds messages for
 * offline peers, pushes them when they connect, and fetches our own (a
 * #SatoriOfflineStore)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

#include "satori-store-message.h"

G_BEGIN_DECLS

/**
 * SATORI_STORE_PENDING_PREFIX:
 *
 * The DHT provider key of the holders of a peer's messages is this
 * prefix and the peer id (base58), as raw bytes.
 */
#define SATORI_STORE_PENDING_PREFIX "/satori/pending/"

/**
 * SATORI_STORE_MESSAGE_PROTOCOL:
 *
 * The protocol a holder pushes messages on: Satori direct messages.
 */
#define SATORI_STORE_MESSAGE_PROTOCOL "/satori/1.0.0"

#define SATORI_TYPE_STORE_SERVICE (satori_store_service_get_type ())
G_DECLARE_FINAL_TYPE (SatoriStoreService, satori_store_service,
                      SATORI, STORE_SERVICE, GObject)

SatoriStoreService *satori_store_service_new (void);
gboolean            satori_store_service_deliver (SatoriStoreService *service,
                                                  SatoriPeerId       *source,
                                                  const char         *message_id,
                                                  const char         *stream_id,
                                                  GBytes             *message);

G_END_DECLS
