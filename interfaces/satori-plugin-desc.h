/* satori-plugin-desc.h — what a plugin file exports: its descriptor
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gmodule.h>

#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SATORI_PLUGIN_ABI_MAJOR:
 *
 * The plugin ABI this core implements. A plugin is loaded only when its
 * descriptor's @abi_major equals this and its @abi_minor is not greater
 * than %SATORI_PLUGIN_ABI_MINOR. The minor grows when an interface gains a
 * vfunc at its end, a new interface comes or plugins get a new core call
 * (1.1: #SatoriOfflineStore, #SatoriDiscoveryInterface.withdraw_async and
 * satori_message_framing_register()),
 * so that a plugin using it is refused by a core without it; the major
 * grows for any other change.
 */
#define SATORI_PLUGIN_ABI_MAJOR 1
/**
 * SATORI_PLUGIN_ABI_MINOR:
 *
 * See %SATORI_PLUGIN_ABI_MAJOR.
 */
#define SATORI_PLUGIN_ABI_MINOR 1

/**
 * SatoriPluginInitFunc:
 * @plugin: the plugin being loaded
 * @error: return location for a #GError
 *
 * Registers the plugin's features with satori_plugin_add_feature().
 *
 * Returns: %TRUE on success
 */
typedef gboolean (*SatoriPluginInitFunc) (SatoriPlugin *plugin, GError **error);

/**
 * SatoriPluginDesc:
 * @abi_major: %SATORI_PLUGIN_ABI_MAJOR the plugin was built against
 * @abi_minor: %SATORI_PLUGIN_ABI_MINOR the plugin was built against
 * @name: the plugin's name; its file is `libsatori-<name>.so`
 * @version: the plugin's version
 * @license: SPDX license expression
 * @description: one line saying what it does
 * @init: registers the features
 *
 * A plugin's descriptor. It is a data symbol, so the loader reads the ABI
 * fields without calling any plugin function. Fields are only ever
 * appended, in place of @_reserved.
 */
typedef struct {
  guint32 abi_major;
  guint32 abi_minor;
  const char *name;
  const char *version;
  const char *license;
  const char *description;
  SatoriPluginInitFunc init;
  /*< private >*/
  gpointer _reserved[8];
} SatoriPluginDesc;

/**
 * SATORI_PLUGIN_DEFINE:
 * @name: the plugin's name, a C identifier (the file is `libsatori-name.so`,
 *   with underscores written as dashes)
 * @version: version string
 * @license: SPDX license expression
 * @description: one line
 * @init: a #SatoriPluginInitFunc
 *
 * Defines the descriptor `satori_plugin_<name>_desc`, the only symbol a
 * plugin module exports, and the static-registration twin
 * `satori_plugin_<name>_register (SatoriRegistry *, GError **)` for tests
 * and static builds, which need no dlopen().
 */
#define SATORI_PLUGIN_DEFINE(name, version, license, description, init)        \
  G_MODULE_EXPORT extern const SatoriPluginDesc satori_plugin_##name##_desc;    \
  const SatoriPluginDesc satori_plugin_##name##_desc = {                        \
    SATORI_PLUGIN_ABI_MAJOR, SATORI_PLUGIN_ABI_MINOR, #name, version, license, \
    description, init, { NULL }                                                 \
  };                                                                            \
  gboolean satori_plugin_##name##_register (SatoriRegistry *registry,           \
                                            GError **error);                    \
  gboolean satori_plugin_##name##_register (SatoriRegistry *registry,           \
                                            GError **error)                     \
  {                                                                             \
    return satori_registry_register_static (registry,                           \
                                            &satori_plugin_##name##_desc,       \
                                            error);                             \
  }

gboolean satori_registry_register_static (SatoriRegistry *registry,
                                          const SatoriPluginDesc *desc,
                                          GError **error);

G_END_DECLS
