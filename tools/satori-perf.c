/* satori-perf — /perf/1.0.0 over TCP+Noise+Yamux: a server that serves it,
 * and a client that measures one exchange and prints it as a JSON line.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "satori-key-file.h"
#include "satori-perf-client.h"
#include "satori-perf-server.h"
#include "satori-perf-session.h"
#include "satorip2p.h"
#include "satori-i18n.h"
#include "satori-tool-host.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_perf_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriHost *host;
  GMainLoop *loop;
  SatoriPeerId *server;
  guint64 upload;
  guint64 download;
  gint64 start_us;
  double connect_seconds;
  int exit_status;
} Perf;

static SatoriHost *
new_host (const char *key_path, GError **error)
{
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(SatoriPrivateKey) key = NULL;

  if (!satori_plugin_tcp_register (registry, error) ||
      !satori_plugin_noise_register (registry, error) ||
      !satori_plugin_yamux_register (registry, error) ||
      !satori_plugin_perf_register (registry, error))
    return NULL;
  key = key_path != NULL
    ? satori_key_file_load_or_create (key_path, SATORI_KEY_TYPE_ED25519, error)
    : satori_private_key_generate (SATORI_KEY_TYPE_ED25519, error);
  if (key == NULL)
    return NULL;

  return satori_tool_host_new (registry, key, NULL, error);
}

static void
on_listening (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Perf *perf = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_host_listen_finish (perf->host, result, &error))
    {
      g_printerr (_("Cannot listen: %s\n"), error->message);
      perf->exit_status = 1;
      g_main_loop_quit (perf->loop);
      return;
    }
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (perf->host));
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (perf->host);
  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *text = satori_multiaddr_to_string (g_ptr_array_index (addresses, i));
      g_print ("%s/p2p/%s\n", text, peer);
    }
}

static void
on_run (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Perf *perf = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPerfResult) measured = satori_perf_run_finish (perf->host, result, &error);

  if (measured == NULL)
    {
      g_printerr (_("Perf run failed: %s\n"), error->message);
      perf->exit_status = 1;
    }
  else
    {
      double bits = 8.0 * (double) (measured->upload_bytes + measured->download_bytes);
      char s[4][G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (s[0], sizeof s[0], "%.6f", measured->seconds);
      g_ascii_formatd (s[1], sizeof s[1], "%.4f", bits / measured->seconds / 1e9);
      g_ascii_formatd (s[2], sizeof s[2], "%.6f", measured->time_to_first_byte_seconds);
      g_ascii_formatd (s[3], sizeof s[3], "%.6f", perf->connect_seconds);
      g_print ("{\"type\":\"final\",\"upload_bytes\":%" G_GUINT64_FORMAT
               ",\"download_bytes\":%" G_GUINT64_FORMAT ",\"seconds\":%s,\"gbit_per_s\":%s"
               ",\"time_to_first_byte_seconds\":%s,\"connect_seconds\":%s}\n",
               measured->upload_bytes, measured->download_bytes, s[0], s[1], s[2], s[3]);
    }
  g_main_loop_quit (perf->loop);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Perf *perf = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection = satori_host_connect_finish (perf->host, result,
                                                                       &error);

  if (connection == NULL)
    {
      g_printerr (_("Cannot connect: %s\n"), error->message);
      perf->exit_status = 1;
      g_main_loop_quit (perf->loop);
      return;
    }
  perf->connect_seconds = (double) (g_get_monotonic_time () - perf->start_us) / G_USEC_PER_SEC;
  satori_perf_run_async (perf->host, satori_connection_get_remote_peer (connection),
                         perf->upload, perf->download, NULL, on_run, perf);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (((Perf *) user_data)->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
start (Perf *perf, gboolean server, const char *listen, char **rest, GError **error)
{
  if (server)
    {
      g_autoptr(SatoriMultiaddr) address =
        satori_multiaddr_new_from_string (listen ? listen : "/ip4/127.0.0.1/tcp/0", error);
      if (address == NULL)
        return FALSE;
      g_autoptr(SatoriPerfServer) handler = satori_perf_server_new ();
      satori_host_set_handler (perf->host, SATORI_PERF_PROTOCOL_ID,
                               SATORI_PROTOCOL_HANDLER (handler));
      satori_host_listen_async (perf->host, address, NULL, on_listening, perf);
      g_unix_signal_add (SIGINT, on_quit_signal, perf);
      g_unix_signal_add (SIGTERM, on_quit_signal, perf);
      return TRUE;
    }
  if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give the server's multiaddr (with /p2p/), or --server"));
      return FALSE;
    }
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (rest[0], error);
  if (address == NULL)
    return FALSE;
  perf->start_us = g_get_monotonic_time ();
  satori_host_connect_async (perf->host, address, NULL, on_connected, perf);
  return TRUE;
}

int
main (int argc, char **argv)
{
  gboolean server = FALSE;
  g_autofree char *listen = NULL;
  g_autofree char *key_file = NULL;
  gint64 upload = 0, download = 0;
  g_auto(GStrv) rest = NULL;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_NONE, &server, N_("Serve /perf/1.0.0"), NULL },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on MA (default /ip4/127.0.0.1/tcp/0)"), N_("MA") },
    { "key", 'k', 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("Identity key file (created if missing; default: a new key)"), N_("FILE") },
    { "upload", 'u', 0, G_OPTION_ARG_INT64, &upload, N_("Bytes to upload"), N_("N") },
    { "download", 'd', 0, G_OPTION_ARG_INT64, &download, N_("Bytes to download"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("[MA]") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Perf perf = { 0 };

  satori_i18n_init_program ();

  context = g_option_context_new (_("— measure /perf/1.0.0 throughput"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (upload < 0 || download < 0)
    {
      g_printerr (_("Sizes must not be negative\n"));
      return 2;
    }
  perf.upload = (guint64) upload;
  perf.download = (guint64) download;
  perf.loop = g_main_loop_new (NULL, FALSE);
  perf.host = new_host (key_file, &error);
  if (perf.host == NULL || !start (&perf, server, listen, rest, &error))
    {
      g_printerr (_("satori-perf: %s\n"), error->message);
      perf.exit_status = error->domain == G_OPTION_ERROR ? 2 : 1;
    }
  else
    g_main_loop_run (perf.loop);

  if (perf.host != NULL)
    {
      satori_host_close (perf.host);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_object_unref (perf.host);
    }
  g_main_loop_unref (perf.loop);
  return perf.exit_status;
}
