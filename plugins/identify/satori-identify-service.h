/* satori-identify-service.h — /ipfs/id/1.0.0 and /ipfs/id/push/1.0.0
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-identify-message.h"

G_BEGIN_DECLS

/**
 * SATORI_IDENTIFY_PROTOCOL:
 *
 * The libp2p identify protocol id.
 */
#define SATORI_IDENTIFY_PROTOCOL "/ipfs/id/1.0.0"

/**
 * SATORI_IDENTIFY_PUSH_PROTOCOL:
 *
 * The libp2p identify push protocol id.
 */
#define SATORI_IDENTIFY_PUSH_PROTOCOL "/ipfs/id/push/1.0.0"

/**
 * SATORI_IDENTIFY_PROTOCOL_VERSION:
 *
 * The protocolVersion we announce.
 */
#define SATORI_IDENTIFY_PROTOCOL_VERSION "ipfs/0.1.0"

#define SATORI_TYPE_IDENTIFY_SERVICE (satori_identify_service_get_type ())
G_DECLARE_FINAL_TYPE (SatoriIdentifyService, satori_identify_service,
                      SATORI, IDENTIFY_SERVICE, GObject)

SatoriIdentifyService *satori_identify_service_new (void);

const char *satori_identify_service_get_agent_version (SatoriIdentifyService *service);
GPtrArray  *satori_identify_service_get_observed_addresses (SatoriIdentifyService *service);

void        satori_identify_service_push_async  (SatoriIdentifyService *service,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
gboolean    satori_identify_service_push_finish (SatoriIdentifyService  *service,
                                                 GAsyncResult           *result,
                                                 GError                **error);

G_END_DECLS
