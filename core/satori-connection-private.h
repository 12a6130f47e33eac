/* satori-connection-private.h — what the host tells its connections
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-connection.h"
#include "satori-stream-counts.h"

G_BEGIN_DECLS

void _satori_connection_set_stream_counts (SatoriConnection   *connection,
                                           SatoriStreamCounts *counts);

G_END_DECLS
