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

G_END_DECLS
