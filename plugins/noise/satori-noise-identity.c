/* satori-noise-identity.c — what a Noise handshake needs of this side's identity
 *
 * The static X25519 key pair, the identity key's signature over its public
 * half and the encoded identity key never change between handshakes: made
 * once, they spare every handshake an X25519 and a signature. The static
 * key is not secret from the remote and libp2p lets it outlive a
 * connection; only the ephemeral key must be fresh.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-identity.h"

#include <string.h>

#include "satori-noise-payload.h"

struct _SatoriNoiseIdentity
{
  gatomicrefcount ref_count;
  SatoriPrivateKey *key;
  guint8 static_private[SATORI_NOISE_KEY_LENGTH];
  guint8 static_public[SATORI_NOISE_KEY_LENGTH];
  GBytes *public_key;    /* the PublicKey protobuf */
  GBytes *signature;     /* over the static public key */
};

/**
 * satori_noise_identity_new:
 * @key: this side's libp2p identity key
 * @static_private: the static X25519 private key to use from now on
 * @error: a #GError, set if @key cannot sign
 *
 * Returns: (transfer full) (nullable): the identity, or %NULL
 */
SatoriNoiseIdentity *
satori_noise_identity_new (SatoriPrivateKey *key,
                           const guint8 static_private[SATORI_NOISE_KEY_LENGTH], GError **error)
{
  g_return_val_if_fail (SATORI_IS_PRIVATE_KEY (key), NULL);

  g_autoptr(SatoriNoiseIdentity) self = g_new0 (SatoriNoiseIdentity, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->key = g_object_ref (key);
  memcpy (self->static_private, static_private, SATORI_NOISE_KEY_LENGTH);
  satori_noise_x25519_public (self->static_private, self->static_public);
  self->public_key = satori_public_key_to_protobuf (satori_private_key_get_public_key (key));
  self->signature = satori_noise_payload_sign (key, self->static_public, error);
  if (self->signature == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * satori_noise_identity_ref:
 * @identity: an identity
 *
 * Returns: (transfer full): @identity
 */
SatoriNoiseIdentity *
satori_noise_identity_ref (SatoriNoiseIdentity *identity)
{
  g_atomic_ref_count_inc (&identity->ref_count);
  return identity;
}

/**
 * satori_noise_identity_unref:
 * @identity: (transfer full): an identity
 */
void
satori_noise_identity_unref (SatoriNoiseIdentity *identity)
{
  if (!g_atomic_ref_count_dec (&identity->ref_count))
    return;
  g_clear_object (&identity->key);
  g_clear_pointer (&identity->public_key, g_bytes_unref);
  g_clear_pointer (&identity->signature, g_bytes_unref);
  explicit_bzero (identity->static_private, sizeof identity->static_private);
  g_free (identity);
}

/**
 * satori_noise_identity_get_key:
 * @identity: an identity
 *
 * Returns: (transfer none): the libp2p identity key
 */
SatoriPrivateKey *
satori_noise_identity_get_key (SatoriNoiseIdentity *identity)
{
  return identity->key;
}

/**
 * satori_noise_identity_get_static_private:
 * @identity: an identity
 *
 * Returns: (array fixed-size=32): the static X25519 private key
 */
const guint8 *
satori_noise_identity_get_static_private (SatoriNoiseIdentity *identity)
{
  return identity->static_private;
}

/**
 * satori_noise_identity_get_static_public:
 * @identity: an identity
 *
 * Returns: (array fixed-size=32): the static X25519 public key
 */
const guint8 *
satori_noise_identity_get_static_public (SatoriNoiseIdentity *identity)
{
  return identity->static_public;
}

/**
 * satori_noise_identity_encode_payload:
 * @identity: an identity
 * @muxers: (array zero-terminated=1) (nullable): the stream muxers to
 *   offer, in preference order
 *
 * Returns: (transfer full): the NoiseHandshakePayload this side sends
 */
GBytes *
satori_noise_identity_encode_payload (SatoriNoiseIdentity *identity, const char * const *muxers)
{
  return satori_noise_payload_encode (identity->public_key, identity->signature, muxers);
}
