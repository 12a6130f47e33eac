/* satori-plugin.h — a plugin known to the registry, loaded or refused
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-feature.h"
#include "satori-plugin-desc.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PLUGIN (satori_plugin_get_type ())
G_DECLARE_FINAL_TYPE (SatoriPlugin, satori_plugin, SATORI, PLUGIN, GObject)

const char   *satori_plugin_get_name (SatoriPlugin *plugin);
const char   *satori_plugin_get_version (SatoriPlugin *plugin);
const char   *satori_plugin_get_license (SatoriPlugin *plugin);
const char   *satori_plugin_get_description (SatoriPlugin *plugin);
const char   *satori_plugin_get_filename (SatoriPlugin *plugin);
void          satori_plugin_get_abi (SatoriPlugin *plugin,
                                     guint        *major,
                                     guint        *minor);
gboolean      satori_plugin_is_loaded (SatoriPlugin *plugin);
const GError *satori_plugin_get_refusal (SatoriPlugin *plugin);
GPtrArray    *satori_plugin_get_features (SatoriPlugin *plugin);
gboolean      satori_plugin_add_feature (SatoriPlugin       *plugin,
                                         GType               interface_type,
                                         const char         *name,
                                         const char * const *protocol_ids,
                                         guint               rank,
                                         GType               implementation_type,
                                         GError            **error);

/*< private >*/
SatoriPlugin *_satori_plugin_new_loaded (SatoriRegistry         *registry,
                                         const SatoriPluginDesc *desc,
                                         const char             *filename);
SatoriPlugin *_satori_plugin_new_refused (const char   *name,
                                          const char   *filename,
                                          const GError *reason);
void          _satori_plugin_set_refused (SatoriPlugin *plugin,
                                          const GError *reason);

G_END_DECLS
