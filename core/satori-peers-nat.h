/* satori-peers-nat.h — NAT status from the host's reachability or its own
 * addresses (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-peers.h"

G_BEGIN_DECLS

SatoriNatStatus satori_nat_status_from_addresses (GPtrArray *addresses);
SatoriNatStatus satori_nat_status_of_host (SatoriHost *host);
GInetAddress   *satori_nat_address_ip (SatoriMultiaddr *address);
gboolean        satori_nat_ip_is_public (GInetAddress *address);

G_END_DECLS
