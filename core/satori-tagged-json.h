/* satori-tagged-json.h — the Python peers' tagged JSON values
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SATORI_TAGGED_JSON_TAG:
 *
 * The member that marks a tagged object.
 */
#define SATORI_TAGGED_JSON_TAG "__satori_type__"

/**
 * SatoriTaggedKind:
 * @SATORI_TAGGED_KIND_NONE: not a tagged object (any other JSON value)
 * @SATORI_TAGGED_KIND_BYTES: `{"__satori_type__":"bytes","value":<base64>}`
 * @SATORI_TAGGED_KIND_DATETIME: `{"__satori_type__":"datetime","value":<ISO 8601>}`
 * @SATORI_TAGGED_KIND_SET: `{"__satori_type__":"set","value":[...]}`
 * @SATORI_TAGGED_KIND_DATAFRAME: `{"__satori_type__":"dataframe","data":[{...}],
 *   "columns":[...],"index":[...]|null}` (pandas records)
 * @SATORI_TAGGED_KIND_UNKNOWN: tagged with a name this version does not know
 *
 * The tagged values of satorip2p's JSON encoder (`protocol/messages.py`).
 */
typedef enum {
  SATORI_TAGGED_KIND_NONE,
  SATORI_TAGGED_KIND_BYTES,
  SATORI_TAGGED_KIND_DATETIME,
  SATORI_TAGGED_KIND_SET,
  SATORI_TAGGED_KIND_DATAFRAME,
  SATORI_TAGGED_KIND_UNKNOWN,
} SatoriTaggedKind;

SatoriTaggedKind satori_tagged_json_classify (JsonNode *node);

GBytes    *satori_tagged_json_decode_bytes (JsonNode *node, GError **error);
GDateTime *satori_tagged_json_decode_datetime (JsonNode *node, GError **error);
JsonArray *satori_tagged_json_decode_set (JsonNode *node, GError **error);
gboolean   satori_tagged_json_decode_dataframe (JsonNode   *node,
                                                JsonArray **records,
                                                GStrv      *columns,
                                                JsonArray **index,
                                                GError    **error);

JsonNode *satori_tagged_json_new_bytes (GBytes *bytes);
JsonNode *satori_tagged_json_new_datetime (GDateTime *datetime);
JsonNode *satori_tagged_json_new_set (JsonArray *members);
JsonNode *satori_tagged_json_new_dataframe (JsonArray          *records,
                                            const char * const *columns,
                                            JsonArray          *index);

JsonNode *satori_tagged_json_parse_payload (const guint8 *data,
                                            gsize         len,
                                            GError      **error);

G_END_DECLS
