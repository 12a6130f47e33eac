/* secp256k1 keys with libsecp256k1: 33-byte compressed public keys,
 * 32-byte secrets, ECDSA over SHA-256 with DER signatures.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gcrypt.h>
#include <secp256k1.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

#define PUBLIC_LEN 33
#define SECRET_LEN 32
#define MAX_SIGNATURE_LEN 72

typedef struct {
  guint8 *secret;   /* SECRET_LEN bytes of secure memory */
  secp256k1_pubkey pub;
} Secp256k1Private;

/* One context for everything, randomised once against
 * side channels; libsecp256k1 allows concurrent use of a const context. */
static const secp256k1_context *
context (void)
{
  static gsize done = 0;
  static secp256k1_context *ctx = NULL;

  if (g_once_init_enter (&done))
    {
      guint8 seed[32];

      ctx = secp256k1_context_create (SECP256K1_CONTEXT_NONE);
      satori_crypto_random_bytes (seed, sizeof seed);
      if (!secp256k1_context_randomize (ctx, seed))
        g_error ("cannot randomise the secp256k1 context");
      explicit_bzero (seed, sizeof seed);
      g_once_init_leave (&done, 1);
    }
  return ctx;
}

/* Shared with the Evrmore key code, which signs and does ECDH with it. */
const secp256k1_context *
satori_key_secp256k1_context (void)
{
  return context ();
}

static gpointer
secp256k1_public_parse (const guint8 *data, gsize len, GError **error)
{
  /* libsecp256k1 also reads 65-byte uncompressed keys; libp2p's
   * encoding is the compressed one only. */
  if (len != PUBLIC_LEN)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "a secp256k1 public key is %d bytes (compressed), not %" G_GSIZE_FORMAT,
                   PUBLIC_LEN, len);
      return NULL;
    }

  g_autofree secp256k1_pubkey *pub = g_new0 (secp256k1_pubkey, 1);
  if (!secp256k1_ec_pubkey_parse (context (), pub, data, len))
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the secp256k1 public key is not a compressed point on the curve");
      return NULL;
    }
  return g_steal_pointer (&pub);
}

/* Signatures are strict DER. A high S is accepted, as other libp2p
 * implementations accept it: it is normalised before verification. */
static gboolean
secp256k1_verify (gconstpointer pub, const guint8 *data, gsize len,
                  const guint8 *sig, gsize sig_len)
{
  secp256k1_ecdsa_signature signature;
  guint8 digest[SATORI_SHA256_LENGTH];

  if (sig_len == 0 || sig_len > MAX_SIGNATURE_LEN ||
      !secp256k1_ecdsa_signature_parse_der (context (), &signature, sig, sig_len))
    return FALSE;

  /* parse_der() takes some non-DER forms: only the one encoding of the
   * values may verify. */
  guint8 again[MAX_SIGNATURE_LEN];
  size_t again_len = sizeof again;
  if (!secp256k1_ecdsa_signature_serialize_der (context (), again,
                                                &again_len, &signature) ||
      again_len != sig_len || memcmp (again, sig, sig_len) != 0)
    return FALSE;

  secp256k1_ecdsa_signature_normalize (context (), &signature, &signature);
  satori_crypto_sha256 (data, len, digest);
  return secp256k1_ecdsa_verify (context (), &signature, digest, pub) == 1;
}

static void
secp256k1_private_free (gpointer priv)
{
  Secp256k1Private *key = priv;

  explicit_bzero (key->secret, SECRET_LEN);
  gcry_free (key->secret);
  g_free (key);
}

static gpointer
secp256k1_private_parse (const guint8 *data, gsize len, GError **error)
{
  if (len != SECRET_LEN)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "a secp256k1 private key is %d bytes, not %" G_GSIZE_FORMAT,
                   SECRET_LEN, len);
      return NULL;
    }
  if (!secp256k1_ec_seckey_verify (context (), data))
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the secp256k1 secret is zero or not below the curve order");
      return NULL;
    }

  satori_crypto_init ();
  Secp256k1Private *key = g_new0 (Secp256k1Private, 1);
  key->secret = gcry_xmalloc_secure (SECRET_LEN);
  memcpy (key->secret, data, SECRET_LEN);
  if (!secp256k1_ec_pubkey_create (context (), &key->pub, key->secret))
    g_error ("cannot derive a secp256k1 public key from a valid secret");
  return key;
}

static gpointer
secp256k1_private_generate (GError **error)
{
  guint8 *secret = gcry_xmalloc_secure (SECRET_LEN);
  gpointer key = NULL;

  satori_crypto_init ();
  /* A random 256-bit string is out of range about once in 2^128 tries. */
  do
    {
      gcry_randomize (secret, SECRET_LEN, GCRY_VERY_STRONG_RANDOM);
      key = secp256k1_private_parse (secret, SECRET_LEN, NULL);
    }
  while (key == NULL);
  explicit_bzero (secret, SECRET_LEN);
  gcry_free (secret);
  return key;
}

static GBytes *
secp256k1_private_encode (gconstpointer priv)
{
  const Secp256k1Private *key = priv;

  return satori_crypto_secure_bytes_new (key->secret, SECRET_LEN);
}

static GBytes *
secp256k1_private_public_raw (gconstpointer priv)
{
  const Secp256k1Private *key = priv;
  guint8 out[PUBLIC_LEN];
  size_t out_len = sizeof out;

  secp256k1_ec_pubkey_serialize (context (), out, &out_len, &key->pub,
                                 SECP256K1_EC_COMPRESSED);
  return g_bytes_new (out, out_len);
}

/* RFC 6979 nonces; libsecp256k1 always produces a low S. */
static GBytes *
secp256k1_sign (gconstpointer priv, const guint8 *data, gsize len, GError **error)
{
  const Secp256k1Private *key = priv;
  secp256k1_ecdsa_signature signature;
  guint8 digest[SATORI_SHA256_LENGTH];
  guint8 der[MAX_SIGNATURE_LEN];
  size_t der_len = sizeof der;

  satori_crypto_sha256 (data, len, digest);
  if (!secp256k1_ecdsa_sign (context (), &signature, digest, key->secret, NULL, NULL) ||
      !secp256k1_ecdsa_signature_serialize_der (context (), der, &der_len,
                                                &signature))
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_CRYPTO,
                           "secp256k1 signing failed");
      return NULL;
    }
  return g_bytes_new (der, der_len);
}

const SatoriKeyBackend satori_key_backend_secp256k1 = {
  .type = SATORI_KEY_TYPE_SECP256K1,
  .public_parse = secp256k1_public_parse,
  .verify = secp256k1_verify,
  .public_free = g_free,
  .private_generate = secp256k1_private_generate,
  .private_parse = secp256k1_private_parse,
  .private_encode = secp256k1_private_encode,
  .private_public_raw = secp256k1_private_public_raw,
  .sign = secp256k1_sign,
  .private_free = secp256k1_private_free,
};
