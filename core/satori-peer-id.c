/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-peer-id.h"

#include <string.h>

#include "satori-crypto.h"
#include "satori-errors.h"
#include "satori-multibase.h"
#include "satori-varint.h"

/* Multihash codes and the CID bits of libp2p/specs peer-ids. */
#define MULTIHASH_IDENTITY 0x00
#define MULTIHASH_SHA2_256 0x12
#define CID_VERSION_1 0x01
#define MULTICODEC_LIBP2P_KEY 0x72

/**
 * SatoriPeerId:
 *
 * An immutable, reference-counted libp2p peer id: the multihash of a
 * `PublicKey` protobuf, held verbatim (identity multihash) when the
 * protobuf is at most 42 bytes, else its SHA-256. Printed in base58btc by
 * default, or as a CIDv1 with the libp2p-key codec; both forms parse.
 */
struct _SatoriPeerId
{
  GBytes *bytes;
};

G_DEFINE_BOXED_TYPE (SatoriPeerId, satori_peer_id, satori_peer_id_ref, satori_peer_id_unref)

static SatoriPeerId *
peer_id_new_take (GBytes *bytes)
{
  SatoriPeerId *id = g_atomic_rc_box_new0 (SatoriPeerId);

  id->bytes = bytes;
  return id;
}

/**
 * satori_peer_id_new_from_public_key:
 * @key: a public key
 *
 * Returns: (transfer full): the peer id of @key
 */
SatoriPeerId *
satori_peer_id_new_from_public_key (SatoriPublicKey *key)
{
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (key), NULL);

  g_autoptr(GBytes) protobuf = satori_public_key_to_protobuf (key);
  gsize len;
  const guint8 *data = g_bytes_get_data (protobuf, &len);
  GByteArray *multihash = g_byte_array_sized_new (2 + MAX (len, SATORI_SHA256_LENGTH));

  if (len <= SATORI_PEER_ID_MAX_INLINE_KEY_LENGTH)
    {
      satori_varint_append (multihash, MULTIHASH_IDENTITY);
      satori_varint_append (multihash, len);
      g_byte_array_append (multihash, data, len);
    }
  else
    {
      guint8 digest[SATORI_SHA256_LENGTH];

      satori_crypto_sha256 (data, len, digest);
      satori_varint_append (multihash, MULTIHASH_SHA2_256);
      satori_varint_append (multihash, SATORI_SHA256_LENGTH);
      g_byte_array_append (multihash, digest, sizeof digest);
    }
  return peer_id_new_take (g_byte_array_free_to_bytes (multihash));
}

/* Turns a codec error into a peer id error with some context. */
static void
propagate_as_malformed (GError **dest, GError *src, const char *what)
{
  g_set_error (dest, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
               "invalid peer id: %s: %s", what, src->message);
  g_error_free (src);
}

/**
 * satori_peer_id_new_from_bytes:
 * @data: (array length=len): a multihash
 * @len: its length
 * @error: %SATORI_KEY_ERROR_MALFORMED
 *
 * Reads a peer id in binary form. It must be an identity multihash of a
 * valid `PublicKey` protobuf of at most 42 bytes, or a SHA-256 multihash.
 *
 * Returns: (transfer full): the peer id, or %NULL
 */
