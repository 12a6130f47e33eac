/* satori-plaintext-session.h — sans-I/O /plaintext/2.0.0 handshake
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-peer-id.h"
#include "satori-public-key.h"

G_BEGIN_DECLS

/**
 * SATORI_PLAINTEXT_PROTOCOL_ID:
 *
 * The protocol id negotiated for the plaintext handshake.
 */
#define SATORI_PLAINTEXT_PROTOCOL_ID "/plaintext/2.0.0"

/**
 * SATORI_PLAINTEXT_MAX_EXCHANGE:
 *
 * The largest Exchange message accepted, length prefix not counted. An
 * 8192-bit RSA key with its peer id takes about 1.1 KiB.
 */
#define SATORI_PLAINTEXT_MAX_EXCHANGE 4096

/**
 * SatoriPlaintextError:
 * @SATORI_PLAINTEXT_ERROR_KEY_MISMATCH: the peer id sent is not the id of
 *   the public key sent
 * @SATORI_PLAINTEXT_ERROR_UNEXPECTED_PEER: the peer is not the one dialed
 *
 * Why a plaintext handshake failed, beyond malformed messages (which are
 * %SATORI_CODEC_ERROR or %SATORI_KEY_ERROR errors).
 */
typedef enum {
  SATORI_PLAINTEXT_ERROR_KEY_MISMATCH,
  SATORI_PLAINTEXT_ERROR_UNEXPECTED_PEER,
} SatoriPlaintextError;
#define SATORI_PLAINTEXT_ERROR (satori_plaintext_error_quark ())
GQuark satori_plaintext_error_quark (void);

/**
 * SatoriPlaintextSession:
 *
 * One side of a plaintext handshake: it sends its Exchange and reads the
 * peer's. Symmetric: both sides send at once. It does no I/O.
 */
typedef struct _SatoriPlaintextSession SatoriPlaintextSession;

SatoriPlaintextSession *satori_plaintext_session_new (SatoriPublicKey *local_key,
                                                      SatoriPeerId    *expected_peer);
void                    satori_plaintext_session_free (SatoriPlaintextSession *self);

GBytes                 *satori_plaintext_session_poll_transmit (SatoriPlaintextSession *self);
gboolean                satori_plaintext_session_handle_input (SatoriPlaintextSession  *self,
                                                               const guint8            *data,
                                                               gsize                    len,
                                                               gsize                   *consumed,
                                                               GError                 **error);
gsize                   satori_plaintext_session_get_wanted (SatoriPlaintextSession *self);
gboolean                satori_plaintext_session_is_done (SatoriPlaintextSession *self);
SatoriPeerId           *satori_plaintext_session_get_remote_peer (SatoriPlaintextSession *self);
SatoriPublicKey        *satori_plaintext_session_get_remote_public_key (SatoriPlaintextSession *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPlaintextSession, satori_plaintext_session_free)

G_END_DECLS
