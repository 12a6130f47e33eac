/* satori-peer-id.h — libp2p peer ids
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-public-key.h"

G_BEGIN_DECLS

/**
 * SATORI_PEER_ID_MAX_INLINE_KEY_LENGTH:
 *
 * The longest serialized public key that a peer id holds verbatim (with
 * the identity multihash); longer ones are hashed with SHA-256.
 */
#define SATORI_PEER_ID_MAX_INLINE_KEY_LENGTH 42

typedef struct _SatoriPeerId SatoriPeerId;

#define SATORI_TYPE_PEER_ID (satori_peer_id_get_type ())
GType satori_peer_id_get_type (void);

SatoriPeerId    *satori_peer_id_new_from_public_key (SatoriPublicKey *key);
SatoriPeerId    *satori_peer_id_new_from_bytes (const guint8 *data, gsize len, GError **error);
SatoriPeerId    *satori_peer_id_new_from_string (const char *text, GError **error);
SatoriPeerId    *satori_peer_id_ref (SatoriPeerId *id);
void             satori_peer_id_unref (SatoriPeerId *id);

char            *satori_peer_id_to_string (const SatoriPeerId *id);
char            *satori_peer_id_to_cid_string (const SatoriPeerId *id);
GBytes          *satori_peer_id_get_bytes (const SatoriPeerId *id);

gboolean         satori_peer_id_equal (gconstpointer a, gconstpointer b);
guint            satori_peer_id_hash (gconstpointer id);
int              satori_peer_id_compare (const SatoriPeerId *a, const SatoriPeerId *b);

SatoriPublicKey *satori_peer_id_extract_public_key (const SatoriPeerId *id);
gboolean         satori_peer_id_matches_public_key (const SatoriPeerId *id,
                                                    SatoriPublicKey *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPeerId, satori_peer_id_unref)

G_END_DECLS
