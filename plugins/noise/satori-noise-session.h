/* satori-noise-session.h — the sans-I/O libp2p Noise core: handshake and transport
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-noise-crypto.h"
#include "satori-noise-identity.h"
#include "satori-peer-id.h"
#include "satori-private-key.h"

G_BEGIN_DECLS

/**
 * SATORI_NOISE_MAX_MESSAGE:
 *
 * The largest Noise message, as the 2-byte length prefix allows.
 */
#define SATORI_NOISE_MAX_MESSAGE 65535

/**
 * SATORI_NOISE_MAX_PLAINTEXT:
 *
 * The most plaintext one transport message carries.
 */
#define SATORI_NOISE_MAX_PLAINTEXT (SATORI_NOISE_MAX_MESSAGE - SATORI_NOISE_TAG_LENGTH)

/**
 * SatoriNoiseRole:
 * @SATORI_NOISE_ROLE_INITIATOR: the dialer, which writes the first message
 * @SATORI_NOISE_ROLE_RESPONDER: the listener
 *
 * Which side of the XX handshake a session plays.
 */
typedef enum {
  SATORI_NOISE_ROLE_INITIATOR,
  SATORI_NOISE_ROLE_RESPONDER,
} SatoriNoiseRole;

/**
 * SatoriNoiseRandomFunc:
 * @buffer: (out caller-allocates) (array length=len): where to write
 * @len: how many random bytes are wanted
 * @user_data: the data given with the function
 *
 * Where a session draws its ephemeral X25519 key from.
 */
typedef void (*SatoriNoiseRandomFunc) (guint8 *buffer, gsize len, gpointer user_data);

/**
 * SatoriNoiseEventType:
 * @SATORI_NOISE_EVENT_NONE: no event
 * @SATORI_NOISE_EVENT_HANDSHAKE_COMPLETE: the remote is authenticated and
 *   the session encrypts and decrypts
 *
 * What happened in a session.
 */
typedef enum {
  SATORI_NOISE_EVENT_NONE,
  SATORI_NOISE_EVENT_HANDSHAKE_COMPLETE,
} SatoriNoiseEventType;

/**
 * SatoriNoiseEvent:
 * @type: what happened
 * @remote_key: (transfer none): the remote's identity key
 * @remote_peer: (transfer none): its peer id
 * @early_muxer: (nullable): the muxer agreed in the handshake, if any
 *
 * An event from satori_noise_session_poll_event(); the pointers belong to
 * the session.
 */
typedef struct {
  SatoriNoiseEventType type;
  SatoriPublicKey *remote_key;
  SatoriPeerId *remote_peer;
  const char *early_muxer;
} SatoriNoiseEvent;

typedef struct _SatoriNoiseSession SatoriNoiseSession;

SatoriNoiseSession *satori_noise_session_new (SatoriNoiseRole         role,
                                              SatoriNoiseIdentity    *identity,
                                              SatoriPeerId           *expected_peer,
                                              const char * const     *muxer_ids,
                                              SatoriNoiseRandomFunc   random_func,
                                              gpointer                random_data,
                                              GError                **error);
SatoriNoiseSession *satori_noise_session_ref (SatoriNoiseSession *session);
void                satori_noise_session_unref (SatoriNoiseSession *session);

gboolean            satori_noise_session_handle_input (SatoriNoiseSession  *session,
                                                       const guint8        *data,
                                                       gsize                len,
                                                       gsize               *consumed,
                                                       GError             **error);
gsize               satori_noise_session_poll_transmit (SatoriNoiseSession *session,
                                                        guint8             *buffer,
                                                        gsize               capacity);
gboolean            satori_noise_session_poll_event (SatoriNoiseSession *session,
                                                     SatoriNoiseEvent   *event);

gboolean            satori_noise_session_is_handshake_complete (SatoriNoiseSession *session);
SatoriPublicKey    *satori_noise_session_get_remote_public_key (SatoriNoiseSession *session);
SatoriPeerId       *satori_noise_session_get_remote_peer (SatoriNoiseSession *session);
const char         *satori_noise_session_get_early_muxer (SatoriNoiseSession *session);

gboolean            satori_noise_session_encrypt (SatoriNoiseSession  *session,
                                                  const guint8        *plaintext,
                                                  gsize                len,
                                                  GByteArray          *out,
                                                  GError             **error);
gboolean            satori_noise_session_decrypt (SatoriNoiseSession  *session,
                                                  const guint8        *data,
                                                  gsize                len,
                                                  GByteArray          *plaintext,
                                                  GError             **error);
gboolean            satori_noise_session_has_partial_input (SatoriNoiseSession *session);
void                satori_noise_session_release_input (SatoriNoiseSession *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriNoiseSession, satori_noise_session_unref)

G_END_DECLS
