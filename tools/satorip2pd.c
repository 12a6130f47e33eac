/* satorip2pd — the satorip2p daemon: reads its configuration, loads the
 * plugins it names, listens, and runs until SIGTERM or SIGINT; SIGHUP
 * reloads the configuration.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "satori-config-plugins.h"
#include "satori-daemon-model.h"
#include "satori-dbus-service.h"
#include "satori-host-config.h"
#include "satori-key-file.h"
#include "satori-rest-service.h"
#include "satorip2p.h"
#include "satori-i18n.h"

typedef struct
{
  const char *config_file;   /* --config, or NULL */
  SatoriRegistry *registry;
  SatoriConfig *config;
  SatoriHost *host;
  SatoriDaemonModel *model;
  SatoriPeers *peers;
  SatoriDBusService *dbus;
  SatoriRestServer *rest;
  guint pending_listens;
  GMainLoop *loop;
  int exit_status;
} Daemon;

static gboolean
load_configuration (SatoriConfig *config, const char *extra_file, GError **error)
{
  g_autoptr(GBytes) defaults = g_resources_lookup_data ("/io/satorinet/P2P1/satorip2p.conf",
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (defaults == NULL)
    return FALSE;
  gsize len;
  const char *text = g_bytes_get_data (defaults, &len);
  if (!satori_config_load_data (config, SATORI_CONFIG_ORIGIN_DEFAULTS, text, len, error))
    return FALSE;

  g_autofree char *system_file = g_build_filename (SATORI_SYSCONFDIR, "satorip2p",
                                                   "satorip2p.conf", NULL);
  g_autofree char *user_file = g_build_filename (g_get_user_config_dir (), "satorip2p",
                                                 "satorip2p.conf", NULL);
  if (!satori_config_load_file_with_dropins (config, system_file, error) ||
      !satori_config_load_file_with_dropins (config, user_file, error))
    return FALSE;
  return extra_file == NULL || satori_config_load_file (config, extra_file, error);
}

static void
on_listening (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_host_listen_finish (daemon->host, result, &error))
    {
      g_printerr (_("Cannot listen: %s\n"), error->message);
      daemon->exit_status = 1;
      g_main_loop_quit (daemon->loop);
      return;
    }
  /* Once all listeners are up: say every address, and start discovering
   * (what discoveries advertise carries the addresses). */
  if (--daemon->pending_listens > 0)
    return;
  satori_host_start_discoveries (daemon->host);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (daemon->host));
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (daemon->host);
  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *text = satori_multiaddr_to_string (g_ptr_array_index (addresses, i));
      g_message (_("Listening on %s/p2p/%s"), text, peer);
    }
}

static gboolean
start_host (Daemon *daemon, SatoriRegistry *registry, const char *key_path, GError **error)
{
  g_autofree char *default_key = g_build_filename (g_get_user_data_dir (), "satorip2p",
                                                   "identity.key", NULL);
  /* secp256k1, the curve of Evrmore wallet keys: a key made here is also a
   * wallet identity (satorip2p key show), and `satorip2p key import`
   * replaces it with the user's own. */
  g_autoptr(SatoriPrivateKey) key =
    satori_key_file_load_or_create (key_path ? key_path : default_key, SATORI_KEY_TYPE_SECP256K1,
                                    error);
  if (key == NULL)
    return FALSE;
  daemon->host = satori_host_new_from_config (daemon->config, registry, key, error);
  if (daemon->host == NULL)
    return FALSE;
  daemon->peers = satori_peers_new (daemon->host);
  satori_peers_start (daemon->peers);
  daemon->model = satori_daemon_model_new (daemon->peers);

  g_auto(GStrv) listen = satori_config_get_string_list (daemon->config, "host", "listen", NULL);
  g_autoptr(GPtrArray) addresses =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    {
      SatoriMultiaddr *address = satori_multiaddr_new_from_string (listen[i], error);
      if (address == NULL)
        {
          g_prefix_error (error, _("[host] listen: “%s”: "), listen[i]);
          return FALSE;
        }
      g_ptr_array_add (addresses, address);
    }
  daemon->pending_listens = addresses->len;
  for (guint i = 0; i < addresses->len; i++)
    satori_host_listen_async (daemon->host, g_ptr_array_index (addresses, i), NULL,
                              on_listening, daemon);
  return TRUE;
}

