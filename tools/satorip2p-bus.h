/* satorip2p-bus.h — how the CLI's online commands reach satorip2pd
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "satori-dbus-generated.h"

G_BEGIN_DECLS

/* The options every online command takes: --system and --json. */
typedef struct
{
  gboolean system_bus;
  gboolean json;
  GDBusConnection *connection;
} SatoriCliBus;

void              satori_cli_bus_add_options (SatoriCliBus *bus, GOptionContext *context);
int               satori_cli_bus_parse (SatoriCliBus *bus, const char *parameters,
                                        const char *summary, const GOptionEntry *entries,
                                        int *argc, char ***argv, int min_args, int max_args);
void              satori_cli_bus_clear (SatoriCliBus *bus);
SatoriDBusNode    *satori_cli_bus_node (SatoriCliBus *bus, GError **error);
SatoriDBusPubsub  *satori_cli_bus_pubsub (SatoriCliBus *bus, GError **error);
SatoriDBusPlugins *satori_cli_bus_plugins (SatoriCliBus *bus, GError **error);
int               satori_cli_bus_fail (const GError *error);
void              satori_cli_print_json (JsonNode *node);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SatoriCliBus, satori_cli_bus_clear)

G_END_DECLS
