/* satori-host-discovery.h — the discoveries a host runs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-discovery.h"
#include "satori-host.h"

G_BEGIN_DECLS

void       satori_host_add_discovery (SatoriHost      *host,
                                      SatoriDiscovery *discovery);
GPtrArray *satori_host_get_discoveries (SatoriHost *host);
void       satori_host_start_discoveries (SatoriHost *host);

G_END_DECLS
