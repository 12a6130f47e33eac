/* satori-gossipsub-promises.h — IWANT promises: a peer that advertised a
 * message in IHAVE and was asked for it must deliver it in time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriGossipsubPromises SatoriGossipsubPromises;

SatoriGossipsubPromises *satori_gossipsub_promises_new  (void);
void        satori_gossipsub_promises_free    (SatoriGossipsubPromises *promises);
void        satori_gossipsub_promises_add     (SatoriGossipsubPromises *promises, GBytes *peer,
                                               GBytes *id, gint64 expires_us);
void        satori_gossipsub_promises_fulfil  (SatoriGossipsubPromises *promises, GBytes *id);
GHashTable *satori_gossipsub_promises_take_broken (SatoriGossipsubPromises *promises,
                                                   gint64 now_us);
guint       satori_gossipsub_promises_size    (SatoriGossipsubPromises *promises);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriGossipsubPromises, satori_gossipsub_promises_free)

G_END_DECLS
