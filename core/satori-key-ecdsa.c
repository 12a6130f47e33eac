/* ECDSA keys on NIST P-256 with libgcrypt: public keys as DER
 * SubjectPublicKeyInfo, private keys as DER ECPrivateKey (SEC 1), signatures
 * over SHA-256 as DER ECDSA-Sig-Value.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gcrypt.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"
#include "satori-key-der.h"

#define CURVE "NIST P-256"
#define SCALAR_LEN 32
#define POINT_LEN (1 + 2 * SCALAR_LEN)   /* 04 ‖ X ‖ Y */

/* The DER encoding of the prime256v1 OID: the SubjectPublicKeyInfo
 * algorithm parameters of a P-256 key. */
static const guint8 p256_params[] = {
  0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07
};

typedef struct {
  guint8 *secret;   /* SCALAR_LEN bytes of secure memory */
  guint8 point[POINT_LEN];
} EcdsaPrivate;

static void
sexp_free (gpointer sexp)
{
  gcry_sexp_release (sexp);
}

/* Builds a public key from an uncompressed point, or returns %NULL when
 * the bytes are not a point on P-256. */
static gcry_sexp_t
public_sexp_new (const guint8 *point, gsize len)
{
  gcry_sexp_t sexp = NULL;
  gcry_ctx_t ctx = NULL;
  gcry_mpi_point_t q = NULL;

  if (len != POINT_LEN || point[0] != 0x04)
    return NULL;
  if (gcry_sexp_build (&sexp, NULL, "(public-key (ecc (curve %s) (q %b)))",
                       CURVE, (int) len, point) != 0)
    g_error ("cannot build a P-256 key");

  /* Coordinates at or above p would give one point several encodings. */
  gcry_mpi_t x = NULL, y = NULL, p = NULL;
  gboolean valid = gcry_mpi_ec_new (&ctx, sexp, NULL) == 0 &&
                   (q = gcry_mpi_ec_get_point ("q", ctx, 1)) != NULL &&
                   (p = gcry_mpi_ec_get_mpi ("p", ctx, 1)) != NULL &&
                   gcry_mpi_scan (&x, GCRYMPI_FMT_USG, point + 1, SCALAR_LEN, NULL) == 0 &&
                   gcry_mpi_scan (&y, GCRYMPI_FMT_USG, point + 1 + SCALAR_LEN, SCALAR_LEN,
                                  NULL) == 0 &&
                   gcry_mpi_cmp (x, p) < 0 && gcry_mpi_cmp (y, p) < 0 &&
                   gcry_mpi_ec_curve_point (q, ctx);
  gcry_mpi_release (x);
  gcry_mpi_release (y);
  gcry_mpi_release (p);
  gcry_mpi_point_release (q);
  gcry_ctx_release (ctx);
  if (!valid)
    {
      gcry_sexp_release (sexp);
      return NULL;
    }
  return sexp;
}

static gpointer
ecdsa_public_parse (const guint8 *data, gsize len, GError **error)
{
  g_autofree char *oid = NULL;
  g_autoptr(GBytes) params = NULL;
  g_autoptr(GBytes) point = NULL;

  if (!satori_key_der_decode_spki (data, len, &oid, &params, &point, error))
    return NULL;
  if (g_strcmp0 (oid, SATORI_OID_EC_PUBLIC_KEY) != 0)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "the ECDSA public key's algorithm is %s, not id-ecPublicKey", oid);
      return NULL;
    }

  gsize params_len = 0;
  const guint8 *params_data = params ? g_bytes_get_data (params, &params_len) : NULL;
  if (params_len != sizeof p256_params || memcmp (params_data, p256_params, params_len) != 0)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the ECDSA public key's curve is not NIST P-256");
      return NULL;
    }

  gsize point_len;
  const guint8 *point_data = g_bytes_get_data (point, &point_len);
  gcry_sexp_t sexp = public_sexp_new (point_data, point_len);
  if (sexp == NULL)
    g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                         "the ECDSA public key is not an uncompressed point on P-256");
  return sexp;
}

/* A high S verifies too: ECDSA (unlike Bitcoin's secp256k1 rules) has no
 * low-S requirement, and Go's signatures do not normalise it. */
