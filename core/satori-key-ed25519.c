/* Ed25519 keys (RFC 8032) with nettle, several times as fast as libgcrypt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gcrypt.h>
#include <gmp.h>
#include <nettle/eddsa.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-key-backend.h"

#define KEY_LEN 32
#define SIGNATURE_LEN 64

typedef struct {
  guint8 raw[KEY_LEN];
} Ed25519Public;

/* The secret seed and the public key, as the Data field holds them. */
typedef struct {
  guint8 *seed_pub;   /* 64 bytes of secure memory */
} Ed25519Private;

static void
ed25519_public_free (gpointer pub)
{
  g_free (pub);
}

/* (a · b) mod p */
static void
mulm (mpz_t out, const mpz_t a, const mpz_t b, const mpz_t p)
{
  mpz_mul (out, a, b);
  mpz_mod (out, out, p);
}

/* Checks a public key as RFC 8032 section 5.1.3 decodes it: y < p, and
 * x² = (y² - 1) / (d·y² + 1) has a square root (and x = 0 has no
 * negative). The points of small order are refused too, with
 * %SATORI_KEY_ERROR_UNSUPPORTED, as libsodium does: no honest key is one.
 * GMP, not libgcrypt: a sixth of the instructions, and every Noise
 * handshake parses a key. Returns whether the key is usable. */
static gboolean
point_usable (const guint8 raw[KEY_LEN], GError **error)
{
  /* d = -121665/121666 mod p, √-1 = 2^((p-1)/4) mod p, and the y of the
   * points of order 8 (the others have p - that), big-endian. */
  static const char d_hex[] =
    "52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3";
  static const char sqrt_m1_hex[] =
    "2b8324804fc1df0b2b4d00993dfbd7a72f431806ad2fe478c4ee1b274a0ea0b0";
  static const char y8_hex[] =
    "7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7";
  mpz_t p, d, sqrt_m1, y8, y, u, v, x2, x, t;

  mpz_inits (p, d, sqrt_m1, y8, y, u, v, x2, x, t, NULL);
  mpz_ui_pow_ui (p, 2, 255);
  mpz_sub_ui (p, p, 19);
  mpz_set_str (d, d_hex, 16);
  mpz_set_str (sqrt_m1, sqrt_m1_hex, 16);
  mpz_set_str (y8, y8_hex, 16);
  /* Little-endian y; the top bit is the sign (parity) of x. */
  mpz_import (y, KEY_LEN, -1, 1, 0, 0, raw);
  gboolean x_odd = mpz_tstbit (y, 255);
  mpz_clrbit (y, 255);

  const char *problem = "is not a point on the curve";
  int code = SATORI_KEY_ERROR_MALFORMED;

  if (mpz_cmp (y, p) >= 0)
    goto out;
  mulm (u, y, y, p);                    /* u = y² */
  mulm (v, d, u, p);
  mpz_add_ui (v, v, 1);
  mpz_mod (v, v, p);                    /* v = d·y² + 1, never 0 */
  mpz_sub_ui (u, u, 1);
  mpz_mod (u, u, p);                    /* u = y² - 1 mod p */
  if (!mpz_invert (x2, v, p))
    goto out;
  mulm (x2, x2, u, p);                  /* x² */

  /* p ≡ 5 (mod 8): x = (x²)^((p+3)/8), times √-1 if that squares to -x². */
  mpz_add_ui (t, p, 3);
  mpz_fdiv_q_2exp (t, t, 3);
  mpz_powm (x, x2, t, p);
  mulm (t, x, x, p);
  if (mpz_cmp (t, x2) != 0)
    {
      mulm (x, x, sqrt_m1, p);
      mulm (t, x, x, p);
      if (mpz_cmp (t, x2) != 0)
        goto out;                       /* x² is not a square */
    }
  if (mpz_sgn (x) == 0 && x_odd)
    goto out;
  if (mpz_tstbit (x, 0) != x_odd)
    mpz_sub (x, p, x);

  code = SATORI_KEY_ERROR_UNSUPPORTED;
  mpz_sub (t, p, y8);
  if (mpz_sgn (x) == 0 || mpz_sgn (y) == 0 || mpz_cmp (y, y8) == 0 || mpz_cmp (y, t) == 0)
    problem = "is a point of small order";
  else
    problem = NULL;

out:
  if (problem != NULL)
    g_set_error (error, SATORI_KEY_ERROR, code, "the Ed25519 public key %s", problem);
  mpz_clears (p, d, sqrt_m1, y8, y, u, v, x2, x, t, NULL);
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
  return key;
}

static gboolean
ed25519_verify (gconstpointer pub, const guint8 *data, gsize len,
                const guint8 *sig, gsize sig_len)
{
  const Ed25519Public *key = pub;

  return sig_len == SIGNATURE_LEN && ed25519_sha512_verify (key->raw, len, data, sig) == 1;
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
  ed25519_sha512_public_key (key->seed_pub + KEY_LEN, seed);
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
  const Ed25519Private *key = priv;
  guint8 signature[SIGNATURE_LEN];

  ed25519_sha512_sign (key->seed_pub + KEY_LEN, key->seed_pub, len, data, signature);
  return g_bytes_new (signature, SIGNATURE_LEN);
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
