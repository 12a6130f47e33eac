/* satori-host-discovery-private.h — what the host itself calls
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-host-discovery.h"

G_BEGIN_DECLS

void _satori_host_stop_discoveries (SatoriHost *host);

G_END_DECLS
