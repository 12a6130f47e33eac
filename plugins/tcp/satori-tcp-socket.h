/* satori-tcp-socket.h — socket options shared by the TCP dialer and listener
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

gboolean         satori_tcp_socket_bind (GSocket         *socket,
                                         GSocketAddress  *address,
                                         gboolean         reuse_port,
                                         GError         **error);
gboolean         satori_tcp_socket_set_nodelay (GSocket  *socket,
                                                GError  **error);
SatoriMultiaddr *satori_tcp_socket_address_to_multiaddr (GSocketAddress *address);

G_END_DECLS
