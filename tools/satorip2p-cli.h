/* satorip2p-cli.h — the commands of the satorip2p CLI
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satorip2p.h"

G_BEGIN_DECLS

/* Exit statuses: a verify that fails is 1, like any other failure. */
enum {
  SATORI_CLI_EXIT_OK = 0,
  SATORI_CLI_EXIT_FAILURE = 1,
  SATORI_CLI_EXIT_USAGE = 2,
};

/* One command: "key import" is group "key", name "import"; a command with
 * no group is run as "satorip2p NAME". @run gets the arguments after the
 * command words, with argv[0] the full command name. */
typedef struct {
  const char *group;
  const char *name;
  const char *summary;
  int (*run) (int argc, char **argv);
} SatoriCliCommand;

int satori_cli_key_import (int argc, char **argv);
int satori_cli_key_show (int argc, char **argv);
int satori_cli_sign (int argc, char **argv);
int satori_cli_verify (int argc, char **argv);
int satori_cli_status (int argc, char **argv);
int satori_cli_peers (int argc, char **argv);
int satori_cli_connect (int argc, char **argv);
int satori_cli_disconnect (int argc, char **argv);
int satori_cli_subscribe (int argc, char **argv);
int satori_cli_publish (int argc, char **argv);
int satori_cli_plugins (int argc, char **argv);
int satori_cli_plugins_enable (int argc, char **argv);
int satori_cli_plugins_disable (int argc, char **argv);
int satori_cli_ping (int argc, char **argv);

/* Shared by the commands (satorip2p-cli-common.c). */
int               satori_cli_parse (GOptionContext *context, int *argc, char ***argv,
                                    int min_args, int max_args);
char             *satori_cli_default_key_path (void);
SatoriEvrmoreKey *satori_cli_load_key (const char *path, GError **error);

G_END_DECLS