SatoriPeerId *
satori_peer_id_new_from_bytes (const guint8 *data, gsize len, GError **error)
{
  guint64 code = 0, digest_len = 0;
  gsize used = 0, more = 0;
  GError *codec_error = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!satori_varint_decode (data, len, &code, &used, &codec_error) ||
      !satori_varint_decode (data + used, len - used, &digest_len, &more, &codec_error))
    {
      propagate_as_malformed (error, codec_error, "multihash header");
      return NULL;
    }
  used += more;

  if (digest_len != len - used)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "invalid peer id: the multihash says %" G_GUINT64_FORMAT
                   " digest bytes but %" G_GSIZE_FORMAT " follow",
                   digest_len, len - used);
      return NULL;
    }

  switch (code)
    {
    case MULTIHASH_SHA2_256:
      if (digest_len != SATORI_SHA256_LENGTH)
        {
          g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                       "invalid peer id: a sha2-256 digest is 32 bytes, not %" G_GUINT64_FORMAT,
                       digest_len);
          return NULL;
        }
      break;

    case MULTIHASH_IDENTITY:
      {
        if (digest_len == 0 || digest_len > SATORI_PEER_ID_MAX_INLINE_KEY_LENGTH)
          {
            g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                         "invalid peer id: an inline public key is 1 to %d bytes, not %"
                         G_GUINT64_FORMAT, SATORI_PEER_ID_MAX_INLINE_KEY_LENGTH, digest_len);
            return NULL;
          }
        g_autoptr(GError) key_error = NULL;
        g_autoptr(SatoriPublicKey) key =
          satori_public_key_new_from_protobuf (data + used, digest_len, &key_error);
        if (key == NULL)
          {
            propagate_as_malformed (error, g_steal_pointer (&key_error), "inline public key");
            return NULL;
          }
      }
      break;

    default:
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "invalid peer id: multihash code 0x%" G_GINT64_MODIFIER "x is "
                   "neither identity (0x00) nor sha2-256 (0x12)", code);
      return NULL;
    }

  return peer_id_new_take (g_bytes_new (data, len));
}

/* A CIDv1 of the libp2p-key codec: returns the multihash in it. */
static SatoriPeerId *
peer_id_new_from_cid (const char *text, GError **error)
{
  GError *codec_error = NULL;
  g_autoptr(GBytes) cid = satori_multibase_decode (text, NULL, &codec_error);
  if (cid == NULL)
    {
      propagate_as_malformed (error, codec_error, "multibase");
      return NULL;
    }

  gsize len, used = 0, more = 0;
  const guint8 *data = g_bytes_get_data (cid, &len);
  guint64 version = 0, codec = 0;
  if (!satori_varint_decode (data, len, &version, &used, &codec_error) ||
      !satori_varint_decode (data + used, len - used, &codec, &more, &codec_error))
    {
      propagate_as_malformed (error, codec_error, "CID header");
      return NULL;
    }
  if (version != CID_VERSION_1)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "invalid peer id: CID version %" G_GUINT64_FORMAT ", not 1", version);
      return NULL;
    }
  if (codec != MULTICODEC_LIBP2P_KEY)
    {
      g_set_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED,
                   "invalid peer id: the CID's codec is 0x%" G_GINT64_MODIFIER "x, "
                   "not libp2p-key (0x72)", codec);
      return NULL;
    }
  used += more;
  return satori_peer_id_new_from_bytes (data + used, len - used, error);
}

/**
 * satori_peer_id_new_from_string:
 * @text: a peer id in text
 * @error: %SATORI_KEY_ERROR_MALFORMED
 *
 * Reads either text form: a bare base58btc multihash (starting with `1`
 * or `Qm`), or a multibase CIDv1 with the libp2p-key codec
 * (`bafz...`).
 *
 * Returns: (transfer full): the peer id, or %NULL
 */
SatoriPeerId *
satori_peer_id_new_from_string (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text[0] != '1' && !g_str_has_prefix (text, "Qm"))
    return peer_id_new_from_cid (text, error);

  GError *codec_error = NULL;
  g_autoptr(GBytes) multihash = satori_base58btc_decode (text, &codec_error);
  if (multihash == NULL)
    {
      propagate_as_malformed (error, codec_error, "base58btc");
      return NULL;
    }
  gsize len;
  const guint8 *data = g_bytes_get_data (multihash, &len);
  return satori_peer_id_new_from_bytes (data, len, error);
}

/**
 * satori_peer_id_ref:
 * @id: a peer id
 *
 * Returns: (transfer full): @id
 */
SatoriPeerId *
satori_peer_id_ref (SatoriPeerId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_atomic_rc_box_acquire (id);
}

static void
peer_id_clear (gpointer data)
{
  SatoriPeerId *id = data;

  g_bytes_unref (id->bytes);
}

/**
 * satori_peer_id_unref:
 * @id: (transfer full): a peer id
 *
 * Drops a reference to @id.
 */
