/* satori-counted-stream.h — a negotiated stream whose bytes and messages
 * are counted for its protocol
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-frame-counter.h"
#include "satori-protocol-counters.h"

G_BEGIN_DECLS

#define SATORI_TYPE_COUNTED_STREAM (satori_counted_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriCountedStream, satori_counted_stream, SATORI, COUNTED_STREAM,
                      GIOStream)

GIOStream *satori_counted_stream_new (GIOStream              *base,
                                      SatoriProtocolCounters *counters,
                                      SatoriMessageFraming    framing);

G_END_DECLS
