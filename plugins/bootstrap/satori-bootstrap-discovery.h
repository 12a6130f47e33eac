/* satori-bootstrap-discovery.h — the bootstrap discovery: dials the
 * configured peers and re-dials when the host's connections run low
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

#define SATORI_TYPE_BOOTSTRAP_DISCOVERY (satori_bootstrap_discovery_get_type ())
G_DECLARE_FINAL_TYPE (SatoriBootstrapDiscovery, satori_bootstrap_discovery,
                      SATORI, BOOTSTRAP_DISCOVERY, GObject)

G_END_DECLS
