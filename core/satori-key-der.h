/* satori-key-der.h — DER encodings of keys and signatures (internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gcrypt.h>
#include <glib.h>

G_BEGIN_DECLS

#define SATORI_OID_RSA_ENCRYPTION "1.2.840.113549.1.1.1"
#define SATORI_OID_EC_PUBLIC_KEY  "1.2.840.10045.2.1"
#define SATORI_OID_PRIME256V1     "1.2.840.10045.3.1.7"

/* The two-prime RSA private key of PKCS #1, in its field names: p is
 * prime1, q prime2, qinv the coefficient q⁻¹ mod p. */
typedef struct {
  gcry_mpi_t n, e, d, p, q, dp, dq, qinv;
} SatoriKeyDerRsa;

void     satori_key_der_rsa_clear (SatoriKeyDerRsa *key);

GBytes  *satori_key_der_encode_spki (const char *algorithm_oid,
                                     const guint8 *params, gsize params_len,
                                     const guint8 *key, gsize key_len);
gboolean satori_key_der_decode_spki (const guint8 *der, gsize len,
                                     char **algorithm_oid, GBytes **params,
                                     GBytes **key, GError **error);

GBytes  *satori_key_der_encode_rsa_public (gcry_mpi_t n, gcry_mpi_t e);
gboolean satori_key_der_decode_rsa_public (const guint8 *der, gsize len,
                                           gcry_mpi_t *n, gcry_mpi_t *e,
                                           GError **error);

GBytes  *satori_key_der_encode_rsa_private (const SatoriKeyDerRsa *key);
gboolean satori_key_der_decode_rsa_private (const guint8 *der, gsize len,
                                            SatoriKeyDerRsa *key, GError **error);

GBytes  *satori_key_der_encode_ec_private (const guint8 *secret, gsize secret_len,
                                           const char *curve_oid,
                                           const guint8 *point, gsize point_len);
gboolean satori_key_der_decode_ec_private (const guint8 *der, gsize len,
                                           GBytes **secret, char **curve_oid,
                                           GBytes **point, GError **error);

GBytes  *satori_key_der_encode_ecdsa_signature (gcry_mpi_t r, gcry_mpi_t s);
gboolean satori_key_der_decode_ecdsa_signature (const guint8 *der, gsize len,
                                                gcry_mpi_t *r, gcry_mpi_t *s,
                                                GError **error);

G_END_DECLS
