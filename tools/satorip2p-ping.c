/* satorip2p ping — asks the running daemon, over D-Bus, to ping a peer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "satorip2p-bus.h"
#include "satorip2p-cli.h"

static void
print_json (const char *peer, GVariant *rtts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "peer");
  json_builder_add_string_value (builder, peer);
  json_builder_set_member_name (builder, "rtt_seconds");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < g_variant_n_children (rtts); i++)
    {
      double rtt;
      g_variant_get_child (rtts, i, "d", &rtt);
      json_builder_add_double_value (builder, rtt);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  satori_cli_print_json (root);
}

static void
print_text (const char *peer, GVariant *rtts)
{
  guint n = g_variant_n_children (rtts);
  double sum = 0, low = G_MAXDOUBLE, high = 0;

  for (guint i = 0; i < n; i++)
    {
      double rtt;
      g_variant_get_child (rtts, i, "d", &rtt);
      g_print (_("%s: ping %u: %.3f ms\n"), peer, i + 1, rtt * 1000);
      sum += rtt;
      low = MIN (low, rtt);
      high = MAX (high, rtt);
    }
  if (n > 0)
    g_print (_("%u pings: min %.3f ms, average %.3f ms, max %.3f ms\n"), n, low * 1000,
             sum / n * 1000, high * 1000);
}

int
satori_cli_ping (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  int count = 3;
  const GOptionEntry entries[] = {
    { "count", 'c', 0, G_OPTION_ARG_INT, &count, N_("Pings to send (1 to 100; default 3)"),
      N_("N") },
    { NULL }
  };
  int status = satori_cli_bus_parse (&bus, _("PEER"),
                                     _("Pings a peer through the running daemon and prints the "
                                       "round-trip times."),
                                     entries, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  if (count < 1 || count > 100)
    {
      g_printerr (_("%s: --count must be between 1 and 100\n"), g_get_prgname ());
      return SATORI_CLI_EXIT_USAGE;
    }
  g_autoptr(SatoriDBusNode) node = satori_cli_bus_node (&bus, &error);
  g_autoptr(GVariant) rtts = NULL;
  if (node == NULL ||
      !satori_dbus_node_call_ping_sync (node, argv[1], (guint) count, &rtts, NULL, &error))
    return satori_cli_bus_fail (error);
  if (bus.json)
    print_json (argv[1], rtts);
  else
    print_text (argv[1], rtts);
  return SATORI_CLI_EXIT_OK;
}
