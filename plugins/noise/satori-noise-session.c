/* satori-noise-session.c — the sans-I/O libp2p Noise core: handshake and transport
 *
 * Messages, handshake and transport alike, are framed with a 2-byte
 * big-endian length. The initiator's first message carries no payload;
 * the responder's (message 2) and the initiator's (message 3) carry a
 * NoiseHandshakePayload: identity key, signature over the static key and
 * the stream muxers offered. The early muxer is the first of the
 * initiator's list that the responder also offers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-session.h"

#include <string.h>

#include "satori-crypto.h"
#include "satori-noise-error.h"
#include "satori-noise-handshake.h"
#include "satori-noise-payload.h"

#define FRAME_HEADER 2
/* e (32) + s (32 + 16) + payload tag (16): the most a handshake message adds. */
#define HANDSHAKE_OVERHEAD (SATORI_NOISE_KEY_LENGTH * 2 + SATORI_NOISE_TAG_LENGTH * 2)

struct _SatoriNoiseSession
{
  gatomicrefcount ref_count;
  SatoriNoiseRole role;
  SatoriNoiseHandshake *handshake;   /* NULL once complete */
  GBytes *local_payload;
  SatoriPeerId *expected_peer;
  GStrv local_muxers;

  GByteArray *input;                 /* a partial frame */
  GByteArray *transmit;
  gsize transmit_offset;
  GError *failure;
  gboolean event_pending;

  SatoriNoiseCipher *send;
  SatoriNoiseCipher *receive;
  SatoriPublicKey *remote_key;
  SatoriPeerId *remote_peer;
  char *early_muxer;
};

static void
default_random (guint8 *buffer, gsize len, gpointer user_data)
{
  satori_crypto_random_bytes (buffer, len);
}

static void
frame_header (guint8 *out, gsize len)
{
  out[0] = len >> 8;
  out[1] = len & 0xff;
}

/* Queues the next handshake message, with @payload, for transmission. */
static gboolean
write_handshake (SatoriNoiseSession *self, GBytes *payload, GError **error)
{
  gsize start = self->transmit->len;
  gsize payload_len = 0;
  const guint8 *payload_data = payload != NULL ? g_bytes_get_data (payload, &payload_len) : NULL;

  g_byte_array_set_size (self->transmit, start + FRAME_HEADER);
  if (!satori_noise_handshake_write_message (self->handshake, payload_data, payload_len,
                                             self->transmit, error))
    return FALSE;
  frame_header (self->transmit->data + start, self->transmit->len - start - FRAME_HEADER);
  return TRUE;
}

/**
 * satori_noise_session_new:
 * @role: initiator or responder
 * @identity: this side's libp2p identity and static key
 * @expected_peer: (nullable): the peer the remote must be, if known
 * @muxer_ids: (array zero-terminated=1) (nullable): stream muxers to offer
 *   in the handshake, in preference order
 * @random_func: (nullable) (scope call): where the ephemeral key comes
 *   from (32 bytes); %NULL for the system's random number generator
 * @random_data: data for @random_func
 * @error: a #GError, set if the payload is over the message size limit
 *
 * An initiator queues its first message at once: call
 * satori_noise_session_poll_transmit().
 *
 * Returns: (transfer full) (nullable): a session, or %NULL
 */
