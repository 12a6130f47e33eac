/* Tagged JSON values, as satorip2p's SatoriEncoder writes them and its
 * satori_decoder reads them back.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-tagged-json.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "satori-errors.h"
#include "satori-json.h"

static const struct
{
  const char *name;
  SatoriTaggedKind kind;
} kinds[] = {
  { "bytes", SATORI_TAGGED_KIND_BYTES },
  { "datetime", SATORI_TAGGED_KIND_DATETIME },
  { "set", SATORI_TAGGED_KIND_SET },
  { "dataframe", SATORI_TAGGED_KIND_DATAFRAME },
};

static const char *
kind_name (SatoriTaggedKind kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;
  g_return_val_if_reached (NULL);
}

/**
 * satori_tagged_json_classify:
 * @node: any JSON value
 *
 * Returns: which tagged value @node is, %SATORI_TAGGED_KIND_NONE when it
 *   is not an object with a string `__satori_type__`
 */
SatoriTaggedKind
satori_tagged_json_classify (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, SATORI_TAGGED_KIND_NONE);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return SATORI_TAGGED_KIND_NONE;
  JsonNode *tag = json_object_get_member (json_node_get_object (node), SATORI_TAGGED_JSON_TAG);
  if (tag == NULL || !JSON_NODE_HOLDS_VALUE (tag) ||
      json_node_get_value_type (tag) != G_TYPE_STRING)
    return SATORI_TAGGED_KIND_NONE;
  const char *name = json_node_get_string (tag);
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (name, kinds[i].name) == 0)
      return kinds[i].kind;
  return SATORI_TAGGED_KIND_UNKNOWN;
}

/* The object of a tagged value of @kind, or NULL with an error. */
static JsonObject *
tagged_object (JsonNode *node, SatoriTaggedKind kind, GError **error)
{
  if (satori_tagged_json_classify (node) != kind)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   _("Not a tagged “%s” value"), kind_name (kind));
      return NULL;
    }
  return json_node_get_object (node);
}

/* The member @name of @object if it holds a string, or NULL with an error. */
static const char *
string_member (JsonObject *object, const char *name, SatoriTaggedKind kind, GError **error)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   _("The tagged “%s” value has no string “%s”"), kind_name (kind), name);
      return NULL;
    }
  return json_node_get_string (member);
}

/* The member @name of @object if it holds an array (or null, when
 * @nullable), or NULL with an error. */
static JsonArray *
array_member (JsonObject *object, const char *name, SatoriTaggedKind kind, gboolean nullable,
              GError **error)
{
  JsonNode *member = json_object_get_member (object, name);

  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
    return json_node_get_array (member);
  if (nullable && (member == NULL || JSON_NODE_HOLDS_NULL (member)))
    return NULL;
  g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
               _("The tagged “%s” value has no array “%s”"), kind_name (kind), name);
  return NULL;
}

/**
 * satori_tagged_json_decode_bytes:
 * @node: a tagged `bytes` value
 * @error: %SATORI_CODEC_ERROR_MALFORMED when it is not one, or its value
 *   is not standard base64
 *
 * Returns: (transfer full): the bytes
 */
GBytes *
satori_tagged_json_decode_bytes (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  JsonObject *object = tagged_object (node, SATORI_TAGGED_KIND_BYTES, error);
  if (object == NULL)
    return NULL;
  const char *value = string_member (object, "value", SATORI_TAGGED_KIND_BYTES, error);
  if (value == NULL)
    return NULL;
  return satori_json_base64_decode (value, error);
}

/**
 * satori_tagged_json_decode_datetime:
 * @node: a tagged `datetime` value
 * @error: %SATORI_CODEC_ERROR_MALFORMED when it is not one, or its value
 *   is not an ISO 8601 date and time
 *
 * Python writes naive datetimes without an offset; they are read as UTC.
 *
 * Returns: (transfer full): the date and time
 */
