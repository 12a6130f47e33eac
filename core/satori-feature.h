/* satori-feature.h — one implementation a plugin offers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_FEATURE (satori_feature_get_type ())
G_DECLARE_FINAL_TYPE (SatoriFeature, satori_feature, SATORI, FEATURE, GObject)

const char         *satori_feature_get_name (SatoriFeature *feature);
GType               satori_feature_get_interface_type (SatoriFeature *feature);
GType               satori_feature_get_implementation_type (SatoriFeature *feature);
guint               satori_feature_get_rank (SatoriFeature *feature);
const char * const *satori_feature_get_protocol_ids (SatoriFeature *feature);
gboolean            satori_feature_has_protocol_id (SatoriFeature *feature,
                                                    const char    *protocol_id);
const char         *satori_feature_get_plugin_name (SatoriFeature *feature);
gpointer            satori_feature_create (SatoriFeature *feature);

/*< private >*/
SatoriFeature *_satori_feature_new (const char         *plugin_name,
                                    GType               interface_type,
                                    const char         *name,
                                    const char * const *protocol_ids,
                                    guint               rank,
                                    GType               implementation_type);

G_END_DECLS