SatoriNoiseSession *
satori_noise_session_new (SatoriNoiseRole role, SatoriNoiseIdentity *identity,
                          SatoriPeerId *expected_peer, const char * const *muxer_ids,
                          SatoriNoiseRandomFunc random_func, gpointer random_data,
                          GError **error)
{
  guint8 ephemeral_key[SATORI_NOISE_KEY_LENGTH];

  g_return_val_if_fail (identity != NULL, NULL);

  if (random_func == NULL)
    random_func = default_random;
  random_func (ephemeral_key, sizeof ephemeral_key, random_data);

  g_autoptr(SatoriNoiseSession) self = g_new0 (SatoriNoiseSession, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->role = role;
  self->handshake = satori_noise_handshake_new (
    role == SATORI_NOISE_ROLE_INITIATOR, NULL, 0,
    satori_noise_identity_get_static_private (identity),
    satori_noise_identity_get_static_public (identity), ephemeral_key);
  explicit_bzero (ephemeral_key, sizeof ephemeral_key);
  self->expected_peer = expected_peer != NULL ? satori_peer_id_ref (expected_peer) : NULL;
  self->local_muxers = g_strdupv ((GStrv) muxer_ids);
  self->input = g_byte_array_new ();
  self->transmit = g_byte_array_new ();

  self->local_payload = satori_noise_identity_encode_payload (identity, muxer_ids);
  if (g_bytes_get_size (self->local_payload) + HANDSHAKE_OVERHEAD > SATORI_NOISE_MAX_MESSAGE)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_TOO_LARGE,
                   "Noise handshake payload of %" G_GSIZE_FORMAT " bytes is over the "
                   "message size limit", g_bytes_get_size (self->local_payload));
      return NULL;
    }
  if (role == SATORI_NOISE_ROLE_INITIATOR && !write_handshake (self, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * satori_noise_session_ref:
 * @session: a session
 *
 * Returns: (transfer full): @session
 */
SatoriNoiseSession *
satori_noise_session_ref (SatoriNoiseSession *session)
{
  g_atomic_ref_count_inc (&session->ref_count);
  return session;
}

/**
 * satori_noise_session_unref:
 * @session: (transfer full): a session
 */
void
satori_noise_session_unref (SatoriNoiseSession *session)
{
  if (!g_atomic_ref_count_dec (&session->ref_count))
    return;
  satori_noise_handshake_free (session->handshake);
  g_clear_pointer (&session->local_payload, g_bytes_unref);
  g_clear_pointer (&session->expected_peer, satori_peer_id_unref);
  g_strfreev (session->local_muxers);
  g_byte_array_unref (session->input);
  g_byte_array_unref (session->transmit);
  g_clear_error (&session->failure);
  satori_noise_cipher_free (session->send);
  satori_noise_cipher_free (session->receive);
  g_clear_object (&session->remote_key);
  g_clear_pointer (&session->remote_peer, satori_peer_id_unref);
  g_free (session->early_muxer);
  g_free (session);
}

/* Records @error (taking it) as the session's failure and reports it. */
static gboolean
fail (SatoriNoiseSession *self, GError *error, GError **out_error)
{
  g_message ("Noise %s: %s",
             self->handshake != NULL ? "handshake failed" : "transport failed",
             error->message);
  self->failure = g_error_copy (error);
  g_propagate_error (out_error, error);
  return FALSE;
}

static gboolean
check_failed (SatoriNoiseSession *self, GError **error)
{
  if (self->failure == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (self->failure));
  return FALSE;
}

static char *
choose_muxer (const char * const *initiator, const char * const *responder)
{
  for (gsize i = 0; initiator != NULL && initiator[i] != NULL; i++)
    if (responder != NULL && g_strv_contains (responder, initiator[i]))
      return g_strdup (initiator[i]);
  return NULL;
}

/* Checks the remote's payload; on success sets remote_key, remote_peer and
 * the early muxer. */
static gboolean
accept_remote_payload (SatoriNoiseSession *self, GByteArray *payload, GError **error)
{
  g_auto(GStrv) remote_muxers = NULL;
  g_autoptr(SatoriPublicKey) key = NULL;

  if (!satori_noise_payload_verify (payload->data, payload->len,
                                    satori_noise_handshake_get_remote_static (self->handshake),
                                    &key, &remote_muxers, error))
    return FALSE;
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_public_key (key);
  if (self->expected_peer != NULL && !satori_peer_id_equal (peer, self->expected_peer))
    {
      g_autofree char *expected = satori_peer_id_to_string (self->expected_peer);
      g_autofree char *actual = satori_peer_id_to_string (peer);
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PEER_MISMATCH,
                   "Noise remote is peer %s, not the expected %s", actual, expected);
      return FALSE;
    }
  if (self->role == SATORI_NOISE_ROLE_INITIATOR)
    self->early_muxer = choose_muxer ((const char * const *) self->local_muxers,
                                      (const char * const *) remote_muxers);
  else
    self->early_muxer = choose_muxer ((const char * const *) remote_muxers,
                                      (const char * const *) self->local_muxers);
  self->remote_key = g_steal_pointer (&key);
  self->remote_peer = g_steal_pointer (&peer);
  return TRUE;
}

static void
complete (SatoriNoiseSession *self)
{
  satori_noise_handshake_split (self->handshake, &self->send, &self->receive);
  g_clear_pointer (&self->handshake, satori_noise_handshake_free);
  g_clear_pointer (&self->local_payload, g_bytes_unref);
  self->event_pending = TRUE;
  g_debug ("Noise handshake complete with %s, early muxer %s",
           self->remote_peer != NULL ? "an authenticated peer" : "?",
           self->early_muxer != NULL ? self->early_muxer : "(none)");
}

/* Reads one whole handshake message and writes the answer, if any. */
static gboolean
process_handshake_message (SatoriNoiseSession *self, const guint8 *message, gsize len,
                           GError **error)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();

  if (!satori_noise_handshake_read_message (self->handshake, message, len, payload, error))
    return FALSE;
  /* Message 1 carries no libp2p payload; whatever is there is ignored. */
  if (satori_noise_handshake_get_remote_static (self->handshake) != NULL
      && !accept_remote_payload (self, payload, error))
    return FALSE;
  if (satori_noise_handshake_is_my_turn (self->handshake)
      && !write_handshake (self, self->local_payload, error))
    return FALSE;
  if (satori_noise_handshake_is_complete (self->handshake))
    complete (self);
  return TRUE;
}