static gboolean
ecdsa_verify (gconstpointer pub, const guint8 *data, gsize len,
              const guint8 *sig, gsize sig_len)
{
  gcry_mpi_t r = NULL, s = NULL;
  gcry_sexp_t sig_sexp = NULL, data_sexp = NULL;
  guint8 digest[SATORI_SHA256_LENGTH];

  if (!satori_key_der_decode_ecdsa_signature (sig, sig_len, &r, &s, NULL))
    return FALSE;

  satori_crypto_sha256 (data, len, digest);
  if (gcry_sexp_build (&sig_sexp, NULL, "(sig-val (ecdsa (r %m) (s %m)))", r, s) != 0 ||
      gcry_sexp_build (&data_sexp, NULL, "(data (flags raw) (hash sha256 %b))",
                       (int) sizeof digest, digest) != 0)
    g_error ("cannot build an ECDSA verification");

  gboolean valid = gcry_pk_verify (sig_sexp, data_sexp, (gcry_sexp_t) pub) == 0;
  gcry_sexp_release (sig_sexp);
  gcry_sexp_release (data_sexp);
  gcry_mpi_release (r);
  gcry_mpi_release (s);
  return valid;
}

static void
ecdsa_private_free (gpointer priv)
{
  EcdsaPrivate *key = priv;

  explicit_bzero (key->secret, SCALAR_LEN);
  gcry_free (key->secret);
  g_free (key);
}

/* Checks 0 < d < n and computes Q = d·G; %NULL when d is out of range. */
static EcdsaPrivate *
private_new_from_secret (const guint8 *secret)
{
  gcry_ctx_t ctx = NULL;
  gcry_mpi_t d = NULL, x = gcry_mpi_new (0), y = gcry_mpi_new (0);

  if (gcry_mpi_ec_new (&ctx, NULL, CURVE) != 0 ||
      gcry_mpi_scan (&d, GCRYMPI_FMT_USG, secret, SCALAR_LEN, NULL) != 0)
    g_error ("cannot set up P-256");
  gcry_mpi_set_flag (d, GCRYMPI_FLAG_SECURE);

  gcry_mpi_t n = gcry_mpi_ec_get_mpi ("n", ctx, 1);
  gcry_mpi_point_t g = gcry_mpi_ec_get_point ("g", ctx, 1);
  gcry_mpi_point_t q = gcry_mpi_point_new (0);
  EcdsaPrivate *key = NULL;

  if (gcry_mpi_cmp_ui (d, 0) > 0 && gcry_mpi_cmp (d, n) < 0)
    {
      gcry_mpi_ec_mul (q, d, g, ctx);
      if (gcry_mpi_ec_get_affine (x, y, q, ctx) != 0)
        g_error ("d·G is the point at infinity for 0 < d < n");

      key = g_new0 (EcdsaPrivate, 1);
      key->secret = gcry_xmalloc_secure (SCALAR_LEN);
      memcpy (key->secret, secret, SCALAR_LEN);
      key->point[0] = 0x04;
      /* Coordinates are right-aligned in their 32 bytes. */
      size_t x_len = (gcry_mpi_get_nbits (x) + 7) / 8, y_len = (gcry_mpi_get_nbits (y) + 7) / 8;
      gcry_mpi_print (GCRYMPI_FMT_USG, key->point + 1 + SCALAR_LEN - x_len, x_len, NULL, x);
      gcry_mpi_print (GCRYMPI_FMT_USG, key->point + 1 + 2 * SCALAR_LEN - y_len, y_len, NULL, y);
    }

  gcry_mpi_point_release (q);
  gcry_mpi_point_release (g);
  gcry_mpi_release (n);
  gcry_mpi_release (d);
  gcry_mpi_release (x);
  gcry_mpi_release (y);
  gcry_ctx_release (ctx);
  return key;
}

static gpointer
ecdsa_private_generate (GError **error)
{
  guint8 *secret = gcry_xmalloc_secure (SCALAR_LEN);
  EcdsaPrivate *key = NULL;

  satori_crypto_init ();
  /* A random 256-bit string is not below P-256's order about once in 2^32. */
  do
    {
      gcry_randomize (secret, SCALAR_LEN, GCRY_VERY_STRONG_RANDOM);
      key = private_new_from_secret (secret);
    }
  while (key == NULL);
  explicit_bzero (secret, SCALAR_LEN);
  gcry_free (secret);
  return key;
}

