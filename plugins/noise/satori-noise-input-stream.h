/* satori-noise-input-stream.h — decrypts Noise transport messages from a base stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-noise-session.h"

G_BEGIN_DECLS

#define SATORI_TYPE_NOISE_INPUT_STREAM (satori_noise_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriNoiseInputStream, satori_noise_input_stream,
                      SATORI, NOISE_INPUT_STREAM, GInputStream)

GInputStream *satori_noise_input_stream_new (GInputStream        *base,
                                             SatoriNoiseSession  *session,
                                             const guint8        *initial,
                                             gsize                initial_len,
                                             GError             **error);

G_END_DECLS
