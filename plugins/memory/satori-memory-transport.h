/* satori-memory-transport.h — in-process connections on /memory/<id>
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-transport.h"

G_BEGIN_DECLS

#define SATORI_TYPE_MEMORY_TRANSPORT (satori_memory_transport_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMemoryTransport, satori_memory_transport,
                      SATORI, MEMORY_TRANSPORT, GObject)

G_END_DECLS
