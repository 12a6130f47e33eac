/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-envelope.h"

#include <string.h>

#include "proto/envelope.pb-c.h"
#include "satori-errors.h"
#include "satori-private-key.h"
#include "satori-protobuf.h"
#include "satori-public-key.h"
#include "satori-varint.h"

/**
 * SatoriEnvelope:
 *
 * A signed envelope (libp2p/specs `RFC/0002-signed-envelopes.md`): a
 * payload with its type, signed by a key over a domain string that says
 * what the signature is for, so that a signature made for one purpose
 * cannot be replayed for another. Immutable, reference counted.
 */
struct _SatoriEnvelope
{
  SatoriPublicKey *public_key;
  GBytes *payload_type;
  GBytes *payload;
  GBytes *signature;
};

G_DEFINE_BOXED_TYPE (SatoriEnvelope, satori_envelope, satori_envelope_ref, satori_envelope_unref)

static void
envelope_clear (SatoriEnvelope *envelope)
{
  g_clear_object (&envelope->public_key);
  g_bytes_unref (envelope->payload_type);
  g_bytes_unref (envelope->payload);
  g_bytes_unref (envelope->signature);
}

/**
 * satori_envelope_ref:
 * @envelope: a #SatoriEnvelope
 *
 * Returns: (transfer full): @envelope
 */
SatoriEnvelope *
satori_envelope_ref (SatoriEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);
  return g_atomic_rc_box_acquire (envelope);
}

/**
 * satori_envelope_unref:
 * @envelope: (transfer full): a #SatoriEnvelope
 */
void
satori_envelope_unref (SatoriEnvelope *envelope)
{
  g_return_if_fail (envelope != NULL);
  g_atomic_rc_box_release_full (envelope, (GDestroyNotify) envelope_clear);
}

static void
append_prefixed (GByteArray *array, const guint8 *data, gsize len)
{
  satori_varint_append (array, len);
  g_byte_array_append (array, data, len);
}

/* What is signed: domain, payload type and payload, each prefixed with
 * its length as an unsigned varint. */
static GByteArray *
signed_bytes (const char *domain, GBytes *payload_type, GBytes *payload)
{
  GByteArray *array = g_byte_array_new ();
  gsize len;
  const guint8 *data;

  append_prefixed (array, (const guint8 *) domain, strlen (domain));
  data = g_bytes_get_data (payload_type, &len);
  append_prefixed (array, data, len);
  data = g_bytes_get_data (payload, &len);
  append_prefixed (array, data, len);
  return array;
}

static SatoriEnvelope *
envelope_new (SatoriPublicKey *key, GBytes *payload_type, GBytes *payload, GBytes *signature)
{
  SatoriEnvelope *envelope = g_atomic_rc_box_new0 (SatoriEnvelope);

  envelope->public_key = g_object_ref (key);
  envelope->payload_type = g_bytes_ref (payload_type);
  envelope->payload = g_bytes_ref (payload);
  envelope->signature = g_bytes_ref (signature);
  return envelope;
}

/**
 * satori_envelope_seal:
 * @key: the signer's key
 * @domain: what the signature is for, such as `libp2p-routing-state`
 * @payload_type: the payload's type, a multicodec as an unsigned varint
 * @payload: the payload
 * @error: a #GError, set when signing fails
 *
 * Returns: (transfer full) (nullable): the signed envelope, or %NULL
 */
SatoriEnvelope *
satori_envelope_seal (SatoriPrivateKey *key, const char *domain, GBytes *payload_type,
                      GBytes *payload, GError **error)
{
  g_return_val_if_fail (key != NULL && domain != NULL, NULL);
  g_return_val_if_fail (payload_type != NULL && payload != NULL, NULL);

  g_autoptr(GByteArray) to_sign = signed_bytes (domain, payload_type, payload);
  g_autoptr(GBytes) signature = satori_private_key_sign (key, to_sign->data, to_sign->len, error);
  if (signature == NULL)
    return NULL;
  return envelope_new (satori_private_key_get_public_key (key), payload_type, payload, signature);
}

static GBytes *
binary_to_bytes (gboolean present, const ProtobufCBinaryData *data)
{
  return present ? g_bytes_new (data->data, data->len) : g_bytes_new (NULL, 0);
}

