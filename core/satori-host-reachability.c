/* satori-host-reachability.c — whether other peers can dial the host: the
 * #SatoriHost:reachability property's type and accessors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-host-reachability.h"

G_DEFINE_ENUM_TYPE (SatoriReachability, satori_reachability,
  G_DEFINE_ENUM_VALUE (SATORI_REACHABILITY_UNKNOWN, "unknown"),
  G_DEFINE_ENUM_VALUE (SATORI_REACHABILITY_PUBLIC, "public"),
  G_DEFINE_ENUM_VALUE (SATORI_REACHABILITY_PRIVATE, "private"))

/**
 * satori_host_get_reachability:
 * @host: a #SatoriHost
 *
 * Returns: what #SatoriHost:reachability says now
 */
SatoriReachability
satori_host_get_reachability (SatoriHost *host)
{
  SatoriReachability reachability;

  g_return_val_if_fail (SATORI_IS_HOST (host), SATORI_REACHABILITY_UNKNOWN);
  g_object_get (host, "reachability", &reachability, NULL);
  return reachability;
}

/**
 * satori_host_set_reachability:
 * @host: a #SatoriHost
 * @reachability: what a reachability source found
 *
 * Sets #SatoriHost:reachability; `notify::reachability` is emitted only
 * when the value changes. Called by the reachability source (the autonat
 * plugin); services that depend on it (the DHT's server mode) follow the
 * notification.
 */
void
satori_host_set_reachability (SatoriHost *host, SatoriReachability reachability)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_object_set (host, "reachability", reachability, NULL);
}
