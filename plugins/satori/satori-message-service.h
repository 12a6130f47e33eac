/* satori-message-service.h — /satori/1.0.0: Satori direct messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

/**
 * SATORI_MESSAGE_PROTOCOL:
 *
 * The Satori direct-message protocol id.
 */
#define SATORI_MESSAGE_PROTOCOL "/satori/1.0.0"

/**
 * SATORI_MESSAGE_DEFAULT_MAX_SIZE:
 *
 * The default limit of one message, in bytes (1 MiB).
 */
#define SATORI_MESSAGE_DEFAULT_MAX_SIZE (1024 * 1024)

#define SATORI_TYPE_MESSAGE_SERVICE (satori_message_service_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMessageService, satori_message_service,
                      SATORI, MESSAGE_SERVICE, GObject)

SatoriMessageService *satori_message_service_new (void);
guint satori_message_service_get_pending_requests (SatoriMessageService *service);
void  satori_message_service_receive_held (SatoriMessageService *service,
                                           SatoriPeerId         *source,
                                           GBytes               *message);

G_END_DECLS
