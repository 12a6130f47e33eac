/* satori-config-plugins.h — loading and configuring the plugins a config names
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-config.h"
#include "satori-registry.h"

G_BEGIN_DECLS

gboolean satori_config_load_plugins (SatoriConfig   *config,
                                     SatoriRegistry *registry,
                                     GError        **error);
gpointer satori_config_create_feature (SatoriConfig  *config,
                                       SatoriFeature *feature,
                                       GError       **error);

G_END_DECLS
