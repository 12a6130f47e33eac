/* satori-p2pd-address.c — control socket addresses: `/unix/PATH` or
 * `/ip4|ip6/…/tcp/PORT` multiaddrs to and from GSocketAddress
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>

#include "satori-multiaddr-protocols.h"
#include "satori-p2pd-address.h"

/**
 * satori_p2pd_address_to_socket_address:
 * @address: a `/unix/PATH` or `/ip4|ip6/ADDR/tcp/PORT` multiaddr
 * @error: a #GError, %G_IO_ERROR_NOT_SUPPORTED for other multiaddrs
 *
 * Returns: (transfer full) (nullable): the socket address, or %NULL
 */
GSocketAddress *
satori_p2pd_address_to_socket_address (SatoriMultiaddr *address, GError **error)
{
  guint32 code = 0;
  guint32 transport = 0;

  satori_multiaddr_get_component (address, 0, &code, NULL, NULL);
  if (code == SATORI_PROTO_UNIX && satori_multiaddr_get_n_components (address) == 1)
    {
      g_autofree char *path = satori_multiaddr_get_value_string (address, SATORI_PROTO_UNIX);
      return g_unix_socket_address_new (path);
    }
  GSocketAddress *socket_address = satori_multiaddr_to_inet_socket_address (address, &transport,
                                                                            NULL);
  if (socket_address != NULL && transport == SATORI_PROTO_TCP &&
      satori_multiaddr_get_n_components (address) == 2)
    return socket_address;
  g_clear_object (&socket_address);

  g_autofree char *text = satori_multiaddr_to_string (address);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("“%s” is neither a /unix/ nor an /ip4/ or /ip6/ …/tcp/ address"), text);
  return NULL;
}

/**
 * satori_p2pd_address_from_socket_address:
 * @address: a #GUnixSocketAddress with a path, or a #GInetSocketAddress
 * @error: a #GError, %G_IO_ERROR_NOT_SUPPORTED for other addresses
 *
 * Returns: (transfer full) (nullable): the multiaddr of @address (TCP for
 *   an inet address), or %NULL
 */
SatoriMultiaddr *
satori_p2pd_address_from_socket_address (GSocketAddress *address, GError **error)
{
  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      return satori_multiaddr_new_ip_tcp (g_inet_socket_address_get_address (inet),
                                          g_inet_socket_address_get_port (inet));
    }
  if (G_IS_UNIX_SOCKET_ADDRESS (address) &&
      g_unix_socket_address_get_address_type (G_UNIX_SOCKET_ADDRESS (address)) ==
        G_UNIX_SOCKET_ADDRESS_PATH)
    {
      g_autofree char *text =
        g_strconcat ("/unix", g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)),
                     NULL);
      return satori_multiaddr_new_from_string (text, error);
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Only unix path and inet socket addresses are supported"));
  return NULL;
}
