/* satori-tcp-transport.h — TCP over IPv4 and IPv6, with DNS names
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-transport.h"

G_BEGIN_DECLS

#define SATORI_TYPE_TCP_TRANSPORT (satori_tcp_transport_get_type ())
G_DECLARE_FINAL_TYPE (SatoriTcpTransport, satori_tcp_transport, SATORI, TCP_TRANSPORT, GObject)

G_END_DECLS
