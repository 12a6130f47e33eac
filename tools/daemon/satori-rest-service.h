/* satori-rest-service.h — the daemon's REST API, as `[rest]` configures it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-daemon-model.h"
#include "satori-rest-server.h"

G_BEGIN_DECLS

gboolean satori_rest_service_start (SatoriConfig       *config,
                                    SatoriDaemonModel  *model,
                                    SatoriRestServer  **server,
                                    GError            **error);

G_END_DECLS
