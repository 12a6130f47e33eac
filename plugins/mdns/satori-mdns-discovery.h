/* satori-mdns-discovery.h — mDNS discovery: finds libp2p peers on the
 * local network and is found by them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

#define SATORI_TYPE_MDNS_DISCOVERY (satori_mdns_discovery_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMdnsDiscovery, satori_mdns_discovery,
                      SATORI, MDNS_DISCOVERY, GObject)

G_END_DECLS
