/* satori-dbus-service.h — the daemon on the bus: io.satorinet.P2P1
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-daemon-model.h"

G_BEGIN_DECLS

#define SATORI_DBUS_NAME "io.satorinet.P2P1"
#define SATORI_DBUS_PATH "/io/satorinet/P2P1"

typedef struct _SatoriDBusService SatoriDBusService;

/**
 * SatoriDBusNameLostFunc:
 * @user_data: the data given to satori_dbus_service_start()
 *
 * Called when another program owns the daemon's bus name, or takes it.
 */
typedef void (*SatoriDBusNameLostFunc) (gpointer user_data);

SatoriDBusService *satori_dbus_service_start (GBusType           bus_type,
                                              SatoriDaemonModel *model,
                                              SatoriRegistry    *registry,
                                              SatoriConfig      *config,
                                              SatoriDBusNameLostFunc name_lost,
                                              gpointer           user_data);
void               satori_dbus_service_set_config (SatoriDBusService *service,
                                                   SatoriConfig      *config);
void               satori_dbus_service_stop (SatoriDBusService *service);

G_END_DECLS
