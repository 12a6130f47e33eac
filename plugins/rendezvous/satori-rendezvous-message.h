/* satori-rendezvous-message.h — rendezvous messages: limits, status
 * codes as errors, decoding with the checks every message needs (pure)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

#include "rendezvous.pb-c.h"

G_BEGIN_DECLS

/**
 * SATORI_RENDEZVOUS_PROTOCOL:
 *
 * The libp2p rendezvous protocol id.
 */
#define SATORI_RENDEZVOUS_PROTOCOL "/rendezvous/1.0.0"

/**
 * SATORI_RENDEZVOUS_MAX_REQUEST_SIZE:
 *
 * The largest request a point reads, length prefix not counted: a signed
 * peer record (at most %SATORI_ENVELOPE_MAX_SIZE) and a namespace.
 */
#define SATORI_RENDEZVOUS_MAX_REQUEST_SIZE (SATORI_ENVELOPE_MAX_SIZE + 1024)

/**
 * SATORI_RENDEZVOUS_MAX_RESPONSE_SIZE:
 *
 * The largest response a client reads, and a point writes (1 MiB): a
 * point stops adding registrations to a discover response before it.
 */
#define SATORI_RENDEZVOUS_MAX_RESPONSE_SIZE (1024 * 1024)

/**
 * SATORI_RENDEZVOUS_MAX_NAMESPACE:
 *
 * The longest namespace, in bytes (the spec's recommendation).
 */
#define SATORI_RENDEZVOUS_MAX_NAMESPACE 255

/**
 * SATORI_RENDEZVOUS_DEFAULT_TTL:
 *
 * The TTL of a registration that names none, in seconds (2 h).
 */
#define SATORI_RENDEZVOUS_DEFAULT_TTL (2 * 60 * 60)

#define SATORI_RENDEZVOUS_ERROR (satori_rendezvous_error_quark ())
GQuark satori_rendezvous_error_quark (void);

/**
 * SatoriRendezvousError:
 * @SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE: empty, too long or not UTF-8
 * @SATORI_RENDEZVOUS_ERROR_INVALID_SIGNED_PEER_RECORD: missing, malformed
 *   or badly signed
 * @SATORI_RENDEZVOUS_ERROR_INVALID_TTL: outside what the point admits
 * @SATORI_RENDEZVOUS_ERROR_INVALID_COOKIE: not one of this point's cookies
 *   for that namespace
 * @SATORI_RENDEZVOUS_ERROR_NOT_AUTHORIZED: a record of another peer, or
 *   too many registrations of that peer
 * @SATORI_RENDEZVOUS_ERROR_INTERNAL_ERROR: the point failed
 * @SATORI_RENDEZVOUS_ERROR_UNAVAILABLE: the point is full or not serving
 *
 * A rendezvous point's answer other than OK; the values are the status
 * codes of the wire.
 */
typedef enum
{
  SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE = 100,
  SATORI_RENDEZVOUS_ERROR_INVALID_SIGNED_PEER_RECORD = 101,
  SATORI_RENDEZVOUS_ERROR_INVALID_TTL = 102,
  SATORI_RENDEZVOUS_ERROR_INVALID_COOKIE = 103,
  SATORI_RENDEZVOUS_ERROR_NOT_AUTHORIZED = 200,
  SATORI_RENDEZVOUS_ERROR_INTERNAL_ERROR = 300,
  SATORI_RENDEZVOUS_ERROR_UNAVAILABLE = 400,
} SatoriRendezvousError;

typedef Satori__Rendezvous__Message SatoriRendezvousMessage;

SatoriRendezvousMessage *satori_rendezvous_message_decode (const guint8  *data,
                                                           gsize          len,
                                                           gsize          max_size,
                                                           GError       **error);
void                     satori_rendezvous_message_free (SatoriRendezvousMessage *message);
gboolean                 satori_rendezvous_namespace_is_valid (const char *namespace_,
                                                               gboolean    allow_empty);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriRendezvousMessage, satori_rendezvous_message_free)

G_END_DECLS
