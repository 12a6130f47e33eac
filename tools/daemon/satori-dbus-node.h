/* satori-dbus-node.h — io.satorinet.P2P1.Node over SatoriPeers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-dbus-generated.h"
#include "satorip2p.h"

G_BEGIN_DECLS

SatoriDBusNode *satori_dbus_node_new (SatoriPeers *peers);

G_END_DECLS
