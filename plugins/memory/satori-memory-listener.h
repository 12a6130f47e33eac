/* satori-memory-listener.h — a listener on /memory/<id>
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-listener.h"

G_BEGIN_DECLS

#define SATORI_TYPE_MEMORY_LISTENER (satori_memory_listener_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMemoryListener, satori_memory_listener, SATORI, MEMORY_LISTENER, GObject)

SatoriMemoryListener *satori_memory_listener_new (guint64   requested_id,
                                                  GError  **error);
guint64               satori_memory_listener_get_id (SatoriMemoryListener *listener);
gboolean              satori_memory_listener_deliver (SatoriMemoryListener  *listener,
                                                      GIOStream             *stream,
                                                      guint64                dialer_id,
                                                      GError               **error);

G_END_DECLS
