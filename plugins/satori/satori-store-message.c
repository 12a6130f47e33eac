/* satori-store-message.c — the JSON of /satori/store/1.0.0
 *
 * As the Python satorip2p writes it (protocol/message_store.py): one
 * object per direction, payloads in padded standard base64, timestamps in
 * float seconds, TTLs in hours.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-message.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "satori-multibase.h"
#include "satori-peer-id.h"
#include "satori-store-scanner.h"

G_DEFINE_QUARK (satori-store-error-quark, satori_store_error)

/**
 * satori_store_envelope_new:
 * @message_id: the message's id
 * @target_peer: the peer id it is for
 * @source_peer: the sender's peer id
 * @stream_id: (nullable): its Satori stream
 * @payload: the message
 * @timestamp_us: when it was sent (wall clock)
 * @ttl_us: how long it is kept after @timestamp_us
 *
 * Returns: (transfer full): a new envelope
 */
SatoriStoreEnvelope *
satori_store_envelope_new (const char *message_id, const char *target_peer,
                           const char *source_peer, const char *stream_id, GBytes *payload,
                           gint64 timestamp_us, gint64 ttl_us)
{
  SatoriStoreEnvelope *envelope = g_new0 (SatoriStoreEnvelope, 1);

  envelope->message_id = g_strdup (message_id);
  envelope->target_peer = g_strdup (target_peer);
  envelope->source_peer = g_strdup (source_peer);
  envelope->stream_id = g_strdup (stream_id);
  envelope->payload = g_bytes_ref (payload);
  envelope->timestamp_us = timestamp_us;
  envelope->ttl_us = ttl_us;
  return envelope;
}

void
satori_store_envelope_free (SatoriStoreEnvelope *envelope)
{
  if (envelope == NULL)
    return;
  g_free (envelope->message_id);
  g_free (envelope->target_peer);
  g_free (envelope->source_peer);
  g_free (envelope->stream_id);
  g_bytes_unref (envelope->payload);
  g_free (envelope);
}

void
satori_store_request_free (SatoriStoreRequest *request)
{
  if (request == NULL)
    return;
  satori_store_envelope_free (request->envelope);
  g_free (request->target);
  g_free (request);
}

/* ---- decoding ---- */

static gboolean
invalid (GError **error, const char *field, const char *problem)
{
  g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_INVALID, _("%s: %s"), field,
               problem);
  return FALSE;
}

/* Parses exactly one JSON object, nothing but whitespace after it. */
static JsonObject *
parse_object (const guint8 *data, gsize len, GError **error)
{
  SatoriStoreScanner scanner = { 0 };

  if (!satori_store_scanner_feed (&scanner, data, len, error))
    return NULL;
  if (!scanner.done)
    {
      g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                   len == 0 ? _("Empty message") : _("The JSON object does not end"));
      return NULL;
    }
  for (gsize i = scanner.length; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      {
        g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                     _("Bytes after the JSON object"));
        return NULL;
      }
  if (!g_utf8_validate ((const char *) data, (gssize) scanner.length, NULL))
    {
      g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                   _("The JSON is not UTF-8"));
      return NULL;
    }

  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) scanner.length,
                                   &parse_error))
    {
      g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                   _("Invalid JSON: %s"), parse_error->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_MALFORMED,
                   _("Not a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* A string member of at most %SATORI_STORE_MAX_ID_LENGTH bytes; an
 * optional one (@nullable) may be absent, null (NULL) or empty. */
static gboolean
get_string (JsonObject *object, const char *name, gboolean nullable, const char **out,
            GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return nullable || invalid (error, name, _("missing"));
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, name, _("not a string"));
  const char *text = json_node_get_string (node);
  if ((*text == '\0' && !nullable) || strlen (text) > SATORI_STORE_MAX_ID_LENGTH)
    return invalid (error, name, _("empty or too long"));
  *out = text;
  return TRUE;
}

static gboolean
get_peer_id (JsonObject *object, const char *name, const char **out, GError **error)
{
  if (!get_string (object, name, FALSE, out, error))
    return FALSE;
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_string (*out, NULL);
  return id != NULL || invalid (error, name, _("not a peer id"));
}

/* Seconds or hours (within ±1e11) to microseconds, to the nearest. */
static gint64
to_us (double value, gint64 unit)
{
  double us = value * (double) unit;

  return (gint64) (us >= 0 ? us + 0.5 : us - 0.5);
}

/* A finite number member. */
static gboolean
get_number (JsonObject *object, const char *name, double *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return invalid (error, name, _("missing"));
  GType type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return invalid (error, name, _("not a number"));
  *out = json_node_get_double (node);
  return isfinite (*out) || invalid (error, name, _("not a finite number"));
}

/* Strict padded standard base64: GLib's decoder skips what it does not
 * know, the multibase one ('m': unpadded) refuses it. */
static GBytes *
decode_base64 (const char *text)
{
  gsize len = strlen (text);
  gsize padding = 0;

  if (len == 0 || len % 4 != 0)
    return NULL;
  while (padding < 2 && text[len - 1 - padding] == '=')
    padding++;
  g_autofree char *multibase = g_strdup_printf ("m%.*s", (int) (len - padding), text);
  return satori_multibase_decode (multibase, NULL, NULL);
}

static gboolean
get_payload (JsonObject *object, GBytes **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, "payload");

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, "payload", _("missing or not a string"));
  *out = decode_base64 (json_node_get_string (node));
  return *out != NULL || invalid (error, "payload", _("not padded base64 of a message"));
}

