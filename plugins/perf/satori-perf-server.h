/* satori-perf-server.h — the /perf/1.0.0 server, a stream protocol handler
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-protocol-handler.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PERF_SERVER (satori_perf_server_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPerfServer, satori_perf_server, SATORI, PERF_SERVER, GObject)

SatoriPerfServer *satori_perf_server_new (void);
guint             satori_perf_server_get_completed (SatoriPerfServer *server);
guint             satori_perf_server_get_failed (SatoriPerfServer *server);

G_END_DECLS
