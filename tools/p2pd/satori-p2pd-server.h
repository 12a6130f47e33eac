/* satori-p2pd-server.h — the control socket of the libp2p daemon protocol
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satorip2p.h"

G_BEGIN_DECLS

#define SATORI_TYPE_P2PD_SERVER (satori_p2pd_server_get_type ())
G_DECLARE_FINAL_TYPE (SatoriP2pdServer, satori_p2pd_server, SATORI, P2PD_SERVER, GObject)

SatoriP2pdServer *satori_p2pd_server_new (SatoriHost *host);
SatoriMultiaddr  *satori_p2pd_server_listen (SatoriP2pdServer  *server,
                                             SatoriMultiaddr   *address,
                                             GError           **error);
void              satori_p2pd_server_stop (SatoriP2pdServer *server);

G_END_DECLS
