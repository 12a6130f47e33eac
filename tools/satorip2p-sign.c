/* satorip2p sign / verify: Evrmore message signatures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "satorip2p-cli.h"

int
satori_cli_sign (int argc, char **argv)
{
  g_autofree char *key_file = NULL;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("The identity key file (default $XDG_DATA_HOME/satorip2p/identity.key)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("MESSAGE"));
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
    _("Prints the base64 Evrmore message signature of MESSAGE by the identity key."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  int status = satori_cli_parse (context, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;

  g_autoptr(SatoriEvrmoreKey) key = satori_cli_load_key (key_file, &error);
  g_autofree char *signature = NULL;
  if (key != NULL)
    signature = satori_evrmore_message_sign (key, argv[1], strlen (argv[1]), &error);
  if (signature == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return SATORI_CLI_EXIT_FAILURE;
    }
  g_print ("%s\n", signature);
  return SATORI_CLI_EXIT_OK;
}

int
satori_cli_verify (int argc, char **argv)
{
  g_autofree char *address = NULL;
  g_autofree char *signature = NULL;
  const GOptionEntry entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address,
      N_("The Evrmore address that should have signed"), N_("ADDRESS") },
    { "signature", 's', 0, G_OPTION_ARG_STRING, &signature,
      N_("The base64 signature"), N_("SIGNATURE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("MESSAGE"));
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
    _("Checks that ADDRESS signed MESSAGE. Exits with 0 when it did, 1 when not."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  int status = satori_cli_parse (context, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  if (address == NULL || signature == NULL)
    {
      g_printerr (_("%s: --address and --signature are required\n"), g_get_prgname ());
      return SATORI_CLI_EXIT_USAGE;
    }

  if (!satori_evrmore_message_verify_address (argv[1], strlen (argv[1]), signature, address,
                                              &error))
    {
      g_printerr (_("Invalid signature: %s\n"), error->message);
      return SATORI_CLI_EXIT_FAILURE;
    }
  g_print (_("Valid signature by %s\n"), address);
  return SATORI_CLI_EXIT_OK;
}
