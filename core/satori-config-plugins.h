/* satori-config-plugins.h — loading and configuring the plugins a config names
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-config.h"
#include "satori-registry.h"

G_BEGIN_DECLS

/**
 * SATORI_CONFIG_ORIGIN_DEFAULTS:
 *
 * The origin name to load built-in defaults under (satori_config_load_data()).
 * Groups that only the defaults define may configure plugins that this
 * installation lacks: they are not errors.
 */
#define SATORI_CONFIG_ORIGIN_DEFAULTS "<defaults>"

gboolean satori_config_load_plugins (SatoriConfig   *config,
                                     SatoriRegistry *registry,
                                     GError        **error);
gpointer satori_config_create_feature (SatoriConfig  *config,
                                       SatoriFeature *feature,
                                       GError       **error);

G_END_DECLS
