/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-interface-addresses.h"

#include <ifaddrs.h>
#include <netinet/in.h>

#include "satori-multiaddr.h"

#define CODE_IP4 4
#define CODE_IP6 41

/**
 * satori_interface_addresses_get:
 *
 * The IPv4 and IPv6 addresses of the machine's interfaces that are up,
 * loopback included. IPv6 link-local addresses are left out: they mean
 * nothing without a zone, which a peer elsewhere cannot use.
 *
 * Returns: (transfer container) (element-type GInetAddress): the
 *   addresses, possibly none
 */
GPtrArray *
satori_interface_addresses_get (void)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    return result;
  for (struct ifaddrs *entry = list; entry != NULL; entry = entry->ifa_next)
    {
      if (entry->ifa_addr == NULL || (entry->ifa_addr->sa_family != AF_INET &&
                                      entry->ifa_addr->sa_family != AF_INET6))
        continue;
      gsize size = entry->ifa_addr->sa_family == AF_INET ? sizeof (struct sockaddr_in)
                                                         : sizeof (struct sockaddr_in6);
      g_autoptr(GSocketAddress) socket_address =
        g_socket_address_new_from_native (entry->ifa_addr, size);
      if (socket_address == NULL)
        continue;
      GInetAddress *address =
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address));
      if (g_inet_address_get_is_link_local (address) ||
          g_ptr_array_find_with_equal_func (result, address,
                                            (GEqualFunc) g_inet_address_equal, NULL))
        continue;
      g_ptr_array_add (result, g_object_ref (address));
    }
  freeifaddrs (list);
  return result;
}

/**
 * satori_multiaddr_is_unspecified:
 * @address: a multiaddr
 *
 * Returns: whether @address starts with `/ip4/0.0.0.0` or `/ip6/::`
 */
gboolean
satori_multiaddr_is_unspecified (SatoriMultiaddr *address)
{
  guint32 code;
  const guint8 *value;
  gsize len;

  if (!satori_multiaddr_get_component (address, 0, &code, &value, &len) ||
      (code != CODE_IP4 && code != CODE_IP6))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (value[i] != 0)
      return FALSE;
  return TRUE;
}

/**
 * satori_multiaddr_expand_unspecified:
 * @address: a listen address
 * @interface_addresses: (element-type GInetAddress): the machine's
 *   addresses (satori_interface_addresses_get())
 *
 * Replaces an unspecified IP (`0.0.0.0`, `::`) at the start of @address
 * by each interface address of the same family, keeping the rest
 * (`/tcp/4001`…); any other address is returned as it is.
 *
 * Returns: (transfer container) (element-type SatoriMultiaddr): the
 *   addresses @address is reachable at
 */
GPtrArray *
satori_multiaddr_expand_unspecified (SatoriMultiaddr *address, GPtrArray *interface_addresses)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  guint32 code;
  const guint8 *value;
  gsize value_len, len;

  if (!satori_multiaddr_is_unspecified (address))
    {
      g_ptr_array_add (result, satori_multiaddr_ref (address));
      return result;
    }
  satori_multiaddr_get_component (address, 0, &code, &value, &value_len);
  const guint8 *data = satori_multiaddr_get_data (address, &len);
  gsize rest = (gsize) (value + value_len - data);   /* the end of the IP component */
  GSocketFamily family = code == CODE_IP4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6;

  for (guint i = 0; i < interface_addresses->len; i++)
    {
      GInetAddress *ip = g_ptr_array_index (interface_addresses, i);
      if (g_inet_address_get_family (ip) != family)
        continue;
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      guint8 prefix = (guint8) code;   /* both codes are one-byte varints */
      g_byte_array_append (bytes, &prefix, 1);
      g_byte_array_append (bytes, g_inet_address_to_bytes (ip), g_inet_address_get_native_size (ip));
      g_byte_array_append (bytes, data + rest, len - rest);
      SatoriMultiaddr *expanded = satori_multiaddr_new_from_bytes (bytes->data, bytes->len, NULL);
      if (expanded != NULL)
        g_ptr_array_add (result, expanded);
    }
  return result;
}
