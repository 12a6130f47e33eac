/* satori-config-scan.h — where groups and keys sit in a key file's text
 *
 * Private to libsatorip2p-1: not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriConfigLineKind:
 * @SATORI_CONFIG_LINE_GROUP: a `[group]` header
 * @SATORI_CONFIG_LINE_KEY: a `key=value` line
 *
 * The kinds of line satori_config_scan() reports.
 */
typedef enum {
  SATORI_CONFIG_LINE_GROUP,
  SATORI_CONFIG_LINE_KEY,
} SatoriConfigLineKind;

/**
 * SatoriConfigLine:
 * @kind: a group header or a key line
 * @line: its line number, from 1
 * @group: the group the header opens, or the group the key belongs to
 * @key: (nullable): for a key line, the key without any `[locale]` suffix
 * @locale: (nullable): for a `key[locale]=` line, the locale
 *
 * One interesting line of a key file.
 */
typedef struct {
  SatoriConfigLineKind kind;
  int line;
  char *group;
  char *key;
  char *locale;
} SatoriConfigLine;

GArray *satori_config_scan (const char *data, gsize len);
int     satori_config_find_error_line (const char *data, gsize len);

G_END_DECLS
