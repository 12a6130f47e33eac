/* satori-protobuf.h — protobuf-c messages to and from bytes, with or
 * without a varint length prefix
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <protobuf-c/protobuf-c.h>

#include "satori-errors.h"

G_BEGIN_DECLS

GBytes           *satori_protobuf_pack (const ProtobufCMessage *message);
GBytes           *satori_protobuf_pack_delimited (const ProtobufCMessage *message);
void              satori_protobuf_append_delimited (GByteArray *array,
                                                    const ProtobufCMessage *message);
ProtobufCMessage *satori_protobuf_unpack (const ProtobufCMessageDescriptor *descriptor,
                                          const guint8 *data, gsize len,
                                          gsize max_size, GError **error);
ProtobufCMessage *satori_protobuf_unpack_delimited (const ProtobufCMessageDescriptor *descriptor,
                                                    const guint8 *data, gsize len,
                                                    gsize max_size, gsize *consumed,
                                                    GError **error);

G_END_DECLS
