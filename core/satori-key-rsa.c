/* RSA keys with libgcrypt: public keys as DER SubjectPublicKeyInfo, private
 * keys as DER PKCS #1 RSAPrivateKey, RSASSA-PKCS1-v1_5 signatures over
 * SHA-256.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gcrypt.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"
#include "satori-key-der.h"

#define MIN_BITS 2048
#define MAX_BITS 8192
#define GENERATE_BITS "2048"

/* The DER NULL that rsaEncryption takes as its parameters. */
static const guint8 null_params[] = { 0x05, 0x00 };

typedef struct {
  gcry_sexp_t sexp;
  gcry_mpi_t n;
  gsize modulus_len;
} RsaPublic;

typedef struct {
  SatoriKeyDerRsa parts;
  gcry_sexp_t sexp;
} RsaPrivate;

static gboolean
check_public_numbers (gcry_mpi_t n, gcry_mpi_t e, GError **error)
{
  unsigned int bits = gcry_mpi_get_nbits (n);

  if (bits < MIN_BITS || bits > MAX_BITS)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "RSA keys of %u bits are refused: %d to %d bits are accepted",
                   bits, MIN_BITS, MAX_BITS);
      return FALSE;
    }
  if (gcry_mpi_cmp_ui (e, 3) < 0 || !gcry_mpi_test_bit (e, 0) || gcry_mpi_get_nbits (e) > 32)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the RSA public exponent is not an odd number from 3 to 2^32");
      return FALSE;
    }
  return TRUE;
}

static void
rsa_public_free (gpointer pub)
{
  RsaPublic *key = pub;

  gcry_sexp_release (key->sexp);
  gcry_mpi_release (key->n);
  g_free (key);
}

static gpointer
rsa_public_parse (const guint8 *data, gsize len, GError **error)
{
  g_autofree char *oid = NULL;
  g_autoptr(GBytes) params = NULL;
  g_autoptr(GBytes) inner = NULL;

  if (!satori_key_der_decode_spki (data, len, &oid, &params, &inner, error))
    return NULL;
  if (g_strcmp0 (oid, SATORI_OID_RSA_ENCRYPTION) != 0 || params == NULL ||
      g_bytes_get_size (params) != sizeof null_params ||
      memcmp (g_bytes_get_data (params, NULL), null_params, sizeof null_params) != 0)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "the RSA public key's algorithm is %s, not rsaEncryption with NULL parameters",
                   oid);
      return NULL;
    }

  gsize inner_len;
  const guint8 *inner_data = g_bytes_get_data (inner, &inner_len);
  gcry_mpi_t n = NULL, e = NULL;
  if (!satori_key_der_decode_rsa_public (inner_data, inner_len, &n, &e, error))
    return NULL;
  if (!check_public_numbers (n, e, error))
    {
      gcry_mpi_release (n);
      gcry_mpi_release (e);
      return NULL;
    }

  RsaPublic *key = g_new0 (RsaPublic, 1);
  if (gcry_sexp_build (&key->sexp, NULL, "(public-key (rsa (n %m) (e %m)))", n, e) != 0)
    g_error ("cannot build an RSA key");
  key->n = n;
  key->modulus_len = (gcry_mpi_get_nbits (n) + 7) / 8;
  gcry_mpi_release (e);
  return key;
}

static gboolean
rsa_verify (gconstpointer pub, const guint8 *data, gsize len,
            const guint8 *sig, gsize sig_len)
{
  const RsaPublic *key = pub;
  gcry_mpi_t s = NULL;
  gcry_sexp_t sig_sexp = NULL, data_sexp = NULL;
  guint8 digest[SATORI_SHA256_LENGTH];

  /* A signature is exactly as long as the modulus, and below it. */
  if (sig_len != key->modulus_len ||
      gcry_mpi_scan (&s, GCRYMPI_FMT_USG, sig, sig_len, NULL) != 0)
    return FALSE;
  if (gcry_mpi_cmp (s, key->n) >= 0)
    {
      gcry_mpi_release (s);
      return FALSE;
    }

  satori_crypto_sha256 (data, len, digest);
  if (gcry_sexp_build (&sig_sexp, NULL, "(sig-val (rsa (s %m)))", s) != 0 ||
      gcry_sexp_build (&data_sexp, NULL, "(data (flags pkcs1) (hash sha256 %b))",
                       (int) sizeof digest, digest) != 0)
    g_error ("cannot build an RSA verification");

  gboolean valid = gcry_pk_verify (sig_sexp, data_sexp, key->sexp) == 0;
  gcry_sexp_release (sig_sexp);
  gcry_sexp_release (data_sexp);
  gcry_mpi_release (s);
  return valid;
}

