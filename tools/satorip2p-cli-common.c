/* What the satorip2p commands share: option parsing with the CLI's exit
 * statuses, and the identity key file the daemon uses.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "satori-key-file.h"
#include "satorip2p-cli.h"

/* Parses the options of one command; on success leaves the positional
 * arguments in (*argv)[1..] and returns SATORI_CLI_EXIT_OK. */
int
satori_cli_parse (GOptionContext *context, int *argc, char ***argv, int min_args, int max_args)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return SATORI_CLI_EXIT_USAGE;
    }
  if (*argc - 1 < min_args || *argc - 1 > max_args)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr (_("%s: wrong number of arguments\n%s"), g_get_prgname (), help);
      return SATORI_CLI_EXIT_USAGE;
    }
  return SATORI_CLI_EXIT_OK;
}

/* The same default as satorip2pd's --key. */
char *
satori_cli_default_key_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "satorip2p", "identity.key", NULL);
}

/* The identity key at @path (or the default) as a wallet key; the file
 * must be readable by its owner only. */
SatoriEvrmoreKey *
satori_cli_load_key (const char *path, GError **error)
{
  g_autofree char *default_path = satori_cli_default_key_path ();
  const char *file = path ? path : default_path;
  g_autoptr(SatoriPrivateKey) key = satori_key_file_load (file, error);

  if (key == NULL)
    return NULL;
  SatoriEvrmoreKey *wallet_key = satori_evrmore_key_new_from_private_key (key, error);
  if (wallet_key == NULL)
    g_prefix_error (error, _("Key file %s: "), file);
  return wallet_key;
}
