/* satori-store-scanner.c — the end of one JSON object
 *
 * Python's store client writes its request and then waits for the
 * answer without closing its side, so a holder cannot wait for the end
 * of the stream: the request ends where its top-level object does.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-scanner.h"

#include <glib/gi18n-lib.h>

#include "satori-store-error.h"

static gboolean
is_space (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/**
 * satori_store_scanner_feed:
 * @scanner: the scanner
 * @data: the next bytes of the stream
 * @len: their length
 * @error: %SATORI_STORE_ERROR_MALFORMED for anything but whitespace
 *   before the opening brace, or nesting deeper than
 *   %SATORI_STORE_MAX_DEPTH
 *
 * Scans @data until the top-level object ends; bytes after it are not
 * looked at. Validating the JSON is the parser's job.
 *
 * Returns: %FALSE on error
 */
gboolean
satori_store_scanner_feed (SatoriStoreScanner *scanner, const guint8 *data, gsize len,
                           GError **error)
{
  for (gsize i = 0; i < len && !scanner->done; i++)
    {
      guint8 c = data[i];

      scanner->length++;
      if (!scanner->started)
        {
          if (is_space (c))
            continue;
          if (c != '{')
            {
              g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                           _("Not a JSON object"));
              return FALSE;
            }
          scanner->started = TRUE;
          scanner->depth = 1;
          continue;
        }
      if (scanner->in_string)
        {
          if (scanner->escaped)
            scanner->escaped = FALSE;
          else if (c == '\\')
            scanner->escaped = TRUE;
          else if (c == '"')
            scanner->in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          scanner->in_string = TRUE;
          break;
        case '{':
        case '[':
          if (++scanner->depth > SATORI_STORE_MAX_DEPTH)
            {
              g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                           _("JSON nested deeper than %u levels"), SATORI_STORE_MAX_DEPTH);
              return FALSE;
            }
          break;
        case '}':
        case ']':
          scanner->done = --scanner->depth == 0;
          break;
        default:
          break;
        }
    }
  return TRUE;
}
