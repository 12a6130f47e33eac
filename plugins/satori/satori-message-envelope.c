/* The JSON envelope of /satori/1.0.0: requests, responses, encrypted
 * messages and the routing of plain ones. No I/O. README.md has the wire
 * format.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-message-envelope.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define REQUEST_ID "_request_id"
#define RESPONSE_TO "_response_to"
#define ENCRYPTED "_encrypted"
#define STORED "_stored"
/* The longest message id or source peer of a stored message: ids are
 * remembered against repeats, so they must stay small. */
#define MAX_STORED_ID_LENGTH 256
#define CIPHER_NAME "evrmore-ecdh-aes-256-gcm"

/**
 * satori_message_envelope_free:
 * @envelope: (nullable): an envelope
 */
void
satori_message_envelope_free (SatoriMessageEnvelope *envelope)
{
  if (envelope == NULL)
    return;
  g_free (envelope->id);
  g_clear_pointer (&envelope->body, g_bytes_unref);
  g_free (envelope->error);
  g_free (envelope->stream_id);
  g_free (envelope->source_peer);
  g_free (envelope->peer_id);
  g_free (envelope->evrmore_address);
  g_clear_pointer (&envelope->data, g_bytes_unref);
  g_free (envelope);
}

/* A member that is a string, or NULL. */
static const char *
get_string (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_boolean (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonObject *
get_object (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The member as JSON text; "null" when absent, as Python's .get() gives None. */
static GBytes *
member_bytes (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return g_bytes_new_static ("null", 4);
  return satori_json_to_bytes (node);
}

static gboolean
is_reserved (JsonObject *object, const char *name)
{
  return json_object_has_member (object, name);
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID, message);
  return FALSE;
}

/* satorip2p's inbound routing (peers.py _handle_stream): by `type`, else
 * `method`, then any message with a `params.uuid`. */
static void
route_plain (SatoriMessageEnvelope *envelope, JsonObject *object)
{
  const char *type = get_string (object, "type");

  if (type == NULL || *type == '\0')
    type = get_string (object, "method");
  if (g_strcmp0 (type, "subscription_announce") == 0)
    {
      const char *stream_id = get_string (object, "stream_id");
      const char *peer_id = get_string (object, "peer_id");
      if (stream_id == NULL || *stream_id == '\0' || peer_id == NULL || *peer_id == '\0')
        return;
      envelope->route = SATORI_MESSAGE_ROUTE_SUBSCRIPTION_ANNOUNCE;
      envelope->stream_id = g_strdup (stream_id);
      envelope->peer_id = g_strdup (peer_id);
      envelope->evrmore_address = g_strdup (get_string (object, "evrmore_address"));
      envelope->is_publisher = get_boolean (object, "is_publisher");
      return;
    }
  if (g_strcmp0 (type, "peer_announce") == 0)
    {
      JsonObject *info = get_object (object, "peer_info");
      const char *peer_id = get_string (info, "peer_id");
      if (peer_id == NULL || *peer_id == '\0')
        return;
      envelope->route = SATORI_MESSAGE_ROUTE_PEER_ANNOUNCE;
      envelope->peer_id = g_strdup (peer_id);
      envelope->evrmore_address = g_strdup (get_string (info, "evrmore_address"));
      envelope->is_relay = get_boolean (info, "is_relay");
      envelope->data = member_bytes (object, "peer_info");
      return;
    }
  const char *uuid = get_string (get_object (object, "params"), "uuid");
  if (uuid != NULL && *uuid != '\0')
    {
      envelope->route = SATORI_MESSAGE_ROUTE_STREAM_DATA;
      envelope->stream_id = g_strdup (uuid);
      envelope->data = member_bytes (object, "data");
    }
}

/* @object without its member @name, as JSON text. */
static GBytes *
without_member (JsonObject *object, const char *name)
{
  g_autoptr(JsonObject) copy = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    if (strcmp (member, name) != 0)
      json_object_set_member (copy, member, json_node_copy (value));
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, copy);
  return satori_json_to_bytes (node);
}

static gboolean
parse_encrypted (SatoriMessageEnvelope *envelope, JsonObject *object, GError **error)
{
  const char *cipher = get_string (object, ENCRYPTED);
  const char *payload = get_string (object, "payload");

  if (g_strcmp0 (cipher, CIPHER_NAME) != 0)
    return invalid (error, _("The message is encrypted with an unknown scheme"));
  if (payload == NULL)
    return invalid (error, _("The encrypted message has no payload"));
  envelope->body = satori_json_base64_decode (payload, NULL);
  if (envelope->body == NULL)
    return invalid (error, _("The encrypted message's payload is not base64"));
  envelope->kind = SATORI_MESSAGE_ENCRYPTED;
  return TRUE;
}

static gboolean
is_short_id (const char *id)
{
  return id != NULL && *id != '\0' && strlen (id) <= MAX_STORED_ID_LENGTH;
}

/* A stored message: its source's object with `_stored` added, or a
 * `wrapped` value in `data`. */
static gboolean
parse_stored (SatoriMessageEnvelope *envelope, JsonObject *object, GError **error)
{
  JsonObject *meta = get_object (object, STORED);
  const char *id = get_string (meta, "message_id");
  const char *source = get_string (meta, "source_peer");
  const char *stream_id = get_string (meta, "stream_id");

  if (!is_short_id (id) || !is_short_id (source) ||
      (stream_id != NULL && strlen (stream_id) > MAX_STORED_ID_LENGTH))
    return invalid (error, _("The stored message's “_stored” has no valid message id or "
                             "source peer"));
  envelope->kind = SATORI_MESSAGE_STORED;
  envelope->id = g_strdup (id);
  envelope->source_peer = g_strdup (source);
  envelope->stream_id = g_strdup (stream_id);
  envelope->body = get_boolean (meta, "wrapped") ? member_bytes (object, "data")
                                                 : without_member (object, STORED);
  return TRUE;
}

static gboolean
parse_response (SatoriMessageEnvelope *envelope, JsonObject *object, GError **error)
{
  const char *id = get_string (object, RESPONSE_TO);

  if (id == NULL)
    return invalid (error, _("The response's “_response_to” is not a string"));
  envelope->kind = SATORI_MESSAGE_RESPONSE;
  envelope->id = g_strdup (id);
  if (json_object_has_member (object, "error"))
    {
      const char *reason = get_string (object, "error");
      envelope->error = g_strdup (reason != NULL ? reason : _("The request was refused"));
      return TRUE;
    }
  envelope->body = member_bytes (object, "data");
  return TRUE;
}

/**
 * satori_message_envelope_parse:
 * @data: (array length=len): one whole message as read from a stream
 * @len: its length
 * @error: %SATORI_MESSENGER_ERROR_INVALID when it is not JSON, or its
 *   reserved members (`_stored`, `_request_id`, `_response_to`,
 *   `_encrypted`) are not as README.md describes
 *
 * Returns: (transfer full): what the message is
 */
SatoriMessageEnvelope *
satori_message_envelope_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = satori_json_parse (data, len, &local);

  if (root == NULL)
    {
      g_set_error_literal (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID,
                           local->message);
      return NULL;
    }
  g_autoptr(SatoriMessageEnvelope) envelope = g_new0 (SatoriMessageEnvelope, 1);
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  gboolean ok = TRUE;

  if (object != NULL && is_reserved (object, STORED))
    ok = parse_stored (envelope, object, error);
  else if (object != NULL && is_reserved (object, ENCRYPTED))
    ok = parse_encrypted (envelope, object, error);
  else if (object != NULL && is_reserved (object, RESPONSE_TO))
    ok = parse_response (envelope, object, error);
  else if (object != NULL && is_reserved (object, REQUEST_ID))
    {
      const char *id = get_string (object, REQUEST_ID);
      if (id == NULL)
        ok = invalid (error, _("The request's “_request_id” is not a string"));
      else
        {
          envelope->kind = SATORI_MESSAGE_REQUEST;
          envelope->id = g_strdup (id);
          envelope->body = without_member (object, REQUEST_ID);
        }
    }
  else
    {
      envelope->kind = SATORI_MESSAGE_PLAIN;
      envelope->body = g_bytes_new (data, len);
      if (object != NULL)
        route_plain (envelope, object);
    }
  return ok ? g_steal_pointer (&envelope) : NULL;
}

