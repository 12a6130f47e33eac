/* satori-stream-counts.h — streams, bytes and messages per protocol
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-connection.h"

G_BEGIN_DECLS

typedef struct _SatoriStreamCounts SatoriStreamCounts;

SatoriStreamCounts *satori_stream_counts_new (void);
SatoriStreamCounts *satori_stream_counts_ref (SatoriStreamCounts *counts);
void                satori_stream_counts_unref (SatoriStreamCounts *counts);
GIOStream          *satori_stream_counts_track (SatoriStreamCounts *counts,
                                                GIOStream          *stream,
                                                const char         *protocol,
                                                SatoriDirection     direction);
GVariant           *satori_stream_counts_to_variant (SatoriStreamCounts *counts);
GVariant           *satori_stream_counts_traffic_to_variant (SatoriStreamCounts *counts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriStreamCounts, satori_stream_counts_unref)

G_END_DECLS
