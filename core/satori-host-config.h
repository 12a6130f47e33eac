/* satori-host-config.h — a host built as a configuration says
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-config.h"
#include "satori-host.h"
#include "satori-registry.h"

G_BEGIN_DECLS

SatoriHost *satori_host_new_from_config (SatoriConfig     *config,
                                         SatoriRegistry   *registry,
                                         SatoriPrivateKey *key,
                                         GError          **error);

gboolean    satori_host_serve_plugin (SatoriHost     *host,
                                      SatoriConfig   *config,
                                      SatoriRegistry *registry,
                                      const char     *name,
                                      GError        **error);
gboolean    satori_host_unserve_plugin (SatoriHost     *host,
                                        SatoriRegistry *registry,
                                        const char     *name,
                                        GError        **error);
gboolean    satori_host_serves_plugin (SatoriHost     *host,
                                       SatoriRegistry *registry,
                                       const char     *name);

G_END_DECLS
