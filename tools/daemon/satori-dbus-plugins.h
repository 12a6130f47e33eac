/* satori-dbus-plugins.h — io.satorinet.P2P1.Plugins over the registry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-dbus-generated.h"
#include "satorip2p.h"

G_BEGIN_DECLS

SatoriDBusPlugins *satori_dbus_plugins_new (SatoriHost     *host,
                                            SatoriRegistry *registry,
                                            SatoriConfig   *config);
void               satori_dbus_plugins_set_config (SatoriDBusPlugins *skeleton,
                                                   SatoriConfig      *config);

G_END_DECLS
