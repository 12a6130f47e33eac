/* Fuzz target: the REST API's route matcher, fed the request line's
 * method and raw path as they come from the network. The input is
 * "METHOD\nPATH". A match's parameter must be non-empty UTF-8 without '/';
 * a 405 must name the methods the path takes, not the one asked.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "satori-rest-route.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  char *newline = strchr (text, '\n');
  SatoriRestRoute route;
  g_autofree char *param = NULL;
  g_autofree char *allow = NULL;

  if (newline == NULL)
    return 0;
  *newline = '\0';
  switch (satori_rest_route_match (text, newline + 1, &route, &param, &allow))
    {
    case SATORI_REST_MATCH_OK:
      g_assert_null (allow);
      if (param != NULL)
        {
          g_assert_cmpuint (strlen (param), >, 0);
          g_assert_true (g_utf8_validate (param, -1, NULL));
          g_assert_null (strchr (param, '/'));
        }
      (void) satori_rest_route_is_mutating (route);
      break;
    case SATORI_REST_MATCH_BAD_METHOD:
      {
        g_assert_nonnull (allow);
        g_assert_null (param);
        g_auto(GStrv) methods = g_strsplit (allow, ", ", -1);
        g_assert_false (g_strv_contains ((const char * const *) methods, text));
      }
      break;
    case SATORI_REST_MATCH_NOT_FOUND:
      g_assert_null (param);
      g_assert_null (allow);
      break;
    }
  return 0;
}
