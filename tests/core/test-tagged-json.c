/* JSON from peers (bounded parse) and the Python peers' tagged values, on
 * texts shaped as satorip2p's json.dumps writes them. */
#include <string.h>

#include "satorip2p.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = satori_json_parse ((const guint8 *) text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
to_text (JsonNode *node)
{
  g_autoptr(GBytes) bytes = satori_json_to_bytes (node);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_parse_bounds (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Invalid UTF-8, bad JSON, empty input and deep nesting are refused");
  const char *bad[] = { "{\"a\": 1", "[1,,2]", "", "   ", "{\"a\":\"\xff\"}", NULL };
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = satori_json_parse ((const guint8 *) bad[i], strlen (bad[i]),
                                                    &error);
      g_assert_null (node);
      g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
      g_clear_error (&error);
    }
  const guint8 with_nul[] = { '[', '1', 0, ']' };
  g_assert_null (satori_json_parse (with_nul, sizeof with_nul, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (satori_json_parse (NULL, 0, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);

  /* 64 levels pass, 65 do not; brackets inside strings do not count. */
  g_autoptr(GString) deep = g_string_new (NULL);
  for (guint i = 0; i < SATORI_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  g_string_append (deep, "\"[[[[\\\"[[\"");
  for (guint i = 0; i < SATORI_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  g_autoptr(JsonNode) ok = parse (deep->str);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (ok));
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  g_assert_null (satori_json_parse ((const guint8 *) deep->str, deep->len, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A megabyte of '[' is refused without recursing. */
  gsize huge = 1024 * 1024;
  g_autofree guint8 *brackets = g_malloc (huge);
  memset (brackets, '[', huge);
  g_assert_null (satori_json_parse (brackets, huge, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
}

static void
test_classify (void)
{
  g_test_summary ("Tagged objects are told apart from other values");
  struct { const char *text; SatoriTaggedKind kind; } cases[] = {
    { "{\"__satori_type__\": \"bytes\", \"value\": \"\"}", SATORI_TAGGED_KIND_BYTES },
    { "{\"__satori_type__\": \"datetime\", \"value\": \"x\"}", SATORI_TAGGED_KIND_DATETIME },
    { "{\"__satori_type__\": \"set\", \"value\": []}", SATORI_TAGGED_KIND_SET },
    { "{\"__satori_type__\": \"dataframe\"}", SATORI_TAGGED_KIND_DATAFRAME },
    { "{\"__satori_type__\": \"decimal\", \"value\": \"1\"}", SATORI_TAGGED_KIND_UNKNOWN },
    { "{\"__satori_type__\": 3}", SATORI_TAGGED_KIND_NONE },
    { "{\"value\": \"aGk=\"}", SATORI_TAGGED_KIND_NONE },
    { "[\"__satori_type__\"]", SATORI_TAGGED_KIND_NONE },
    { "\"bytes\"", SATORI_TAGGED_KIND_NONE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse (cases[i].text);
      g_assert_cmpint (satori_tagged_json_classify (node), ==, cases[i].kind);
    }
}

static void
test_bytes (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("bytes: base64 both ways; non-base64 and wrong types are refused");
  g_autoptr(JsonNode) node = parse ("{\"__satori_type__\": \"bytes\", \"value\": \"aGVsbG8=\"}");
  g_autoptr(GBytes) bytes = satori_tagged_json_decode_bytes (node, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello", 5);

  g_autoptr(JsonNode) again = satori_tagged_json_new_bytes (bytes);
  g_autofree char *text = to_text (again);
  g_assert_cmpstr (text, ==, "{\"__satori_type__\":\"bytes\",\"value\":\"aGVsbG8=\"}");

  const char *bad[] = {
    "{\"__satori_type__\": \"bytes\", \"value\": \"aGVsbG8\"}",
    "{\"__satori_type__\": \"bytes\", \"value\": \"aGV=bG8=\"}",
    "{\"__satori_type__\": \"bytes\", \"value\": \"aGVs bG8=\"}",
    "{\"__satori_type__\": \"bytes\", \"value\": 12}",
    "{\"__satori_type__\": \"bytes\"}",
    "{\"__satori_type__\": \"set\", \"value\": \"aGk=\"}",
    NULL
  };
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(JsonNode) one = parse (bad[i]);
      g_assert_null (satori_tagged_json_decode_bytes (one, &error));
      g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
      g_clear_error (&error);
    }
}

static void
test_datetime (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("datetime: Python isoformat() read (naive as UTC) and written back");
  g_autoptr(JsonNode) naive = parse ("{\"__satori_type__\": \"datetime\", "
                                     "\"value\": \"2026-01-02T03:04:05.250000\"}");
  g_autoptr(GDateTime) a = satori_tagged_json_decode_datetime (naive, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (a), ==, 1767323045);
  g_assert_cmpint (g_date_time_get_microsecond (a), ==, 250000);
  g_autoptr(JsonNode) written = satori_tagged_json_new_datetime (a);
  g_autofree char *text = to_text (written);
  g_assert_cmpstr (text, ==, "{\"__satori_type__\":\"datetime\","
                             "\"value\":\"2026-01-02T03:04:05.250000+00:00\"}");

  g_autoptr(JsonNode) offset = parse ("{\"__satori_type__\": \"datetime\", "
                                      "\"value\": \"2026-01-02T05:04:05+02:00\"}");
  g_autoptr(GDateTime) b = satori_tagged_json_decode_datetime (offset, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (b), ==, 1767323045);
  g_autoptr(JsonNode) whole = satori_tagged_json_new_datetime (b);
  g_autofree char *whole_text = to_text (whole);
  g_assert_cmpstr (whole_text, ==, "{\"__satori_type__\":\"datetime\","
                                   "\"value\":\"2026-01-02T05:04:05+02:00\"}");

  g_autoptr(JsonNode) bad = parse ("{\"__satori_type__\": \"datetime\", \"value\": \"yesterday\"}");
  g_assert_null (satori_tagged_json_decode_datetime (bad, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
}

static void
test_set (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("set: members kept in order both ways; a non-array value is refused");
  g_autoptr(JsonNode) node = parse ("{\"__satori_type__\": \"set\", \"value\": [\"a\", 2]}");
  g_autoptr(JsonArray) members = satori_tagged_json_decode_set (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (members), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (members, 0), ==, "a");
  g_assert_cmpint (json_array_get_int_element (members, 1), ==, 2);
  g_autoptr(JsonNode) again = satori_tagged_json_new_set (members);
  g_autofree char *text = to_text (again);
  g_assert_cmpstr (text, ==, "{\"__satori_type__\":\"set\",\"value\":[\"a\",2]}");

  g_autoptr(JsonNode) bad = parse ("{\"__satori_type__\": \"set\", \"value\": {}}");
  g_assert_null (satori_tagged_json_decode_set (bad, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
}

static void
test_dataframe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(JsonArray) index = NULL;
  g_auto(GStrv) columns = NULL;

  g_test_summary ("dataframe: records, columns and index as pandas writes them, both ways");
  g_autoptr(JsonNode) node = parse (
    "{\"__satori_type__\": \"dataframe\", \"data\": [{\"value\": 1.5, \"hash\": \"ab\"}, "
    "{\"value\": 2.5, \"hash\": \"cd\"}], \"columns\": [\"value\", \"hash\"], "
    "\"index\": [\"2026-01-01\", \"2026-01-02\"]}");
  g_assert_true (satori_tagged_json_decode_dataframe (node, &records, &columns, &index, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (records), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (records, 1),
                                                    "value"), ==, 2.5);
  g_assert_cmpuint (g_strv_length (columns), ==, 2);
  g_assert_cmpstr (columns[1], ==, "hash");
  g_assert_cmpstr (json_array_get_string_element (index, 0), ==, "2026-01-01");

  g_autoptr(JsonNode) again = satori_tagged_json_new_dataframe (records,
                                                                (const char * const *) columns,
                                                                NULL);
  g_autofree char *text = to_text (again);
  g_assert_cmpstr (text, ==, "{\"__satori_type__\":\"dataframe\",\"data\":[{\"value\":1.5,"
                             "\"hash\":\"ab\"},{\"value\":2.5,\"hash\":\"cd\"}],"
                             "\"columns\":[\"value\",\"hash\"],\"index\":null}");

  const char *bad[] = {
    "{\"__satori_type__\": \"dataframe\", \"data\": [1], \"columns\": [], \"index\": null}",
    "{\"__satori_type__\": \"dataframe\", \"data\": [], \"columns\": [1], \"index\": null}",
    "{\"__satori_type__\": \"dataframe\", \"data\": [{}], \"columns\": [], \"index\": []}",
    "{\"__satori_type__\": \"dataframe\", \"data\": [], \"columns\": [], \"index\": 3}",
    "{\"__satori_type__\": \"dataframe\", \"columns\": [], \"index\": null}",
    NULL
  };
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(JsonNode) one = parse (bad[i]);
      g_autoptr(JsonArray) r = NULL;
      g_autoptr(JsonArray) x = NULL;
      g_auto(GStrv) c = NULL;
      g_assert_false (satori_tagged_json_decode_dataframe (one, &r, &c, &x, &error));
      g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
      g_assert_null (r);
      g_clear_error (&error);
    }
}

static void
test_payload (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A payload of tagged bytes (satorip2p ping, identify) is unwrapped and parsed");
  /* base64 of {"ping_id": "p1", "version": "1.0.0"} */
  const char *wrapped = "{\"__satori_type__\": \"bytes\", "
                        "\"value\": \"eyJwaW5nX2lkIjogInAxIiwgInZlcnNpb24iOiAiMS4wLjAifQ==\"}";
  g_autoptr(JsonNode) ping = satori_tagged_json_parse_payload ((const guint8 *) wrapped,
                                                               strlen (wrapped), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ping), "ping_id"), ==,
                   "p1");

  const char *plain = "{\"topic\": \"s\", \"data\": 1}";
  g_autoptr(JsonNode) direct = satori_tagged_json_parse_payload ((const guint8 *) plain,
                                                                 strlen (plain), &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (direct), "data"), ==, 1);

  /* base64 of "not json" */
  const char *junk = "{\"__satori_type__\": \"bytes\", \"value\": \"bm90IGpzb24=\"}";
  g_assert_null (satori_tagged_json_parse_payload ((const guint8 *) junk, strlen (junk),
                                                   &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/json/parse-bounds", test_parse_bounds);
  g_test_add_func ("/core/tagged-json/classify", test_classify);
  g_test_add_func ("/core/tagged-json/bytes", test_bytes);
  g_test_add_func ("/core/tagged-json/datetime", test_datetime);
  g_test_add_func ("/core/tagged-json/set", test_set);
  g_test_add_func ("/core/tagged-json/dataframe", test_dataframe);
  g_test_add_func ("/core/tagged-json/payload", test_payload);
  return g_test_run ();
}
