/* satori-key-backend.h — what each key type implements (internal)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-public-key.h"

G_BEGIN_DECLS

/* One per key type, in satori-key-<type>.c. A public or private "handle" is
 * whatever the backend keeps for a parsed key. Parsers are strict: they
 * accept only the spec's encoding of the Data field, so that encoding a
 * parsed key gives back the same bytes. */
typedef struct {
  SatoriKeyType type;

  gpointer (*public_parse)      (const guint8 *data, gsize len, GError **error);
  gboolean (*verify)            (gconstpointer pub, const guint8 *data, gsize len,
                                 const guint8 *sig, gsize sig_len);
  void     (*public_free)       (gpointer pub);

  gpointer (*private_generate)  (GError **error);
  gpointer (*private_parse)     (const guint8 *data, gsize len, GError **error);
  /* The private and public Data bytes; the private ones in secure memory. */
  GBytes  *(*private_encode)    (gconstpointer priv);
  GBytes  *(*private_public_raw) (gconstpointer priv);
  GBytes  *(*sign)              (gconstpointer priv, const guint8 *data, gsize len,
                                 GError **error);
  void     (*private_free)      (gpointer priv);
} SatoriKeyBackend;

extern const SatoriKeyBackend satori_key_backend_rsa;
extern const SatoriKeyBackend satori_key_backend_ed25519;
extern const SatoriKeyBackend satori_key_backend_secp256k1;
extern const SatoriKeyBackend satori_key_backend_ecdsa;

/* Returns %NULL for a type we do not know. */
static inline const SatoriKeyBackend *
satori_key_backend_get (SatoriKeyType type)
{
  switch (type)
    {
    case SATORI_KEY_TYPE_RSA:
      return &satori_key_backend_rsa;
    case SATORI_KEY_TYPE_ED25519:
      return &satori_key_backend_ed25519;
    case SATORI_KEY_TYPE_SECP256K1:
      return &satori_key_backend_secp256k1;
    case SATORI_KEY_TYPE_ECDSA:
      return &satori_key_backend_ecdsa;
    default:
      return NULL;
    }
}

/* The randomised libsecp256k1 context of satori-key-secp256k1.c. */
struct secp256k1_context_struct;
const struct secp256k1_context_struct *satori_key_secp256k1_context (void);

/* The PublicKey / PrivateKey protobufs (satori-key-protobuf.c). */
gboolean satori_key_protobuf_decode (gboolean is_private, const guint8 *data, gsize len,
                                     SatoriKeyType *type, GBytes **key_data,
                                     GError **error);
GBytes  *satori_key_protobuf_encode (gboolean is_private, SatoriKeyType type,
                                     GBytes *key_data);

G_END_DECLS
