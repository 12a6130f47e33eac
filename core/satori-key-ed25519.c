/* Ed25519 keys (RFC 8032) with libgcrypt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gcrypt.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

#define KEY_LEN 32
#define SIGNATURE_LEN 64

typedef struct {
  guint8 raw[KEY_LEN];
  gcry_sexp_t sexp;
} Ed25519Public;

/* The secret seed and the public key, as the Data field holds them. */
typedef struct {
  guint8 *seed_pub;   /* 64 bytes of secure memory */
} Ed25519Private;

static void
ed25519_public_free (gpointer pub)
{
  Ed25519Public *key = pub;

  gcry_sexp_release (key->sexp);
  g_free (key);
}

/* Bits below which a coordinate takes fewer than four 64-bit limbs. */
#define SHORT_COORDINATE_BITS 192

/* Checks a public key as RFC 8032 section 5.1.3 decodes it: y < p, and
 * x² = (y² - 1) / (d·y² + 1) has a square root (and x = 0 has no
 * negative). Also refused, with %SATORI_KEY_ERROR_UNSUPPORTED:
 *  - the points of small order, as libsodium does: no honest key is one;
 *  - points with x or y below 2^192: libgcrypt 1.10 aborts the process
 *    ("mulm_25519: different sizes") when it verifies with one. A random
 *    key has one with probability about 2^-62.
 * Returns whether the key is usable. */
static gboolean
point_usable (const guint8 raw[KEY_LEN], GError **error)
{
  /* p = 2^255 - 19, d = -121665/121666 mod p, √-1 = 2^((p-1)/4) mod p, and
   * the y of the points of order 8 (the others have p - that), big-endian. */
  static const char p_hex[] =
    "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed";
  static const char d_hex[] =
    "52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3";
  static const char sqrt_m1_hex[] =
    "2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0";
  static const char y8_hex[] =
    "7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7";
  guint8 y_bytes[KEY_LEN];
  gcry_mpi_t p = NULL, d = NULL, sqrt_m1 = NULL, y8 = NULL, y = NULL;

  /* Little-endian y; the top bit is the sign (parity) of x. */
  for (gsize i = 0; i < KEY_LEN; i++)
    y_bytes[i] = raw[KEY_LEN - 1 - i];
  gboolean x_odd = (y_bytes[0] & 0x80) != 0;
  y_bytes[0] &= 0x7f;

  if (gcry_mpi_scan (&p, GCRYMPI_FMT_HEX, p_hex, 0, NULL) != 0 ||
      gcry_mpi_scan (&d, GCRYMPI_FMT_HEX, d_hex, 0, NULL) != 0 ||
      gcry_mpi_scan (&sqrt_m1, GCRYMPI_FMT_HEX, sqrt_m1_hex, 0, NULL) != 0 ||
      gcry_mpi_scan (&y8, GCRYMPI_FMT_HEX, y8_hex, 0, NULL) != 0 ||
      gcry_mpi_scan (&y, GCRYMPI_FMT_USG, y_bytes, KEY_LEN, NULL) != 0)
    g_error ("cannot scan Ed25519 constants");

  gcry_mpi_t u = gcry_mpi_new (0), v = gcry_mpi_new (0), x2 = gcry_mpi_new (0);
  gcry_mpi_t x = gcry_mpi_new (0), t = gcry_mpi_new (0);
  const char *problem = "is not a point on the curve";
  int code = SATORI_KEY_ERROR_MALFORMED;

  if (gcry_mpi_cmp (y, p) >= 0)
    goto out;
  gcry_mpi_mulm (u, y, y, p);           /* u = y² */
  gcry_mpi_mulm (v, d, u, p);
  gcry_mpi_add_ui (v, v, 1);
  gcry_mpi_mod (v, v, p);               /* v = d·y² + 1, never 0 */
  gcry_mpi_sub_ui (u, u, 1);
  gcry_mpi_addm (u, u, p, p);           /* u = y² - 1 mod p */
  if (!gcry_mpi_invm (x2, v, p))
    goto out;
  gcry_mpi_mulm (x2, x2, u, p);         /* x² */

  /* p ≡ 5 (mod 8): x = (x²)^((p+3)/8), times √-1 if that squares to -x². */
  gcry_mpi_add_ui (t, p, 3);
  gcry_mpi_rshift (t, t, 3);
  gcry_mpi_powm (x, x2, t, p);
  gcry_mpi_mulm (t, x, x, p);
  if (gcry_mpi_cmp (t, x2) != 0)
    {
      gcry_mpi_mulm (x, x, sqrt_m1, p);
      gcry_mpi_mulm (t, x, x, p);
      if (gcry_mpi_cmp (t, x2) != 0)
        goto out;                       /* x² is not a square */
    }
  if (gcry_mpi_cmp_ui (x, 0) == 0 && x_odd)
    goto out;
  if (gcry_mpi_test_bit (x, 0) != x_odd)
    gcry_mpi_sub (x, p, x);

  code = SATORI_KEY_ERROR_UNSUPPORTED;
  gcry_mpi_sub (t, p, y8);
  if (gcry_mpi_cmp_ui (x, 0) == 0 || gcry_mpi_cmp_ui (y, 0) == 0 ||
      gcry_mpi_cmp (y, y8) == 0 || gcry_mpi_cmp (y, t) == 0)
    problem = "is a point of small order";
  else if (gcry_mpi_get_nbits (x) <= SHORT_COORDINATE_BITS ||
           gcry_mpi_get_nbits (y) <= SHORT_COORDINATE_BITS)
    problem = "has a coordinate below 2^192, which libgcrypt cannot verify with";
  else
    problem = NULL;

out:
  if (problem != NULL)
    g_set_error (error, SATORI_KEY_ERROR, code, "the Ed25519 public key %s", problem);
  gcry_mpi_release (p);
  gcry_mpi_release (d);
  gcry_mpi_release (sqrt_m1);
  gcry_mpi_release (y8);
  gcry_mpi_release (y);
  gcry_mpi_release (u);
  gcry_mpi_release (v);
  gcry_mpi_release (x2);
  gcry_mpi_release (x);
  gcry_mpi_release (t);
  return problem == NULL;
}

