/* satori-config-scan.c — where groups and keys sit in a key file's text
 *
 * GKeyFile keeps no line numbers, so the config finds them here: by
 * scanning the text with GKeyFile's own line rules, and, for a file
 * GKeyFile rejects, by asking GKeyFile itself which line it stops at.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-config-scan.h"

#include <string.h>

static void
clear_line (gpointer data)
{
  SatoriConfigLine *line = data;

  g_free (line->group);
  g_free (line->key);
  g_free (line->locale);
}

/* GKeyFile's test: `[`, a name up to the first `]`, then only blanks. */
static gboolean
is_group_header (const char *text, gsize len, gsize *name_end)
{
  const char *close;

  if (len < 2 || text[0] != '[')
    return FALSE;
  close = memchr (text + 1, ']', len - 1);
  if (close == NULL)
    return FALSE;
  for (const char *p = close + 1; p < text + len; p++)
    if (*p != ' ' && *p != '\t')
      return FALSE;
  *name_end = close - text;
  return TRUE;
}

static void
scan_line (GArray      *lines,
           char       **group,
           int          lineno,
           const char  *text,
           gsize        len)
{
  const char *equals;
  gsize name_end;

  while (len > 0 && g_ascii_isspace (*text))
    text++, len--;
  if (len == 0 || text[0] == '#')
    return;

  if (is_group_header (text, len, &name_end))
    {
      SatoriConfigLine line = { SATORI_CONFIG_LINE_GROUP, lineno, NULL, NULL, NULL };

      g_free (*group);
      *group = g_strndup (text + 1, name_end - 1);
      line.group = g_strdup (*group);
      g_array_append_val (lines, line);
      return;
    }

  equals = memchr (text, '=', len);
  /* A key before any group, an empty key or a line without `=` is one
   * GKeyFile rejects: the file never gets as far as its origins. */
  if (*group == NULL || equals == NULL || equals == text)
    return;

  gsize key_len = equals - text;
  while (key_len > 0 && g_ascii_isspace (text[key_len - 1]))
    key_len--;

  SatoriConfigLine line = { SATORI_CONFIG_LINE_KEY, lineno, g_strdup (*group), NULL, NULL };
  g_autofree char *key = g_strndup (text, key_len);
  /* `key[locale]` as GKeyFile splits it: at the last `[`, if a locale follows */
  char *bracket = strrchr (key, '[');

  if (bracket != NULL && strlen (bracket) > 2)
    {
      line.locale = g_strndup (bracket + 1, strlen (bracket) - 2);
      *bracket = '\0';
    }
  line.key = g_steal_pointer (&key);
  g_array_append_val (lines, line);
}

/**
 * satori_config_scan:
 * @data: (array length=len): key file text
 * @len: its length in bytes
 *
 * Finds the group headers and key lines of @data, with their line
 * numbers, by the rules #GKeyFile parses with: lines end at `\n` (a `\r`
 * before it is dropped), leading blanks are skipped, `#` starts a
 * comment. Lines that are neither headers nor keys are skipped; so are
 * lines #GKeyFile would reject. Any bytes are accepted.
 *
 * Returns: (transfer full) (element-type SatoriConfigLine): the lines, in order
 */
GArray *
satori_config_scan (const char *data, gsize len)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (SatoriConfigLine));
  g_autofree char *group = NULL;
  int lineno = 0;
  gsize pos = 0;

  g_array_set_clear_func (lines, clear_line);

  while (pos < len && lineno < G_MAXINT)
    {
      const char *text = data + pos;
      const char *newline = memchr (text, '\n', len - pos);
      gsize line_len = newline != NULL ? (gsize) (newline - text) : len - pos;
      const char *nul;

      pos += newline != NULL ? line_len + 1 : line_len;
      lineno++;

      if (newline != NULL && line_len > 0 && text[line_len - 1] == '\r')
        line_len--;
      /* GKeyFile parses each line as a C string: it ends at a NUL */
      nul = memchr (text, '\0', line_len);
      if (nul != NULL)
        line_len = nul - text;

      scan_line (lines, &group, lineno, text, line_len);
    }

  return lines;
}

static gboolean
prefix_parses (const char *data, gsize len)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  return g_key_file_load_from_data (keyfile, data, len, G_KEY_FILE_NONE, NULL);
}

/**
 * satori_config_find_error_line:
 * @data: (array length=len): key file text
 * @len: its length in bytes
 *
 * Finds the line at which #GKeyFile refuses @data. #GKeyFile stops at
 * the first line it cannot parse but does not say which; a prefix of
 * @data parses exactly when it ends before that line, so bisecting over
 * prefixes finds the line by #GKeyFile's own rules.
 *
 * Returns: the line number, from 1, or 0 if @data parses
 */
int
satori_config_find_error_line (const char *data, gsize len)
{
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n')
      {
        gsize end = i + 1;
        g_array_append_val (ends, end);
      }
  if (len > 0 && data[len - 1] != '\n')
    g_array_append_val (ends, len);

  if (ends->len == 0 || ends->len > G_MAXINT || prefix_parses (data, len))
    return 0;

  /* The first `good` lines parse; the first `bad` lines do not. */
  guint good = 0, bad = ends->len;
  while (bad - good > 1)
    {
      guint mid = good + (bad - good) / 2;

      if (prefix_parses (data, g_array_index (ends, gsize, mid - 1)))
        good = mid;
      else
        bad = mid;
    }
  return (int) bad;
}
