/* satori-store-message.h — the JSON of /satori/store/1.0.0: envelopes,
 * store and retrieve requests, responses, with the checks each needs (pure)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-store-error.h"

G_BEGIN_DECLS

/**
 * SATORI_STORE_PROTOCOL:
 *
 * The Satori offline store's protocol id.
 */
#define SATORI_STORE_PROTOCOL "/satori/store/1.0.0"

/**
 * SATORI_STORE_DEFAULT_MAX_REQUEST_SIZE:
 *
 * The largest request a holder reads by default (1 MiB); a larger one
 * is refused with an error response.
 */
#define SATORI_STORE_DEFAULT_MAX_REQUEST_SIZE (1024 * 1024)

/**
 * SATORI_STORE_MAX_RESPONSE_SIZE:
 *
 * The largest response a client reads (16 MiB). A holder stops adding
 * messages to a retrieve response at a quarter of it; the rest wait for
 * the next retrieve.
 */
#define SATORI_STORE_MAX_RESPONSE_SIZE (16 * 1024 * 1024)

/**
 * SATORI_STORE_MAX_ID_LENGTH:
 *
 * The longest message id, peer id or stream id accepted, in bytes.
 */
#define SATORI_STORE_MAX_ID_LENGTH 256

/**
 * SATORI_STORE_HOUR_US:
 *
 * An hour in microseconds: the unit of the wire's `ttl_hours`.
 */
#define SATORI_STORE_HOUR_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/**
 * SatoriStoreLimits:
 * @max_ttl_us: the longest a holder keeps a message; a longer
 *   `ttl_hours` is cut to it (Python's default max age: 24 h)
 * @max_clock_skew_us: how far in the future a `timestamp` may be
 * @max_messages: messages a holder keeps in all; new ones are refused
 *   beyond (peer ids cost nothing, so the cap per target alone bounds
 *   nothing)
 *
 * What a holder accepts.
 */
typedef struct {
  gint64 max_ttl_us;
  gint64 max_clock_skew_us;
  guint max_messages;
} SatoriStoreLimits;

/**
 * SatoriStoreEnvelope:
 * @message_id: the sender's id of the message (a uuid4 from Python)
 * @target_peer: the peer id (base58) the message is for
 * @source_peer: the sender's peer id (base58)
 * @stream_id: (nullable): the Satori stream the message belongs to
 * @payload: the message: what /satori/1.0.0 would have carried
 * @timestamp_us: when it was sent, wall clock, microseconds since 1970
 * @ttl_us: how long it is kept after @timestamp_us (0 when not known)
 *
 * A message held for an offline peer.
 */
typedef struct {
  char *message_id;
  char *target_peer;
  char *source_peer;
  char *stream_id;
  GBytes *payload;
  gint64 timestamp_us;
  gint64 ttl_us;
} SatoriStoreEnvelope;

SatoriStoreEnvelope *satori_store_envelope_new (const char *message_id,
                                                const char *target_peer,
                                                const char *source_peer,
                                                const char *stream_id,
                                                GBytes     *payload,
                                                gint64      timestamp_us,
                                                gint64      ttl_us);
void                 satori_store_envelope_free (SatoriStoreEnvelope *envelope);

typedef enum {
  SATORI_STORE_ACTION_STORE,
  SATORI_STORE_ACTION_RETRIEVE,
} SatoriStoreAction;

/**
 * SatoriStoreRequest:
 * @action: store or retrieve
 * @envelope: a store request's envelope, checked
 * @target: a retrieve request's peer id (base58), checked
 *
 * A decoded request.
 */
typedef struct {
  SatoriStoreAction action;
  SatoriStoreEnvelope *envelope;
  char *target;
} SatoriStoreRequest;

SatoriStoreRequest *satori_store_request_decode (const guint8            *data,
                                                 gsize                    len,
                                                 const SatoriStoreLimits *limits,
                                                 gint64                   now_us,
                                                 GError                 **error);
void                satori_store_request_free (SatoriStoreRequest *request);
GBytes             *satori_store_request_encode_store (const SatoriStoreEnvelope *envelope);
GBytes             *satori_store_request_encode_retrieve (const char *target);

GBytes    *satori_store_response_encode_ok (void);
GBytes    *satori_store_response_encode_error (const char *message);
GBytes    *satori_store_response_encode_messages (GPtrArray *envelopes);
GPtrArray *satori_store_response_decode (const guint8  *data,
                                         gsize          len,
                                         const char    *target,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriStoreEnvelope, satori_store_envelope_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriStoreRequest, satori_store_request_free)

G_END_DECLS
