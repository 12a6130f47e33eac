/* satorip2pd — the satorip2p daemon: reads its configuration, loads the
 * plugins it names, listens, and runs until SIGTERM or SIGINT.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "satori-config-plugins.h"
#include "satorip2p.h"

typedef struct
{
  SatoriConfig *config;
  GPtrArray *transports;   /* SatoriTransport */
  GPtrArray *listeners;    /* SatoriListener */
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
  if (!satori_config_load_data (config, "<defaults>", text, len, error))
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

static gboolean
create_transports (Daemon *daemon, SatoriRegistry *registry, GError **error)
{
  g_auto(GStrv) names = satori_config_get_string_list (daemon->config, "host", "transports", NULL);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      SatoriFeature *feature = satori_registry_lookup (registry, SATORI_TYPE_TRANSPORT, names[i]);
      if (feature == NULL)
        {
          g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                       _("[host] transports: no loaded plugin provides transport “%s”"),
                       names[i]);
          return FALSE;
        }
      GObject *transport = satori_config_create_feature (daemon->config, feature, error);
      if (transport == NULL)
        return FALSE;
      g_ptr_array_add (daemon->transports, transport);
    }
  return TRUE;
}

static void
on_listening (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;
  SatoriListener *listener = satori_transport_listen_finish (SATORI_TRANSPORT (source), result,
                                                             &error);
  if (listener == NULL)
    {
      g_printerr (_("Cannot listen: %s\n"), error->message);
      daemon->exit_status = 1;
      g_main_loop_quit (daemon->loop);
      return;
    }
  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);
  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *text = satori_multiaddr_to_string (g_ptr_array_index (addresses, i));
      g_message (_("Listening on %s"), text);
    }
  g_ptr_array_add (daemon->listeners, listener);
}

static gboolean
start_listening (Daemon *daemon, GError **error)
{
  g_auto(GStrv) listen = satori_config_get_string_list (daemon->config, "host", "listen", NULL);

  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    {
      g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (listen[i], error);
      if (address == NULL)
        {
          g_prefix_error (error, _("[host] listen: “%s”: "), listen[i]);
          return FALSE;
        }
      SatoriTransport *chosen = NULL;
      for (guint t = 0; t < daemon->transports->len && chosen == NULL; t++)
        if (satori_transport_can_listen (g_ptr_array_index (daemon->transports, t), address))
          chosen = g_ptr_array_index (daemon->transports, t);
      if (chosen == NULL)
        {
          g_set_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE,
                       _("[host] listen: no configured transport listens on “%s”"), listen[i]);
          return FALSE;
        }
      satori_transport_listen_async (chosen, address, NULL, on_listening, daemon);
    }
  return TRUE;
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
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
      N_("Read FILE after the other configuration files"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, N_("Print the version"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Daemon daemon = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

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

  daemon.config = satori_config_new ();
  daemon.transports = g_ptr_array_new_with_free_func (g_object_unref);
  daemon.listeners = g_ptr_array_new_with_free_func (g_object_unref);
  daemon.loop = g_main_loop_new (NULL, FALSE);
  SatoriRegistry *registry = satori_registry_get_default ();

  if (!load_configuration (daemon.config, config_file, &error) ||
      !satori_config_load_plugins (daemon.config, registry, &error) ||
      !create_transports (&daemon, registry, &error) ||
      !start_listening (&daemon, &error))
    {
      g_printerr (_("satorip2pd: %s\n"), error->message);
      daemon.exit_status = 1;
    }
  else
    {
      g_unix_signal_add (SIGINT, on_quit_signal, &daemon);
      g_unix_signal_add (SIGTERM, on_quit_signal, &daemon);
      g_main_loop_run (daemon.loop);
    }

  for (guint i = 0; i < daemon.listeners->len; i++)
    satori_listener_close (g_ptr_array_index (daemon.listeners, i));
  g_ptr_array_unref (daemon.listeners);
  g_ptr_array_unref (daemon.transports);
  g_main_loop_unref (daemon.loop);
  g_object_unref (daemon.config);
  return daemon.exit_status;
}