static void
rsa_private_free (gpointer priv)
{
  RsaPrivate *key = priv;

  satori_key_der_rsa_clear (&key->parts);
  gcry_sexp_release (key->sexp);
  g_free (key);
}

/* (a mod m) == b */
static gboolean
mod_equals (gcry_mpi_t a, gcry_mpi_t m, gcry_mpi_t b)
{
  gcry_mpi_t r = gcry_mpi_snew (0);

  gcry_mpi_mod (r, a, m);
  gboolean equal = gcry_mpi_cmp (r, b) == 0;
  gcry_mpi_release (r);
  return equal;
}

/* The numbers of a PKCS #1 key must agree with each other: otherwise
 * signatures made with the CRT parts would not verify. */
static gboolean
parts_consistent (const SatoriKeyDerRsa *k)
{
  gcry_mpi_t one = gcry_mpi_set_ui (NULL, 1);
  gcry_mpi_t pq = gcry_mpi_new (0);
  gcry_mpi_t p1 = gcry_mpi_snew (0), q1 = gcry_mpi_snew (0), t = gcry_mpi_snew (0);
  gboolean ok = FALSE;

  if (gcry_mpi_cmp_ui (k->p, 1) <= 0 || gcry_mpi_cmp_ui (k->q, 1) <= 0 ||
      gcry_mpi_cmp (k->d, k->n) >= 0 || gcry_mpi_cmp (k->qinv, k->p) >= 0)
    goto out;
  gcry_mpi_mul (pq, k->p, k->q);
  if (gcry_mpi_cmp (pq, k->n) != 0)
    goto out;
  gcry_mpi_sub_ui (p1, k->p, 1);
  gcry_mpi_sub_ui (q1, k->q, 1);
  if (!mod_equals (k->d, p1, k->dp) || !mod_equals (k->d, q1, k->dq))
    goto out;
  gcry_mpi_mul (t, k->e, k->dp);
  if (!mod_equals (t, p1, one))
    goto out;
  gcry_mpi_mul (t, k->e, k->dq);
  if (!mod_equals (t, q1, one))
    goto out;
  gcry_mpi_mul (t, k->qinv, k->q);
  ok = mod_equals (t, k->p, one);

out:
  gcry_mpi_release (one);
  gcry_mpi_release (pq);
  gcry_mpi_release (p1);
  gcry_mpi_release (q1);
  gcry_mpi_release (t);
  return ok;
}

/* Takes @parts (also on failure). */
static RsaPrivate *
private_new_from_parts (SatoriKeyDerRsa *parts, GError **error)
{
  RsaPrivate *key = g_new0 (RsaPrivate, 1);

  key->parts = *parts;
  memset (parts, 0, sizeof *parts);

  if (!check_public_numbers (key->parts.n, key->parts.e, error))
    goto fail;
  if (!parts_consistent (&key->parts))
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the RSA private key's numbers do not make one key");
      goto fail;
    }

  /* libgcrypt wants p < q and u = p⁻¹ mod q (its CRT signing goes wrong
   * now and then otherwise); PKCS #1 has any order and the coefficient
   * q⁻¹ mod p. With PKCS #1's primes swapped the coefficient is u. */
  const SatoriKeyDerRsa *k = &key->parts;
  gcry_mpi_t small = k->q, large = k->p, u = gcry_mpi_snew (0);
  if (gcry_mpi_cmp (k->p, k->q) > 0)
    gcry_mpi_set (u, k->qinv);
  else
    {
      small = k->p;
      large = k->q;
      gcry_mpi_invm (u, small, large);
    }
  if (gcry_sexp_build (&key->sexp, NULL,
                       "(private-key (rsa (n %m) (e %m) (d %m) (p %m) (q %m) (u %m)))",
                       k->n, k->e, k->d, small, large, u) != 0)
    g_error ("cannot build an RSA key");
  gcry_mpi_release (u);
  if (gcry_pk_testkey (key->sexp) != 0)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "libgcrypt refuses the RSA private key");
      goto fail;
    }
  return key;

fail:
  rsa_private_free (key);
  return NULL;
}

