/* satori-gossipsub-backoff.h — per topic and peer, when a GRAFT is
 * allowed again after a PRUNE
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriGossipsubBackoff SatoriGossipsubBackoff;

SatoriGossipsubBackoff *satori_gossipsub_backoff_new   (void);
void                    satori_gossipsub_backoff_free  (SatoriGossipsubBackoff *backoff);
void                    satori_gossipsub_backoff_set   (SatoriGossipsubBackoff *backoff,
                                                        const char *topic, GBytes *peer,
                                                        gint64 until_us);
gint64                  satori_gossipsub_backoff_until (SatoriGossipsubBackoff *backoff,
                                                        const char *topic, GBytes *peer);
gboolean                satori_gossipsub_backoff_active (SatoriGossipsubBackoff *backoff,
                                                         const char *topic, GBytes *peer,
                                                         gint64 now_us);
void                    satori_gossipsub_backoff_expire (SatoriGossipsubBackoff *backoff,
                                                         gint64 now_us);
guint                   satori_gossipsub_backoff_size  (SatoriGossipsubBackoff *backoff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriGossipsubBackoff, satori_gossipsub_backoff_free)

G_END_DECLS
