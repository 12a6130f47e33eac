/* satori-plugin-loader.h — opening plugin files safely (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gmodule.h>

#include "satori-plugin-desc.h"

G_BEGIN_DECLS

char                   *_satori_plugin_name_from_filename (const char *path);
gboolean                _satori_plugin_check_abi (const SatoriPluginDesc *desc,
                                                  const char             *what,
                                                  GError                **error);
const SatoriPluginDesc *_satori_plugin_loader_open (const char  *path,
                                                    GError     **error);

G_END_DECLS
