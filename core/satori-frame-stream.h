/* satori-frame-stream.h — one varint-length-prefixed message read from or
 * written to a stream (kad, rendezvous, any request/response protocol)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      satori_frame_stream_read_async   (GIOStream           *stream,
                                          gsize                max_size,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GBytes   *satori_frame_stream_read_finish  (GIOStream     *stream,
                                          GAsyncResult  *result,
                                          GError       **error);
void      satori_frame_stream_write_async  (GIOStream           *stream,
                                          GBytes              *message,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  satori_frame_stream_write_finish (GIOStream     *stream,
                                          GAsyncResult  *result,
                                          GError       **error);

G_END_DECLS
