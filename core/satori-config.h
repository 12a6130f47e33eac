/* satori-config.h — satorip2p.conf and its drop-ins, merged
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SATORI_TYPE_CONFIG (satori_config_get_type ())
G_DECLARE_FINAL_TYPE (SatoriConfig, satori_config, SATORI, CONFIG, GObject)

SatoriConfig *satori_config_new (void);

gboolean satori_config_load_data (SatoriConfig  *config,
                                  const char    *origin,
                                  const char    *data,
                                  gssize         len,
                                  GError       **error);
gboolean satori_config_load_file (SatoriConfig  *config,
                                  const char    *path,
                                  GError       **error);
gboolean satori_config_load_file_with_dropins (SatoriConfig  *config,
                                               const char    *path,
                                               GError       **error);

char   **satori_config_get_groups (SatoriConfig *config);
gboolean satori_config_has_group (SatoriConfig *config,
                                  const char   *group);
char   **satori_config_get_keys (SatoriConfig *config,
                                 const char   *group);
gboolean satori_config_has_key (SatoriConfig *config,
                                const char   *group,
                                const char   *key);
gboolean satori_config_get_origin (SatoriConfig  *config,
                                   const char    *group,
                                   const char    *key,
                                   const char   **file,
                                   int           *line);

char    *satori_config_get_string (SatoriConfig  *config,
                                   const char    *group,
                                   const char    *key,
                                   GError       **error);
char   **satori_config_get_string_list (SatoriConfig  *config,
                                        const char    *group,
                                        const char    *key,
                                        GError       **error);
gboolean satori_config_get_boolean (SatoriConfig  *config,
                                    const char    *group,
                                    const char    *key,
                                    gboolean      *value,
                                    GError       **error);
gboolean satori_config_get_int (SatoriConfig  *config,
                                const char    *group,
                                const char    *key,
                                int           *value,
                                GError       **error);
gboolean satori_config_get_uint64 (SatoriConfig  *config,
                                   const char    *group,
                                   const char    *key,
                                   guint64       *value,
                                   GError       **error);

gboolean satori_config_check_groups (SatoriConfig       *config,
                                     const char *const  *known_groups,
                                     GError            **error);
gboolean satori_config_check_keys (SatoriConfig       *config,
                                   const char         *group,
                                   const char *const  *known_keys,
                                   GError            **error);

gboolean satori_config_apply (SatoriConfig  *config,
                              const char    *group,
                              GObject       *object,
                              GError       **error);
gpointer satori_config_new_object (SatoriConfig  *config,
                                   const char    *group,
                                   GType          object_type,
                                   GError       **error);
gboolean satori_config_check_object (SatoriConfig  *config,
                                     const char    *group,
                                     GType          object_type,
                                     GError       **error);

G_END_DECLS