static JsonNode *
parse_message (GBytes *message, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (message, &len);
  g_autoptr(GError) local = NULL;
  JsonNode *node = satori_json_parse (data, len, &local);

  if (node == NULL)
    g_set_error (error, SATORI_MESSENGER_ERROR, SATORI_MESSENGER_ERROR_INVALID,
                 _("The message is not a JSON text: %s"), local->message);
  return node;
}

/**
 * satori_message_envelope_check_json:
 * @message: an application's message
 * @error: %SATORI_MESSENGER_ERROR_INVALID when it is not a JSON text
 *
 * Returns: whether @message can be sent
 */
gboolean
satori_message_envelope_check_json (GBytes *message, GError **error)
{
  g_autoptr(JsonNode) node = parse_message (message, error);

  return node != NULL;
}

static GBytes *
object_bytes (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return satori_json_to_bytes (node);
}

/**
 * satori_message_envelope_new_request:
 * @message: the application's message, a JSON text
 * @request_id: a fresh id (a UUID 4)
 * @error: %SATORI_MESSENGER_ERROR_INVALID when @message is not JSON
 *
 * As satorip2p's request(): an object gets a `_request_id` member (any
 * previous one replaced); anything else is wrapped as
 * `{"_request_id": id, "data": message}`.
 *
 * Returns: (transfer full): the request to write
 */
