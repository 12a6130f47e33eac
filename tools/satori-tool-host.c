/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-tool-host.h"

#include "satori-host-config.h"

/* What the tools speak, as a configuration, so their hosts are built the
 * way the daemon builds its own. */
static const char tool_host_config[] =
  "[host]\n"
  "transports=tcp\n"
  "security=noise\n"
  "muxers=yamux\n";

/**
 * satori_tool_host_new:
 * @registry: a registry with at least the tcp, noise and yamux plugins
 * @key: the host's identity key
 * @extra_config: (nullable): more configuration, read after the tools'
 *   own (a `[host] pubsub=` line and the router's group, say)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a host on TCP + Noise + Yamux that
 *   serves the stream protocols of @registry's plugins
 */
SatoriHost *
satori_tool_host_new (SatoriRegistry *registry, SatoriPrivateKey *key, const char *extra_config,
                      GError **error)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();

  if (!satori_config_load_data (config, "<tool>", tool_host_config, -1, error) ||
      (extra_config != NULL &&
       !satori_config_load_data (config, "<flags>", extra_config, -1, error)))
    return NULL;
  return satori_host_new_from_config (config, registry, key, error);
}
