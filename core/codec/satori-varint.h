/* satori-varint.h — unsigned varints (multiformats unsigned-varint)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SATORI_VARINT_MAX_BYTES:
 *
 * The longest varint we accept: 9 bytes (63 bits), as the multiformats
 * unsigned-varint spec requires.
 */
#define SATORI_VARINT_MAX_BYTES 9

gsize    satori_varint_encode (guint64 value, guint8 out[SATORI_VARINT_MAX_BYTES]);
gsize    satori_varint_size (guint64 value);
gboolean satori_varint_decode (const guint8 *data, gsize len, guint64 *value,
                               gsize *consumed, GError **error);
void     satori_varint_append (GByteArray *array, guint64 value);

G_END_DECLS