/* Moves bytes of the frame being assembled from @data into self->input.
 * Returns how many were taken; *@frame_len is set once the frame is whole. */
static gsize
assemble_frame (SatoriNoiseSession *self, const guint8 *data, gsize len, gsize *frame_len)
{
  gsize want = FRAME_HEADER;
  gsize taken = 0;

  *frame_len = G_MAXSIZE;
  if (self->input->len < FRAME_HEADER)
    {
      taken = MIN (FRAME_HEADER - self->input->len, len);
      g_byte_array_append (self->input, data, taken);
      if (self->input->len < FRAME_HEADER)
        return taken;
    }
  want += (self->input->data[0] << 8) | self->input->data[1];
  gsize more = MIN (want - self->input->len, len - taken);
  g_byte_array_append (self->input, data + taken, more);
  taken += more;
  if (self->input->len == want)
    *frame_len = want - FRAME_HEADER;
  return taken;
}

/**
 * satori_noise_session_handle_input:
 * @session: a session
 * @data: (array length=len): bytes from the remote
 * @len: their number
 * @consumed: (out): how many of them the handshake used; the rest, once
 *   the handshake is complete, are transport messages for
 *   satori_noise_session_decrypt()
 * @error: a #GError, set if the handshake failed: malformed or tampered
 *   messages, a bad signature, the wrong peer
 *
 * Feeds handshake bytes, in any chunks. After it returns, poll transmits
 * and events.
 *
 * Returns: %FALSE if the handshake failed (for good)
 */
gboolean
satori_noise_session_handle_input (SatoriNoiseSession *session, const guint8 *data, gsize len,
                                   gsize *consumed, GError **error)
{
  *consumed = 0;
  if (!check_failed (session, error))
    return FALSE;
  while (session->handshake != NULL && *consumed < len)
    {
      GError *local_error = NULL;
      gsize frame_len;

      *consumed += assemble_frame (session, data + *consumed, len - *consumed, &frame_len);
      if (frame_len == G_MAXSIZE)
        continue;
      if (!process_handshake_message (session, session->input->data + FRAME_HEADER, frame_len,
                                      &local_error))
        return fail (session, local_error, error);
      g_byte_array_set_size (session->input, 0);
    }
  return TRUE;
}

