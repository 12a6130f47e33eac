/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-plaintext-session.h"

#include "plaintext.pb-c.h"
#include "satori-frame.h"
#include "satori-protobuf.h"

struct _SatoriPlaintextSession
{
  SatoriPublicKey *local_key;
  SatoriPeerId *expected_peer;   /* nullable */
  gboolean sent;
  SatoriFrameReader *reader;
  GError *error;   /* once failed, always failed */
  SatoriPeerId *remote_peer;
  SatoriPublicKey *remote_key;
};

G_DEFINE_QUARK (satori-plaintext-error-quark, satori_plaintext_error)

/**
 * satori_plaintext_session_new:
 * @local_key: our identity key
 * @expected_peer: (nullable): the peer we dialed, or %NULL when we were dialed
 *
 * Returns: (transfer full): a session with its Exchange ready to send
 */
SatoriPlaintextSession *
satori_plaintext_session_new (SatoriPublicKey *local_key, SatoriPeerId *expected_peer)
{
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (local_key), NULL);

  SatoriPlaintextSession *self = g_new0 (SatoriPlaintextSession, 1);
  self->local_key = g_object_ref (local_key);
  self->expected_peer = expected_peer != NULL ? satori_peer_id_ref (expected_peer) : NULL;
  self->reader = satori_frame_reader_new (SATORI_PLAINTEXT_MAX_EXCHANGE);
  return self;
}

/**
 * satori_plaintext_session_free:
 * @self: (transfer full) (nullable): a session
 */
void
satori_plaintext_session_free (SatoriPlaintextSession *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->local_key);
  g_clear_pointer (&self->expected_peer, satori_peer_id_unref);
  satori_frame_reader_free (self->reader);
  g_clear_error (&self->error);
  g_clear_pointer (&self->remote_peer, satori_peer_id_unref);
  g_clear_object (&self->remote_key);
  g_free (self);
}

/**
 * satori_plaintext_session_poll_transmit:
 * @self: a session
 *
 * Returns: (transfer full) (nullable): our length-prefixed Exchange the
 *   first time, then %NULL
 */
GBytes *
satori_plaintext_session_poll_transmit (SatoriPlaintextSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->sent)
    return NULL;
  self->sent = TRUE;

  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (self->local_key);
  GBytes *id_bytes = satori_peer_id_get_bytes (id);
  g_autoptr(GBytes) key_bytes = satori_public_key_to_protobuf (self->local_key);
  Satori__Plaintext__Pb__Exchange exchange = SATORI__PLAINTEXT__PB__EXCHANGE__INIT;
  exchange.has_id = TRUE;
  exchange.id.data = (guint8 *) g_bytes_get_data (id_bytes, &exchange.id.len);
  exchange.has_pubkey = TRUE;
  exchange.pubkey.data = (guint8 *) g_bytes_get_data (key_bytes, &exchange.pubkey.len);
  return satori_protobuf_pack_delimited (&exchange.base);
}

/* Checks the peer's Exchange and keeps its id and key. */
static gboolean
accept_exchange (SatoriPlaintextSession *self, GBytes *payload, GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  Satori__Plaintext__Pb__Exchange *exchange = (Satori__Plaintext__Pb__Exchange *)
    satori_protobuf_unpack (&satori__plaintext__pb__exchange__descriptor, data, len,
                            SATORI_PLAINTEXT_MAX_EXCHANGE, error);
  if (exchange == NULL)
    return FALSE;

  g_autoptr(SatoriPeerId) id = NULL;
  g_autoptr(SatoriPublicKey) key = NULL;
  if (!exchange->has_id || !exchange->has_pubkey)
    g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                 "plaintext Exchange without %s", exchange->has_id ? "public key" : "peer id");
  else if ((key = satori_public_key_new_from_protobuf (exchange->pubkey.data,
                                                       exchange->pubkey.len, error)) != NULL)
    id = satori_peer_id_new_from_bytes (exchange->id.data, exchange->id.len, error);
  protobuf_c_message_free_unpacked (&exchange->base, NULL);
  if (id == NULL)
    return FALSE;

  if (!satori_peer_id_matches_public_key (id, key))
    {
      g_autofree char *text = satori_peer_id_to_string (id);
      g_set_error (error, SATORI_PLAINTEXT_ERROR, SATORI_PLAINTEXT_ERROR_KEY_MISMATCH,
                   "peer id %s is not the id of the public key sent with it", text);
      return FALSE;
    }
  if (self->expected_peer != NULL && !satori_peer_id_equal (id, self->expected_peer))
    {
      g_autofree char *text = satori_peer_id_to_string (id);
      g_autofree char *expected = satori_peer_id_to_string (self->expected_peer);
      g_set_error (error, SATORI_PLAINTEXT_ERROR, SATORI_PLAINTEXT_ERROR_UNEXPECTED_PEER,
                   "dialed %s but reached %s", expected, text);
      return FALSE;
    }
  self->remote_peer = g_steal_pointer (&id);
  self->remote_key = g_steal_pointer (&key);
  return TRUE;
}

/**
 * satori_plaintext_session_handle_input:
 * @self: a session
 * @data: (array length=len): the next bytes from the peer
 * @len: how many bytes @data holds
 * @consumed: (out): how many of them the session took; it takes nothing
 *   after the peer's Exchange, which belongs to the next layer
 * @error: a %SATORI_CODEC_ERROR (framing or protobuf), a %SATORI_KEY_ERROR
 *   (the key or peer id does not parse) or a %SATORI_PLAINTEXT_ERROR
 *
 * After an error the handshake has failed; every later call fails again.
 *
 * Returns: %FALSE on error
 */
gboolean
satori_plaintext_session_handle_input (SatoriPlaintextSession *self, const guint8 *data,
                                       gsize len, gsize *consumed, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (consumed != NULL, FALSE);

  *consumed = 0;
  if (self->error == NULL && self->remote_peer == NULL)
    {
      g_autoptr(GBytes) payload = NULL;
      if (satori_frame_reader_feed (self->reader, data, len, consumed, &payload, &self->error) &&
          payload != NULL)
        accept_exchange (self, payload, &self->error);
    }
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_plaintext_session_get_wanted:
 * @self: a session
 *
 * How many bytes the session takes next without reaching past the peer's
 * Exchange: one at a time through the length prefix, then the message. An
 * adapter reads exactly this many so the bytes that follow stay unread.
 *
 * Returns: the number of bytes; 0 when done or failed
 */
gsize
satori_plaintext_session_get_wanted (SatoriPlaintextSession *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->error != NULL || self->remote_peer != NULL)
    return 0;
  return satori_frame_reader_get_wanted (self->reader);
}

/**
 * satori_plaintext_session_is_done:
 * @self: a session
 *
 * Returns: whether the peer's Exchange was read and accepted
 */
gboolean
satori_plaintext_session_is_done (SatoriPlaintextSession *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->remote_peer != NULL;
}

/**
 * satori_plaintext_session_get_remote_peer:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the peer's id, once done
 */
SatoriPeerId *
satori_plaintext_session_get_remote_peer (SatoriPlaintextSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->remote_peer;
}

/**
 * satori_plaintext_session_get_remote_public_key:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the peer's key, once done
 */
SatoriPublicKey *
satori_plaintext_session_get_remote_public_key (SatoriPlaintextSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->remote_key;
}
