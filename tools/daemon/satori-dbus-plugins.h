/* satori-dbus-plugins.h — io.satorinet.P2P1.Plugins over the registry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-dbus-generated.h"
#include "satorip2p.h"

G_BEGIN_DECLS

SatoriDBusPlugins *satori_dbus_plugins_new (SatoriRegistry *registry);

G_END_DECLS