GDateTime *
satori_tagged_json_decode_datetime (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  JsonObject *object = tagged_object (node, SATORI_TAGGED_KIND_DATETIME, error);
  if (object == NULL)
    return NULL;
  const char *value = string_member (object, "value", SATORI_TAGGED_KIND_DATETIME, error);
  if (value == NULL)
    return NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  GDateTime *datetime = g_date_time_new_from_iso8601 (value, utc);
  if (datetime == NULL)
    g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                 _("The tagged “datetime” value “%s” is not an ISO 8601 date and time"),
                 value);
  return datetime;
}

/**
 * satori_tagged_json_decode_set:
 * @node: a tagged `set` value
 * @error: %SATORI_CODEC_ERROR_MALFORMED when it is not one
 *
 * Returns: (transfer full): the members, as Python listed them
 */
JsonArray *
satori_tagged_json_decode_set (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  JsonObject *object = tagged_object (node, SATORI_TAGGED_KIND_SET, error);
  if (object == NULL)
    return NULL;
  JsonArray *members = array_member (object, "value", SATORI_TAGGED_KIND_SET, FALSE, error);
  return members != NULL ? json_array_ref (members) : NULL;
}

static gboolean
all_objects (JsonArray *array)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      return FALSE;
  return TRUE;
}

/* The column names, all strings, or NULL. */
static GStrv
column_names (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *name = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        return NULL;
      g_strv_builder_add (builder, json_node_get_string (name));
    }
  return g_strv_builder_end (builder);
}

/**
 * satori_tagged_json_decode_dataframe:
 * @node: a tagged `dataframe` value
 * @records: (out) (transfer full): the rows, one object each (column →
 *   value)
 * @columns: (out) (transfer full): the column names, in order
 * @index: (out) (transfer full) (nullable): the row labels, one a row;
 *   %NULL for the default 0, 1, 2, …
 * @error: %SATORI_CODEC_ERROR_MALFORMED when it is not one, a record is
 *   not an object, a column name is not a string, or the index does not
 *   have one label a row
 *
 * Returns: %TRUE if @node is a valid data frame
 */
gboolean
satori_tagged_json_decode_dataframe (JsonNode *node, JsonArray **records, GStrv *columns,
                                     JsonArray **index, GError **error)
{
  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (records != NULL && columns != NULL && index != NULL, FALSE);

  const SatoriTaggedKind kind = SATORI_TAGGED_KIND_DATAFRAME;
  JsonObject *object = tagged_object (node, kind, error);
  if (object == NULL)
    return FALSE;
  JsonArray *data = array_member (object, "data", kind, FALSE, error);
  if (data == NULL)
    return FALSE;
  JsonArray *names = array_member (object, "columns", kind, FALSE, error);
  if (names == NULL)
    return FALSE;
  g_autoptr(GError) no_index = NULL;
  JsonArray *labels = array_member (object, "index", kind, TRUE, &no_index);
  if (no_index != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&no_index));
      return FALSE;
    }
  g_auto(GStrv) strv = column_names (names);
  if (!all_objects (data) || strv == NULL ||
      (labels != NULL && json_array_get_length (labels) != json_array_get_length (data)))
    {
      g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                           _("The tagged “dataframe” value is not records, string columns "
                             "and one index label a row"));
      return FALSE;
    }
  *records = json_array_ref (data);
  *columns = g_steal_pointer (&strv);
  *index = labels != NULL ? json_array_ref (labels) : NULL;
  return TRUE;
}

static JsonObject *
new_tagged (SatoriTaggedKind kind)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, SATORI_TAGGED_JSON_TAG, kind_name (kind));
  return object;
}

static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/**
 * satori_tagged_json_new_bytes:
 * @bytes: the bytes
 *
 * Returns: (transfer full): a tagged `bytes` value
 */