static gpointer
ecdsa_private_parse (const guint8 *data, gsize len, GError **error)
{
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GBytes) point = NULL;
  g_autofree char *curve = NULL;

  if (!satori_key_der_decode_ec_private (data, len, &secret, &curve, &point, error))
    return NULL;
  if (g_strcmp0 (curve, SATORI_OID_PRIME256V1) != 0)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "the ECDSA private key's curve %s is not NIST P-256", curve);
      return NULL;
    }
  if (g_bytes_get_size (secret) != SCALAR_LEN)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "a P-256 private key is %d bytes, not %" G_GSIZE_FORMAT,
                   SCALAR_LEN, g_bytes_get_size (secret));
      return NULL;
    }

  EcdsaPrivate *key = private_new_from_secret (g_bytes_get_data (secret, NULL));
  if (key == NULL)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the P-256 private key is zero or not below the curve order");
      return NULL;
    }
  gsize point_len;
  const guint8 *point_data = g_bytes_get_data (point, &point_len);
  if (point_len != POINT_LEN || memcmp (point_data, key->point, POINT_LEN) != 0)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the ECDSA private key's public key does not belong to its secret");
      ecdsa_private_free (key);
      return NULL;
    }
  return key;
}

static GBytes *
ecdsa_private_encode (gconstpointer priv)
{
  const EcdsaPrivate *key = priv;

  return satori_key_der_encode_ec_private (key->secret, SCALAR_LEN, SATORI_OID_PRIME256V1,
                                           key->point, POINT_LEN);
}

static GBytes *
ecdsa_private_public_raw (gconstpointer priv)
{
  const EcdsaPrivate *key = priv;

  return satori_key_der_encode_spki (SATORI_OID_EC_PUBLIC_KEY, p256_params, sizeof p256_params,
                                     key->point, POINT_LEN);
}

/* Deterministic nonces (RFC 6979), as the spec links to. */
static GBytes *
ecdsa_sign (gconstpointer priv, const guint8 *data, gsize len, GError **error)
{
  const EcdsaPrivate *key = priv;
  gcry_sexp_t key_sexp = NULL, data_sexp = NULL, sig_sexp = NULL;
  gcry_mpi_t d = NULL, r = NULL, s = NULL;
  guint8 digest[SATORI_SHA256_LENGTH];

  if (gcry_mpi_scan (&d, GCRYMPI_FMT_USG, key->secret, SCALAR_LEN, NULL) != 0)
    g_error ("cannot scan a P-256 secret");
  gcry_mpi_set_flag (d, GCRYMPI_FLAG_SECURE);
  satori_crypto_sha256 (data, len, digest);
  if (gcry_sexp_build (&key_sexp, NULL, "(private-key (ecc (curve %s) (q %b) (d %m)))",
                       CURVE, POINT_LEN, key->point, d) != 0 ||
      gcry_sexp_build (&data_sexp, NULL, "(data (flags rfc6979) (hash sha256 %b))",
                       (int) sizeof digest, digest) != 0)
    g_error ("cannot build an ECDSA signature request");
  gcry_mpi_release (d);

  gcry_error_t err = gcry_pk_sign (&sig_sexp, data_sexp, key_sexp);
  gcry_sexp_release (key_sexp);
  gcry_sexp_release (data_sexp);
  if (err == 0)
    err = gcry_sexp_extract_param (sig_sexp, "sig-val!ecdsa", "rs", &r, &s, NULL);
  gcry_sexp_release (sig_sexp);
  if (err != 0)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_CRYPTO,
                   "ECDSA signing failed: %s", gcry_strerror (err));
      return NULL;
    }

  GBytes *signature = satori_key_der_encode_ecdsa_signature (r, s);
  gcry_mpi_release (r);
  gcry_mpi_release (s);
  return signature;
}

const SatoriKeyBackend satori_key_backend_ecdsa = {
  .type = SATORI_KEY_TYPE_ECDSA,
  .public_parse = ecdsa_public_parse,
  .verify = ecdsa_verify,
  .public_free = sexp_free,
  .private_generate = ecdsa_private_generate,
  .private_parse = ecdsa_private_parse,
  .private_encode = ecdsa_private_encode,
  .private_public_raw = ecdsa_private_public_raw,
  .sign = ecdsa_sign,
  .private_free = ecdsa_private_free,
};
