/* satori-message-envelope.h — the JSON envelope of /satori/1.0.0 messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

/**
 * SatoriMessageKind:
 * @SATORI_MESSAGE_PLAIN: a message (neither of the below)
 * @SATORI_MESSAGE_REQUEST: carries `_request_id`: the sender waits for an
 *   answer
 * @SATORI_MESSAGE_RESPONSE: carries `_response_to`: the answer to one of
 *   our requests, with `data` or `error`
 * @SATORI_MESSAGE_ENCRYPTED: `{"_encrypted": …, "payload": …}`: another
 *   envelope, encrypted for us
 * @SATORI_MESSAGE_STORED: carries `_stored`: a message an offline store
 *   held for us, pushed by its holder on behalf of its source
 *
 * What an inbound message is.
 */
typedef enum {
  SATORI_MESSAGE_PLAIN,
  SATORI_MESSAGE_REQUEST,
  SATORI_MESSAGE_RESPONSE,
  SATORI_MESSAGE_ENCRYPTED,
  SATORI_MESSAGE_STORED,
} SatoriMessageKind;

/**
 * SatoriMessageRoute:
 * @SATORI_MESSAGE_ROUTE_NONE: nothing more than a message
 * @SATORI_MESSAGE_ROUTE_SUBSCRIPTION_ANNOUNCE: `type` is
 *   `subscription_announce` with string `stream_id` and `peer_id`
 * @SATORI_MESSAGE_ROUTE_PEER_ANNOUNCE: `type` is `peer_announce` with a
 *   `peer_info` object holding a string `peer_id`
 * @SATORI_MESSAGE_ROUTE_STREAM_DATA: a string `params.uuid`: data of
 *   that stream
 *
 * Where satorip2p's inbound handler routes a plain message.
 */
typedef enum {
  SATORI_MESSAGE_ROUTE_NONE,
  SATORI_MESSAGE_ROUTE_SUBSCRIPTION_ANNOUNCE,
  SATORI_MESSAGE_ROUTE_PEER_ANNOUNCE,
  SATORI_MESSAGE_ROUTE_STREAM_DATA,
} SatoriMessageRoute;

/**
 * SatoriMessageEnvelope:
 * @kind: what the message is
 * @route: for plain messages, where it goes
 * @id: the request id (`_request_id` of a request, `_response_to` of a
 *   response), or the message id of a stored message
 * @body: the message as the application sees it: a plain message as it
 *   came; a request without `_request_id`; the `data` of a response; the
 *   decoded `payload` of an encrypted message (nonce ‖ ciphertext ‖ tag);
 *   a stored message as its source sent it (without `_stored`)
 * @error: the `error` of a refused request's response
 * @stream_id: `stream_id` (subscription announce, stored message) or
 *   `params.uuid` (stream data)
 * @source_peer: the source of a stored message, as its holder says
 * @peer_id: the announced peer (subscription and peer announce)
 * @evrmore_address: (nullable): the announced Evrmore address
 * @is_publisher: whether a subscription announce is a publisher's
 * @is_relay: whether a peer announce is a relay's
 * @data: (nullable): the `data` of stream data, `peer_info` of a peer
 *   announce, as JSON text
 *
 * One parsed inbound message.
 */
typedef struct
{
  SatoriMessageKind kind;
  SatoriMessageRoute route;
  char *id;
  GBytes *body;
  char *error;
  char *stream_id;
  char *source_peer;
  char *peer_id;
  char *evrmore_address;
  gboolean is_publisher;
  gboolean is_relay;
  GBytes *data;
} SatoriMessageEnvelope;

SatoriMessageEnvelope *satori_message_envelope_parse (const guint8 *data,
                                                      gsize         len,
                                                      GError      **error);
void                   satori_message_envelope_free (SatoriMessageEnvelope *envelope);

gboolean satori_message_envelope_check_json (GBytes  *message,
                                             GError **error);

GBytes *satori_message_envelope_new_request (GBytes     *message,
                                             const char *request_id,
                                             GError    **error);
GBytes *satori_message_envelope_new_response (const char *request_id,
                                              GBytes     *reply,
                                              GError    **error);
GBytes *satori_message_envelope_new_refusal (const char *request_id,
                                             const char *reason);
GBytes *satori_message_envelope_new_encrypted (GBytes *sealed);
GBytes *satori_message_envelope_new_stored (GBytes     *message,
                                            const char *message_id,
                                            const char *source_peer,
                                            const char *stream_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMessageEnvelope, satori_message_envelope_free)

G_END_DECLS
