/* satori-host-reachability.h — whether other peers can dial the host
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-host.h"

G_BEGIN_DECLS

/**
 * SatoriReachability:
 * @SATORI_REACHABILITY_UNKNOWN: nothing has found out yet
 * @SATORI_REACHABILITY_PUBLIC: other peers dial the host's addresses
 * @SATORI_REACHABILITY_PRIVATE: they cannot: a NAT or firewall is in the way
 *
 * Whether the host is reachable from outside, as a reachability source
 * such as AutoNAT (`/libp2p/autonat/1.0.0`) found it.
 */
typedef enum
{
  SATORI_REACHABILITY_UNKNOWN,
  SATORI_REACHABILITY_PUBLIC,
  SATORI_REACHABILITY_PRIVATE,
} SatoriReachability;

GType satori_reachability_get_type (void) G_GNUC_CONST;
#define SATORI_TYPE_REACHABILITY (satori_reachability_get_type ())

SatoriReachability satori_host_get_reachability (SatoriHost         *host);
void               satori_host_set_reachability (SatoriHost         *host,
                                                 SatoriReachability  reachability);

G_END_DECLS
