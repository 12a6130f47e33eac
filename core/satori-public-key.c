/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-public-key.h"

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

/**
 * SatoriPublicKey:
 *
 * An immutable libp2p public key of any #SatoriKeyType: it verifies
 * signatures and is what a peer id is derived from. Keys are read and
 * written in the spec's `PublicKey` protobuf; the parsers accept only the
 * spec's encodings, so writing a parsed key gives back the same bytes.
 */
struct _SatoriPublicKey
{
  GObject parent_instance;

  const SatoriKeyBackend *backend;
  gpointer handle;
  GBytes *raw;
  GBytes *protobuf;
};

G_DEFINE_FINAL_TYPE (SatoriPublicKey, satori_public_key, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SatoriKeyType, satori_key_type,
  G_DEFINE_ENUM_VALUE (SATORI_KEY_TYPE_RSA, "rsa"),
  G_DEFINE_ENUM_VALUE (SATORI_KEY_TYPE_ED25519, "ed25519"),
  G_DEFINE_ENUM_VALUE (SATORI_KEY_TYPE_SECP256K1, "secp256k1"),
  G_DEFINE_ENUM_VALUE (SATORI_KEY_TYPE_ECDSA, "ecdsa"))

static void
satori_public_key_finalize (GObject *object)
{
  SatoriPublicKey *self = SATORI_PUBLIC_KEY (object);

  if (self->handle != NULL)
    self->backend->public_free (self->handle);
  g_clear_pointer (&self->raw, g_bytes_unref);
  g_clear_pointer (&self->protobuf, g_bytes_unref);

  G_OBJECT_CLASS (satori_public_key_parent_class)->finalize (object);
}

static void
satori_public_key_class_init (SatoriPublicKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_public_key_finalize;
}

static void
satori_public_key_init (SatoriPublicKey *self)
{
}

/**
 * satori_public_key_new_from_raw:
 * @type: the key type
 * @data: (array length=len): the key in its type's encoding (the
 *   protobuf's Data field): DER SubjectPublicKeyInfo for RSA and ECDSA,
 *   32 bytes for Ed25519, 33 compressed bytes for secp256k1
 * @len: its length
 * @error: %SATORI_KEY_ERROR_MALFORMED, or %SATORI_KEY_ERROR_UNSUPPORTED
 *   for an unknown @type
 *
 * Returns: (transfer full): the key, or %NULL
 */
SatoriPublicKey *
satori_public_key_new_from_raw (SatoriKeyType type, const guint8 *data, gsize len,
                                GError **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const SatoriKeyBackend *backend = satori_key_backend_get (type);
  if (backend == NULL)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_UNSUPPORTED,
                   "unknown key type %d", (int) type);
      return NULL;
    }

  satori_crypto_init ();
  gpointer handle = backend->public_parse (data, len, error);
  if (handle == NULL)
    return NULL;

  SatoriPublicKey *self = g_object_new (SATORI_TYPE_PUBLIC_KEY, NULL);
  self->backend = backend;
  self->handle = handle;
  self->raw = g_bytes_new (data, len);
  self->protobuf = satori_key_protobuf_encode (FALSE, type, self->raw);
  return self;
}

/**
 * satori_public_key_new_from_protobuf:
 * @data: (array length=len): a serialized `PublicKey` protobuf
 * @len: its length
 * @error: %SATORI_KEY_ERROR_MALFORMED, or %SATORI_KEY_ERROR_UNSUPPORTED
 *   for an unknown key type
 *
 * Reads a public key as peers send it. Only the spec's deterministic
 * protobuf encoding is accepted.
 *
 * Returns: (transfer full): the key, or %NULL
 */
SatoriPublicKey *
satori_public_key_new_from_protobuf (const guint8 *data, gsize len, GError **error)
{
  SatoriKeyType type;
  g_autoptr(GBytes) raw = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!satori_key_protobuf_decode (FALSE, data, len, &type, &raw, error))
    return NULL;

  gsize raw_len;
  const guint8 *raw_data = g_bytes_get_data (raw, &raw_len);
  return satori_public_key_new_from_raw (type, raw_data, raw_len, error);
}

/**
 * satori_public_key_to_protobuf:
 * @key: a public key
 *
 * Returns: (transfer full): @key as a `PublicKey` protobuf, in the
 *   deterministic encoding that peer ids are computed from
 */
GBytes *
satori_public_key_to_protobuf (SatoriPublicKey *key)
{
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (key), NULL);

  return g_bytes_ref (key->protobuf);
}

/**
 * satori_public_key_get_raw:
 * @key: a public key
 *
 * Returns: (transfer none): the key in its type's encoding (the protobuf's
 *   Data field)
 */
GBytes *
satori_public_key_get_raw (SatoriPublicKey *key)
{
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (key), NULL);

  return key->raw;
}

/**
 * satori_public_key_get_key_type:
 * @key: a public key
 *
 * Returns: the type of @key
 */
SatoriKeyType
satori_public_key_get_key_type (SatoriPublicKey *key)
{
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (key), SATORI_KEY_TYPE_ED25519);

  return key->backend->type;
}

/**
 * satori_public_key_verify:
 * @key: a public key
 * @data: (array length=len): the signed bytes
 * @len: their number
 * @signature: (array length=signature_len): the signature
 * @signature_len: its length
 *
 * Checks a signature by the spec's scheme for @key's type: RSASSA-PKCS1-v1_5
 * with SHA-256 for RSA, plain Ed25519, and ECDSA over SHA-256 with a DER
 * signature for secp256k1 and P-256.
 *
 * Returns: whether @signature is a valid signature of @data by @key
 */
gboolean
satori_public_key_verify (SatoriPublicKey *key, const guint8 *data, gsize len,
                          const guint8 *signature, gsize signature_len)
{
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (key), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (signature != NULL || signature_len == 0, FALSE);

  /* Backends may hand @data to libraries that want a pointer. */
  if (data == NULL)
    data = (const guint8 *) "";
  if (signature == NULL)
    signature = (const guint8 *) "";
  return key->backend->verify (key->handle, data, len, signature, signature_len);
}

/**
 * satori_public_key_equal:
 * @a: a public key
 * @b: another public key
 *
 * Returns: whether @a and @b are the same key
 */
gboolean
satori_public_key_equal (SatoriPublicKey *a, SatoriPublicKey *b)
{
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (a), FALSE);
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (b), FALSE);

  return a->backend == b->backend && g_bytes_equal (a->raw, b->raw);
}
