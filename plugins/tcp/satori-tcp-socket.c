/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-tcp-socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "satori-multiaddr.h"

/**
 * satori_tcp_socket_bind:
 * @socket: a TCP socket, not yet bound
 * @address: the local address
 * @reuse_port: whether to set `SO_REUSEPORT` too
 * @error: %G_IO_ERROR_ADDRESS_IN_USE and other bind failures
 *
 * Binds with `SO_REUSEADDR` (a restarted host binds again at once) and,
 * if asked, `SO_REUSEPORT`, so that a listener and the sockets dialing
 * from its port can share it (hole punching). g_socket_bind() is not used
 * because it clears `SO_REUSEPORT` on stream sockets.
 *
 * Returns: %TRUE when bound
 */
gboolean
satori_tcp_socket_bind (GSocket *socket, GSocketAddress *address, gboolean reuse_port,
                        GError **error)
{
  struct sockaddr_storage native;

  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, error) ||
      (reuse_port && !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, 1, error)) ||
      !g_socket_address_to_native (address, &native, sizeof native, error))
    return FALSE;
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native,
            (socklen_t) g_socket_address_get_native_size (address)) != 0)
    {
      int errsv = errno;
      g_autofree char *text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "cannot bind to %s: %s", text, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_tcp_socket_set_nodelay:
 * @socket: a TCP socket
 * @error: the failure to set the option
 *
 * Turns off Nagle's algorithm (`TCP_NODELAY`): libp2p protocols write
 * small frames and wait for answers.
 *
 * Returns: %TRUE when set
 */
gboolean
satori_tcp_socket_set_nodelay (GSocket *socket, GError **error)
{
  return g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, error);
}

/**
 * satori_tcp_socket_address_to_multiaddr:
 * @address: a #GInetSocketAddress
 *
 * Returns: (transfer full): `/ip4/…/tcp/…` or `/ip6/…/tcp/…`
 */
SatoriMultiaddr *
satori_tcp_socket_address_to_multiaddr (GSocketAddress *address)
{
  GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);

  return satori_multiaddr_new_ip_tcp (g_inet_socket_address_get_address (inet),
                                      g_inet_socket_address_get_port (inet));
}
