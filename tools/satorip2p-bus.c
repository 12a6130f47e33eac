/* satorip2p-bus.c — how the CLI's online commands reach satorip2pd: the
 * bus, the proxies, and errors a user can act on.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satorip2p-bus.h"

#include <glib/gi18n.h>

#include "satorip2p-cli.h"

#define BUS_NAME "io.satorinet.P2P1"
#define OBJECT_PATH "/io/satorinet/P2P1"

/* Adds --system and --json to @context; the values land in @bus. */
void
satori_cli_bus_add_options (SatoriCliBus *bus, GOptionContext *context)
{
  const GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_NONE, &bus->system_bus,
      N_("Talk to the daemon on the system bus instead of the session bus"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &bus->json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* Parses the options of an online command (--system, --json and its own
 * @entries, if any) that takes @min..@max arguments; @summary says what
 * it does. */
int
satori_cli_bus_parse (SatoriCliBus *bus, const char *parameters, const char *summary,
                      const GOptionEntry *entries, int *argc, char ***argv, int min_args,
                      int max_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  satori_cli_bus_add_options (bus, context);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return satori_cli_parse (context, argc, argv, min_args, max_args);
}

void
satori_cli_bus_clear (SatoriCliBus *bus)
{
  g_clear_object (&bus->connection);
}

static const char *
bus_name (const SatoriCliBus *bus)
{
  return bus->system_bus ? _("system bus") : _("session bus");
}

/* The bus, connected once per command. */
static GDBusConnection *
connection_of (SatoriCliBus *bus, GError **error)
{
  if (bus->connection == NULL)
    {
      bus->connection = g_bus_get_sync (bus->system_bus ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION,
                                        NULL, error);
      if (bus->connection == NULL)
        g_prefix_error (error, _("Cannot reach the %s: "), bus_name (bus));
    }
  return bus->connection;
}

/* A proxy only helps when somebody owns the name: the bus was asked to
 * start the daemon (D-Bus activation) while the proxy was made. */
static gpointer
check_owner (SatoriCliBus *bus, gpointer proxy, GError **error)
{
  if (proxy == NULL)
    return NULL;
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));
  if (owner == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER,
                   _("The satorip2p daemon is not running on the %s. Start it with "
                     "“satorip2pd%s” or “systemctl %s start satorip2pd”."),
                   bus_name (bus), bus->system_bus ? " --system" : "",
                   bus->system_bus ? "" : "--user");
      g_object_unref (proxy);
      return NULL;
    }
  return proxy;
}

SatoriDBusNode *
satori_cli_bus_node (SatoriCliBus *bus, GError **error)
{
  GDBusConnection *connection = connection_of (bus, error);
  if (connection == NULL)
    return NULL;
  return check_owner (bus, satori_dbus_node_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_NONE,
                                                            BUS_NAME, OBJECT_PATH, NULL, error),
                      error);
}

SatoriDBusPubsub *
satori_cli_bus_pubsub (SatoriCliBus *bus, GError **error)
{
  GDBusConnection *connection = connection_of (bus, error);
  if (connection == NULL)
    return NULL;
  return check_owner (bus, satori_dbus_pubsub_proxy_new_sync (connection,
                                                              G_DBUS_PROXY_FLAGS_NONE, BUS_NAME,
                                                              OBJECT_PATH, NULL, error),
                      error);
}

SatoriDBusPlugins *
satori_cli_bus_plugins (SatoriCliBus *bus, GError **error)
{
  GDBusConnection *connection = connection_of (bus, error);
  if (connection == NULL)
    return NULL;
  return check_owner (bus, satori_dbus_plugins_proxy_new_sync (connection,
                                                               G_DBUS_PROXY_FLAGS_NONE,
                                                               BUS_NAME, OBJECT_PATH, NULL,
                                                               error),
                      error);
}

/* Prints @error as the daemon or the bus gave it, without the D-Bus error
 * name GIO prefixes to remote errors, and returns the failure status. */
int
satori_cli_bus_fail (const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  g_dbus_error_strip_remote_error (copy);
  g_printerr ("%s: %s\n", g_get_prgname (), copy->message);
  return SATORI_CLI_EXIT_FAILURE;
}

void
satori_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  g_autofree char *text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
