/* satori-metrics-text.c — HELP and TYPE lines and samples of the
 * Prometheus text exposition format, version 0.0.4.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-metrics-text.h"

#include <math.h>

/**
 * satori_metrics_text_header:
 * @out: the exposition
 * @name: a metric family's name
 * @type: `counter`, `gauge` or `histogram`
 * @help: one line of help, without backslashes or newlines
 *
 * Starts a metric family.
 */
void
satori_metrics_text_header (GString *out, const char *name, const char *type, const char *help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/**
 * satori_metrics_text_label:
 * @labels: the labels so far (empty for none)
 * @name: a label name
 * @value: its value, any UTF-8 text
 *
 * Appends `name="value"`, escaping backslashes, quotes and newlines.
 */
void
satori_metrics_text_label (GString *labels, const char *name, const char *value)
{
  if (labels->len > 0)
    g_string_append_c (labels, ',');
  g_string_append_printf (labels, "%s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    switch (*p)
      {
      case '\\':
        g_string_append (labels, "\\\\");
        break;
      case '"':
        g_string_append (labels, "\\\"");
        break;
      case '\n':
        g_string_append (labels, "\\n");
        break;
      default:
        g_string_append_c (labels, *p);
      }
  g_string_append_c (labels, '"');
}

static void
append_name (GString *out, const char *name, GString *labels)
{
  g_string_append (out, name);
  if (labels != NULL && labels->len > 0)
    g_string_append_printf (out, "{%s}", labels->str);
  g_string_append_c (out, ' ');
}

/**
 * satori_metrics_text_uint:
 * @out: the exposition
 * @name: the sample's name
 * @labels: (nullable): its labels
 * @value: its value
 *
 * Appends a sample with an integer value.
 */
void
satori_metrics_text_uint (GString *out, const char *name, GString *labels, guint64 value)
{
  append_name (out, name, labels);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT "\n", value);
}

/**
 * satori_metrics_text_format_double:
 * @buffer: where to write, %G_ASCII_DTOSTR_BUF_SIZE bytes
 * @value: a finite number
 *
 * Formats @value in the C locale with the fewest digits that read back
 * to it (0.025, not 0.025000000000000001): bucket bounds are label values,
 * compared as text by some readers.
 *
 * Returns: (transfer none): @buffer
 */
const char *
satori_metrics_text_format_double (char *buffer, double value)
{
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, G_ASCII_DTOSTR_BUF_SIZE, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return buffer;
}

/**
 * satori_metrics_text_double:
 * @out: the exposition
 * @name: the sample's name
 * @labels: (nullable): its labels
 * @value: its value
 *
 * Appends a sample, in the C locale whatever the daemon's.
 */
void
satori_metrics_text_double (GString *out, const char *name, GString *labels, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  append_name (out, name, labels);
  if (isinf (value))
    g_string_append (out, value > 0 ? "+Inf\n" : "-Inf\n");
  else
    g_string_append_printf (out, "%s\n", satori_metrics_text_format_double (buffer, value));
}
