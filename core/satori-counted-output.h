/* satori-counted-output.h — the writing half of a #SatoriCountedStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-frame-counter.h"
#include "satori-protocol-counters.h"

G_BEGIN_DECLS

#define SATORI_TYPE_COUNTED_OUTPUT (satori_counted_output_get_type ())
G_DECLARE_FINAL_TYPE (SatoriCountedOutput, satori_counted_output, SATORI, COUNTED_OUTPUT,
                      GOutputStream)

GOutputStream *satori_counted_output_new (GIOStream              *base,
                                          SatoriProtocolCounters *counters,
                                          SatoriMessageFraming    framing);

G_END_DECLS
