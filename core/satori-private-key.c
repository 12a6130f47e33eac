/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-private-key.h"

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

/**
 * SatoriPrivateKey:
 *
 * An immutable libp2p private key: it signs, and knows its
 * #SatoriPublicKey. It is stored as the spec's `PrivateKey` protobuf. The
 * secret is kept in libgcrypt's secure memory and wiped when the key is
 * finalized.
 */
struct _SatoriPrivateKey
{
  GObject parent_instance;

  const SatoriKeyBackend *backend;
  gpointer handle;
  SatoriPublicKey *public_key;
};

G_DEFINE_FINAL_TYPE (SatoriPrivateKey, satori_private_key, G_TYPE_OBJECT)

static void
satori_private_key_finalize (GObject *object)
{
  SatoriPrivateKey *self = SATORI_PRIVATE_KEY (object);

  if (self->handle != NULL)
    self->backend->private_free (self->handle);
  g_clear_object (&self->public_key);

  G_OBJECT_CLASS (satori_private_key_parent_class)->finalize (object);
}

static void
satori_private_key_class_init (SatoriPrivateKeyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_private_key_finalize;
}

static void
satori_private_key_init (SatoriPrivateKey *self)
{
}

/* Takes @handle. */
static SatoriPrivateKey *
private_key_new (const SatoriKeyBackend *backend, gpointer handle, GError **error)
{
  g_autoptr(GBytes) raw = backend->private_public_raw (handle);
  gsize raw_len;
  const guint8 *raw_data = g_bytes_get_data (raw, &raw_len);

  /* Fails only for the rare Ed25519 keys that libgcrypt cannot verify
   * with (see satori-key-ed25519.c). */
  SatoriPublicKey *public_key = satori_public_key_new_from_raw (backend->type, raw_data, raw_len,
                                                                error);
  if (public_key == NULL)
    {
      backend->private_free (handle);
      return NULL;
    }

  SatoriPrivateKey *self = g_object_new (SATORI_TYPE_PRIVATE_KEY, NULL);
  self->backend = backend;
  self->handle = handle;
  self->public_key = public_key;
  return self;
}

static const SatoriKeyBackend *
get_backend (SatoriKeyType type, GError **error)
{
  const SatoriKeyBackend *backend = satori_key_backend_get (type);

  if (backend == NULL)
    g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_UNSUPPORTED,
                 "unknown key type %d", (int) type);
  else
    satori_crypto_init ();
  return backend;
}

/**
 * satori_private_key_generate:
 * @type: the key type; RSA keys have 2048 bits
 * @error: %SATORI_KEY_ERROR_UNSUPPORTED for an unknown @type, or
 *   %SATORI_KEY_ERROR_CRYPTO
 *
 * Makes a new random key.
 *
 * Returns: (transfer full): the key, or %NULL
 */
SatoriPrivateKey *
satori_private_key_generate (SatoriKeyType type, GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const SatoriKeyBackend *backend = get_backend (type, error);
  if (backend == NULL)
    return NULL;
  gpointer handle = backend->private_generate (error);
  return handle ? private_key_new (backend, handle, error) : NULL;
}

/**
 * satori_private_key_new_from_protobuf:
 * @data: (array length=len): a serialized `PrivateKey` protobuf
 * @len: its length
 * @error: %SATORI_KEY_ERROR_MALFORMED, or %SATORI_KEY_ERROR_UNSUPPORTED
 *   for an unknown key type
 *
 * Reads a key as libp2p implementations store them. Data holds DER
 * PKCS #1 for RSA, seed ‖ public key (64 bytes, or the old 96-byte form)
 * for Ed25519, the 32-byte secret for secp256k1 and DER ECPrivateKey for
 * ECDSA. Keys whose parts disagree are refused.
 *
 * Returns: (transfer full): the key, or %NULL
 */
SatoriPrivateKey *
satori_private_key_new_from_protobuf (const guint8 *data, gsize len, GError **error)
{
  SatoriKeyType type;
  g_autoptr(GBytes) raw = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  satori_crypto_init ();
  if (!satori_key_protobuf_decode (TRUE, data, len, &type, &raw, error))
    return NULL;

  const SatoriKeyBackend *backend = get_backend (type, error);
  gsize raw_len;
  const guint8 *raw_data = g_bytes_get_data (raw, &raw_len);
  gpointer handle = backend->private_parse (raw_data, raw_len, error);
  return handle ? private_key_new (backend, handle, error) : NULL;
}

/**
 * satori_private_key_new_secp256k1:
 * @secret: (array fixed-size=32): a secp256k1 secret, big-endian
 * @error: %SATORI_KEY_ERROR_MALFORMED when @secret is zero or not below
 *   the curve order
 *
 * Makes a key from a secp256k1 secret, such as a wallet's.
 *
 * Returns: (transfer full): the key, or %NULL
 */
SatoriPrivateKey *
satori_private_key_new_secp256k1 (const guint8 secret[SATORI_SECP256K1_SECRET_LENGTH],
                                  GError **error)
{
  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const SatoriKeyBackend *backend = get_backend (SATORI_KEY_TYPE_SECP256K1, error);
  gpointer handle = backend->private_parse (secret, SATORI_SECP256K1_SECRET_LENGTH, error);
  return handle ? private_key_new (backend, handle, error) : NULL;
}

/**
 * satori_private_key_to_protobuf:
 * @key: a private key
 *
 * Returns: (transfer full): @key as a `PrivateKey` protobuf, in secure
 *   memory that is wiped when the #GBytes is freed
 */
GBytes *
satori_private_key_to_protobuf (SatoriPrivateKey *key)
{
  g_return_val_if_fail (SATORI_IS_PRIVATE_KEY (key), NULL);

  g_autoptr(GBytes) raw = key->backend->private_encode (key->handle);
  return satori_key_protobuf_encode (TRUE, key->backend->type, raw);
}

/**
 * satori_private_key_get_public_key:
 * @key: a private key
 *
 * Returns: (transfer none): the public half of @key
 */
SatoriPublicKey *
satori_private_key_get_public_key (SatoriPrivateKey *key)
{
  g_return_val_if_fail (SATORI_IS_PRIVATE_KEY (key), NULL);

  return key->public_key;
}

/**
 * satori_private_key_get_key_type:
 * @key: a private key
 *
 * Returns: the type of @key
 */
SatoriKeyType
satori_private_key_get_key_type (SatoriPrivateKey *key)
{
  g_return_val_if_fail (SATORI_IS_PRIVATE_KEY (key), SATORI_KEY_TYPE_ED25519);

  return key->backend->type;
}

/**
 * satori_private_key_sign:
 * @key: a private key
 * @data: (array length=len): the bytes to sign
 * @len: their number
 * @error: %SATORI_KEY_ERROR_CRYPTO
 *
 * Signs @data by the spec's scheme for @key's type (see
 * satori_public_key_verify()). ECDSA signatures on both curves use
 * RFC 6979 nonces, so they are deterministic; secp256k1 ones have a low S.
 *
 * Returns: (transfer full): the signature, or %NULL
 */
GBytes *
satori_private_key_sign (SatoriPrivateKey *key, const guint8 *data, gsize len,
                         GError **error)
{
  g_return_val_if_fail (SATORI_IS_PRIVATE_KEY (key), NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = (const guint8 *) "";
  return key->backend->sign (key->handle, data, len, error);
}
