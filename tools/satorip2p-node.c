/* satorip2p status, peers, connect, disconnect: the daemon's Node
 * interface on the command line.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "satorip2p-bus.h"
#include "satorip2p-cli.h"

static void
add_strv (JsonBuilder *builder, const char *name, const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

int
satori_cli_status (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  int status = satori_cli_bus_parse (&bus, NULL,
                                     _("Shows the daemon's identity, addresses and peer count."),
                                     NULL, &argc, &argv, 0, 0);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  g_autoptr(SatoriDBusNode) node = satori_cli_bus_node (&bus, &error);
  if (node == NULL)
    return satori_cli_bus_fail (error);

  const char * const *listen = satori_dbus_node_get_listen_addresses (node);
  if (bus.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "peer_id");
      json_builder_add_string_value (builder, satori_dbus_node_get_peer_id (node));
      json_builder_set_member_name (builder, "evrmore_address");
      json_builder_add_string_value (builder, satori_dbus_node_get_evrmore_address (node));
      add_strv (builder, "listen_addresses", listen);
      json_builder_set_member_name (builder, "nat_status");
      json_builder_add_string_value (builder, satori_dbus_node_get_nat_status (node));
      json_builder_set_member_name (builder, "connected_peers");
      json_builder_add_int_value (builder, satori_dbus_node_get_connected_peers (node));
      json_builder_set_member_name (builder, "mode");
      json_builder_add_string_value (builder, satori_dbus_node_get_mode (node));
      json_builder_end_object (builder);
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      satori_cli_print_json (root);
      return SATORI_CLI_EXIT_OK;
    }
  g_print (_("PeerID:          %s\n"), satori_dbus_node_get_peer_id (node));
  g_print (_("Evrmore address: %s\n"), satori_dbus_node_get_evrmore_address (node));
  g_print (_("NAT status:      %s\n"), satori_dbus_node_get_nat_status (node));
  g_print (_("Mode:            %s\n"), satori_dbus_node_get_mode (node));
  g_print (_("Connected peers: %u\n"), satori_dbus_node_get_connected_peers (node));
  g_print (_("Listening on:\n"));
  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    g_print ("  %s\n", listen[i]);
  return SATORI_CLI_EXIT_OK;
}

int
satori_cli_peers (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  int status = satori_cli_bus_parse (&bus, NULL, _("Lists the connected peers."), NULL,
                                     &argc, &argv, 0, 0);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  g_autoptr(SatoriDBusNode) node = satori_cli_bus_node (&bus, &error);
  g_autoptr(GVariant) peers = NULL;
  if (node == NULL || !satori_dbus_node_call_list_peers_sync (node, &peers, NULL, &error))
    return satori_cli_bus_fail (error);

  g_autoptr(JsonBuilder) builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (gsize i = 0; i < g_variant_n_children (peers); i++)
    {
      const char *peer, *agent;
      g_autofree const char **addresses = NULL;
      g_autofree const char **protocols = NULL;
      double latency;
      g_variant_get_child (peers, i, "(&s^a&s&s^a&sd)", &peer, &addresses, &agent, &protocols,
                           &latency);
      if (!bus.json)
        {
          g_print ("%s  %s\n", peer, agent);
          for (guint j = 0; addresses[j] != NULL; j++)
            g_print ("    %s\n", addresses[j]);
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "peer_id");
      json_builder_add_string_value (builder, peer);
      add_strv (builder, "addresses", addresses);
      json_builder_set_member_name (builder, "agent_version");
      json_builder_add_string_value (builder, agent);
      add_strv (builder, "protocols", protocols);
      /* A negative latency means not measured yet. */
      json_builder_set_member_name (builder, "latency_seconds");
      if (latency >= 0)
        json_builder_add_double_value (builder, latency);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (bus.json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      satori_cli_print_json (root);
    }
  else if (g_variant_n_children (peers) == 0)
    g_print (_("No peers connected.\n"));
  return SATORI_CLI_EXIT_OK;
}

/* Prints the peer a command acted on: @text, or JSON. */
static void
print_peer (const SatoriCliBus *bus, const char *text, const char *peer)
{
  if (bus->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "peer_id");
      json_builder_add_string_value (builder, peer);
      json_builder_end_object (builder);
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      satori_cli_print_json (root);
    }
  else
    g_print ("%s\n", text);
}

int
satori_cli_connect (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  int status = satori_cli_bus_parse (&bus, _("MULTIADDR"),
                                     _("Connects to a peer, e.g. "
                                       "/ip4/192.0.2.1/tcp/24600/p2p/16Uiu2HA…"),
                                     NULL, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  g_autoptr(SatoriDBusNode) node = satori_cli_bus_node (&bus, &error);
  g_autofree char *peer = NULL;
  if (node == NULL || !satori_dbus_node_call_connect_sync (node, argv[1], &peer, NULL, &error))
    return satori_cli_bus_fail (error);
  g_autofree char *text = g_strdup_printf (_("Connected to %s"), peer);
  print_peer (&bus, text, peer);
  return SATORI_CLI_EXIT_OK;
}

int
satori_cli_disconnect (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  int status = satori_cli_bus_parse (&bus, _("PEER"), _("Closes the connections to a peer."),
                                     NULL, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  g_autoptr(SatoriDBusNode) node = satori_cli_bus_node (&bus, &error);
  if (node == NULL || !satori_dbus_node_call_disconnect_sync (node, argv[1], NULL, &error))
    return satori_cli_bus_fail (error);
  g_autofree char *text = g_strdup_printf (_("Disconnected from %s"), argv[1]);
  print_peer (&bus, text, argv[1]);
  return SATORI_CLI_EXIT_OK;
}
