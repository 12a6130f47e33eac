/* satori-memory-hub.h — the process-wide table of memory listeners
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-memory-listener.h"

G_BEGIN_DECLS

gboolean              satori_memory_hub_bind (SatoriMemoryListener  *listener,
                                              guint64                requested_id,
                                              guint64               *bound_id,
                                              GError               **error);
void                  satori_memory_hub_unbind (guint64 id);
SatoriMemoryListener *satori_memory_hub_lookup (guint64 id);
guint64               satori_memory_hub_next_dialer_id (void);

G_END_DECLS
