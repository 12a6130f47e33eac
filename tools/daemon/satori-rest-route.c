/* satori-rest-route.c — matches a request's method and raw (still
 * percent-encoded) path against the REST API's routes. Pure: the request
 * line comes from the network, so this is fuzzed (tests/fuzz/fuzz-rest-route.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-rest-route.h"

#include <string.h>

/* A path pattern is a list of segments where "*" takes one parameter. */
typedef struct
{
  SatoriRestRoute route;
  const char *method;
  const char *pattern;   /* as listed by GET / */
  const char *segments[4];
  gboolean mutating;
} Route;

static const Route routes[] = {
  { SATORI_REST_ROUTE_INDEX, "GET", "/", { NULL } },
  { SATORI_REST_ROUTE_HEALTH, "GET", "/health", { "health", NULL } },
  { SATORI_REST_ROUTE_STATUS, "GET", "/status", { "status", NULL } },
  { SATORI_REST_ROUTE_PEERS, "GET", "/peers", { "peers", NULL } },
  { SATORI_REST_ROUTE_PING, "POST", "/peers/{peer_id}/ping", { "peers", "*", "ping", NULL },
    TRUE },
  { SATORI_REST_ROUTE_NETWORK, "GET", "/network", { "network", NULL } },
  { SATORI_REST_ROUTE_LIST_SUBSCRIPTIONS, "GET", "/subscriptions", { "subscriptions", NULL } },
  { SATORI_REST_ROUTE_SUBSCRIBE, "POST", "/subscriptions", { "subscriptions", NULL }, TRUE },
  { SATORI_REST_ROUTE_UNSUBSCRIBE, "DELETE", "/subscriptions/{stream_id}",
    { "subscriptions", "*", NULL }, TRUE },
  { SATORI_REST_ROUTE_PUBLISH, "POST", "/publish/{stream_id}", { "publish", "*", NULL }, TRUE },
  { SATORI_REST_ROUTE_METRICS, "GET", "/metrics", { "metrics", NULL } },
};

#define MAX_SEGMENTS 4

/* Splits "/a/b/c" into at most MAX_SEGMENTS raw segments; FALSE when the
 * path is not absolute, has more segments, or an empty one (“//”). */
static gboolean
split_path (const char *path, GStrv *segments_out)
{
  if (path[0] != '/')
    return FALSE;
  if (path[1] == '\0')
    {
      *segments_out = g_new0 (char *, 1);
      return TRUE;
    }
  g_auto(GStrv) segments = g_strsplit (path + 1, "/", MAX_SEGMENTS + 1);
  guint n = g_strv_length (segments);
  if (n > MAX_SEGMENTS)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (segments[i][0] == '\0')
      return FALSE;
  *segments_out = g_steal_pointer (&segments);
  return TRUE;
}

/* Whether @segments fit @route's pattern; the parameter, decoded, in
 * @param (NULL when the pattern has none). */
static gboolean
match_pattern (const Route *route, char **segments, char **param)
{
  guint i;

  *param = NULL;
  for (i = 0; route->segments[i] != NULL; i++)
    {
      if (segments[i] == NULL)
        break;
      if (strcmp (route->segments[i], "*") != 0)
        {
          if (strcmp (route->segments[i], segments[i]) != 0)
            break;
          continue;
        }
      /* NULL for an escaped '/' or NUL, or a bad escape. */
      g_autofree char *decoded = g_uri_unescape_string (segments[i], "/");
      if (decoded == NULL || decoded[0] == '\0' || !g_utf8_validate (decoded, -1, NULL))
        break;
      g_free (*param);
      *param = g_steal_pointer (&decoded);
    }
  if (route->segments[i] == NULL && segments[i] == NULL)
    return TRUE;
  g_clear_pointer (param, g_free);
  return FALSE;
}

/**
 * satori_rest_route_match:
 * @method: the request method
 * @path: the request path, percent-encoded, without the query
 * @route: (out): the route, when found
 * @param: (out) (transfer full) (optional): the decoded `{peer_id}` or
 *   `{stream_id}` of the route, or %NULL
 * @allow: (out) (transfer full) (optional): on
 *   %SATORI_REST_MATCH_BAD_METHOD, the methods the path takes (an `Allow`
 *   header)
 *
 * Returns: whether a route matched, or why not
 */
SatoriRestMatch
satori_rest_route_match (const char *method, const char *path, SatoriRestRoute *route,
                         char **param, char **allow)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GStrvBuilder) methods = g_strv_builder_new ();
  gboolean path_found = FALSE;

  if (param != NULL)
    *param = NULL;
  if (allow != NULL)
    *allow = NULL;
  if (!split_path (path, &segments))
    return SATORI_REST_MATCH_NOT_FOUND;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *value = NULL;
      if (!match_pattern (&routes[i], segments, &value))
        continue;
      if (strcmp (routes[i].method, method) == 0)
        {
          *route = routes[i].route;
          if (param != NULL)
            *param = g_steal_pointer (&value);
          return SATORI_REST_MATCH_OK;
        }
      path_found = TRUE;
      g_strv_builder_add (methods, routes[i].method);
    }
  if (!path_found)
    return SATORI_REST_MATCH_NOT_FOUND;
  if (allow != NULL)
    {
      g_auto(GStrv) list = g_strv_builder_end (methods);
      *allow = g_strjoinv (", ", list);
    }
  return SATORI_REST_MATCH_BAD_METHOD;
}

/**
 * satori_rest_route_is_mutating:
 * @route: a route
 *
 * Returns: whether @route changes the node, and so needs the token
 */
gboolean
satori_rest_route_is_mutating (SatoriRestRoute route)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (routes[i].route == route)
      return routes[i].mutating;
  g_return_val_if_reached (TRUE);
}

/**
 * satori_rest_route_list:
 *
 * Returns: (transfer full): every endpoint, as “METHOD /path”
 */
GStrv
satori_rest_route_list (void)
{
  GStrv list = g_new0 (char *, G_N_ELEMENTS (routes) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    list[i] = g_strdup_printf ("%s %s", routes[i].method, routes[i].pattern);
  return list;
}
