/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-kad-key.h"

#include "satori-crypto.h"

/**
 * satori_kad_key_init:
 * @key: (out caller-allocates): the key to set
 * @data: (array length=len): a DHT key or a binary peer id
 * @len: its size
 *
 * Sets @key to SHA-256(@data), the point the spec places @data at.
 */
void
satori_kad_key_init (SatoriKadKey *key, const guint8 *data, gsize len)
{
  satori_crypto_sha256 (data, len, key->bytes);
}

/**
 * satori_kad_key_init_from_bytes:
 * @key: (out caller-allocates): the key to set
 * @bytes: a DHT key or a binary peer id
 *
 * As satori_kad_key_init().
 */
void
satori_kad_key_init_from_bytes (SatoriKadKey *key, GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  satori_kad_key_init (key, data, len);
}

/**
 * satori_kad_key_compare_distance:
 * @target: the point distances are measured from
 * @a: a key
 * @b: another key
 *
 * Returns: negative if @a is closer to @target than @b (XOR metric), 0 if
 *   @a equals @b, positive otherwise
 */
int
satori_kad_key_compare_distance (const SatoriKadKey *target, const SatoriKadKey *a,
                                 const SatoriKadKey *b)
{
  for (guint i = 0; i < sizeof target->bytes; i++)
    {
      guint8 da = a->bytes[i] ^ target->bytes[i];
      guint8 db = b->bytes[i] ^ target->bytes[i];
      if (da != db)
        return da < db ? -1 : 1;
    }
  return 0;
}

/**
 * satori_kad_key_common_prefix_length:
 * @a: a key
 * @b: another key
 *
 * Returns: how many leading bits @a and @b share, %SATORI_KAD_KEY_BITS
 *   when they are equal
 */
guint
satori_kad_key_common_prefix_length (const SatoriKadKey *a, const SatoriKadKey *b)
{
  for (guint i = 0; i < sizeof a->bytes; i++)
    {
      guint8 x = a->bytes[i] ^ b->bytes[i];
      if (x != 0)
        return i * 8 + (guint) __builtin_clz (x) - 24;
    }
  return SATORI_KAD_KEY_BITS;
}
