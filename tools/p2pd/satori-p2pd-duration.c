/* satori-p2pd-duration.c — Go duration strings ("1s", "700ms", "1m30s"),
 * as go's p2pd takes them in its -gossipsub… flags
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "satori-p2pd-duration.h"

static const struct {
  const char *name;
  double us;
} units[] = {
  /* Longest first where one name starts another ("ms" before "m"). */
  { "ns", 1e-3 }, { "us", 1 }, { "\u00b5s", 1 }, { "\u03bcs", 1 }, { "ms", 1e3 },
  { "s", 1e6 }, { "m", 60e6 }, { "h", 3600e6 },
};

static gboolean
invalid (const char *text, GError **error)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("“%s” is not a duration (such as 1s, 700ms or 1m30s)"), text);
  return FALSE;
}

/**
 * satori_p2pd_parse_duration:
 * @text: a duration as Go's time.ParseDuration reads it: an optional sign,
 *   then numbers with a unit each (ns, us, µs, ms, s, m, h); "0" alone
 * @us_out: (out): the duration in microseconds (nanoseconds truncated)
 * @error: %G_OPTION_ERROR_BAD_VALUE when @text is not a duration
 *
 * Returns: whether @text was a duration
 */
gboolean
satori_p2pd_parse_duration (const char *text, gint64 *us_out, GError **error)
{
  const char *p = text;
  double sign = 1, total = 0;

  if (*p == '-' || *p == '+')
    sign = *p++ == '-' ? -1 : 1;
  if (g_str_equal (p, "0"))
    {
      *us_out = 0;
      return TRUE;
    }
  if (*p == '\0')
    return invalid (text, error);
  while (*p != '\0')
    {
      const char *start = p;
      while (g_ascii_isdigit (*p) || *p == '.')
        p++;
      g_autofree char *number = g_strndup (start, p - start);
      char *end;
      double value = g_ascii_strtod (number, &end);
      if (p == start || *end != '\0' || g_str_equal (number, "."))
        return invalid (text, error);
      guint u;
      for (u = 0; u < G_N_ELEMENTS (units); u++)
        if (g_str_has_prefix (p, units[u].name))
          break;
      if (u == G_N_ELEMENTS (units))
        return invalid (text, error);
      total += value * units[u].us;
      p += strlen (units[u].name);
    }
  if (total > (double) G_MAXINT64)
    return invalid (text, error);
  *us_out = (gint64) (sign * total);
  return TRUE;
}
