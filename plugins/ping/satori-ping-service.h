/* satori-ping-service.h — /ipfs/ping/1.0.0: echo server and RTT client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

/**
 * SATORI_PING_PROTOCOL:
 *
 * The libp2p ping protocol id.
 */
#define SATORI_PING_PROTOCOL "/ipfs/ping/1.0.0"

#define SATORI_TYPE_PING_SERVICE (satori_ping_service_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPingService, satori_ping_service, SATORI, PING_SERVICE, GObject)

SatoriPingService *satori_ping_service_new (void);

void     satori_ping_service_ping_async  (SatoriPingService   *service,
                                          SatoriPeerId        *peer,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean satori_ping_service_ping_finish (SatoriPingService  *service,
                                          GAsyncResult       *result,
                                          gint64             *rtt_us,
                                          GError            **error);

G_END_DECLS
