/* satori-test-daemon.h — satorip2pd run as a program on a private bus of
 * its own (GTestDBus), with the generated proxies to drive it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-dbus-generated.h"

G_BEGIN_DECLS

#define SATORI_TEST_DBUS_NAME "io.satorinet.P2P1"
#define SATORI_TEST_DBUS_PATH "/io/satorinet/P2P1"

typedef struct
{
  char *dir;                 /* its config, key and data */
  GTestDBus *bus;
  GDBusConnection *connection;
  GSubprocess *process;
  SatoriDBusNode *node;
  SatoriDBusPubsub *pubsub;
  SatoriDBusPlugins *plugins;
} SatoriTestDaemon;

void satori_test_daemon_start (SatoriTestDaemon *daemon, const char *config);
void satori_test_daemon_prepare (SatoriTestDaemon *daemon);
void satori_test_daemon_attach (SatoriTestDaemon *daemon, GSubprocess *process);
void satori_test_daemon_stop (SatoriTestDaemon *daemon);
GSubprocess *satori_test_daemon_spawn (SatoriTestDaemon *daemon);
void satori_test_daemon_setenv (SatoriTestDaemon *daemon, GSubprocessLauncher *launcher);

gboolean satori_test_on_timeout (gpointer flag);
void     satori_test_wait_for (const gboolean *flag);
void     satori_test_sleep_ms (guint ms);

G_END_DECLS