/**
 * satori_noise_session_poll_transmit:
 * @session: a session
 * @buffer: (out caller-allocates) (array length=capacity): where to copy
 *   bytes for the remote
 * @capacity: the room in @buffer
 *
 * Returns: how many bytes were copied; 0 if none are waiting
 */
gsize
satori_noise_session_poll_transmit (SatoriNoiseSession *session, guint8 *buffer, gsize capacity)
{
  gsize n = MIN (capacity, session->transmit->len - session->transmit_offset);

  if (n == 0)
    return 0;
  memcpy (buffer, session->transmit->data + session->transmit_offset, n);
  session->transmit_offset += n;
  if (session->transmit_offset == session->transmit->len)
    {
      g_byte_array_set_size (session->transmit, 0);
      session->transmit_offset = 0;
    }
  return n;
}

/**
 * satori_noise_session_poll_event:
 * @session: a session
 * @event: (out caller-allocates): the next event
 *
 * Returns: %TRUE if there was an event
 */
gboolean
satori_noise_session_poll_event (SatoriNoiseSession *session, SatoriNoiseEvent *event)
{
  memset (event, 0, sizeof *event);
  if (!session->event_pending)
    return FALSE;
  session->event_pending = FALSE;
  event->type = SATORI_NOISE_EVENT_HANDSHAKE_COMPLETE;
  event->remote_key = session->remote_key;
  event->remote_peer = session->remote_peer;
  event->early_muxer = session->early_muxer;
  return TRUE;
}

/**
 * satori_noise_session_is_handshake_complete:
 * @session: a session
 *
 * Returns: whether the handshake succeeded
 */
gboolean
satori_noise_session_is_handshake_complete (SatoriNoiseSession *session)
{
  return session->send != NULL;
}

/**
 * satori_noise_session_get_remote_public_key:
 * @session: a session
 *
 * Returns: (transfer none) (nullable): the remote's identity key, once
 *   authenticated
 */
SatoriPublicKey *
satori_noise_session_get_remote_public_key (SatoriNoiseSession *session)
{
  return session->remote_key;
}

/**
 * satori_noise_session_get_remote_peer:
 * @session: a session
 *
 * Returns: (transfer none) (nullable): the remote's peer id, once
 *   authenticated
 */
SatoriPeerId *
satori_noise_session_get_remote_peer (SatoriNoiseSession *session)
{
  return session->remote_peer;
}

/**
 * satori_noise_session_get_early_muxer:
 * @session: a session
 *
 * Returns: (nullable): the muxer agreed in the handshake, or %NULL
 */
const char *
satori_noise_session_get_early_muxer (SatoriNoiseSession *session)
{
  return session->early_muxer;
}

static gboolean
check_transport (SatoriNoiseSession *self, GError **error)
{
  if (!check_failed (self, error))
    return FALSE;
  if (self->send == NULL)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL,
                   "Noise transport used before the handshake completed");
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_noise_session_encrypt:
 * @session: a session whose handshake is complete
 * @plaintext: (array length=len): bytes for the remote
 * @len: their number
 * @out: the transport messages are appended here, one per
 *   %SATORI_NOISE_MAX_PLAINTEXT bytes (none for @len 0)
 * @error: a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