JsonNode *
satori_tagged_json_new_bytes (GBytes *bytes)
{
  g_return_val_if_fail (bytes != NULL, NULL);

  JsonObject *object = new_tagged (SATORI_TAGGED_KIND_BYTES);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = g_base64_encode (data, len);
  json_object_set_string_member (object, "value", text);
  return take_object (object);
}

/**
 * satori_tagged_json_new_datetime:
 * @datetime: a date and time
 *
 * Writes it as Python's `isoformat()` does, with its UTC offset
 * (`2026-01-02T03:04:05.250000+00:00`; no fraction when it is zero).
 *
 * Returns: (transfer full): a tagged `datetime` value
 */
JsonNode *
satori_tagged_json_new_datetime (GDateTime *datetime)
{
  g_return_val_if_fail (datetime != NULL, NULL);

  JsonObject *object = new_tagged (SATORI_TAGGED_KIND_DATETIME);
  const char *format = g_date_time_get_microsecond (datetime) != 0
                       ? "%Y-%m-%dT%H:%M:%S.%f%:z" : "%Y-%m-%dT%H:%M:%S%:z";
  g_autofree char *text = g_date_time_format (datetime, format);
  json_object_set_string_member (object, "value", text);
  return take_object (object);
}

/**
 * satori_tagged_json_new_set:
 * @members: the members (their order is kept)
 *
 * Returns: (transfer full): a tagged `set` value
 */
JsonNode *
satori_tagged_json_new_set (JsonArray *members)
{
  g_return_val_if_fail (members != NULL, NULL);

  JsonObject *object = new_tagged (SATORI_TAGGED_KIND_SET);
  json_object_set_array_member (object, "value", json_array_ref (members));
  return take_object (object);
}

/**
 * satori_tagged_json_new_dataframe:
 * @records: the rows, one object each
 * @columns: the column names, in order
 * @index: (nullable): the row labels; %NULL for the default 0, 1, 2, …
 *
 * Returns: (transfer full): a tagged `dataframe` value
 */
JsonNode *
satori_tagged_json_new_dataframe (JsonArray *records, const char * const *columns,
                                  JsonArray *index)
{
  g_return_val_if_fail (records != NULL, NULL);
  g_return_val_if_fail (columns != NULL, NULL);

  JsonObject *object = new_tagged (SATORI_TAGGED_KIND_DATAFRAME);
  json_object_set_array_member (object, "data", json_array_ref (records));
  JsonArray *names = json_array_new ();
  for (gsize i = 0; columns[i] != NULL; i++)
    json_array_add_string_element (names, columns[i]);
  json_object_set_array_member (object, "columns", names);
  if (index != NULL)
    json_object_set_array_member (object, "index", json_array_ref (index));
  else
    json_object_set_null_member (object, "index");
  return take_object (object);
}

/**
 * satori_tagged_json_parse_payload:
 * @data: (array length=len): a pubsub or direct message payload
 * @len: its length
 * @error: as satori_json_parse(), for the payload and for the JSON inside
 *   a tagged `bytes` payload
 *
 * Parses a Satori payload. satorip2p's ping and identify publish JSON
 * that was already encoded to bytes, so their payload is a tagged `bytes`
 * value holding the real message: that one is unwrapped and parsed too.
 *
 * Returns: (transfer full): the message
 */
JsonNode *
satori_tagged_json_parse_payload (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(JsonNode) outer = satori_json_parse (data, len, error);

  if (outer == NULL)
    return NULL;
  if (satori_tagged_json_classify (outer) != SATORI_TAGGED_KIND_BYTES)
    return g_steal_pointer (&outer);
  g_autoptr(GBytes) inner = satori_tagged_json_decode_bytes (outer, error);
  if (inner == NULL)
    return NULL;
  gsize inner_len = 0;
  const guint8 *inner_data = g_bytes_get_data (inner, &inner_len);
  return satori_json_parse (inner_data, inner_len, error);
}
