/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-muxed-connection.h"

/**
 * SatoriMuxedConnection:
 *
 * A connection carrying many streams. See #SatoriMuxedConnectionInterface.
 */
G_DEFINE_INTERFACE (SatoriMuxedConnection, satori_muxed_connection, G_TYPE_OBJECT)

static void
satori_muxed_connection_default_init (SatoriMuxedConnectionInterface *iface)
{
  /**
   * SatoriMuxedConnection::stream-accepted:
   * @connection: the connection
   * @stream: the inbound stream, a #GIOStream; connect a handler and take a
   *   reference to keep it
   *
   * The remote opened a stream.
   */
  g_signal_new ("stream-accepted", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_IO_STREAM);

  /**
   * SatoriMuxedConnection::closed:
   * @connection: the connection
   * @error: (nullable): why, or %NULL for a clean close
   *
   * The connection closed, from either side. Emitted once.
   */
  g_signal_new ("closed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

/**
 * satori_muxed_connection_open_stream_async:
 * @connection: a #SatoriMuxedConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the new stream
 * @user_data: data for @callback
 *
 * Opens an outbound stream; the caller then negotiates its protocol.
 */
void
satori_muxed_connection_open_stream_async (SatoriMuxedConnection *connection,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_return_if_fail (SATORI_IS_MUXED_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_MUXED_CONNECTION_GET_IFACE (connection)->open_stream_async (connection, cancellable,
                                                                    callback, user_data);
}

/**
 * satori_muxed_connection_open_stream_finish:
 * @connection: a #SatoriMuxedConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the stream, or %NULL on error
 */
GIOStream *
satori_muxed_connection_open_stream_finish (SatoriMuxedConnection *connection,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (SATORI_IS_MUXED_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SATORI_MUXED_CONNECTION_GET_IFACE (connection)->open_stream_finish (connection,
                                                                            result, error);
}

/**
 * satori_muxed_connection_close_async:
 * @connection: a #SatoriMuxedConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when closed
 * @user_data: data for @callback
 *
 * Closes the connection gracefully, telling the remote.
 */
void
satori_muxed_connection_close_async (SatoriMuxedConnection *connection,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_return_if_fail (SATORI_IS_MUXED_CONNECTION (connection));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_MUXED_CONNECTION_GET_IFACE (connection)->close_async (connection, cancellable,
                                                              callback, user_data);
}

/**
 * satori_muxed_connection_close_finish:
 * @connection: a #SatoriMuxedConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when it closed cleanly
 */
gboolean
satori_muxed_connection_close_finish (SatoriMuxedConnection *connection,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (SATORI_IS_MUXED_CONNECTION (connection), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_MUXED_CONNECTION_GET_IFACE (connection)->close_finish (connection, result, error);
}

/**
 * satori_muxed_connection_is_closed:
 * @connection: a #SatoriMuxedConnection
 *
 * Returns: whether the connection is closed
 */
gboolean
satori_muxed_connection_is_closed (SatoriMuxedConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_MUXED_CONNECTION (connection), TRUE);
  return SATORI_MUXED_CONNECTION_GET_IFACE (connection)->is_closed (connection);
}

/**
 * satori_muxed_connection_get_n_streams:
 * @connection: a #SatoriMuxedConnection
 *
 * Returns: the number of open streams
 */
guint
satori_muxed_connection_get_n_streams (SatoriMuxedConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_MUXED_CONNECTION (connection), 0);
  return SATORI_MUXED_CONNECTION_GET_IFACE (connection)->get_n_streams (connection);
}
