/* satori-noise-handshake.h — the Noise XX handshake state (Noise rev 34, section 5.3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-noise-cipher.h"

G_BEGIN_DECLS

/**
 * SATORI_NOISE_PROTOCOL_NAME:
 *
 * The Noise protocol name libp2p uses.
 */
#define SATORI_NOISE_PROTOCOL_NAME "Noise_XX_25519_ChaChaPoly_SHA256"

typedef struct _SatoriNoiseHandshake SatoriNoiseHandshake;

SatoriNoiseHandshake *satori_noise_handshake_new (gboolean      initiator,
                                                  const guint8 *prologue, gsize prologue_len,
                                                  const guint8  static_private[SATORI_NOISE_KEY_LENGTH],
                                                  const guint8  static_public[SATORI_NOISE_KEY_LENGTH],
                                                  const guint8  ephemeral_private[SATORI_NOISE_KEY_LENGTH]);
void                  satori_noise_handshake_free (SatoriNoiseHandshake *handshake);
gboolean              satori_noise_handshake_write_message (SatoriNoiseHandshake  *handshake,
                                                            const guint8          *payload,
                                                            gsize                  len,
                                                            GByteArray            *out,
                                                            GError               **error);
gboolean              satori_noise_handshake_read_message (SatoriNoiseHandshake  *handshake,
                                                           const guint8          *message,
                                                           gsize                  len,
                                                           GByteArray            *payload,
                                                           GError               **error);
gboolean              satori_noise_handshake_is_my_turn (SatoriNoiseHandshake *handshake);
gboolean              satori_noise_handshake_is_complete (SatoriNoiseHandshake *handshake);
const guint8         *satori_noise_handshake_get_static_public (SatoriNoiseHandshake *handshake);
const guint8         *satori_noise_handshake_get_remote_static (SatoriNoiseHandshake *handshake);
const guint8         *satori_noise_handshake_get_hash (SatoriNoiseHandshake *handshake);
void                  satori_noise_handshake_split (SatoriNoiseHandshake  *handshake,
                                                    SatoriNoiseCipher    **send,
                                                    SatoriNoiseCipher    **receive);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriNoiseHandshake, satori_noise_handshake_free)

G_END_DECLS
