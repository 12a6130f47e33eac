/* satori-peers-nat.h — NAT status from a node's own addresses (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-peers.h"

G_BEGIN_DECLS

SatoriNatStatus satori_nat_status_from_addresses (GPtrArray *addresses);

G_END_DECLS
