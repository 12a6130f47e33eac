/* satori-json.h — JSON from the network, parsed within bounds
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SATORI_JSON_MAX_DEPTH:
 *
 * The deepest nesting of arrays and objects satori_json_parse() accepts.
 * json-glib's parser recurses once per level: deeper input from a peer
 * would exhaust the stack.
 */
#define SATORI_JSON_MAX_DEPTH 64

JsonNode *satori_json_parse (const guint8 *data,
                             gsize         len,
                             GError      **error);
GBytes   *satori_json_to_bytes (JsonNode *node);
GBytes   *satori_json_base64_decode (const char *text,
                                     GError    **error);

G_END_DECLS
