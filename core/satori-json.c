/* JSON texts from peers: UTF-8, bounded nesting, then json-glib.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "satori-errors.h"

/* Nesting depth of arrays and objects, brackets inside strings excluded.
 * Stops counting at @max + 1. */
static guint
nesting_depth (const guint8 *data, gsize len, guint max)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len && deepest <= max; i++)
    {
      guint8 c = data[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return deepest;
}

/**
 * satori_json_parse:
 * @data: (array length=len): a JSON text, as a peer sent it
 * @len: its length
 * @error: %SATORI_CODEC_ERROR_MALFORMED for anything but one valid JSON
 *   value in UTF-8, %SATORI_CODEC_ERROR_TOO_LARGE for nesting deeper than
 *   %SATORI_JSON_MAX_DEPTH
 *
 * Returns: (transfer full): the value
 */
JsonNode *
satori_json_parse (const guint8 *data, gsize len, GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0)
    {
      g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                           _("The JSON text is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len ((const char *) data, len, NULL))
    {
      g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                           _("The JSON text is not valid UTF-8"));
      return NULL;
    }
  if (nesting_depth (data, len, SATORI_JSON_MAX_DEPTH) > SATORI_JSON_MAX_DEPTH)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE,
                   _("The JSON text nests deeper than %d levels"), SATORI_JSON_MAX_DEPTH);
      return NULL;
    }

  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local = NULL;
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) len, &local))
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   _("Not a JSON text: %s"), local->message);
      return NULL;
    }
  JsonNode *root = json_parser_steal_root (parser);
  if (root == NULL)
    g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                         _("The JSON text is empty"));
  return root;
}

/**
 * satori_json_to_bytes:
 * @node: a JSON value
 *
 * Returns: (transfer full): @node as compact JSON text, without a
 *   terminating zero
 */
GBytes *
satori_json_to_bytes (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);
  return g_bytes_new_take (text, len);
}

static gboolean
is_base64 (const char *text, gsize len)
{
  if (len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];
      /* '=' only as the last one or two characters. */
      gboolean padding = c == '=' && i + 2 >= len && text[len - 1] == '=';
      if (!g_ascii_isalnum (c) && c != '+' && c != '/' && !padding)
        return FALSE;
    }
  return TRUE;
}

/**
 * satori_json_base64_decode:
 * @text: standard base64 with padding, as Python's b64encode() writes it
 *   into JSON strings
 * @error: %SATORI_CODEC_ERROR_MALFORMED for anything else
 *
 * Returns: (transfer full): the bytes
 */
GBytes *
satori_json_base64_decode (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (!is_base64 (text, strlen (text)))
    {
      g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                           _("Not standard padded base64"));
      return NULL;
    }
  gsize len = 0;
  guchar *data = g_base64_decode (text, &len);
  return g_bytes_new_take (data, len);
}