static SatoriStoreEnvelope *
decode_envelope (JsonObject *object, const SatoriStoreLimits *limits, gint64 now_us,
                 GError **error)
{
  const char *message_id, *target, *source, *stream_id;
  double timestamp, ttl_hours;
  g_autoptr(GBytes) payload = NULL;

  if (!get_string (object, "message_id", FALSE, &message_id, error) ||
      !get_peer_id (object, "target_peer", &target, error) ||
      !get_peer_id (object, "source_peer", &source, error) ||
      !get_string (object, "stream_id", TRUE, &stream_id, error) ||
      !get_payload (object, &payload, error) ||
      !get_number (object, "timestamp", &timestamp, error) ||
      !get_number (object, "ttl_hours", &ttl_hours, error))
    return NULL;

  /* Beyond these the conversions to microseconds would overflow. */
  if (ttl_hours <= 0 || ttl_hours > 1e6)
    {
      invalid (error, "ttl_hours", _("out of range"));
      return NULL;
    }
  if (timestamp < 0 || timestamp > 1e11 || timestamp * G_USEC_PER_SEC > now_us + limits->max_clock_skew_us)
    {
      invalid (error, "timestamp", _("in the future"));
      return NULL;
    }
  gint64 timestamp_us = to_us (timestamp, G_USEC_PER_SEC);
  gint64 ttl_us = MIN (to_us (ttl_hours, SATORI_STORE_HOUR_US), limits->max_ttl_us);
  if (timestamp_us + ttl_us <= now_us)
    {
      invalid (error, "timestamp", _("the message has expired"));
      return NULL;
    }
  return satori_store_envelope_new (message_id, target, source, stream_id, payload, timestamp_us,
                                    ttl_us);
}

/**
 * satori_store_request_decode:
 * @data: the request's bytes
 * @len: their length
 * @limits: what envelopes may say
 * @now_us: the wall clock, to check timestamps
 * @error: %SATORI_STORE_ERROR_MALFORMED or %SATORI_STORE_ERROR_INVALID
 *
 * Decodes and checks a store or retrieve request: peer ids that parse,
 * a payload in base64, a positive TTL (cut to @limits' longest), a
 * timestamp not in the future beyond the allowed skew and not expired.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL
 */
SatoriStoreRequest *
satori_store_request_decode (const guint8 *data, gsize len, const SatoriStoreLimits *limits,
                             gint64 now_us, GError **error)
{
  g_autoptr(JsonObject) object = parse_object (data, len, error);
  const char *action;

  if (object == NULL || !get_string (object, "action", FALSE, &action, error))
    return NULL;

  g_autoptr(SatoriStoreRequest) request = g_new0 (SatoriStoreRequest, 1);
  if (strcmp (action, "store") == 0)
    {
      JsonNode *node = json_object_get_member (object, "envelope");
      request->action = SATORI_STORE_ACTION_STORE;
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, "envelope", _("missing or not an object"));
          return NULL;
        }
      request->envelope = decode_envelope (json_node_get_object (node), limits, now_us, error);
      if (request->envelope == NULL)
        return NULL;
    }
  else if (strcmp (action, "retrieve") == 0)
    {
      const char *target;
      request->action = SATORI_STORE_ACTION_RETRIEVE;
      if (!get_peer_id (object, "target", &target, error))
        return NULL;
      request->target = g_strdup (target);
    }
  else
    {
      invalid (error, "action", _("unknown action"));
      return NULL;
    }
  return g_steal_pointer (&request);
}

/* One message of a retrieve response: Python sends no target and no TTL. */
static SatoriStoreEnvelope *
decode_retrieved (JsonNode *node, const char *target, GError **error)
{
  const char *message_id, *source, *stream_id;
  g_autoptr(GBytes) payload = NULL;
  double timestamp;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, "messages", _("an element is not an object"));
      return NULL;
    }
  JsonObject *object = json_node_get_object (node);
  if (!get_string (object, "message_id", FALSE, &message_id, error) ||
      !get_string (object, "source_peer", TRUE, &source, error) ||
      !get_string (object, "stream_id", TRUE, &stream_id, error) ||
      !get_payload (object, &payload, error) ||
      !get_number (object, "timestamp", &timestamp, error))
    return NULL;
  if (timestamp < -1e11 || timestamp > 1e11)
    {
      invalid (error, "timestamp", _("out of range"));
      return NULL;
    }
  return satori_store_envelope_new (message_id, target, source, stream_id, payload,
                                    to_us (timestamp, G_USEC_PER_SEC), 0);
}

