/* satori-frame.h — length-prefixed frames (unsigned varint length + payload)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-errors.h"

G_BEGIN_DECLS

void     satori_frame_append (GByteArray *array, const guint8 *payload, gsize len);
GBytes  *satori_frame_encode (const guint8 *payload, gsize len);
gboolean satori_frame_decode (const guint8 *data, gsize len, gsize max_size,
                              const guint8 **payload, gsize *payload_len,
                              gsize *consumed, GError **error);

/**
 * SatoriFrameReader:
 *
 * Collects one frame at a time from a byte stream fed in chunks of any
 * size. It buffers at most one frame of at most its maximum size and never
 * takes bytes beyond the end of the frame it is reading.
 */
typedef struct _SatoriFrameReader SatoriFrameReader;

SatoriFrameReader *satori_frame_reader_new (gsize max_size);
void               satori_frame_reader_free (SatoriFrameReader *reader);
gboolean           satori_frame_reader_feed (SatoriFrameReader *reader,
                                             const guint8 *data, gsize len,
                                             gsize *consumed, GBytes **frame,
                                             GError **error);
gsize              satori_frame_reader_get_wanted (SatoriFrameReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriFrameReader, satori_frame_reader_free)

G_END_DECLS
