/* satori-p2pd-handler.h — a protocol handler that passes inbound streams
 * on to a daemon client: dials the client's address, sends a StreamInfo,
 * then splices
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satorip2p.h"

G_BEGIN_DECLS

#define SATORI_TYPE_P2PD_HANDLER (satori_p2pd_handler_get_type ())
G_DECLARE_FINAL_TYPE (SatoriP2pdHandler, satori_p2pd_handler, SATORI, P2PD_HANDLER, GObject)

SatoriP2pdHandler *satori_p2pd_handler_new (GSocketAddress *client_address);

G_END_DECLS
