/* satori-dbus-node.h — io.satorinet.P2P1.Node over the daemon's model
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-dbus-generated.h"
#include "satori-daemon-model.h"

G_BEGIN_DECLS

SatoriDBusNode *satori_dbus_node_new (SatoriDaemonModel *model);

G_END_DECLS
