/* satori-yamux-muxer.h — the /yamux/1.0.0 stream muxer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-muxer.h"

G_BEGIN_DECLS

#define SATORI_TYPE_YAMUX_MUXER (satori_yamux_muxer_get_type ())
G_DECLARE_FINAL_TYPE (SatoriYamuxMuxer, satori_yamux_muxer, SATORI, YAMUX_MUXER, GObject)

G_END_DECLS
