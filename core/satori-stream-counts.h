/* satori-stream-counts.h — streams opened per protocol and direction
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-connection.h"

G_BEGIN_DECLS

typedef struct _SatoriStreamCounts SatoriStreamCounts;

SatoriStreamCounts *satori_stream_counts_new (void);
void                satori_stream_counts_free (SatoriStreamCounts *counts);
void                satori_stream_counts_add (SatoriStreamCounts *counts,
                                              const char         *protocol,
                                              SatoriDirection     direction);
GVariant           *satori_stream_counts_to_variant (SatoriStreamCounts *counts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriStreamCounts, satori_stream_counts_free)

G_END_DECLS