GBytes *
satori_message_envelope_new_request (GBytes *message, const char *request_id, GError **error)
{
  g_autoptr(JsonNode) node = parse_message (message, error);

  if (node == NULL)
    return NULL;
  JsonObject *request = json_object_new ();
  json_object_set_string_member (request, REQUEST_ID, request_id);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &member, &value))
        if (strcmp (member, REQUEST_ID) != 0)
          json_object_set_member (request, member, json_node_copy (value));
    }
  else
    json_object_set_member (request, "data", json_node_copy (node));
  return object_bytes (request);
}

/**
 * satori_message_envelope_new_response:
 * @request_id: the id of the request answered
 * @reply: the answer, a JSON text
 * @error: %SATORI_MESSENGER_ERROR_INVALID when @reply is not JSON
 *
 * Returns: (transfer full): `{"_response_to": id, "data": reply}`
 */
GBytes *
satori_message_envelope_new_response (const char *request_id, GBytes *reply, GError **error)
{
  g_autoptr(JsonNode) node = parse_message (reply, error);

  if (node == NULL)
    return NULL;
  JsonObject *response = json_object_new ();
  json_object_set_string_member (response, RESPONSE_TO, request_id);
  json_object_set_member (response, "data", json_node_copy (node));
  return object_bytes (response);
}

/**
 * satori_message_envelope_new_refusal:
 * @request_id: the id of the request refused
 * @reason: why
 *
 * Returns: (transfer full): `{"_response_to": id, "error": reason}`
 */
GBytes *
satori_message_envelope_new_refusal (const char *request_id, const char *reason)
{
  JsonObject *response = json_object_new ();

  json_object_set_string_member (response, RESPONSE_TO, request_id);
  json_object_set_string_member (response, "error", reason);
  return object_bytes (response);
}

/**
 * satori_message_envelope_new_encrypted:
 * @sealed: nonce ‖ ciphertext ‖ tag of a whole envelope
 *
 * Returns: (transfer full): `{"_encrypted": "evrmore-ecdh-aes-256-gcm",
 *   "payload": base64}`
 */
GBytes *
satori_message_envelope_new_encrypted (GBytes *sealed)
{
  JsonObject *object = json_object_new ();
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (sealed, &len);
  g_autofree char *payload = g_base64_encode (data, len);

  json_object_set_string_member (object, ENCRYPTED, CIPHER_NAME);
  json_object_set_string_member (object, "payload", payload);
  return object_bytes (object);
}

/**
 * satori_message_envelope_new_stored:
 * @message: a message held for its target, as its source sent it
 * @message_id: the source's id of the message
 * @source_peer: the source's peer id (base58)
 * @stream_id: (nullable): the Satori stream it belongs to
 *
 * What a holder pushes: an object message with a `_stored` member
 * (`message_id`, `source_peer`, `stream_id`) added, which peers that do
 * not know it ignore; any other JSON value as
 * `{"_stored": {…, "wrapped": true}, "data": message}`. A message that is
 * not JSON goes as it is.
 *
 * Returns: (transfer full): the message to push
 */
GBytes *
satori_message_envelope_new_stored (GBytes *message, const char *message_id,
                                    const char *source_peer, const char *stream_id)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (message, &len);
  g_autoptr(JsonNode) node = satori_json_parse (data, len, NULL);

  if (node == NULL)
    return g_bytes_ref (message);
  JsonObject *meta = json_object_new ();
  json_object_set_string_member (meta, "message_id", message_id);
  json_object_set_string_member (meta, "source_peer", source_peer);
  if (stream_id != NULL)
    json_object_set_string_member (meta, "stream_id", stream_id);
  JsonObject *pushed = json_object_new ();
  if (JSON_NODE_HOLDS_OBJECT (node) && !json_object_has_member (json_node_get_object (node),
                                                                 STORED))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &member, &value))
        json_object_set_member (pushed, member, json_node_copy (value));
    }
  else
    {
      json_object_set_boolean_member (meta, "wrapped", TRUE);
      json_object_set_member (pushed, "data", json_node_copy (node));
    }
  json_object_set_object_member (pushed, STORED, meta);
  return object_bytes (pushed);
}
