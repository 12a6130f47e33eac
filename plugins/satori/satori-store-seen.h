/* satori-store-seen.h — the message ids of held messages already
 * delivered to us, the oldest forgotten first (pure)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriStoreSeen SatoriStoreSeen;

SatoriStoreSeen *satori_store_seen_new (guint capacity);
void             satori_store_seen_free (SatoriStoreSeen *seen);
gboolean         satori_store_seen_add (SatoriStoreSeen *seen,
                                        const char      *message_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriStoreSeen, satori_store_seen_free)

G_END_DECLS
