/* satori-message-stream.h — one whole message a stream: read to EOF, write and close
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void    satori_message_stream_read_async (GIOStream           *stream,
                                          gsize                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GBytes *satori_message_stream_read_finish (GIOStream     *stream,
                                           GAsyncResult  *result,
                                           GError       **error);
void     satori_message_stream_write_async (GIOStream           *stream,
                                            GBytes              *message,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean satori_message_stream_write_finish (GIOStream     *stream,
                                             GAsyncResult  *result,
                                             GError       **error);

G_END_DECLS