static gpointer
ed25519_public_parse (const guint8 *data, gsize len, GError **error)
{
  if (len != KEY_LEN)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "an Ed25519 public key is %d bytes, not %" G_GSIZE_FORMAT,
                   KEY_LEN, len);
      return NULL;
    }
  if (!point_usable (data, error))
    return NULL;

  Ed25519Public *key = g_new0 (Ed25519Public, 1);
  memcpy (key->raw, data, KEY_LEN);
  if (gcry_sexp_build (&key->sexp, NULL,
                       "(public-key (ecc (curve Ed25519) (flags eddsa) (q %b)))",
                       KEY_LEN, key->raw) != 0)
    g_error ("cannot build an Ed25519 key");
  return key;
}

static gboolean
ed25519_verify (gconstpointer pub, const guint8 *data, gsize len,
                const guint8 *sig, gsize sig_len)
{
  const Ed25519Public *key = pub;
  gcry_sexp_t sig_sexp = NULL, data_sexp = NULL;

  if (sig_len != SIGNATURE_LEN)
    return FALSE;
  if (gcry_sexp_build (&sig_sexp, NULL, "(sig-val (eddsa (r %b) (s %b)))",
                       32, sig, 32, sig + 32) != 0 ||
      gcry_sexp_build (&data_sexp, NULL,
                       "(data (flags eddsa) (hash-algo sha512) (value %b))",
                       (int) len, data) != 0)
    g_error ("cannot build an Ed25519 verification");

  gboolean valid = gcry_pk_verify (sig_sexp, data_sexp, key->sexp) == 0;
  gcry_sexp_release (sig_sexp);
  gcry_sexp_release (data_sexp);
  return valid;
}

static gcry_sexp_t
private_sexp (const Ed25519Private *key)
{
  gcry_sexp_t sexp = NULL;

  if (gcry_sexp_build (&sexp, NULL,
                       "(private-key (ecc (curve Ed25519) (flags eddsa) (q %b) (d %b)))",
                       KEY_LEN, key->seed_pub + KEY_LEN, KEY_LEN, key->seed_pub) != 0)
    g_error ("cannot build an Ed25519 key");
  return sexp;
}

/* Computes the public key of @seed into @pub. */
static void
derive_public (const guint8 *seed, guint8 pub[KEY_LEN])
{
  gcry_sexp_t sexp = NULL;
  gcry_ctx_t ctx = NULL;

  if (gcry_sexp_build (&sexp, NULL, "(private-key (ecc (curve Ed25519) (flags eddsa) (d %b)))",
                       KEY_LEN, seed) != 0 ||
      gcry_mpi_ec_new (&ctx, sexp, NULL) != 0)
    g_error ("cannot set up an Ed25519 key");

  gcry_mpi_t q = gcry_mpi_ec_get_mpi ("q@eddsa", ctx, 1);
  unsigned int bits = 0;
  const guint8 *q_bytes = q ? gcry_mpi_get_opaque (q, &bits) : NULL;
  if (q_bytes == NULL || bits != KEY_LEN * 8)
    g_error ("cannot compute an Ed25519 public key");
  memcpy (pub, q_bytes, KEY_LEN);

  gcry_mpi_release (q);
  gcry_ctx_release (ctx);
  gcry_sexp_release (sexp);
}

