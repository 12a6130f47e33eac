/* satori-multistream-lazy-stream.h — a stream whose protocol is proposed, not yet confirmed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SATORI_TYPE_MULTISTREAM_LAZY_STREAM (satori_multistream_lazy_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMultistreamLazyStream, satori_multistream_lazy_stream,
                      SATORI, MULTISTREAM_LAZY_STREAM, GIOStream)

GIOStream  *satori_multistream_lazy_stream_new (GIOStream *base, const char *protocol);
const char *satori_multistream_lazy_stream_get_protocol (SatoriMultistreamLazyStream *stream);

G_END_DECLS
