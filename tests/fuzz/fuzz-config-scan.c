/* Fuzz target: the config line scanner and error-line finder, and a
 * whole load, on arbitrary bytes. Config files are local, not network
 * input, but the scanner is hand-written byte handling.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>

#include "satori-config.h"
#include "satori-config-scan.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  g_autoptr(GArray) lines = satori_config_scan (text, size);
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < lines->len; i++)
    {
      const SatoriConfigLine *line = &g_array_index (lines, SatoriConfigLine, i);

      g_assert (line->line >= 1);
      g_assert (line->group != NULL);
      g_assert ((line->kind == SATORI_CONFIG_LINE_KEY) == (line->key != NULL));
    }

  if (!satori_config_load_data (config, "<fuzz>", size > 0 ? text : "", size, &error))
    {
      g_assert (satori_config_find_error_line (text, size) >= 1);
      return 0;
    }

  /* Every key GKeyFile accepted has an origin, and what reads as text is UTF-8. */
  g_auto(GStrv) groups = satori_config_get_groups (config);
  for (char **group = groups; *group != NULL; group++)
    {
      g_auto(GStrv) keys = satori_config_get_keys (config, *group);

      for (char **key = keys; *key != NULL; key++)
        {
          g_autofree char *value = satori_config_get_string (config, *group, *key, NULL);
          g_auto(GStrv) list = satori_config_get_string_list (config, *group, *key, NULL);
          guint64 number;

          g_assert (satori_config_get_origin (config, *group, *key, NULL, NULL));
          g_assert (value == NULL || g_utf8_validate (value, -1, NULL));
          for (char **item = list; item != NULL && *item != NULL; item++)
            g_assert (g_utf8_validate (*item, -1, NULL));
          satori_config_get_uint64 (config, *group, *key, &number, NULL);
        }
    }
  return 0;
}
