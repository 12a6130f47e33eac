/* satori-dbus-pubsub.h — io.satorinet.P2P1.Pubsub over the host's router
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-dbus-generated.h"
#include "satorip2p.h"

G_BEGIN_DECLS

SatoriDBusPubsub *satori_dbus_pubsub_new (SatoriPeers *peers);

G_END_DECLS
