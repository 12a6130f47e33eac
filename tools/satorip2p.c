/* satorip2p — the command-line tool. The commands are a table; the
 * offline ones (keys, signatures) need no daemon; the others talk to
 * satorip2pd over D-Bus.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "satori-i18n.h"
#include "satorip2p-cli.h"

static const SatoriCliCommand commands[] = {
  { "key", "import", N_("Import a wallet key as the node's identity key"),
    satori_cli_key_import },
  { "key", "show", N_("Show the PeerID, Evrmore address and public key of the identity"),
    satori_cli_key_show },
  { NULL, "sign", N_("Sign a message with the identity key (Evrmore message signature)"),
    satori_cli_sign },
  { NULL, "verify", N_("Verify an Evrmore message signature against an address"),
    satori_cli_verify },
  /* Through the running daemon (D-Bus). A group's commands come before a
   * command of the group's name. */
  { NULL, "status", N_("Show the daemon's identity, addresses and peer count"),
    satori_cli_status },
  { NULL, "peers", N_("List the connected peers"), satori_cli_peers },
  { NULL, "connect", N_("Connect to a peer by multiaddr"), satori_cli_connect },
  { NULL, "disconnect", N_("Close the connections to a peer"), satori_cli_disconnect },
  { NULL, "subscribe", N_("Print a stream's messages as they arrive"), satori_cli_subscribe },
  { NULL, "publish", N_("Publish data on a stream"), satori_cli_publish },
  { "plugins", "enable", N_("Load a plugin into the daemon"), satori_cli_plugins_enable },
  { "plugins", "disable", N_("Unload a plugin from the daemon"), satori_cli_plugins_disable },
  { NULL, "plugins", N_("List the daemon's plugins"), satori_cli_plugins },
  { NULL, "ping", N_("Ping a peer through the running daemon"), satori_cli_ping },
};

static char *
usage (void)
{
  GString *text = g_string_new (_("Usage: satorip2p COMMAND [OPTION…] [ARGUMENT…]\n\nCommands:\n"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *words = commands[i].group
                                 ? g_strdup_printf ("%s %s", commands[i].group, commands[i].name)
                                 : g_strdup (commands[i].name);
      g_string_append_printf (text, "  %-16s %s\n", words, _(commands[i].summary));
    }
  g_string_append (text, _("\nRun “satorip2p COMMAND --help” for the options of a command.\n"));
  return g_string_free (text, FALSE);
}

static const SatoriCliCommand *
find_command (int argc, char **argv, int *words)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (commands[i].group == NULL && strcmp (argv[1], commands[i].name) == 0)
        {
          *words = 1;
          return &commands[i];
        }
      if (commands[i].group != NULL && strcmp (argv[1], commands[i].group) == 0 &&
          argc > 2 && strcmp (argv[2], commands[i].name) == 0)
        {
          *words = 2;
          return &commands[i];
        }
    }
  return NULL;
}

int
main (int argc, char **argv)
{
  satori_i18n_init_program ();

  g_autofree char *help = usage ();
  if (argc < 2)
    {
      g_printerr ("%s", help);
      return SATORI_CLI_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      g_print ("%s", help);
      return SATORI_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("satorip2p %s\n", PACKAGE_VERSION);
      return SATORI_CLI_EXIT_OK;
    }

  int words;
  const SatoriCliCommand *command = find_command (argc, argv, &words);
  if (command == NULL)
    {
      gboolean in_group = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        in_group |= argc > 2 && g_strcmp0 (commands[i].group, argv[1]) == 0;
      g_autofree char *unknown = in_group ? g_strjoin (" ", argv[1], argv[2], NULL)
                                        : g_strdup (argv[1]);
      g_printerr (_("satorip2p: unknown command “%s”\n\n%s"), unknown, help);
      return SATORI_CLI_EXIT_USAGE;
    }

  /* The command sees its own name as argv[0], so that its --help and
   * errors say "satorip2p key import". */
  g_autofree char *name = g_strjoin (" ", "satorip2p", argv[1], words == 2 ? argv[2] : NULL,
                                     NULL);
  g_set_prgname (name);
  argv[words] = name;
  return command->run (argc - words, argv + words);
}
