/* satori-autonat-throttle.h — how many dial-back requests the AutoNAT
 * server serves, per peer and in all, per period (pure: no clock)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

typedef struct _SatoriAutonatThrottle SatoriAutonatThrottle;

SatoriAutonatThrottle *satori_autonat_throttle_new   (guint                  per_peer,
                                                      guint                  global,
                                                      gint64                 period_us);
void                   satori_autonat_throttle_free  (SatoriAutonatThrottle *throttle);
gboolean               satori_autonat_throttle_admit (SatoriAutonatThrottle *throttle,
                                                      SatoriPeerId          *peer,
                                                      gint64                 now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriAutonatThrottle, satori_autonat_throttle_free)

G_END_DECLS
