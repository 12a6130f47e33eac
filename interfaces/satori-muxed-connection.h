/* satori-muxed-connection.h — a connection that carries streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_MUXED_CONNECTION (satori_muxed_connection_get_type ())
G_DECLARE_INTERFACE (SatoriMuxedConnection, satori_muxed_connection,
                     SATORI, MUXED_CONNECTION, GObject)

/**
 * SatoriMuxedConnectionInterface:
 * @g_iface: the parent interface
 * @open_stream_async: opens an outbound stream
 * @open_stream_finish: the new stream, a #GIOStream
 * @close_async: closes gracefully (yamux GoAway, QUIC CONNECTION_CLOSE)
 * @close_finish: whether it closed cleanly
 * @is_closed: whether the connection is closed
 * @get_n_streams: how many streams are open
 *
 * Made by a #SatoriMuxer over a secured connection, or directly by a secure
 * multiplexed transport. Emits #SatoriMuxedConnection::stream-accepted for
 * each inbound stream and #SatoriMuxedConnection::closed once.
 */
struct _SatoriMuxedConnectionInterface
{
  GTypeInterface g_iface;

  void       (*open_stream_async)  (SatoriMuxedConnection *connection,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data);
  GIOStream *(*open_stream_finish) (SatoriMuxedConnection *connection,
                                    GAsyncResult          *result,
                                    GError               **error);
  void       (*close_async)        (SatoriMuxedConnection *connection,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data);
  gboolean   (*close_finish)       (SatoriMuxedConnection *connection,
                                    GAsyncResult          *result,
                                    GError               **error);
  gboolean   (*is_closed)          (SatoriMuxedConnection *connection);
  guint      (*get_n_streams)      (SatoriMuxedConnection *connection);
};

void       satori_muxed_connection_open_stream_async (SatoriMuxedConnection *connection,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
GIOStream *satori_muxed_connection_open_stream_finish (SatoriMuxedConnection *connection,
                                                       GAsyncResult          *result,
                                                       GError               **error);
void       satori_muxed_connection_close_async (SatoriMuxedConnection *connection,
                                                GCancellable          *cancellable,
                                                GAsyncReadyCallback    callback,
                                                gpointer               user_data);
gboolean   satori_muxed_connection_close_finish (SatoriMuxedConnection *connection,
                                                 GAsyncResult          *result,
                                                 GError               **error);
gboolean   satori_muxed_connection_is_closed (SatoriMuxedConnection *connection);
guint      satori_muxed_connection_get_n_streams (SatoriMuxedConnection *connection);

G_END_DECLS
