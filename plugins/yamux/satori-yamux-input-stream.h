/* satori-yamux-input-stream.h — the reading half of a yamux stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-yamux-stream.h"

G_BEGIN_DECLS

#define SATORI_TYPE_YAMUX_INPUT_STREAM (satori_yamux_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriYamuxInputStream, satori_yamux_input_stream,
                      SATORI, YAMUX_INPUT_STREAM, GInputStream)

GInputStream *satori_yamux_input_stream_new (SatoriYamuxStream *stream);

G_END_DECLS
