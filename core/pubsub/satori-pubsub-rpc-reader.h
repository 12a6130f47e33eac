/* satori-pubsub-rpc-reader.h — pubsub RPC frames from a stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "pubsub-rpc.pb-c.h"

G_BEGIN_DECLS

/**
 * SATORI_PUBSUB_DEFAULT_MAX_RPC_SIZE:
 *
 * The default limit of one RPC frame, and so of one message: 1 MiB, as
 * go- and js-libp2p use.
 */
#define SATORI_PUBSUB_DEFAULT_MAX_RPC_SIZE (1024 * 1024)

typedef struct _SatoriPubsubRpcReader SatoriPubsubRpcReader;

SatoriPubsubRpcReader *satori_pubsub_rpc_reader_new  (gsize max_size);
void                   satori_pubsub_rpc_reader_free (SatoriPubsubRpcReader *reader);
gboolean               satori_pubsub_rpc_reader_feed (SatoriPubsubRpcReader *reader,
                                                      const guint8 *data, gsize len,
                                                      gsize *consumed,
                                                      Satori__Pubsub__RPC **rpc,
                                                      GError **error);

Satori__Pubsub__RPC *satori_pubsub_rpc_decode (const guint8 *data, gsize len,
                                               gsize max_size, GError **error);
void                 satori_pubsub_rpc_free (Satori__Pubsub__RPC *rpc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPubsubRpcReader, satori_pubsub_rpc_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Satori__Pubsub__RPC, satori_pubsub_rpc_free)

G_END_DECLS