static gpointer
rsa_private_generate (GError **error)
{
  gcry_sexp_t params = NULL, pair = NULL;
  gcry_mpi_t gp = NULL, gq = NULL, u = NULL;
  SatoriKeyDerRsa parts = { NULL, };

  satori_crypto_init ();
  if (gcry_sexp_build (&params, NULL, "(genkey (rsa (nbits %s)))", GENERATE_BITS) != 0)
    g_error ("cannot build RSA key generation parameters");
  gcry_error_t err = gcry_pk_genkey (&pair, params);
  gcry_sexp_release (params);
  if (err == 0)
    err = gcry_sexp_extract_param (pair, "private-key", "nedpqu",
                                   &parts.n, &parts.e, &parts.d, &gp, &gq, &u, NULL);
  gcry_sexp_release (pair);
  if (err != 0)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_CRYPTO,
                   "RSA key generation failed: %s", gcry_strerror (err));
      return NULL;
    }

  gcry_mpi_set_flag (parts.d, GCRYMPI_FLAG_SECURE);
  gcry_mpi_set_flag (gp, GCRYMPI_FLAG_SECURE);
  gcry_mpi_set_flag (gq, GCRYMPI_FLAG_SECURE);
  gcry_mpi_set_flag (u, GCRYMPI_FLAG_SECURE);

  /* Back to PKCS #1's order: see private_new_from_parts(). */
  parts.p = gq;
  parts.q = gp;
  parts.qinv = u;
  parts.dp = gcry_mpi_snew (0);
  parts.dq = gcry_mpi_snew (0);
  gcry_mpi_t p1 = gcry_mpi_snew (0), q1 = gcry_mpi_snew (0);
  gcry_mpi_sub_ui (p1, parts.p, 1);
  gcry_mpi_sub_ui (q1, parts.q, 1);
  gcry_mpi_mod (parts.dp, parts.d, p1);
  gcry_mpi_mod (parts.dq, parts.d, q1);
  gcry_mpi_release (p1);
  gcry_mpi_release (q1);

  return private_new_from_parts (&parts, error);
}

static gpointer
rsa_private_parse (const guint8 *data, gsize len, GError **error)
{
  SatoriKeyDerRsa parts;

  if (!satori_key_der_decode_rsa_private (data, len, &parts, error))
    return NULL;
  return private_new_from_parts (&parts, error);
}

static GBytes *
rsa_private_encode (gconstpointer priv)
{
  const RsaPrivate *key = priv;

  return satori_key_der_encode_rsa_private (&key->parts);
}

static GBytes *
rsa_private_public_raw (gconstpointer priv)
{
  const RsaPrivate *key = priv;
  g_autoptr(GBytes) inner = satori_key_der_encode_rsa_public (key->parts.n, key->parts.e);
  gsize inner_len;
  const guint8 *inner_data = g_bytes_get_data (inner, &inner_len);

  return satori_key_der_encode_spki (SATORI_OID_RSA_ENCRYPTION, null_params, sizeof null_params,
                                     inner_data, inner_len);
}

static GBytes *
rsa_sign (gconstpointer priv, const guint8 *data, gsize len, GError **error)
{
  const RsaPrivate *key = priv;
  gcry_sexp_t data_sexp = NULL, sig_sexp = NULL;
  gcry_mpi_t s = NULL;
  guint8 digest[SATORI_SHA256_LENGTH];

  satori_crypto_sha256 (data, len, digest);
  if (gcry_sexp_build (&data_sexp, NULL, "(data (flags pkcs1) (hash sha256 %b))",
                       (int) sizeof digest, digest) != 0)
    g_error ("cannot build an RSA signature request");
  gcry_error_t err = gcry_pk_sign (&sig_sexp, data_sexp, key->sexp);
  gcry_sexp_release (data_sexp);
  if (err == 0)
    err = gcry_sexp_extract_param (sig_sexp, "sig-val!rsa", "s", &s, NULL);
  gcry_sexp_release (sig_sexp);
  if (err != 0)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_CRYPTO,
                   "RSA signing failed: %s", gcry_strerror (err));
      return NULL;
    }

  /* The signature is left-padded to the modulus length. */
  gsize k = (gcry_mpi_get_nbits (key->parts.n) + 7) / 8;
  gsize s_len = (gcry_mpi_get_nbits (s) + 7) / 8;
  guint8 *out = g_malloc0 (k);
  if (s_len > k ||
      gcry_mpi_print (GCRYMPI_FMT_USG, out + (k - s_len), s_len, NULL, s) != 0)
    g_error ("an RSA signature longer than its modulus");
  gcry_mpi_release (s);
  return g_bytes_new_take (out, k);
}

const SatoriKeyBackend satori_key_backend_rsa = {
  .type = SATORI_KEY_TYPE_RSA,
  .public_parse = rsa_public_parse,
  .verify = rsa_verify,
  .public_free = rsa_public_free,
  .private_generate = rsa_private_generate,
  .private_parse = rsa_private_parse,
  .private_encode = rsa_private_encode,
  .private_public_raw = rsa_private_public_raw,
  .sign = rsa_sign,
  .private_free = rsa_private_free,
};
