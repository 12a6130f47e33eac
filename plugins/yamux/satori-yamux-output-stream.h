/* satori-yamux-output-stream.h — the writing half of a yamux stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-yamux-stream.h"

G_BEGIN_DECLS

#define SATORI_TYPE_YAMUX_OUTPUT_STREAM (satori_yamux_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriYamuxOutputStream, satori_yamux_output_stream,
                      SATORI, YAMUX_OUTPUT_STREAM, GOutputStream)

GOutputStream *satori_yamux_output_stream_new (SatoriYamuxStream *stream);

G_END_DECLS
