/* satorip2p ping — asks the running daemon, over D-Bus, to ping a peer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "satori-dbus-generated.h"
#include "satorip2p-cli.h"

#define DBUS_NAME "io.satorinet.P2P1"
#define DBUS_PATH "/io/satorinet/P2P1"

/* Microsecond precision, as measured; the peer id needs no escaping
 * (base58). */
static void
print_json (const char *peer, GVariant *rtts)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "{\"peer\": \"%s\", \"rtt_seconds\": [", peer);
  for (gsize i = 0; i < g_variant_n_children (rtts); i++)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      double rtt;
      g_variant_get_child (rtts, i, "d", &rtt);
      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                              g_ascii_formatd (number, sizeof number, "%.6f", rtt));
    }
  g_string_append (text, "]}\n");
  g_print ("%s", text->str);
  g_string_free (text, TRUE);
}

static void
print_text (const char *peer, GVariant *rtts)
{
  gsize n = g_variant_n_children (rtts);
  double sum = 0, low = G_MAXDOUBLE, high = 0;

  for (gsize i = 0; i < n; i++)
    {
      double rtt;
      g_variant_get_child (rtts, i, "d", &rtt);
      g_print (_("%s: ping %" G_GSIZE_FORMAT ": %.3f ms\n"), peer, i + 1, rtt * 1000);
      sum += rtt;
      low = MIN (low, rtt);
      high = MAX (high, rtt);
    }
  if (n > 0)
    g_print (_("%" G_GSIZE_FORMAT " pings: min %.3f ms, average %.3f ms, max %.3f ms\n"), n,
             low * 1000, sum / n * 1000, high * 1000);
}

int
satori_cli_ping (int argc, char **argv)
{
  gint count = 3;
  gboolean json = FALSE;
  gboolean system_bus = FALSE;
  const GOptionEntry entries[] = {
    { "count", 'c', 0, G_OPTION_ARG_INT, &count, N_("Pings to send (1 to 100; default 3)"),
      N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { "system", 0, 0, G_OPTION_ARG_NONE, &system_bus,
      N_("Talk to the daemon on the system bus instead of the session bus"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PEER — ping a peer through "
                                                              "the running satorip2pd"));
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  int status = satori_cli_parse (context, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  if (count < 1)
    {
      g_printerr (_("%s: --count must be at least 1\n"), g_get_prgname ());
      return SATORI_CLI_EXIT_USAGE;
    }

  g_autoptr(SatoriDBusNode) node = satori_dbus_node_proxy_new_for_bus_sync (
    system_bus ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION,
    G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
    DBUS_NAME, DBUS_PATH, NULL, &error);
  g_autoptr(GVariant) rtts = NULL;
  if (node == NULL ||
      !satori_dbus_node_call_ping_sync (node, argv[1], (guint) count, &rtts, NULL, &error))
    {
      if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
          g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
        g_printerr (_("%s: satorip2pd is not running on the %s bus\n"), g_get_prgname (),
                    system_bus ? "system" : "session");
      else
        {
          g_dbus_error_strip_remote_error (error);
          g_printerr (_("%s: %s\n"), g_get_prgname (), error->message);
        }
      return SATORI_CLI_EXIT_FAILURE;
    }
  if (json)
    print_json (argv[1], rtts);
  else
    print_text (argv[1], rtts);
  return SATORI_CLI_EXIT_OK;
}