/* Whether @key of [host] differs between the two configurations. */
static gboolean
host_key_changed (SatoriConfig *before, SatoriConfig *after, const char *key)
{
  g_autofree char *old_value = satori_config_get_string (before, "host", key, NULL);
  g_autofree char *new_value = satori_config_get_string (after, "host", key, NULL);

  return g_strcmp0 (old_value, new_value) != 0;
}

/* Enables the plugins @after loads and @before did not, or (@enable
 * FALSE) disables those @before loaded and @after does not. */
static void
apply_plugin_changes (Daemon *daemon, SatoriConfig *before, SatoriConfig *after, gboolean enable)
{
  g_auto(GStrv) was = satori_config_get_string_list (before, "plugins", "load", NULL);
  g_auto(GStrv) now = satori_config_get_string_list (after, "plugins", "load", NULL);
  char **from = enable ? now : was;
  char **to = enable ? was : now;

  for (guint i = 0; from != NULL && from[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      if (to != NULL && g_strv_contains ((const char * const *) to, from[i]))
        continue;
      gboolean done = enable
        ? satori_host_serve_plugin (daemon->host, after, daemon->registry, from[i], &error)
        : satori_host_unserve_plugin (daemon->host, daemon->registry, from[i], &error);
      if (done)
        g_message (enable ? _("Reload: plugin %s enabled") : _("Reload: plugin %s disabled"),
                   from[i]);
      else
        g_warning (_("Reload: %s"), error->message);
    }
}

/* Whether every group of a feature of the plugins @config loads fits
 * that feature, as the host would read it. */
static gboolean
check_feature_groups (SatoriConfig *config, SatoriRegistry *registry, GError **error)
{
  g_auto(GStrv) names = satori_config_get_string_list (config, "plugins", "load", NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SatoriPlugin *plugin = satori_registry_load (registry, names[i], error);
      if (plugin == NULL)
        return FALSE;
      GPtrArray *features = satori_plugin_get_features (plugin);
      for (guint j = 0; j < features->len; j++)
        {
          SatoriFeature *feature = g_ptr_array_index (features, j);
          if (!satori_config_check_object (config, satori_feature_get_name (feature),
                                           satori_feature_get_implementation_type (feature),
                                           error))
            return FALSE;
        }
    }
  return TRUE;
}

/* SIGHUP: reads the configuration files again. Plugins of stream
 * protocols added to or removed from [plugins] load= are enabled or
 * disabled; what the host is wired with ([host]) takes a restart. A
 * configuration with errors is refused and the running one kept. */
static gboolean
on_reload_signal (gpointer user_data)
{
  static const char * const restart_keys[] = {
    "listen", "transports", "security", "muxers", "pubsub", "discovery", NULL
  };
  Daemon *daemon = user_data;
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(GError) error = NULL;

  g_message (_("Reloading the configuration"));
  if (!load_configuration (config, daemon->config_file, &error) ||
      !satori_config_load_plugins (config, daemon->registry, &error) ||
      !check_feature_groups (config, daemon->registry, &error))
    {
      g_warning (_("Reload refused, the running configuration stays: %s"), error->message);
      return G_SOURCE_CONTINUE;
    }
  apply_plugin_changes (daemon, daemon->config, config, FALSE);
  apply_plugin_changes (daemon, daemon->config, config, TRUE);
  for (guint i = 0; restart_keys[i] != NULL; i++)
    if (host_key_changed (daemon->config, config, restart_keys[i]))
      g_message (_("Reload: [host] %s changed; it takes effect after a restart"),
                 restart_keys[i]);
  g_set_object (&daemon->config, config);
  satori_dbus_service_set_config (daemon->dbus, config);
  return G_SOURCE_CONTINUE;
}

static void
on_name_lost (gpointer user_data)
{
  Daemon *daemon = user_data;

  daemon->exit_status = 1;
  g_main_loop_quit (daemon->loop);
}

/* How long a clean shutdown waits for its peers to take the GoAways. */
#define CLOSE_TIMEOUT_MS 3000

/* Shared with the close callbacks, which may outlive the wait. */
typedef struct
{
  guint pending;
  gboolean expired;
} Closing;

static void
on_connection_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Closing *closing = user_data;

  satori_connection_close_finish (SATORI_CONNECTION (source), result, NULL);
  closing->pending--;
  g_rc_box_release (closing);
}

