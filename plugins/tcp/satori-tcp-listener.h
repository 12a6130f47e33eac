/* satori-tcp-listener.h — a listening TCP socket
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-listener.h"

G_BEGIN_DECLS

#define SATORI_TYPE_TCP_LISTENER (satori_tcp_listener_get_type ())
G_DECLARE_FINAL_TYPE (SatoriTcpListener, satori_tcp_listener, SATORI, TCP_LISTENER, GObject)

SatoriTcpListener  *satori_tcp_listener_new (GInetSocketAddress  *address,
                                             gboolean             reuse_port,
                                             gboolean             nodelay,
                                             guint                backlog,
                                             GError             **error);
GInetSocketAddress *satori_tcp_listener_get_local_address (SatoriTcpListener *listener);
gboolean            satori_tcp_listener_is_closed (SatoriTcpListener *listener);

G_END_DECLS
