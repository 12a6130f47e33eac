/* satori-test-daemon.c — satorip2pd run as a program on a private bus
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-test-daemon.h"

#include "satori-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>

#define DEFAULT_CONFIG \
  "[plugins]\nload=tcp;noise;yamux;ping;identify;floodsub\n" \
  "[host]\npubsub=floodsub\nlisten=/ip4/127.0.0.1/tcp/0\n" \
  "[rest]\nenabled=false\n"

/**
 * satori_test_on_timeout: a #GSourceFunc setting the gboolean @flag
 */
gboolean
satori_test_on_timeout (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until *@flag is set, failing after 20 s. */
void
satori_test_wait_for (const gboolean *flag)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (20, satori_test_on_timeout, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

/* Runs the main context for @ms milliseconds. */
void
satori_test_sleep_ms (guint ms)
{
  gboolean tick = FALSE;

  g_timeout_add (ms, satori_test_on_timeout, &tick);
  satori_test_wait_for (&tick);
}

static void
on_name_appeared (GDBusConnection *connection, const char *name, const char *owner,
                  gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_listen_addresses (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  const char * const *addresses = satori_dbus_node_get_listen_addresses (SATORI_DBUS_NODE (object));
  *(gboolean *) user_data = addresses != NULL && addresses[0] != NULL;
}

/* The environment of a program talking to @daemon: its bus, its folders. */
void
satori_test_daemon_setenv (SatoriTestDaemon *daemon, GSubprocessLauncher *launcher)
{
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (daemon->bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", daemon->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", daemon->dir, TRUE);
}

/* Runs (another) satorip2pd with the config and key in @daemon's folder,
 * on its bus. */
GSubprocess *
satori_test_daemon_spawn (SatoriTestDaemon *daemon)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *config = g_build_filename (daemon->dir, "test.conf", NULL);
  g_autofree char *key = g_build_filename (daemon->dir, "identity.key", NULL);

  satori_test_daemon_setenv (daemon, launcher);
  GSubprocess *process = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD, "--config",
                                                      config, "--key", key, NULL);
  g_assert_no_error (error);
  return process;
}

/**
 * satori_test_daemon_start:
 * @config: (nullable): the config file's text; %NULL for TCP on loopback,
 *   Noise, Yamux, ping, identify and floodsub
 *
 * Starts a daemon from a fresh config and key on a bus of its own, and
 * waits until it owns its name and listens.
 */
void
satori_test_daemon_start (SatoriTestDaemon *daemon, const char *config)
{
  satori_test_daemon_prepare (daemon);
  g_autofree char *config_file = g_build_filename (daemon->dir, "test.conf", NULL);
  g_assert_true (g_file_set_contents (config_file, config ? config : DEFAULT_CONFIG, -1, NULL));
  satori_test_daemon_attach (daemon, satori_test_daemon_spawn (daemon));
}

/**
 * satori_test_daemon_prepare:
 *
 * Makes @daemon's folder and starts its bus.
 */
void
satori_test_daemon_prepare (SatoriTestDaemon *daemon)
{
  g_autoptr(GError) error = NULL;

  daemon->dir = g_dir_make_tmp ("satori-dbus-XXXXXX", &error);
  g_assert_no_error (error);
  daemon->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (daemon->bus);
}

/**
 * satori_test_daemon_attach:
 * @process: (transfer full): satorip2pd, started on @daemon's bus
 *
 * Waits until @process owns its name and listens, and makes the proxies.
 */
void
satori_test_daemon_attach (SatoriTestDaemon *daemon, GSubprocess *process)
{
  g_autoptr(GError) error = NULL;
  const char *address = g_test_dbus_get_bus_address (daemon->bus);

  daemon->process = process;
  daemon->connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  gboolean appeared = FALSE;
  guint watch = g_bus_watch_name_on_connection (daemon->connection, SATORI_TEST_DBUS_NAME,
                                                G_BUS_NAME_WATCHER_FLAGS_NONE, on_name_appeared,
                                                NULL, &appeared, NULL);
  satori_test_wait_for (&appeared);
  g_bus_unwatch_name (watch);

  daemon->node = satori_dbus_node_proxy_new_sync (daemon->connection, G_DBUS_PROXY_FLAGS_NONE,
                                                  SATORI_TEST_DBUS_NAME, SATORI_TEST_DBUS_PATH,
                                                  NULL, &error);
  g_assert_no_error (error);
  daemon->pubsub = satori_dbus_pubsub_proxy_new_sync (daemon->connection,
                                                      G_DBUS_PROXY_FLAGS_NONE,
                                                      SATORI_TEST_DBUS_NAME,
                                                      SATORI_TEST_DBUS_PATH, NULL, &error);
  g_assert_no_error (error);
  daemon->plugins = satori_dbus_plugins_proxy_new_sync (daemon->connection,
                                                        G_DBUS_PROXY_FLAGS_NONE,
                                                        SATORI_TEST_DBUS_NAME,
                                                        SATORI_TEST_DBUS_PATH, NULL, &error);
  g_assert_no_error (error);

  gboolean listening = FALSE;
  on_listen_addresses (G_OBJECT (daemon->node), NULL, &listening);
  gulong handler = g_signal_connect (daemon->node, "notify::listen-addresses",
                                     G_CALLBACK (on_listen_addresses), &listening);
  satori_test_wait_for (&listening);
  g_signal_handler_disconnect (daemon->node, handler);
}

/**
 * satori_test_daemon_stop:
 *
 * SIGTERM: the daemon must exit cleanly (and, under ASan, without leaks).
 * Does nothing for a daemon that was not started.
 */
void
satori_test_daemon_stop (SatoriTestDaemon *daemon)
{
  g_autoptr(GError) error = NULL;

  if (daemon->process == NULL)
    return;
  g_clear_object (&daemon->node);
  g_clear_object (&daemon->pubsub);
  g_clear_object (&daemon->plugins);
  g_subprocess_send_signal (daemon->process, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon->process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (daemon->process));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon->process), ==, 0);
  g_clear_object (&daemon->process);
  g_dbus_connection_close_sync (daemon->connection, NULL, NULL);
  g_clear_object (&daemon->connection);
  g_test_dbus_down (daemon->bus);
  g_clear_object (&daemon->bus);
  satori_test_remove_tree (daemon->dir);
  g_clear_pointer (&daemon->dir, g_free);
}
