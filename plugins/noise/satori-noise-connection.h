/* satori-noise-connection.h — a GIOStream secured by Noise
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-noise-session.h"
#include "satori-secure-connection.h"

G_BEGIN_DECLS

#define SATORI_TYPE_NOISE_CONNECTION (satori_noise_connection_get_type ())
G_DECLARE_FINAL_TYPE (SatoriNoiseConnection, satori_noise_connection,
                      SATORI, NOISE_CONNECTION, GIOStream)

SatoriNoiseConnection *satori_noise_connection_new (GIOStream           *base_stream,
                                                    SatoriNoiseSession  *session,
                                                    const guint8        *initial,
                                                    gsize                initial_len,
                                                    GError             **error);

G_END_DECLS
