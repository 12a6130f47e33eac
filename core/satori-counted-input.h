/* satori-counted-input.h — the reading half of a #SatoriCountedStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-frame-counter.h"
#include "satori-protocol-counters.h"

G_BEGIN_DECLS

#define SATORI_TYPE_COUNTED_INPUT (satori_counted_input_get_type ())
G_DECLARE_FINAL_TYPE (SatoriCountedInput, satori_counted_input, SATORI, COUNTED_INPUT,
                      GInputStream)

GInputStream *satori_counted_input_new (GIOStream              *base,
                                        SatoriProtocolCounters *counters,
                                        SatoriMessageFraming    framing);

G_END_DECLS
