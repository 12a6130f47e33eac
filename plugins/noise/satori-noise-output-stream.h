/* satori-noise-output-stream.h — encrypts into Noise transport messages on a base stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-noise-session.h"

G_BEGIN_DECLS

#define SATORI_TYPE_NOISE_OUTPUT_STREAM (satori_noise_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriNoiseOutputStream, satori_noise_output_stream,
                      SATORI, NOISE_OUTPUT_STREAM, GOutputStream)

GOutputStream *satori_noise_output_stream_new (GOutputStream      *base,
                                               SatoriNoiseSession *session);

G_END_DECLS
