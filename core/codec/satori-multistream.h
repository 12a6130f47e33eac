/* satori-multistream.h — sans-I/O multistream-select 1.0 negotiation
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-errors.h"

G_BEGIN_DECLS

/**
 * SATORI_MULTISTREAM_PROTOCOL_ID:
 *
 * The protocol id of multistream-select 1.0, sent first by both sides.
 */
#define SATORI_MULTISTREAM_PROTOCOL_ID "/multistream/1.0.0"

/**
 * SATORI_MULTISTREAM_MAX_MESSAGE:
 *
 * The largest multistream message accepted from the peer, counting the
 * final newline but not the length prefix.
 */
#define SATORI_MULTISTREAM_MAX_MESSAGE 1024

/**
 * SatoriMultistreamRole:
 * @SATORI_MULTISTREAM_ROLE_DIALER: proposes protocols, in order of preference
 * @SATORI_MULTISTREAM_ROLE_LISTENER: accepts one of the protocols it supports
 *
 * Which side of a negotiation a #SatoriMultistream plays.
 */
typedef enum {
  SATORI_MULTISTREAM_ROLE_DIALER,
  SATORI_MULTISTREAM_ROLE_LISTENER,
} SatoriMultistreamRole;

/**
 * SatoriMultistream:
 *
 * One multistream-select negotiation as a state machine: bytes from the
 * peer go in through satori_multistream_handle_input(), bytes for the peer
 * come out of satori_multistream_poll_transmit(). It does no I/O.
 */
typedef struct _SatoriMultistream SatoriMultistream;

SatoriMultistream *satori_multistream_new (SatoriMultistreamRole role,
                                           const char * const *protocols);
void               satori_multistream_free (SatoriMultistream *self);

gboolean           satori_multistream_handle_input (SatoriMultistream *self,
                                                    const guint8 *data, gsize len,
                                                    gsize *consumed, GError **error);
gsize              satori_multistream_get_wanted (SatoriMultistream *self);

gsize              satori_multistream_poll_transmit (SatoriMultistream *self,
                                                     guint8 *buf, gsize cap);
GBytes            *satori_multistream_poll_transmit_bytes (SatoriMultistream *self);

gboolean           satori_multistream_is_done (SatoriMultistream *self);
const char        *satori_multistream_get_selected_protocol (SatoriMultistream *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMultistream, satori_multistream_free)

G_END_DECLS
