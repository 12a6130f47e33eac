/* satori-store-stream.h — one unframed JSON object read from or written
 * to a stream, and waiting for the peer's end of it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      satori_store_stream_read_async   (GIOStream           *stream,
                                            gsize                max_size,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GBytes   *satori_store_stream_read_finish  (GIOStream     *stream,
                                            GAsyncResult  *result,
                                            GError       **error);
void      satori_store_stream_write_async  (GIOStream           *stream,
                                            GBytes              *message,
                                            gboolean             close_side,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  satori_store_stream_write_finish (GIOStream     *stream,
                                            GAsyncResult  *result,
                                            GError       **error);
void      satori_store_stream_wait_end_async  (GIOStream           *stream,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  satori_store_stream_wait_end_finish (GIOStream     *stream,
                                               GAsyncResult  *result,
                                               GError       **error);

G_END_DECLS
