/* satori-autonat-targets.c — which addresses the AutoNAT server dials for
 * a request (pure: no I/O)
 *
 * The spec's rule against the RFC 3489 12.1.1 amplification attack: only
 * the IP the requester is observed at, never over a relayed connection
 * (its IP is not the requester's). As go-libp2p's server, an address on
 * another IP is tried with the observed IP in its place (a host behind a
 * NAT lists private addresses; its port may be forwarded on the public
 * one), and the observed address itself is tried last.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-autonat-targets.h"

#include <string.h>

#include "satori-multiaddr-protocols.h"
#include "satori-peers-nat.h"

/* @address on @ip: the first component replaced, when it is an IP of
 * @ip's family; %NULL otherwise. */
static SatoriMultiaddr *
on_ip (SatoriMultiaddr *address, GInetAddress *ip)
{
  guint32 code;
  guint32 family_code = g_inet_address_get_family (ip) == G_SOCKET_FAMILY_IPV4
                          ? SATORI_PROTO_IP4 : SATORI_PROTO_IP6;

  if (satori_multiaddr_get_n_components (address) < 2 ||
      !satori_multiaddr_get_component (address, 0, &code, NULL, NULL) || code != family_code ||
      satori_multiaddr_has_protocol (address, SATORI_PROTO_P2P_CIRCUIT))
    return NULL;
  g_autofree char *text = satori_multiaddr_to_string (address);
  g_autofree char *ip_text = g_inet_address_to_string (ip);
  /* "/ip4/A.B.C.D/rest": the rest starts at the third slash. */
  const char *rest = strchr (strchr (text + 1, '/') + 1, '/');
  g_autofree char *moved = g_strdup_printf ("/%s/%s%s",
                                            family_code == SATORI_PROTO_IP4 ? "ip4" : "ip6",
                                            ip_text, rest);
  g_autoptr(SatoriMultiaddr) full = satori_multiaddr_new_from_string (moved, NULL);
  return full != NULL ? satori_multiaddr_decapsulate (full, SATORI_PROTO_P2P) : NULL;
}

static void
add_target (GPtrArray *targets, SatoriMultiaddr *address, GInetAddress *ip)
{
  SatoriMultiaddr *target = on_ip (address, ip);

  if (target == NULL || targets->len == SATORI_AUTONAT_MAX_DIALS ||
      g_ptr_array_find_with_equal_func (targets, target, satori_multiaddr_equal, NULL))
    g_clear_pointer (&target, satori_multiaddr_unref);
  else
    g_ptr_array_add (targets, target);
}

/**
 * satori_autonat_dial_targets:
 * @requested: (element-type SatoriMultiaddr): the addresses in the request
 * @observed: the remote address of the connection the request came on
 * @allow_private: also dial private IPs (loopback, RFC 1918, ...): for
 *   tests and private networks only
 * @refusal: (out) (optional): why nothing may be dialed, when so
 *
 * Returns: (transfer full) (element-type SatoriMultiaddr): the addresses to
 *   dial, in order, all on @observed's IP, without `/p2p/` parts or
 *   duplicates, %SATORI_AUTONAT_MAX_DIALS at most; empty when the request
 *   came over a relay or a non-IP transport, or from a private IP that
 *   @allow_private does not allow
 */
GPtrArray *
satori_autonat_dial_targets (GPtrArray *requested, SatoriMultiaddr *observed,
                             gboolean allow_private, const char **refusal)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  g_autoptr(GInetAddress) ip = satori_nat_address_ip (observed);
  const char *why = NULL;

  g_return_val_if_fail (requested != NULL && observed != NULL, targets);
  if (ip == NULL || satori_multiaddr_has_protocol (observed, SATORI_PROTO_P2P_CIRCUIT))
    why = "request not made over a direct IP connection";
  else if (!allow_private && !satori_nat_ip_is_public (ip))
    why = "requester's IP address is not public";
  if (why == NULL)
    {
      for (guint i = 0; i < requested->len; i++)
        add_target (targets, g_ptr_array_index (requested, i), ip);
      add_target (targets, observed, ip);
    }
  if (why == NULL && targets->len == 0)
    why = "no address to dial on the requester's IP";
  if (refusal != NULL)
    *refusal = why;
  return targets;
}
