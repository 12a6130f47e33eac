/* satori-peers-nat.c — the NAT status rule, until AutoNAT exists: PUBLIC
 * if one of the node's IP addresses is public, PRIVATE if it has IP
 * addresses and none is, UNKNOWN without any (no listener, or only
 * non-IP transports such as the memory transport).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-nat.h"

#include "satori-multiaddr-protocols.h"
#include "satori-multiaddr.h"

/**
 * satori_nat_status_to_string:
 * @status: a #SatoriNatStatus
 *
 * Returns: "public", "private" or "unknown", as the D-Bus NatStatus
 *   property shows it
 */
const char *
satori_nat_status_to_string (SatoriNatStatus status)
{
  switch (status)
    {
    case SATORI_NAT_STATUS_PUBLIC:
      return "public";
    case SATORI_NAT_STATUS_PRIVATE:
      return "private";
    case SATORI_NAT_STATUS_UNKNOWN:
    default:
      return "unknown";
    }
}

/* Ranges GLib has no predicate for: shared address space 100.64.0.0/10
 * (carrier-grade NAT) and IPv6 unique local fc00::/7. */
static gboolean
is_other_private (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return bytes[0] == 100 && (bytes[1] & 0xc0) == 64;
  return (bytes[0] & 0xfe) == 0xfc;
}

static gboolean
is_public (GInetAddress *address)
{
  return !g_inet_address_get_is_any (address) && !g_inet_address_get_is_loopback (address) &&
         !g_inet_address_get_is_link_local (address) &&
         !g_inet_address_get_is_site_local (address) &&
         !g_inet_address_get_is_multicast (address) && !is_other_private (address);
}

/* The IP address of @address, or %NULL for a non-IP multiaddr. */
static GInetAddress *
ip_of (SatoriMultiaddr *address)
{
  for (guint i = 0; i < satori_multiaddr_get_n_components (address); i++)
    {
      guint32 code;
      const guint8 *value;
      gsize len;
      satori_multiaddr_get_component (address, i, &code, &value, &len);
      if (code == SATORI_PROTO_IP4 && len == 4)
        return g_inet_address_new_from_bytes (value, G_SOCKET_FAMILY_IPV4);
      if (code == SATORI_PROTO_IP6 && len == 16)
        return g_inet_address_new_from_bytes (value, G_SOCKET_FAMILY_IPV6);
    }
  return NULL;
}

/**
 * satori_nat_status_from_addresses:
 * @addresses: (element-type SatoriMultiaddr): the node's addresses, with
 *   unspecified IPs already expanded (satori_host_get_addresses())
 *
 * Returns: the status the rule above gives
 */
SatoriNatStatus
satori_nat_status_from_addresses (GPtrArray *addresses)
{
  SatoriNatStatus status = SATORI_NAT_STATUS_UNKNOWN;

  for (guint i = 0; i < addresses->len; i++)
    {
      g_autoptr(GInetAddress) ip = ip_of (g_ptr_array_index (addresses, i));
      if (ip == NULL)
        continue;
      if (is_public (ip))
        return SATORI_NAT_STATUS_PUBLIC;
      status = SATORI_NAT_STATUS_PRIVATE;
    }
  return status;
}
