/* The Satori wallet file (satorilib's wallet.yaml) is a YAML mapping:
 *   entropy: <base64 of 32 bytes>      the secret key itself
 *   privateKey: <WIF>                  used when there is no entropy
 *   publicKey: <33 bytes hex>          checked against the key when present
 *   address: <E…>                      checked against the key when present
 * and other keys (words, scripthash) that are not needed here. A wallet
 * whose values do not agree is refused: an encrypted wallet, or a damaged
 * one, must not give a different identity silently.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-evrmore-wallet.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <yaml.h>

typedef struct {
  const char *name;
  char *value;
} Field;

enum { ENTROPY, PRIVATE_KEY, PUBLIC_KEY, ADDRESS, N_FIELDS };

static void
set_wallet_error (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
set_wallet_error (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SATORI_EVRMORE_ERROR, SATORI_EVRMORE_ERROR_WALLET,
               _("Malformed wallet: %s"), message);
}

/* Returns: (nullable): the text of a scalar node without embedded NULs. */
static char *
scalar_text (yaml_node_t *node)
{
  if (node == NULL || node->type != YAML_SCALAR_NODE)
    return NULL;

  const char *value = (const char *) node->data.scalar.value;
  gsize len = node->data.scalar.length;
  if (memchr (value, '\0', len) != NULL)
    return NULL;
  return g_strndup (value, len);
}

static gboolean
read_fields (yaml_document_t *document, Field fields[N_FIELDS], GError **error)
{
  yaml_node_t *root = yaml_document_get_root_node (document);

  if (root == NULL || root->type != YAML_MAPPING_NODE)
    {
      set_wallet_error (error, _("the file is not a YAML mapping of names to values"));
      return FALSE;
    }
  for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
       pair < root->data.mapping.pairs.top; pair++)
    {
      g_autofree char *name = scalar_text (yaml_document_get_node (document, pair->key));
      for (guint i = 0; name != NULL && i < N_FIELDS; i++)
        {
          if (strcmp (name, fields[i].name) != 0)
            continue;
          if (fields[i].value != NULL)
            {
              set_wallet_error (error, _("“%s” appears twice"), name);
              return FALSE;
            }
          fields[i].value = scalar_text (yaml_document_get_node (document, pair->value));
          if (fields[i].value == NULL)
            {
              set_wallet_error (error, _("“%s” is not a plain text value"), name);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static SatoriEvrmoreKey *
key_from_fields (Field fields[N_FIELDS], GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SatoriEvrmoreKey) key = NULL;

  if (fields[ENTROPY].value != NULL)
    key = satori_evrmore_key_new_from_entropy (fields[ENTROPY].value, &local_error);
  else if (fields[PRIVATE_KEY].value != NULL)
    key = satori_evrmore_key_new_from_wif (fields[PRIVATE_KEY].value, &local_error);
  else
    {
      set_wallet_error (error, _("it has neither “entropy” nor “privateKey”"));
      return NULL;
    }
  if (key == NULL)
    {
      set_wallet_error (error, _("“%s”: %s (is the wallet encrypted?)"),
                        fields[ENTROPY].value ? "entropy" : "privateKey", local_error->message);
      return NULL;
    }

  if (fields[ENTROPY].value != NULL && fields[PRIVATE_KEY].value != NULL)
    {
      g_autofree char *wif = satori_evrmore_key_to_wif (key);
      gboolean same = strcmp (wif, fields[PRIVATE_KEY].value) == 0;
      explicit_bzero (wif, strlen (wif));
      if (!same)
        {
          set_wallet_error (error, _("“privateKey” is not the key of “entropy”"));
          return NULL;
        }
    }
  if (fields[PUBLIC_KEY].value != NULL)
    {
      g_autofree char *hex = satori_evrmore_key_get_public_key_hex (key);
      gboolean same = g_ascii_strcasecmp (hex, fields[PUBLIC_KEY].value) == 0;
      if (!same)
        {
          set_wallet_error (error, _("“publicKey” is not the public key of the secret"));
          return NULL;
        }
    }
  if (fields[ADDRESS].value != NULL)
    {
      g_autofree char *address = satori_evrmore_key_get_address (key);
      if (strcmp (address, fields[ADDRESS].value) != 0)
        {
          set_wallet_error (error, _("“address” %s is not the address of the secret (%s)"),
                            fields[ADDRESS].value, address);
          return NULL;
        }
    }
  return g_steal_pointer (&key);
}

/**
 * satori_evrmore_wallet_parse:
 * @data: (array length=len): the contents of a wallet file
 * @len: their length, at most %SATORI_EVRMORE_WALLET_MAX_SIZE
 * @error: %SATORI_EVRMORE_ERROR_WALLET naming what is wrong
 *
 * Reads the key of a Satori wallet: from `entropy`, else from `privateKey`
 * (WIF), and checks `privateKey`, `publicKey` and `address` against it
 * when present.
 *
 * Returns: (transfer full) (nullable): the key
 */
SatoriEvrmoreKey *
satori_evrmore_wallet_parse (const char *data, gsize len, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > SATORI_EVRMORE_WALLET_MAX_SIZE)
    {
      set_wallet_error (error, _("it is larger than %d bytes"), SATORI_EVRMORE_WALLET_MAX_SIZE);
      return NULL;
    }

  yaml_parser_t parser;
  yaml_document_t document;
  if (!yaml_parser_initialize (&parser))
    g_error ("libyaml cannot allocate a parser");
  yaml_parser_set_input_string (&parser, (const unsigned char *) (data ? data : ""), len);
  if (!yaml_parser_load (&parser, &document))
    {
      set_wallet_error (error, _("YAML error at line %zu: %s"),
                        parser.problem_mark.line + 1,
                        parser.problem ? parser.problem : "?");
      yaml_parser_delete (&parser);
      return NULL;
    }

  Field fields[N_FIELDS] = {
    [ENTROPY] = { "entropy", NULL },
    [PRIVATE_KEY] = { "privateKey", NULL },
    [PUBLIC_KEY] = { "publicKey", NULL },
    [ADDRESS] = { "address", NULL },
  };
  SatoriEvrmoreKey *key = NULL;
  if (read_fields (&document, fields, error))
    key = key_from_fields (fields, error);

  for (guint i = 0; i < N_FIELDS; i++)
    if (fields[i].value != NULL)
      {
        explicit_bzero (fields[i].value, strlen (fields[i].value));
        g_free (fields[i].value);
      }
  yaml_document_delete (&document);
  yaml_parser_delete (&parser);
  return key;
}

/**
 * satori_evrmore_wallet_load:
 * @path: a wallet file
 * @error: a %G_IO_ERROR from reading it, or as satori_evrmore_wallet_parse()
 *
 * Returns: (transfer full) (nullable): the wallet's key
 */
SatoriEvrmoreKey *
satori_evrmore_wallet_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  GStatBuf st;
  if (g_stat (path, &st) == 0 && st.st_size > SATORI_EVRMORE_WALLET_MAX_SIZE)
    {
      set_wallet_error (error, _("it is larger than %d bytes"), SATORI_EVRMORE_WALLET_MAX_SIZE);
      g_prefix_error (error, _("Wallet %s: "), path);
      return NULL;
    }
  g_autofree char *contents = NULL;
  gsize len;
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  SatoriEvrmoreKey *key = satori_evrmore_wallet_parse (contents, len, error);
  explicit_bzero (contents, len);
  if (key == NULL)
    g_prefix_error (error, _("Wallet %s: "), path);
  return key;
}
