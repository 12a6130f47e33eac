/* satori-noise-payload.c — the libp2p NoiseHandshakePayload
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-payload.h"

#include <string.h>

#include "noise.pb-c.h"
#include "satori-noise-error.h"

#define PREFIX_LEN (sizeof SATORI_NOISE_SIGNATURE_PREFIX - 1)

static void
signed_bytes (const guint8 static_public[SATORI_NOISE_KEY_LENGTH],
              guint8 out[PREFIX_LEN + SATORI_NOISE_KEY_LENGTH])
{
  memcpy (out, SATORI_NOISE_SIGNATURE_PREFIX, PREFIX_LEN);
  memcpy (out + PREFIX_LEN, static_public, SATORI_NOISE_KEY_LENGTH);
}

/**
 * satori_noise_payload_sign:
 * @identity: this side's libp2p identity key
 * @static_public: this side's Noise static public key
 * @error: a #GError, set if signing fails
 *
 * Returns: (transfer full) (nullable): the identity key's signature over
 *   %SATORI_NOISE_SIGNATURE_PREFIX and @static_public, or %NULL
 */
GBytes *
satori_noise_payload_sign (SatoriPrivateKey *identity,
                           const guint8 static_public[SATORI_NOISE_KEY_LENGTH], GError **error)
{
  guint8 message[PREFIX_LEN + SATORI_NOISE_KEY_LENGTH];

  signed_bytes (static_public, message);
  return satori_private_key_sign (identity, message, sizeof message, error);
}

/**
 * satori_noise_payload_encode:
 * @public_key: the identity's PublicKey protobuf
 * @signature: its signature from satori_noise_payload_sign()
 * @muxers: (array zero-terminated=1) (nullable): the stream muxers to
 *   offer in the stream-muxer extension, in preference order
 *
 * Returns: (transfer full): the encoded payload
 */
GBytes *
satori_noise_payload_encode (GBytes *public_key, GBytes *signature, const char * const *muxers)
{
  Satori__Noise__NoiseHandshakePayload payload = SATORI__NOISE__NOISE_HANDSHAKE_PAYLOAD__INIT;
  Satori__Noise__NoiseExtensions extensions = SATORI__NOISE__NOISE_EXTENSIONS__INIT;

  payload.has_identity_key = TRUE;
  payload.identity_key.data = (guint8 *) g_bytes_get_data (public_key,
                                                           &payload.identity_key.len);
  payload.has_identity_sig = TRUE;
  payload.identity_sig.data = (guint8 *) g_bytes_get_data (signature,
                                                           &payload.identity_sig.len);
  if (muxers != NULL && muxers[0] != NULL)
    {
      extensions.n_stream_muxers = g_strv_length ((GStrv) muxers);
      extensions.stream_muxers = (char **) muxers;
      payload.extensions = &extensions;
    }

  gsize size = satori__noise__noise_handshake_payload__get_packed_size (&payload);
  guint8 *data = g_malloc (size);
  satori__noise__noise_handshake_payload__pack (&payload, data);
  return g_bytes_new_take (data, size);
}

/**
 * satori_noise_payload_verify:
 * @data: (array length=len): the remote's payload
 * @len: its length
 * @remote_static: the remote's Noise static public key
 * @remote_key: (out) (transfer full): the remote's identity key
 * @muxers: (out) (transfer full): the muxers it offered (possibly empty)
 * @error: a #GError: %SATORI_NOISE_ERROR_PROTOCOL for a malformed payload
 *   or key, %SATORI_NOISE_ERROR_BAD_SIGNATURE for a bad signature
 *
 * Parses the payload and checks that its identity key signed @remote_static.
 *
 * Returns: %TRUE if the payload is valid
 */
gboolean
satori_noise_payload_verify (const guint8 *data, gsize len,
                             const guint8 remote_static[SATORI_NOISE_KEY_LENGTH],
                             SatoriPublicKey **remote_key, GStrv *muxers, GError **error)
{
  g_autoptr(GError) key_error = NULL;
  guint8 message[PREFIX_LEN + SATORI_NOISE_KEY_LENGTH];

  Satori__Noise__NoiseHandshakePayload *payload =
    satori__noise__noise_handshake_payload__unpack (NULL, len, data);
  if (payload == NULL)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL,
                   "Noise handshake payload is not a valid NoiseHandshakePayload protobuf");
      return FALSE;
    }
  if (!payload->has_identity_key || !payload->has_identity_sig)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL,
                   "Noise handshake payload lacks the identity key or signature");
      satori__noise__noise_handshake_payload__free_unpacked (payload, NULL);
      return FALSE;
    }
  g_autoptr(SatoriPublicKey) key = satori_public_key_new_from_protobuf (
    payload->identity_key.data, payload->identity_key.len, &key_error);
  if (key == NULL)
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_PROTOCOL,
                   "Noise handshake payload carries a bad identity key: %s", key_error->message);
      satori__noise__noise_handshake_payload__free_unpacked (payload, NULL);
      return FALSE;
    }
  signed_bytes (remote_static, message);
  if (!satori_public_key_verify (key, message, sizeof message, payload->identity_sig.data,
                                 payload->identity_sig.len))
    {
      g_set_error (error, SATORI_NOISE_ERROR, SATORI_NOISE_ERROR_BAD_SIGNATURE,
                   "Noise identity signature over the static key does not verify");
      satori__noise__noise_handshake_payload__free_unpacked (payload, NULL);
      return FALSE;
    }

  GStrvBuilder *builder = g_strv_builder_new ();
  if (payload->extensions != NULL)
    for (gsize i = 0; i < payload->extensions->n_stream_muxers; i++)
      g_strv_builder_add (builder, payload->extensions->stream_muxers[i]);
  *muxers = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  *remote_key = g_steal_pointer (&key);
  satori__noise__noise_handshake_payload__free_unpacked (payload, NULL);
  return TRUE;
}
