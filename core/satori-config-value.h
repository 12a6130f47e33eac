/* satori-config-value.h — config values converted by a GParamSpec
 *
 * Private to libsatorip2p-1: not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean satori_config_value_parse (GParamSpec  *pspec,
                                    GKeyFile    *keyfile,
                                    const char  *group,
                                    const char  *key,
                                    GValue      *value,
                                    GError     **error);

G_END_DECLS
