/* satori-p2pd-pack.h — what the response encoders share: protobuf-c
 * messages point into GBytes and blocks kept alive until they are packed
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <protobuf-c/protobuf-c.h>

#include "satorip2p.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *bytes;    /* GBytes */
  GPtrArray *blocks;   /* g_new() blocks */
} SatoriP2pdKeep;

void satori_p2pd_keep_init (SatoriP2pdKeep *keep);
void satori_p2pd_keep_clear (SatoriP2pdKeep *keep);
void satori_p2pd_keep_set_bytes (SatoriP2pdKeep *keep, ProtobufCBinaryData *field, GBytes *bytes);
void satori_p2pd_keep_set_addresses (SatoriP2pdKeep *keep, ProtobufCBinaryData **fields,
                                     size_t *n_fields, GPtrArray *addresses);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SatoriP2pdKeep, satori_p2pd_keep_clear)

G_END_DECLS
