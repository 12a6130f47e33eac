/* satori-peers-payload.h — stream payloads: JSON bytes ⇄ JsonNode (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The largest payload decoded; larger ones are dropped unread. */
#define SATORI_PEERS_MAX_PAYLOAD (1024 * 1024)

JsonNode *satori_peers_payload_decode (GBytes  *payload,
                                       GError **error);
GBytes   *satori_peers_payload_encode (JsonNode *data);

G_END_DECLS
