/* satori-pubsub-rpc-writer.h — composing RPC frames from parts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "pubsub-rpc.pb-c.h"

G_BEGIN_DECLS

/**
 * SatoriPubsubRpcWriter:
 *
 * Builds one RPC from subscriptions, already-encoded messages (forwarded
 * as they are, never re-encoded) and a control part, and ends it as a
 * varint-length-prefixed frame.
 */
typedef struct _SatoriPubsubRpcWriter SatoriPubsubRpcWriter;

SatoriPubsubRpcWriter *satori_pubsub_rpc_writer_new  (void);
void                   satori_pubsub_rpc_writer_free (SatoriPubsubRpcWriter *writer);
void     satori_pubsub_rpc_writer_add_subscription (SatoriPubsubRpcWriter *writer,
                                                    const char *topic, gboolean subscribe);
void     satori_pubsub_rpc_writer_add_message      (SatoriPubsubRpcWriter *writer,
                                                    GBytes *encoded_message);
void     satori_pubsub_rpc_writer_set_control      (SatoriPubsubRpcWriter *writer,
                                                    const Satori__Pubsub__ControlMessage *control);
gsize    satori_pubsub_rpc_writer_get_size         (SatoriPubsubRpcWriter *writer);
gboolean satori_pubsub_rpc_writer_is_empty         (SatoriPubsubRpcWriter *writer);
GBytes  *satori_pubsub_rpc_writer_finish           (SatoriPubsubRpcWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPubsubRpcWriter, satori_pubsub_rpc_writer_free)

G_END_DECLS
