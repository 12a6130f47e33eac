/* satori-kad-key.h — points of the 256-bit Kademlia key space: SHA-256 of
 * a key or peer id, XOR distance, common prefix length
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** SATORI_KAD_KEY_BITS: bits in a key, one k-bucket per common prefix length */
#define SATORI_KAD_KEY_BITS 256

/**
 * SatoriKadKey:
 * @bytes: the SHA-256 digest, most significant bit first
 *
 * A point in the key space.
 */
typedef struct {
  guint8 bytes[SATORI_KAD_KEY_BITS / 8];
} SatoriKadKey;

void     satori_kad_key_init (SatoriKadKey *key, const guint8 *data, gsize len);
void     satori_kad_key_init_from_bytes (SatoriKadKey *key, GBytes *bytes);
int      satori_kad_key_compare_distance (const SatoriKadKey *target,
                                          const SatoriKadKey *a,
                                          const SatoriKadKey *b);
guint    satori_kad_key_common_prefix_length (const SatoriKadKey *a, const SatoriKadKey *b);

G_END_DECLS