static gboolean
on_close_timeout (gpointer user_data)
{
  ((Closing *) user_data)->expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Closes every connection gracefully (yamux sends its GoAway), and waits
 * until they are closed or CLOSE_TIMEOUT_MS passed. */
static void
close_connections (SatoriHost *host)
{
  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);
  Closing *closing = g_rc_box_new0 (Closing);
  guint timeout = g_timeout_add (CLOSE_TIMEOUT_MS, on_close_timeout, closing);

  closing->pending = connections->len;
  for (guint i = 0; i < connections->len; i++)
    satori_connection_close_async (g_ptr_array_index (connections, i), NULL,
                                   on_connection_closed, g_rc_box_acquire (closing));
  while (closing->pending > 0 && !closing->expired)
    g_main_context_iteration (NULL, TRUE);
  if (closing->pending > 0)
    g_warning (_("Shutting down; connections not closed cleanly in time: %u"), closing->pending);
  if (!closing->expired)
    g_source_remove (timeout);
  g_rc_box_release (closing);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  Daemon *daemon = user_data;

  g_message (_("Shutting down"));
  g_main_loop_quit (daemon->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *config_file = NULL;
  g_autofree char *key_file = NULL;
  gboolean show_version = FALSE;
  gboolean system_bus = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
      N_("Read FILE after the other configuration files"), N_("FILE") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("Identity key file (created if missing; default $XDG_DATA_HOME/satorip2p/identity.key)"),
      N_("FILE") },
    { "system", 0, 0, G_OPTION_ARG_NONE, &system_bus,
      N_("Serve D-Bus on the system bus instead of the session bus"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Daemon daemon = { 0 };

  satori_i18n_init_program ();

  context = g_option_context_new (_("— the satorip2p daemon"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (show_version)
    {
      g_print ("satorip2pd %s\n", PACKAGE_VERSION);
      return 0;
    }

  daemon.config_file = config_file;
  daemon.config = satori_config_new ();
  daemon.loop = g_main_loop_new (NULL, FALSE);
  SatoriRegistry *registry = satori_registry_get_default ();
  daemon.registry = registry;

  if (!load_configuration (daemon.config, config_file, &error) ||
      !satori_config_load_plugins (daemon.config, registry, &error) ||
      !start_host (&daemon, registry, key_file, &error) ||
      !satori_rest_service_start (daemon.config, daemon.model, &daemon.rest, &error))
    {
      g_printerr (_("satorip2pd: %s\n"), error->message);
      daemon.exit_status = 1;
    }
  else
    {
      daemon.dbus = satori_dbus_service_start (system_bus ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION,
                                               daemon.model, registry, daemon.config,
                                               on_name_lost, &daemon);
      g_unix_signal_add (SIGINT, on_quit_signal, &daemon);
      g_unix_signal_add (SIGTERM, on_quit_signal, &daemon);
      g_unix_signal_add (SIGHUP, on_reload_signal, &daemon);
      g_main_loop_run (daemon.loop);
    }

  g_clear_pointer (&daemon.dbus, satori_dbus_service_stop);
  g_clear_object (&daemon.rest);
  g_clear_object (&daemon.model);
  g_clear_object (&daemon.peers);
  if (daemon.host != NULL)
    {
      close_connections (daemon.host);
      satori_host_close (daemon.host);
      g_object_unref (daemon.host);
    }
  g_main_loop_unref (daemon.loop);
  g_object_unref (daemon.config);
  return daemon.exit_status;
}