/**
 * satori_envelope_decode:
 * @data: (array length=len): an encoded envelope
 * @len: its length, at most %SATORI_ENVELOPE_MAX_SIZE
 * @error: a #GError: %SATORI_CODEC_ERROR_TOO_LARGE, or
 *   %SATORI_CODEC_ERROR_MALFORMED for bad protobuf, a missing or bad
 *   public key or a missing signature
 *
 * Decodes an envelope without checking its signature: see
 * satori_envelope_verify().
 *
 * Returns: (transfer full) (nullable): the envelope, or %NULL
 */
SatoriEnvelope *
satori_envelope_decode (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(GError) key_error = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  Satori__Pb__Envelope *pb = (Satori__Pb__Envelope *) satori_protobuf_unpack (
    &satori__pb__envelope__descriptor, data, len, SATORI_ENVELOPE_MAX_SIZE, error);
  if (pb == NULL)
    return NULL;
  g_autoptr(SatoriPublicKey) key = NULL;
  if (pb->has_public_key)
    key = satori_public_key_new_from_protobuf (pb->public_key.data, pb->public_key.len,
                                               &key_error);
  if (key == NULL || !pb->has_signature)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "Bad signed envelope: %s",
                   key_error ? key_error->message
                             : key == NULL ? "no public key" : "no signature");
      protobuf_c_message_free_unpacked (&pb->base, NULL);
      return NULL;
    }
  g_autoptr(GBytes) payload_type = binary_to_bytes (pb->has_payload_type, &pb->payload_type);
  g_autoptr(GBytes) payload = binary_to_bytes (pb->has_payload, &pb->payload);
  g_autoptr(GBytes) signature = binary_to_bytes (TRUE, &pb->signature);
  protobuf_c_message_free_unpacked (&pb->base, NULL);
  return envelope_new (key, payload_type, payload, signature);
}

/**
 * satori_envelope_verify:
 * @envelope: a #SatoriEnvelope
 * @domain: the domain the signature must have been made for
 * @error: a #GError, %SATORI_KEY_ERROR_MALFORMED when the signature is
 *   not the envelope key's over @domain, type and payload
 *
 * Returns: whether the signature is valid
 */
gboolean
satori_envelope_verify (SatoriEnvelope *envelope, const char *domain, GError **error)
{
  g_return_val_if_fail (envelope != NULL && domain != NULL, FALSE);

  g_autoptr(GByteArray) to_verify = signed_bytes (domain, envelope->payload_type,
                                                  envelope->payload);
  gsize len;
  const guint8 *signature = g_bytes_get_data (envelope->signature, &len);
  if (!satori_public_key_verify (envelope->public_key, to_verify->data, to_verify->len,
                                 signature, len))
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "The signed envelope's signature does not verify for domain “%s”", domain);
      return FALSE;
    }
  return TRUE;
}

static void
set_binary (ProtobufCBinaryData *field, protobuf_c_boolean *has, GBytes *bytes)
{
  *has = TRUE;
  field->data = (guint8 *) g_bytes_get_data (bytes, &field->len);
}

/**
 * satori_envelope_encode:
 * @envelope: a #SatoriEnvelope
 *
 * Returns: (transfer full): the envelope as protobuf
 */
GBytes *
satori_envelope_encode (SatoriEnvelope *envelope)
{
  Satori__Pb__Envelope pb = SATORI__PB__ENVELOPE__INIT;

  g_return_val_if_fail (envelope != NULL, NULL);
  g_autoptr(GBytes) key = satori_public_key_to_protobuf (envelope->public_key);
  set_binary (&pb.public_key, &pb.has_public_key, key);
  set_binary (&pb.payload_type, &pb.has_payload_type, envelope->payload_type);
  set_binary (&pb.payload, &pb.has_payload, envelope->payload);
  set_binary (&pb.signature, &pb.has_signature, envelope->signature);
  return satori_protobuf_pack (&pb.base);
}

/**
 * satori_envelope_get_public_key:
 * @envelope: a #SatoriEnvelope
 *
 * Returns: (transfer none): the signer's key
 */
SatoriPublicKey *
satori_envelope_get_public_key (SatoriEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);
  return envelope->public_key;
}

/**
 * satori_envelope_get_payload_type:
 * @envelope: a #SatoriEnvelope
 *
 * Returns: (transfer none): the payload's type (a varint multicodec)
 */
GBytes *
satori_envelope_get_payload_type (SatoriEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);
  return envelope->payload_type;
}

/**
 * satori_envelope_get_payload:
 * @envelope: a #SatoriEnvelope
 *
 * Returns: (transfer none): the payload
 */
GBytes *
satori_envelope_get_payload (SatoriEnvelope *envelope)
{
  g_return_val_if_fail (envelope != NULL, NULL);
  return envelope->payload;
}
