/* satori-peers-nat.c — the NAT status rule: the host's reachability when
 * a reachability source (AutoNAT) has found it; until then PUBLIC if one
 * of the node's IP addresses is public, PRIVATE if it has IP addresses and
 * none is, UNKNOWN without any (no listener, or only non-IP transports
 * such as the memory transport).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-nat.h"

#include "satori-host-reachability.h"

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

/**
 * satori_nat_ip_is_public:
 * @address: an IP address
 *
 * Returns: whether @address is routable on the internet: not unspecified,
 *   loopback, link-local, RFC 1918, shared 100.64/10, unique local or
 *   multicast
 */
gboolean
satori_nat_ip_is_public (GInetAddress *address)
{
  return !g_inet_address_get_is_any (address) && !g_inet_address_get_is_loopback (address) &&
         !g_inet_address_get_is_link_local (address) &&
         !g_inet_address_get_is_site_local (address) &&
         !g_inet_address_get_is_multicast (address) && !is_other_private (address);
}

/**
 * satori_nat_address_ip:
 * @address: a multiaddr
 *
 * Returns: (transfer full) (nullable): its IP address (the first /ip4 or
 *   /ip6 component), or %NULL for a non-IP multiaddr
 */
GInetAddress *
satori_nat_address_ip (SatoriMultiaddr *address)
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
      g_autoptr(GInetAddress) ip = satori_nat_address_ip (g_ptr_array_index (addresses, i));
      if (ip == NULL)
        continue;
      if (satori_nat_ip_is_public (ip))
        return SATORI_NAT_STATUS_PUBLIC;
      status = SATORI_NAT_STATUS_PRIVATE;
    }
  return status;
}

/**
 * satori_nat_status_of_host:
 * @host: a #SatoriHost
 *
 * Returns: #SatoriHost:reachability when known, else the status @host's
 *   addresses give (satori_nat_status_from_addresses())
 */
SatoriNatStatus
satori_nat_status_of_host (SatoriHost *host)
{
  switch (satori_host_get_reachability (host))
    {
    case SATORI_REACHABILITY_PUBLIC:
      return SATORI_NAT_STATUS_PUBLIC;
    case SATORI_REACHABILITY_PRIVATE:
      return SATORI_NAT_STATUS_PRIVATE;
    case SATORI_REACHABILITY_UNKNOWN:
    default:
      break;
    }
  g_autoptr(GPtrArray) addresses = satori_host_get_addresses (host);
  return satori_nat_status_from_addresses (addresses);
}
