/* satori-identify-stream.h — Identify messages over a stream: read every
 * length-prefixed message until end of file, or send one and close
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-identify-message.h"

G_BEGIN_DECLS

/**
 * SATORI_IDENTIFY_MAX_MESSAGES:
 *
 * Messages read from one stream (as js-libp2p); the stream is closed after
 * the last.
 */
#define SATORI_IDENTIFY_MAX_MESSAGES 10

void                   satori_identify_stream_read_async  (GIOStream            *stream,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
SatoriIdentifyMessage *satori_identify_stream_read_finish (GIOStream     *stream,
                                                           GAsyncResult  *result,
                                                           GError       **error);
void                   satori_identify_stream_send_async  (GIOStream                   *stream,
                                                           const SatoriIdentifyMessage *message,
                                                           GCancellable                *cancellable,
                                                           GAsyncReadyCallback          callback,
                                                           gpointer                     user_data);
gboolean               satori_identify_stream_send_finish (GIOStream     *stream,
                                                           GAsyncResult  *result,
                                                           GError       **error);

G_END_DECLS