satori_noise_session_encrypt (SatoriNoiseSession *session, const guint8 *plaintext, gsize len,
                              GByteArray *out, GError **error)
{
  if (!check_transport (session, error))
    return FALSE;
  gsize chunks = (len + SATORI_NOISE_MAX_PLAINTEXT - 1) / SATORI_NOISE_MAX_PLAINTEXT;
  gsize pos = out->len;
  g_byte_array_set_size (out, pos + len + chunks * (FRAME_HEADER + SATORI_NOISE_TAG_LENGTH));
  for (gsize offset = 0; offset < len; offset += SATORI_NOISE_MAX_PLAINTEXT)
    {
      GError *local_error = NULL;
      gsize chunk = MIN (len - offset, SATORI_NOISE_MAX_PLAINTEXT);

      frame_header (out->data + pos, chunk + SATORI_NOISE_TAG_LENGTH);
      if (!satori_noise_cipher_encrypt (session->send, NULL, 0, plaintext + offset, chunk,
                                        out->data + pos + FRAME_HEADER, &local_error))
        return fail (session, local_error, error);
      pos += FRAME_HEADER + chunk + SATORI_NOISE_TAG_LENGTH;
    }
  return TRUE;
}

static gboolean
decrypt_frame (SatoriNoiseSession *self, const guint8 *message, gsize len,
               GByteArray *plaintext, GError **error)
{
  GError *local_error = NULL;
  gsize start = plaintext->len;

  if (len < SATORI_NOISE_TAG_LENGTH)
    {
      local_error = g_error_new (SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL,
                                 "Noise transport message of %" G_GSIZE_FORMAT " bytes is "
                                 "shorter than its tag", len);
      return fail (self, local_error, error);
    }
  g_byte_array_set_size (plaintext, start + len - SATORI_NOISE_TAG_LENGTH);
  /* An empty array may have no data at all. */
  guint8 *out = plaintext->data != NULL ? plaintext->data + start : NULL;
  if (!satori_noise_cipher_decrypt (self->receive, NULL, 0, message, len, out, &local_error))
    {
      g_byte_array_set_size (plaintext, start);
      return fail (self, local_error, error);
    }
  return TRUE;
}

/**
 * satori_noise_session_decrypt:
 * @session: a session whose handshake is complete
 * @data: (array length=len): transport bytes from the remote, in any chunks
 * @len: their number
 * @plaintext: decrypted bytes are appended here
 * @error: a #GError: %SATORI_NOISE_ERROR_DECRYPT if a message is not
 *   authentic
 *
 * Consumes all of @data; a message cut at the end is kept until the rest
 * comes. Whole messages in @data are decrypted without copying.
 *
 * Returns: %FALSE if the session failed (for good)
 */
gboolean
satori_noise_session_decrypt (SatoriNoiseSession *session, const guint8 *data, gsize len,
                              GByteArray *plaintext, GError **error)
{
  gsize pos = 0;

  if (!check_transport (session, error))
    return FALSE;
  while (pos < len)
    {
      gsize left = len - pos;

      if (session->input->len == 0 && left >= FRAME_HEADER)
        {
          gsize frame_len = (data[pos] << 8) | data[pos + 1];
          if (left >= FRAME_HEADER + frame_len)
            {
              if (!decrypt_frame (session, data + pos + FRAME_HEADER, frame_len, plaintext,
                                  error))
                return FALSE;
              pos += FRAME_HEADER + frame_len;
              continue;
            }
        }
      gsize frame_len;
      pos += assemble_frame (session, data + pos, left, &frame_len);
      if (frame_len == G_MAXSIZE)
        continue;
      gboolean ok = decrypt_frame (session, session->input->data + FRAME_HEADER, frame_len,
                                   plaintext, error);
      g_byte_array_set_size (session->input, 0);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/**
 * satori_noise_session_release_input:
 * @session: a session
 *
 * Gives back the memory of the buffer that assembles messages cut by the
 * end of the input, unless it holds part of one. For idle moments: the
 * buffer keeps its size while data flows.
 */
void
satori_noise_session_release_input (SatoriNoiseSession *session)
{
  if (session->input->len > 0)
    return;
  g_byte_array_unref (session->input);
  session->input = g_byte_array_new ();
}

/**
 * satori_noise_session_has_partial_input:
 * @session: a session
 *
 * Returns: whether a message was cut short by the end of the input so far:
 *   if the stream ends now, it was truncated
 */
gboolean
satori_noise_session_has_partial_input (SatoriNoiseSession *session)
{
  return session->input->len > 0;
}