static void
ed25519_private_free (gpointer priv)
{
  Ed25519Private *key = priv;

  explicit_bzero (key->seed_pub, 2 * KEY_LEN);
  gcry_free (key->seed_pub);
  g_free (key);
}

static Ed25519Private *
private_new_from_seed (const guint8 *seed)
{
  Ed25519Private *key = g_new0 (Ed25519Private, 1);

  key->seed_pub = gcry_xmalloc_secure (2 * KEY_LEN);
  memcpy (key->seed_pub, seed, KEY_LEN);
  derive_public (seed, key->seed_pub + KEY_LEN);
  return key;
}

static gpointer
ed25519_private_generate (GError **error)
{
  guint8 *seed = gcry_xmalloc_secure (KEY_LEN);

  satori_crypto_init ();
  gcry_randomize (seed, KEY_LEN, GCRY_VERY_STRONG_RANDOM);
  Ed25519Private *key = private_new_from_seed (seed);
  explicit_bzero (seed, KEY_LEN);
  gcry_free (seed);
  return key;
}

/* Data is seed ‖ public key (64 bytes), or seed ‖ public ‖ public (96
 * bytes) as older libp2p wrote it; the public parts must match the seed. */
static gpointer
ed25519_private_parse (const guint8 *data, gsize len, GError **error)
{
  if (len != 2 * KEY_LEN && len != 3 * KEY_LEN)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "an Ed25519 private key is 64 (or, in the old form, 96) bytes, not %"
                   G_GSIZE_FORMAT, len);
      return NULL;
    }
  if (len == 3 * KEY_LEN && memcmp (data + KEY_LEN, data + 2 * KEY_LEN, KEY_LEN) != 0)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the two public keys of a 96-byte Ed25519 private key differ");
      return NULL;
    }

  Ed25519Private *key = private_new_from_seed (data);
  if (memcmp (key->seed_pub + KEY_LEN, data + KEY_LEN, KEY_LEN) != 0)
    {
      g_set_error_literal (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                           "the Ed25519 private key's public half does not belong to its secret");
      ed25519_private_free (key);
      return NULL;
    }
  return key;
}

static GBytes *
ed25519_private_encode (gconstpointer priv)
{
  const Ed25519Private *key = priv;

  return satori_crypto_secure_bytes_new (key->seed_pub, 2 * KEY_LEN);
}

static GBytes *
ed25519_private_public_raw (gconstpointer priv)
{
  const Ed25519Private *key = priv;

  return g_bytes_new (key->seed_pub + KEY_LEN, KEY_LEN);
}

static GBytes *
ed25519_sign (gconstpointer priv, const guint8 *data, gsize len, GError **error)
{
  gcry_sexp_t key_sexp = private_sexp (priv);
  gcry_sexp_t data_sexp = NULL, sig_sexp = NULL;
  gcry_mpi_t r = NULL, s = NULL;

  if (gcry_sexp_build (&data_sexp, NULL,
                       "(data (flags eddsa) (hash-algo sha512) (value %b))",
                       (int) len, data) != 0)
    g_error ("cannot build an Ed25519 signature request");

  gcry_error_t err = gcry_pk_sign (&sig_sexp, data_sexp, key_sexp);
  gcry_sexp_release (key_sexp);
  gcry_sexp_release (data_sexp);
  if (err == 0)
    err = gcry_sexp_extract_param (sig_sexp, "sig-val!eddsa", "/r/s", &r, &s, NULL);
  gcry_sexp_release (sig_sexp);

  GBytes *signature = NULL;
  unsigned int r_bits = 0, s_bits = 0;
  const guint8 *r_bytes = err == 0 ? gcry_mpi_get_opaque (r, &r_bits) : NULL;
  const guint8 *s_bytes = err == 0 ? gcry_mpi_get_opaque (s, &s_bits) : NULL;
  if (r_bytes != NULL && s_bytes != NULL && r_bits == 256 && s_bits == 256)
    {
      guint8 out[SIGNATURE_LEN];
      memcpy (out, r_bytes, 32);
      memcpy (out + 32, s_bytes, 32);
      signature = g_bytes_new (out, SIGNATURE_LEN);
    }
  else
    g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_CRYPTO,
                 "Ed25519 signing failed: %s", err ? gcry_strerror (err) : "bad signature size");
  gcry_mpi_release (r);
  gcry_mpi_release (s);
  return signature;
}

const SatoriKeyBackend satori_key_backend_ed25519 = {
  .type = SATORI_KEY_TYPE_ED25519,
  .public_parse = ed25519_public_parse,
  .verify = ed25519_verify,
  .public_free = ed25519_public_free,
  .private_generate = ed25519_private_generate,
  .private_parse = ed25519_private_parse,
  .private_encode = ed25519_private_encode,
  .private_public_raw = ed25519_private_public_raw,
  .sign = ed25519_sign,
  .private_free = ed25519_private_free,
};