void
satori_peer_id_unref (SatoriPeerId *id)
{
  g_return_if_fail (id != NULL);

  g_atomic_rc_box_release_full (id, peer_id_clear);
}

/**
 * satori_peer_id_to_string:
 * @id: a peer id
 *
 * Returns: (transfer full): @id as a bare base58btc multihash (`12D3KooW...`,
 *   `16Uiu2...`, `Qm...`), the form libp2p displays
 */
char *
satori_peer_id_to_string (const SatoriPeerId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  gsize len;
  const guint8 *data = g_bytes_get_data (id->bytes, &len);
  return satori_base58btc_encode (data, len);
}

/**
 * satori_peer_id_to_cid_string:
 * @id: a peer id
 *
 * Returns: (transfer full): @id as a CIDv1 with the libp2p-key codec in
 *   base32 (`bafz...`)
 */
char *
satori_peer_id_to_cid_string (const SatoriPeerId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  gsize len;
  const guint8 *data = g_bytes_get_data (id->bytes, &len);
  g_autoptr(GByteArray) cid = g_byte_array_sized_new (len + 2);
  satori_varint_append (cid, CID_VERSION_1);
  satori_varint_append (cid, MULTICODEC_LIBP2P_KEY);
  g_byte_array_append (cid, data, len);
  return satori_multibase_encode (SATORI_MULTIBASE_BASE32, cid->data, cid->len);
}

/**
 * satori_peer_id_get_bytes:
 * @id: a peer id
 *
 * Returns: (transfer none): @id in binary form: its multihash
 */
GBytes *
satori_peer_id_get_bytes (const SatoriPeerId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return id->bytes;
}

/**
 * satori_peer_id_equal:
 * @a: (type SatoriPeerId): a peer id
 * @b: (type SatoriPeerId): another peer id
 *
 * A #GEqualFunc for peer ids.
 *
 * Returns: whether @a and @b are the same peer id
 */
gboolean
satori_peer_id_equal (gconstpointer a, gconstpointer b)
{
  const SatoriPeerId *id_a = a, *id_b = b;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_bytes_equal (id_a->bytes, id_b->bytes);
}

/**
 * satori_peer_id_hash:
 * @id: (type SatoriPeerId): a peer id
 *
 * A #GHashFunc for peer ids.
 *
 * Returns: a hash of @id
 */
guint
satori_peer_id_hash (gconstpointer id)
{
  g_return_val_if_fail (id != NULL, 0);

  return g_bytes_hash (((const SatoriPeerId *) id)->bytes);
}

/**
 * satori_peer_id_compare:
 * @a: a peer id
 * @b: another peer id
 *
 * Orders peer ids by their bytes, as libp2p breaks ties (a prefix sorts
 * first).
 *
 * Returns: negative, zero or positive as @a sorts before, with or after @b
 */
int
satori_peer_id_compare (const SatoriPeerId *a, const SatoriPeerId *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  return g_bytes_compare (a->bytes, b->bytes);
}

/**
 * satori_peer_id_extract_public_key:
 * @id: a peer id
 *
 * Returns: (transfer full) (nullable): the public key held in @id, or
 *   %NULL when @id is a hash of it
 */
SatoriPublicKey *
satori_peer_id_extract_public_key (const SatoriPeerId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  gsize len;
  const guint8 *data = g_bytes_get_data (id->bytes, &len);
  if (data[0] != MULTIHASH_IDENTITY)
    return NULL;
  /* Validated on construction: 0x00, a one-byte length (at most 42), the key. */
  return satori_public_key_new_from_protobuf (data + 2, len - 2, NULL);
}

/**
 * satori_peer_id_matches_public_key:
 * @id: a peer id
 * @key: a public key
 *
 * Returns: whether @id is the peer id of @key
 */
gboolean
satori_peer_id_matches_public_key (const SatoriPeerId *id, SatoriPublicKey *key)
{
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (key), FALSE);

  g_autoptr(SatoriPeerId) key_id = satori_peer_id_new_from_public_key (key);
  return satori_peer_id_equal (id, key_id);
}
