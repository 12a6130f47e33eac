/* satori-registry.h — the dynamic protocol registry
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-feature.h"
#include "satori-plugin.h"
#include "satori-plugin-desc.h"

G_BEGIN_DECLS

#define SATORI_TYPE_REGISTRY (satori_registry_get_type ())
G_DECLARE_FINAL_TYPE (SatoriRegistry, satori_registry, SATORI, REGISTRY, GObject)

SatoriRegistry     *satori_registry_new (void);
SatoriRegistry     *satori_registry_get_default (void);

void                satori_registry_set_search_path (SatoriRegistry     *registry,
                                                     const char * const *dirs);
const char * const *satori_registry_get_search_path (SatoriRegistry *registry);

SatoriPlugin       *satori_registry_load (SatoriRegistry *registry,
                                          const char     *name,
                                          GError        **error);
SatoriPlugin       *satori_registry_load_file (SatoriRegistry *registry,
                                               const char     *path,
                                               GError        **error);
void                satori_registry_scan (SatoriRegistry *registry);

SatoriPlugin       *satori_registry_find_plugin (SatoriRegistry *registry,
                                                 const char     *name);
GPtrArray          *satori_registry_get_plugins (SatoriRegistry *registry);
GStrv               satori_registry_list_available (SatoriRegistry *registry);

SatoriFeature      *satori_registry_lookup (SatoriRegistry *registry,
                                            GType           interface_type,
                                            const char     *name);
SatoriFeature      *satori_registry_lookup_protocol (SatoriRegistry *registry,
                                                     GType           interface_type,
                                                     const char     *protocol_id);
GPtrArray          *satori_registry_list_features (SatoriRegistry *registry,
                                                   GType           interface_type);

/*< private >*/
gboolean            _satori_registry_add_feature (SatoriRegistry *registry,
                                                  SatoriFeature  *feature,
                                                  GError        **error);

G_END_DECLS
