/* satorip2p sign / verify: Evrmore message signatures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "satorip2p-cli.h"

/* Ends @builder's object and prints it on one line. */
static void
print_json (JsonBuilder *builder)
{
  json_builder_end_object (builder);
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *line = json_to_string (root, FALSE);
  g_print ("%s\n", line);
}

int
satori_cli_sign (int argc, char **argv)
{
  g_autofree char *key_file = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("The identity key file (default $XDG_DATA_HOME/satorip2p/identity.key)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
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
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *address = satori_evrmore_key_get_address (key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "signature");
      json_builder_add_string_value (builder, signature);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address);
      print_json (builder);
    }
  else
    g_print ("%s\n", signature);
  return SATORI_CLI_EXIT_OK;
}

int
satori_cli_verify (int argc, char **argv)
{
  g_autofree char *address = NULL;
  g_autofree char *signature = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address,
      N_("The Evrmore address that should have signed"), N_("ADDRESS") },
    { "signature", 's', 0, G_OPTION_ARG_STRING, &signature,
      N_("The base64 signature"), N_("SIGNATURE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON object"), NULL },
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

  gboolean valid = satori_evrmore_message_verify_address (argv[1], strlen (argv[1]), signature,
                                                          address, &error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, valid);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address);
      if (!valid)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, error->message);
        }
      print_json (builder);
    }
  else if (valid)
    g_print (_("Valid signature by %s\n"), address);
  else
    g_printerr (_("Invalid signature: %s\n"), error->message);
  return valid ? SATORI_CLI_EXIT_OK : SATORI_CLI_EXIT_FAILURE;
}
