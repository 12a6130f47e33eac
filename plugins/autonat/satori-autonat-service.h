/* satori-autonat-service.h — /libp2p/autonat/1.0.0 on a host: dial-back
 * server and reachability client
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

#include "satori-autonat-message.h"

G_BEGIN_DECLS

#define SATORI_TYPE_AUTONAT_SERVICE (satori_autonat_service_get_type ())
G_DECLARE_FINAL_TYPE (SatoriAutonatService, satori_autonat_service, SATORI, AUTONAT_SERVICE,
                      GObject)

SatoriAutonatService *satori_autonat_service_new (void);

G_END_DECLS
