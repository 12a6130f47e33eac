/* satori-tool-host.h — the host the command-line tools run
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satorip2p.h"

G_BEGIN_DECLS

SatoriHost *satori_tool_host_new (SatoriRegistry   *registry,
                                  SatoriPrivateKey *key,
                                  const char       *extra_config,
                                  GError          **error);

G_END_DECLS
