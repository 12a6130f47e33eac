/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-listener.h"

/**
 * SatoriListener:
 *
 * Where a transport accepts connections. See #SatoriListenerInterface.
 */
G_DEFINE_INTERFACE (SatoriListener, satori_listener, G_TYPE_OBJECT)

static void
satori_listener_default_init (SatoriListenerInterface *iface)
{
  /**
   * SatoriListener::addresses-changed:
   * @listener: the listener
   *
   * The set of addresses returned by satori_listener_get_addresses() changed.
   */
  g_signal_new ("addresses-changed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

/**
 * satori_listener_accept_async:
 * @listener: a #SatoriListener
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the next inbound connection
 * @user_data: data for @callback
 *
 * Waits for the next inbound connection.
 */
void
satori_listener_accept_async (SatoriListener      *listener,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (SATORI_IS_LISTENER (listener));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_LISTENER_GET_IFACE (listener)->accept_async (listener, cancellable, callback, user_data);
}

/**
 * satori_listener_accept_finish:
 * @listener: a #SatoriListener
 * @result: the #GAsyncResult
 * @remote_address: (out) (optional) (transfer full): the remote's address
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL on error
 */
GObject *
satori_listener_accept_finish (SatoriListener *listener, GAsyncResult *result,
                               SatoriMultiaddr **remote_address, GError **error)
{
  g_return_val_if_fail (SATORI_IS_LISTENER (listener), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SATORI_LISTENER_GET_IFACE (listener)->accept_finish (listener, result,
                                                             remote_address, error);
}

/**
 * satori_listener_get_addresses:
 * @listener: a #SatoriListener
 *
 * Returns: (transfer container) (element-type SatoriMultiaddr): the
 *   addresses it is reachable at
 */
GPtrArray *
satori_listener_get_addresses (SatoriListener *listener)
{
  g_return_val_if_fail (SATORI_IS_LISTENER (listener), NULL);
  return SATORI_LISTENER_GET_IFACE (listener)->get_addresses (listener);
}

/**
 * satori_listener_close:
 * @listener: a #SatoriListener
 *
 * Stops listening. Idempotent.
 */
void
satori_listener_close (SatoriListener *listener)
{
  g_return_if_fail (SATORI_IS_LISTENER (listener));
  SATORI_LISTENER_GET_IFACE (listener)->close (listener);
}
