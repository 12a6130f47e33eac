/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-transport.h"

/**
 * SatoriTransport:
 *
 * The contract of a transport plugin. See #SatoriTransportInterface.
 */
G_DEFINE_INTERFACE (SatoriTransport, satori_transport, G_TYPE_OBJECT)

static SatoriTransportFlags
satori_transport_default_get_flags (SatoriTransport *transport)
{
  return SATORI_TRANSPORT_FLAGS_NONE;
}

static gboolean
satori_transport_default_can_listen (SatoriTransport *transport, SatoriMultiaddr *address)
{
  return satori_transport_can_dial (transport, address);
}

static void
satori_transport_default_init (SatoriTransportInterface *iface)
{
  iface->get_flags = satori_transport_default_get_flags;
  iface->can_listen = satori_transport_default_can_listen;
}

/**
 * satori_transport_get_flags:
 * @transport: a #SatoriTransport
 *
 * Returns: what the transport's connections already are
 */
SatoriTransportFlags
satori_transport_get_flags (SatoriTransport *transport)
{
  g_return_val_if_fail (SATORI_IS_TRANSPORT (transport), SATORI_TRANSPORT_FLAGS_NONE);
  return SATORI_TRANSPORT_GET_IFACE (transport)->get_flags (transport);
}

/**
 * satori_transport_can_dial:
 * @transport: a #SatoriTransport
 * @address: a multiaddr
 *
 * Returns: whether @transport can dial @address (for TCP, `/ip4/…/tcp/N`)
 */
gboolean
satori_transport_can_dial (SatoriTransport *transport, SatoriMultiaddr *address)
{
  g_return_val_if_fail (SATORI_IS_TRANSPORT (transport), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  return SATORI_TRANSPORT_GET_IFACE (transport)->can_dial (transport, address);
}

/**
 * satori_transport_can_listen:
 * @transport: a #SatoriTransport
 * @address: a multiaddr
 *
 * Returns: whether @transport can listen on @address
 */
gboolean
satori_transport_can_listen (SatoriTransport *transport, SatoriMultiaddr *address)
{
  g_return_val_if_fail (SATORI_IS_TRANSPORT (transport), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  return SATORI_TRANSPORT_GET_IFACE (transport)->can_listen (transport, address);
}

/**
 * satori_transport_dial_async:
 * @transport: a #SatoriTransport
 * @address: where to connect
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the connection is open or failed
 * @user_data: data for @callback
 *
 * Opens a connection to @address.
 */
void
satori_transport_dial_async (SatoriTransport     *transport,
                             SatoriMultiaddr     *address,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (SATORI_IS_TRANSPORT (transport));
  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_TRANSPORT_GET_IFACE (transport)->dial_async (transport, address, cancellable,
                                                      callback, user_data);
}

/**
 * satori_transport_dial_finish:
 * @transport: a #SatoriTransport
 * @result: the #GAsyncResult
 * @remote_address: (out) (optional) (transfer full): the address actually
 *   connected to, DNS names resolved
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a #GIOStream to upgrade, or for a
 *   secure multiplexed transport a #SatoriMuxedConnection; %NULL on error
 */
GObject *
satori_transport_dial_finish (SatoriTransport *transport, GAsyncResult *result,
                              SatoriMultiaddr **remote_address, GError **error)
{
  g_return_val_if_fail (SATORI_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SATORI_TRANSPORT_GET_IFACE (transport)->dial_finish (transport, result,
                                                             remote_address, error);
}

/**
 * satori_transport_listen_async:
 * @transport: a #SatoriTransport
 * @address: where to listen; port 0 picks a free port
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when listening or failed
 * @user_data: data for @callback
 *
 * Starts listening. Listening on a relay makes a reservation first, which
 * is why this is asynchronous.
 */
void
satori_transport_listen_async (SatoriTransport     *transport,
                               SatoriMultiaddr     *address,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SATORI_IS_TRANSPORT (transport));
  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_TRANSPORT_GET_IFACE (transport)->listen_async (transport, address, cancellable,
                                                        callback, user_data);
}

/**
 * satori_transport_listen_finish:
 * @transport: a #SatoriTransport
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the listener, or %NULL on error
 */
SatoriListener *
satori_transport_listen_finish (SatoriTransport *transport, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SATORI_TRANSPORT_GET_IFACE (transport)->listen_finish (transport, result, error);
}
