/* satorip2p key import / key show: the node's identity key file, made
 * from a Satori wallet key.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "satori-key-file.h"
#include "satorip2p-cli.h"

/* "-" reads the secret from standard input, keeping it off the command
 * line (and out of `ps`). Returns: (nullable): the text, or @value. */
static char *
secret_argument (const char *value, GError **error)
{
  if (strcmp (value, "-") != 0)
    return g_strdup (value);

  char line[256];
  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Nothing to read on standard input"));
      return NULL;
    }
  char *text = g_strdup (g_strstrip (line));
  explicit_bzero (line, sizeof line);
  return text;
}

static void
warn_if_readable_by_others (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    g_printerr (_("%s: warning: the wallet %s may be read by others (mode %04o)\n"),
                g_get_prgname (), path, (guint) (st.st_mode & 07777));
}

static SatoriEvrmoreKey *
import_key (const char *entropy, const char *wif, const char *wallet, GError **error)
{
  if (wallet != NULL)
    {
      warn_if_readable_by_others (wallet);
      return satori_evrmore_wallet_load (wallet, error);
    }

  g_autofree char *text = secret_argument (entropy ? entropy : wif, error);
  if (text == NULL)
    return NULL;
  SatoriEvrmoreKey *key = entropy ? satori_evrmore_key_new_from_entropy (text, error)
                                  : satori_evrmore_key_new_from_wif (text, error);
  explicit_bzero (text, strlen (text));
  return key;
}

static void
print_identity (SatoriEvrmoreKey *key, gboolean json)
{
  g_autoptr(SatoriPeerId) id = satori_evrmore_key_get_peer_id (key);
  g_autofree char *peer_id = satori_peer_id_to_string (id);
  g_autofree char *address = satori_evrmore_key_get_address (key);
  g_autofree char *public_key = satori_evrmore_key_get_public_key_hex (key);

  /* Base58 and hex need no JSON escaping. */
  if (json)
    g_print ("{\"peer_id\": \"%s\", \"address\": \"%s\", \"public_key\": \"%s\"}\n",
             peer_id, address, public_key);
  else
    g_print (_("PeerID:     %s\nAddress:    %s\nPublic key: %s\n"), peer_id, address, public_key);
}

int
satori_cli_key_import (int argc, char **argv)
{
  g_autofree char *entropy = NULL;
  g_autofree char *wif = NULL;
  g_autofree char *wallet = NULL;
  g_autofree char *key_file = NULL;
  gboolean force = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "entropy", 0, 0, G_OPTION_ARG_STRING, &entropy,
      N_("The wallet's 32-byte entropy, in hex or base64 (“-”: read it from standard input)"),
      N_("TEXT") },
    { "wif", 0, 0, G_OPTION_ARG_STRING, &wif,
      N_("A compressed Evrmore WIF private key (“-”: read it from standard input)"), N_("WIF") },
    { "wallet", 0, 0, G_OPTION_ARG_FILENAME, &wallet,
      N_("A Satori wallet file (wallet.yaml)"), N_("FILE") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("The identity key file to write (default $XDG_DATA_HOME/satorip2p/identity.key)"),
      N_("FILE") },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      N_("Replace an existing key file"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
    _("Makes the wallet key the node's libp2p identity (secp256k1, PeerID 16Uiu2HA…).\n"
      "Give exactly one of --entropy, --wif and --wallet."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  int status = satori_cli_parse (context, &argc, &argv, 0, 0);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  if ((entropy != NULL) + (wif != NULL) + (wallet != NULL) != 1)
    {
      g_printerr (_("%s: give exactly one of --entropy, --wif and --wallet\n"), g_get_prgname ());
      return SATORI_CLI_EXIT_USAGE;
    }

  g_autofree char *default_path = satori_cli_default_key_path ();
  const char *path = key_file ? key_file : default_path;
  if (!force && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_("%s: %s exists; not replacing it without --force\n"),
                  g_get_prgname (), path);
      return SATORI_CLI_EXIT_FAILURE;
    }
  g_autoptr(SatoriEvrmoreKey) key = import_key (entropy, wif, wallet, &error);
  if (entropy != NULL)
    explicit_bzero (entropy, strlen (entropy));
  if (wif != NULL)
    explicit_bzero (wif, strlen (wif));
  if (key == NULL ||
      !satori_key_file_save (satori_evrmore_key_get_private_key (key), path, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return SATORI_CLI_EXIT_FAILURE;
    }
  if (!json)
    g_print (_("Wrote %s\n"), path);
  print_identity (key, json);
  return SATORI_CLI_EXIT_OK;
}

int
satori_cli_key_show (int argc, char **argv)
{
  g_autofree char *key_file = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("The identity key file (default $XDG_DATA_HOME/satorip2p/identity.key)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
    _("Shows the PeerID, the Evrmore address and the public key of the identity key."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  int status = satori_cli_parse (context, &argc, &argv, 0, 0);
  if (status != SATORI_CLI_EXIT_OK)
    return status;

  g_autoptr(SatoriEvrmoreKey) key = satori_cli_load_key (key_file, &error);
  if (key == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return SATORI_CLI_EXIT_FAILURE;
    }
  print_identity (key, json);
  return SATORI_CLI_EXIT_OK;
}