/**
 * satori_store_response_decode:
 * @data: the response's bytes
 * @len: their length
 * @target: the peer id the messages are for (a retrieve's target), set in
 *   the envelopes returned
 * @error: %SATORI_STORE_ERROR_MALFORMED, %SATORI_STORE_ERROR_INVALID, or
 *   %SATORI_STORE_ERROR_REFUSED with the holder's message
 *
 * Decodes `{"status":"ok"}` (no messages), `{"status":"ok","messages":
 * […]}` or `{"status":"error","message":…}`.
 *
 * Returns: (transfer full) (element-type SatoriStoreEnvelope) (nullable):
 *   the messages, or %NULL on error
 */
GPtrArray *
satori_store_response_decode (const guint8 *data, gsize len, const char *target, GError **error)
{
  g_autoptr(JsonObject) object = parse_object (data, len, error);
  const char *status;

  if (object == NULL || !get_string (object, "status", FALSE, &status, error))
    return NULL;
  if (strcmp (status, "ok") != 0)
    {
      JsonNode *node = json_object_get_member (object, "message");
      const char *message = node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
                            ? json_node_get_string (node) : status;
      g_set_error (error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_REFUSED,
                   _("The holder refused: %s"), message);
      return NULL;
    }

  g_autoptr(GPtrArray) messages =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_store_envelope_free);
  JsonNode *node = json_object_get_member (object, "messages");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_steal_pointer (&messages);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, "messages", _("not an array"));
      return NULL;
    }
  JsonArray *array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      SatoriStoreEnvelope *envelope = decode_retrieved (json_array_get_element (array, i), target,
                                                        error);
      if (envelope == NULL)
        return NULL;
      g_ptr_array_add (messages, envelope);
    }
  return g_steal_pointer (&messages);
}

/* ---- encoding ---- */

static GBytes *
to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;

  json_generator_set_root (generator, root);
  char *text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_payload (JsonBuilder *builder, GBytes *payload)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  g_autofree char *text = g_base64_encode (data, len);

  add_string (builder, "payload", text);
}

static void
add_timestamp (JsonBuilder *builder, gint64 timestamp_us)
{
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_double_value (builder, (double) timestamp_us / G_USEC_PER_SEC);
}

/**
 * satori_store_request_encode_store:
 * @envelope: the message to have stored, with its TTL
 *
 * Returns: (transfer full): `{"action":"store","envelope":{…}}`
 */
GBytes *
satori_store_request_encode_store (const SatoriStoreEnvelope *envelope)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_string (builder, "action", "store");
  json_builder_set_member_name (builder, "envelope");
  json_builder_begin_object (builder);
  add_string (builder, "message_id", envelope->message_id);
  add_string (builder, "target_peer", envelope->target_peer);
  add_string (builder, "source_peer", envelope->source_peer);
  add_string (builder, "stream_id", envelope->stream_id);
  add_payload (builder, envelope->payload);
  add_timestamp (builder, envelope->timestamp_us);
  /* Whole hours as an integer, as Python sends them. */
  json_builder_set_member_name (builder, "ttl_hours");
  if (envelope->ttl_us % SATORI_STORE_HOUR_US == 0)
    json_builder_add_int_value (builder, envelope->ttl_us / SATORI_STORE_HOUR_US);
  else
    json_builder_add_double_value (builder, (double) envelope->ttl_us / SATORI_STORE_HOUR_US);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return to_bytes (builder);
}

/**
 * satori_store_request_encode_retrieve:
 * @target: the peer id whose messages to fetch
 *
 * Returns: (transfer full): `{"action":"retrieve","target":…}`
 */
GBytes *
satori_store_request_encode_retrieve (const char *target)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_string (builder, "action", "retrieve");
  add_string (builder, "target", target);
  json_builder_end_object (builder);
  return to_bytes (builder);
}

/**
 * satori_store_response_encode_ok:
 *
 * Returns: (transfer full): `{"status":"ok"}`
 */
GBytes *
satori_store_response_encode_ok (void)
{
  static const char ok[] = "{\"status\":\"ok\"}";

  return g_bytes_new_static (ok, sizeof ok - 1);
}

/**
 * satori_store_response_encode_error:
 * @message: what went wrong
 *
 * Returns: (transfer full): `{"status":"error","message":…}`
 */
GBytes *
satori_store_response_encode_error (const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_string (builder, "status", "error");
  add_string (builder, "message", message);
  json_builder_end_object (builder);
  return to_bytes (builder);
}

/**
 * satori_store_response_encode_messages:
 * @envelopes: (element-type SatoriStoreEnvelope): the messages retrieved
 *
 * Returns: (transfer full): `{"status":"ok","messages":[…]}`
 */
GBytes *
satori_store_response_encode_messages (GPtrArray *envelopes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_string (builder, "status", "ok");
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < envelopes->len; i++)
    {
      const SatoriStoreEnvelope *envelope = g_ptr_array_index (envelopes, i);
      json_builder_begin_object (builder);
      add_string (builder, "message_id", envelope->message_id);
      add_payload (builder, envelope->payload);
      add_string (builder, "stream_id", envelope->stream_id);
      add_string (builder, "source_peer", envelope->source_peer);
      add_timestamp (builder, envelope->timestamp_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return to_bytes (builder);
}
