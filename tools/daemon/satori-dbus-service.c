/* satori-dbus-service.c — the daemon on the bus: owns io.satorinet.P2P1
 * and exports the Node, Pubsub and Plugins interfaces at
 * /io/satorinet/P2P1 as soon as the bus connection is up.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-dbus-service.h"

#include <glib/gi18n.h>

#include "satori-dbus-node.h"
#include "satori-dbus-plugins.h"
#include "satori-dbus-pubsub.h"

struct _SatoriDBusService
{
  guint owner_id;
  GDBusInterfaceSkeleton *interfaces[3];
  SatoriDBusNameLostFunc name_lost;
  gpointer user_data;
};

static void
on_bus_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  SatoriDBusService *service = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (service->interfaces); i++)
    {
      g_autoptr(GError) error = NULL;
      if (!g_dbus_interface_skeleton_export (service->interfaces[i], connection,
                                             SATORI_DBUS_PATH, &error))
        g_warning (_("Cannot export %s on D-Bus: %s"),
                   g_dbus_interface_skeleton_get_info (service->interfaces[i])->name,
                   error->message);
    }
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  g_message (_("Serving %s on D-Bus"), name);
}

/* Without a bus the daemon runs on without D-Bus; a name another program
 * owns means another daemon runs, which is the caller's to handle. */
static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer user_data)
{
  SatoriDBusService *service = user_data;

  if (connection == NULL)
    {
      g_warning (_("No D-Bus bus to own %s on: running without D-Bus"), name);
      return;
    }
  g_warning (_("Cannot own %s on D-Bus: another program has it"), name);
  service->name_lost (service->user_data);
}

/**
 * satori_dbus_service_start:
 * @bus_type: %G_BUS_TYPE_SESSION or %G_BUS_TYPE_SYSTEM
 * @model: the node to expose
 * @registry: the registry its plugins came from
 * @config: the configuration, for plugins enabled while running
 * @name_lost: (scope notified): called when another program owns the name, or
 *   takes it
 * @user_data: data for @name_lost
 *
 * Connects to the bus, exports the daemon's objects and asks for the name.
 *
 * Returns: (transfer full): the service, for satori_dbus_service_stop()
 */
SatoriDBusService *
satori_dbus_service_start (GBusType bus_type, SatoriDaemonModel *model, SatoriRegistry *registry,
                           SatoriConfig *config, SatoriDBusNameLostFunc name_lost,
                           gpointer user_data)
{
  SatoriDBusService *service = g_new0 (SatoriDBusService, 1);
  SatoriPeers *peers = satori_daemon_model_get_peers (model);
  SatoriHost *host = satori_peers_get_host (peers);

  service->interfaces[0] = G_DBUS_INTERFACE_SKELETON (satori_dbus_node_new (model));
  service->interfaces[1] = G_DBUS_INTERFACE_SKELETON (satori_dbus_pubsub_new (peers));
  service->interfaces[2] = G_DBUS_INTERFACE_SKELETON (satori_dbus_plugins_new (host, registry,
                                                                              config));
  service->name_lost = name_lost;
  service->user_data = user_data;
  service->owner_id = g_bus_own_name (bus_type, SATORI_DBUS_NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                                      on_bus_acquired, on_name_acquired, on_name_lost,
                                      service, NULL);
  return service;
}

/**
 * satori_dbus_service_set_config:
 * @service: a service
 * @config: the configuration reloaded
 *
 * Plugins enabled over D-Bus from now on are configured by @config.
 */
void
satori_dbus_service_set_config (SatoriDBusService *service, SatoriConfig *config)
{
  satori_dbus_plugins_set_config (SATORI_DBUS_PLUGINS (service->interfaces[2]), config);
}

/**
 * satori_dbus_service_stop:
 * @service: (transfer full): a service
 *
 * Releases the name and unexports the objects.
 */
void
satori_dbus_service_stop (SatoriDBusService *service)
{
  g_bus_unown_name (service->owner_id);
  for (guint i = 0; i < G_N_ELEMENTS (service->interfaces); i++)
    {
      if (g_dbus_interface_skeleton_get_connection (service->interfaces[i]) != NULL)
        g_dbus_interface_skeleton_unexport (service->interfaces[i]);
      g_object_unref (service->interfaces[i]);
    }
  g_free (service);
}
