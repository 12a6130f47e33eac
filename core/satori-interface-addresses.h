/* satori-interface-addresses.h — what an unspecified listen address
 * (0.0.0.0, ::) is reachable at: the machine's interface addresses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

GPtrArray *satori_interface_addresses_get (void);
gboolean   satori_multiaddr_is_unspecified (SatoriMultiaddr *address);
GPtrArray *satori_multiaddr_expand_unspecified (SatoriMultiaddr *address,
                                                GPtrArray       *interface_addresses);

G_END_DECLS
