/* satori-rest-views.h — the node, as the REST API's JSON documents
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "satori-daemon-model.h"

G_BEGIN_DECLS

JsonNode *satori_rest_view_index (void);
JsonNode *satori_rest_view_health (SatoriDaemonModel *model,
                                   gboolean          *healthy);
JsonNode *satori_rest_view_status (SatoriDaemonModel *model);
JsonNode *satori_rest_view_peers (SatoriDaemonModel *model);
JsonNode *satori_rest_view_network (SatoriDaemonModel *model);
JsonNode *satori_rest_view_subscriptions (SatoriDaemonModel *model);
JsonNode *satori_rest_view_ping (const char *peer_id,
                                 GArray     *rtts_us);
JsonNode *satori_rest_view_done (const char *stream_id,
                                 const char *message);

G_END_DECLS
