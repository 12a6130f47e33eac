/* satori-rest-route.h — the REST API's routes: method and path → endpoint
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriRestRoute:
 * @SATORI_REST_ROUTE_INDEX: `GET /`
 * @SATORI_REST_ROUTE_HEALTH: `GET /health`
 * @SATORI_REST_ROUTE_STATUS: `GET /status`
 * @SATORI_REST_ROUTE_PEERS: `GET /peers`
 * @SATORI_REST_ROUTE_PING: `POST /peers/{peer_id}/ping`
 * @SATORI_REST_ROUTE_NETWORK: `GET /network`
 * @SATORI_REST_ROUTE_LIST_SUBSCRIPTIONS: `GET /subscriptions`
 * @SATORI_REST_ROUTE_SUBSCRIBE: `POST /subscriptions`
 * @SATORI_REST_ROUTE_UNSUBSCRIBE: `DELETE /subscriptions/{stream_id}`
 * @SATORI_REST_ROUTE_PUBLISH: `POST /publish/{stream_id}`
 * @SATORI_REST_ROUTE_METRICS: `GET /metrics`
 *
 * The endpoints of the REST API.
 */
typedef enum {
  SATORI_REST_ROUTE_INDEX,
  SATORI_REST_ROUTE_HEALTH,
  SATORI_REST_ROUTE_STATUS,
  SATORI_REST_ROUTE_PEERS,
  SATORI_REST_ROUTE_PING,
  SATORI_REST_ROUTE_NETWORK,
  SATORI_REST_ROUTE_LIST_SUBSCRIPTIONS,
  SATORI_REST_ROUTE_SUBSCRIBE,
  SATORI_REST_ROUTE_UNSUBSCRIBE,
  SATORI_REST_ROUTE_PUBLISH,
  SATORI_REST_ROUTE_METRICS,
} SatoriRestRoute;

/**
 * SatoriRestMatch:
 * @SATORI_REST_MATCH_OK: the route is found
 * @SATORI_REST_MATCH_NOT_FOUND: no route has this path (404)
 * @SATORI_REST_MATCH_BAD_METHOD: the path exists, not with this method (405)
 *
 * How a request matched the routes.
 */
typedef enum {
  SATORI_REST_MATCH_OK,
  SATORI_REST_MATCH_NOT_FOUND,
  SATORI_REST_MATCH_BAD_METHOD,
} SatoriRestMatch;

SatoriRestMatch satori_rest_route_match (const char       *method,
                                         const char       *path,
                                         SatoriRestRoute  *route,
                                         char            **param,
                                         char            **allow);
gboolean        satori_rest_route_is_mutating (SatoriRestRoute route);
GStrv           satori_rest_route_list (void);

G_END_DECLS
