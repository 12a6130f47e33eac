/* satori-p2pd-address.h — control socket addresses: `/unix/PATH` or
 * `/ip4|ip6/…/tcp/PORT` multiaddrs to and from GSocketAddress
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satorip2p.h"

G_BEGIN_DECLS

GSocketAddress  *satori_p2pd_address_to_socket_address (SatoriMultiaddr  *address,
                                                        GError          **error);
SatoriMultiaddr *satori_p2pd_address_from_socket_address (GSocketAddress  *address,
                                                          GError         **error);

G_END_DECLS
