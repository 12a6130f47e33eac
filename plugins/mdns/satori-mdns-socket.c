/* satori-mdns-socket.c — the multicast DNS socket of one address family
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-mdns-socket.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define GROUP_IPV4 "224.0.0.251"
#define GROUP_IPV6 "ff02::fb"

struct _SatoriMdnsSocket
{
  GSocketFamily   family;
  GSocket        *socket;
  GInetAddress   *group;
  GSocketAddress *destination;
  GHashTable     *joined;   /* interface name -> index */
};

/**
 * satori_mdns_socket_new:
 * @family: %G_SOCKET_FAMILY_IPV4 (224.0.0.251) or %G_SOCKET_FAMILY_IPV6
 *   (ff02::fb)
 * @port: the mDNS port, 5353
 * @error: the socket's errors
 *
 * Binds the unspecified address at @port with SO_REUSEADDR and
 * SO_REUSEPORT, so that other mDNS responders on the machine keep working;
 * multicast loopback on, so that a peer answers its own queries and other
 * peers on the same machine hear it. No group is joined yet.
 *
 * Returns: (transfer full): the socket, non-blocking, or %NULL
 */
SatoriMdnsSocket *
satori_mdns_socket_new (GSocketFamily family, guint16 port, GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return NULL;
  if (family == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, 1, error))
    return NULL;
  g_autoptr(GInetAddress) any = g_inet_address_new_any (family);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (any, port);
  /* GIO sets SO_REUSEADDR and, on a datagram socket, SO_REUSEPORT. */
  if (!g_socket_bind (socket, local, TRUE, error))
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_multicast_loopback (socket, TRUE);
  g_socket_set_multicast_ttl (socket, 255);   /* RFC 6762 §11 */

  SatoriMdnsSocket *self = g_new0 (SatoriMdnsSocket, 1);
  self->family = family;
  self->socket = g_steal_pointer (&socket);
  self->group = g_inet_address_new_from_string (family == G_SOCKET_FAMILY_IPV4 ? GROUP_IPV4
                                                                              : GROUP_IPV6);
  self->destination = g_inet_socket_address_new (self->group, port);
  self->joined = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

/**
 * satori_mdns_socket_free:
 * @socket: (transfer full): a socket
 */
void
satori_mdns_socket_free (SatoriMdnsSocket *socket)
{
  g_socket_close (socket->socket, NULL);
  g_object_unref (socket->socket);
  g_object_unref (socket->group);
  g_object_unref (socket->destination);
  g_hash_table_unref (socket->joined);
  g_free (socket);
}

/**
 * satori_mdns_socket_get_socket:
 * @socket: a socket
 *
 * Returns: (transfer none): its #GSocket, to read from
 */
GSocket *
satori_mdns_socket_get_socket (SatoriMdnsSocket *socket)
{
  return socket->socket;
}

/* The interfaces to use: up, multicast-capable, with an address of the
 * family; loopback ones only when there are no others. */
static GHashTable *
list_interfaces (GSocketFamily family)
{
  GHashTable *lan = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) loopback = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    return lan;
  for (struct ifaddrs *entry = list; entry != NULL; entry = entry->ifa_next)
    {
      if (entry->ifa_addr == NULL || entry->ifa_addr->sa_family != family ||
          (entry->ifa_flags & (IFF_UP | IFF_MULTICAST)) != (IFF_UP | IFF_MULTICAST))
        continue;
      guint index = if_nametoindex (entry->ifa_name);
      if (index != 0)
        g_hash_table_insert ((entry->ifa_flags & IFF_LOOPBACK) ? loopback : lan,
                             g_strdup (entry->ifa_name), GUINT_TO_POINTER (index));
    }
  freeifaddrs (list);
  if (g_hash_table_size (lan) == 0)
    {
      g_hash_table_unref (lan);
      return g_steal_pointer (&loopback);
    }
  return lan;
}

/**
 * satori_mdns_socket_update_interfaces:
 * @socket: a socket
 *
 * Joins the group on the interfaces that came up since the last call and
 * forgets those that went away.
 *
 * Returns: whether an interface was joined
 */
gboolean
satori_mdns_socket_update_interfaces (SatoriMdnsSocket *socket)
{
  g_autoptr(GHashTable) now = list_interfaces (socket->family);
  GHashTableIter iter;
  gpointer name, index;
  gboolean joined = FALSE;

  g_hash_table_iter_init (&iter, socket->joined);
  while (g_hash_table_iter_next (&iter, &name, &index))
    if (g_hash_table_lookup (now, name) != index)
      {
        /* Gone or renumbered: the kernel dropped the membership with it. */
        g_socket_leave_multicast_group (socket->socket, socket->group, FALSE, name, NULL);
        g_hash_table_iter_remove (&iter);
      }
  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &name, &index))
    {
      g_autoptr(GError) error = NULL;
      if (g_hash_table_contains (socket->joined, name))
        continue;
      if (!g_socket_join_multicast_group (socket->socket, socket->group, FALSE, name, &error) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          g_debug ("mdns: cannot join the group on %s: %s", (char *) name, error->message);
          continue;
        }
      g_debug ("mdns: listening on %s", (char *) name);
      g_hash_table_insert (socket->joined, g_strdup (name), index);
      joined = TRUE;
    }
  return joined;
}

/**
 * satori_mdns_socket_get_n_interfaces:
 * @socket: a socket
 *
 * Returns: the interfaces the group is joined on
 */
guint
satori_mdns_socket_get_n_interfaces (SatoriMdnsSocket *socket)
{
  return g_hash_table_size (socket->joined);
}

static gboolean
set_interface (SatoriMdnsSocket *socket, guint index)
{
  if (socket->family == G_SOCKET_FAMILY_IPV6)
    return g_socket_set_option (socket->socket, IPPROTO_IPV6, IPV6_MULTICAST_IF, (gint) index,
                                NULL);
  struct ip_mreqn request = { .imr_ifindex = (int) index };
  return setsockopt (g_socket_get_fd (socket->socket), IPPROTO_IP, IP_MULTICAST_IF, &request,
                     sizeof request) == 0;
}

/**
 * satori_mdns_socket_send:
 * @socket: a socket
 * @datagram: a DNS message
 *
 * Multicasts @datagram on every joined interface; failures are logged.
 */
void
satori_mdns_socket_send (SatoriMdnsSocket *socket, GBytes *datagram)
{
  GHashTableIter iter;
  gpointer name, index;
  gsize len;
  const char *data = g_bytes_get_data (datagram, &len);

  g_hash_table_iter_init (&iter, socket->joined);
  while (g_hash_table_iter_next (&iter, &name, &index))
    {
      g_autoptr(GError) error = NULL;
      if (!set_interface (socket, GPOINTER_TO_UINT (index)) ||
          g_socket_send_to (socket->socket, socket->destination, data, len, NULL, &error) < 0)
        g_debug ("mdns: cannot send on %s: %s", (char *) name,
                 error != NULL ? error->message : g_strerror (errno));
    }
}
