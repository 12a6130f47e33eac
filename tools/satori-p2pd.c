/* satori-p2pd — serves the libp2p daemon control protocol of
 * go-libp2p-daemon's p2pd over a unix or TCP control socket, with a host
 * on TCP + Noise + Yamux. Takes p2pd's Go-style flags.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "satori-key-file.h"
#include "satori-p2pd-duration.h"
#include "satori-p2pd-server.h"
#include "satorip2p.h"
#include "satori-i18n.h"
#include "satori-tool-host.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_floodsub_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_gossipsub_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);

typedef enum {
  FLAG_BOOL,
  FLAG_STRING,
} FlagKind;

typedef struct
{
  const char *name;
  FlagKind kind;
  gboolean supported;
  const char *help;
  char *string_value;
  gboolean bool_value;
  gboolean given;
} Flag;

static Flag flags[] = {
  { "listen", FLAG_STRING, TRUE, N_("control socket multiaddr (/unix/PATH or /ip4/ADDR/tcp/PORT)") },
  { "hostAddrs", FLAG_STRING, TRUE, N_("comma-separated multiaddrs the host listens on") },
  { "noListenAddrs", FLAG_BOOL, TRUE, N_("do not listen for libp2p connections") },
  { "id", FLAG_STRING, TRUE, N_("private key file (a libp2p PrivateKey protobuf)") },
  { "noise", FLAG_BOOL, TRUE, N_("secure connections with Noise (the only choice)") },
  { "tls", FLAG_BOOL, TRUE, N_("secure connections with TLS (not available)") },
  { "muxer", FLAG_STRING, TRUE, N_("stream muxer (yamux, the only choice)") },
  { "q", FLAG_BOOL, TRUE, N_("quiet: print nothing when ready") },
  { "quic", FLAG_BOOL, FALSE, NULL },
  { "dht", FLAG_BOOL, TRUE, N_("enable the Kademlia DHT as a full node (server mode)") },
  { "dhtClient", FLAG_BOOL, TRUE, N_("enable the Kademlia DHT in client mode") },
  { "dhtServer", FLAG_BOOL, TRUE, N_("enable the Kademlia DHT in server mode") },
  { "relay", FLAG_BOOL, FALSE, NULL },
  { "relayActive", FLAG_BOOL, FALSE, NULL },
  { "relayHop", FLAG_BOOL, FALSE, NULL },
  { "relayDiscovery", FLAG_BOOL, FALSE, NULL },
  { "autoRelay", FLAG_BOOL, FALSE, NULL },
  { "autonat", FLAG_BOOL, FALSE, NULL },
  { "natPortMap", FLAG_BOOL, FALSE, NULL },
  { "pubsub", FLAG_BOOL, TRUE, N_("enable pubsub") },
  { "pubsubRouter", FLAG_STRING, TRUE, N_("pubsub router (gossipsub, the default, or floodsub)") },
  { "pubsubSign", FLAG_BOOL, TRUE, N_("sign pubsub messages (true; false: StrictNoSign)") },
  { "pubsubSignStrict", FLAG_BOOL, TRUE, N_("require signed pubsub messages (true)") },
  { "gossipsubHeartbeatInterval", FLAG_STRING, TRUE, N_("gossipsub heartbeat interval (a Go duration: 1s, 700ms)") },
  { "gossipsubHeartbeatInitialDelay", FLAG_STRING, TRUE, N_("gossipsub delay before the first heartbeat (a Go duration)") },
  { "b", FLAG_BOOL, FALSE, NULL },
  { "bootstrap", FLAG_BOOL, FALSE, NULL },
  { "bootstrapPeers", FLAG_STRING, FALSE, NULL },
  { "connManager", FLAG_BOOL, FALSE, NULL },
  { "connLo", FLAG_STRING, FALSE, NULL },
  { "connHi", FLAG_STRING, FALSE, NULL },
  { "connGrace", FLAG_STRING, FALSE, NULL },
  { "metricsAddr", FLAG_STRING, FALSE, NULL },
  { "psk", FLAG_STRING, FALSE, NULL },
  { "config", FLAG_STRING, FALSE, NULL },
  { "forceReachabilityPublic", FLAG_BOOL, FALSE, NULL },
  { "forceReachabilityPrivate", FLAG_BOOL, FALSE, NULL },
};

typedef struct
{
  SatoriHost *host;
  SatoriP2pdServer *server;
  SatoriMultiaddr *control_address;
  guint pending_listens;
  gboolean quiet;
  GMainLoop *loop;
  int exit_status;
} Daemon;

static Flag *
find_flag (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (g_str_equal (flags[i].name, name))
      return &flags[i];
  return NULL;
}

static void
print_usage (void)
{
  g_printerr (_("Usage: satori-p2pd [-flag[=value]]…\n"));
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (flags[i].help != NULL)
      g_printerr ("  -%s%s\n    \t%s\n", flags[i].name,
                  flags[i].kind == FLAG_STRING ? " string" : "", _(flags[i].help));
  g_printerr (_("Other go p2pd flags are accepted and ignored with a warning.\n"));
}

/* Go's strconv.ParseBool. */
static gboolean
parse_bool (const char *text, gboolean *value)
{
  const char *yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  const char *no[] = { "0", "f", "F", "FALSE", "false", "False" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_str_equal (text, yes[i]))
        return *value = TRUE;
      if (g_str_equal (text, no[i]))
        return !(*value = FALSE);
    }
  return FALSE;
}

/* Parses flags as Go's flag package does: -name, --name, -name=value,
 * -name value (not for booleans); "--" or a non-flag ends them. */
static gboolean
parse_flags (int argc, char **argv, GError **error)
{
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      if (g_str_equal (arg, "--") || arg[0] != '-' || arg[1] == '\0')
        break;
      arg += arg[1] == '-' ? 2 : 1;

      const char *equals = strchr (arg, '=');
      g_autofree char *name = equals ? g_strndup (arg, equals - arg) : g_strdup (arg);
      if (g_str_equal (name, "h") || g_str_equal (name, "help"))
        {
          print_usage ();
          exit (0);
        }
      Flag *flag = find_flag (name);
      if (flag == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION,
                       _("flag provided but not defined: -%s"), name);
          return FALSE;
        }
      flag->given = TRUE;
      if (flag->kind == FLAG_BOOL)
        {
          if (equals == NULL)
            flag->bool_value = TRUE;
          else if (!parse_bool (equals + 1, &flag->bool_value))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("invalid boolean value “%s” for -%s"), equals + 1, name);
              return FALSE;
            }
        }
      else if (equals != NULL || i + 1 < argc)
        {
          g_free (flag->string_value);
          flag->string_value = g_strdup (equals != NULL ? equals + 1 : argv[++i]);
        }
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("flag needs an argument: -%s"), name);
          return FALSE;
        }
      if (!flag->supported)
        g_warning (_("-%s is not supported yet and is ignored"), name);
    }
  return TRUE;
}

static const char *
string_flag (const char *name, const char *fallback)
{
  Flag *flag = find_flag (name);
  return flag->string_value != NULL ? flag->string_value : fallback;
}

static gboolean
bool_flag (const char *name, gboolean fallback)
{
  Flag *flag = find_flag (name);
  return flag->given ? flag->bool_value : fallback;
}

static gboolean
check_security_flags (GError **error)
{
  if (bool_flag ("tls", FALSE) || !bool_flag ("noise", TRUE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only Noise is available to secure connections"));
      return FALSE;
    }
  g_auto(GStrv) muxers = g_strsplit (string_flag ("muxer", "yamux"), ",", -1);
  if (!g_strv_contains ((const char * const *) muxers, "yamux"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only the yamux muxer is available"));
      return FALSE;
    }
  return TRUE;
}

/* A -gossipsub… duration flag as a `key=MILLISECONDS` line of the
 * [gossipsub] group; nothing when it is not given or not positive (go's
 * p2pd keeps its default then). */
static gboolean
append_duration_ms (GString *config, const char *flag, const char *key, GError **error)
{
  const char *text = string_flag (flag, NULL);
  gint64 us;

  if (text == NULL)
    return TRUE;
  if (!satori_p2pd_parse_duration (text, &us, error))
    {
      g_prefix_error (error, "-%s: ", flag);
      return FALSE;
    }
  if (us > 0)
    g_string_append_printf (config, "%s=%" G_GINT64_FORMAT "\n", key, MAX ((us + 500) / 1000, 1));
  return TRUE;
}

/* -pubsub, -pubsubRouter, -pubsubSign, -pubsubSignStrict and the gossipsub
 * heartbeat flags as a configuration: the router that `[host] pubsub=`
 * names, and its group. */
static char *
pubsub_config (GError **error)
{
  const char *router = string_flag ("pubsubRouter", "gossipsub");
  gboolean sign = bool_flag ("pubsubSign", TRUE);

  if (!bool_flag ("pubsub", FALSE))
    return NULL;
  if (sign != bool_flag ("pubsubSignStrict", TRUE))
    {
      /* Signing without requiring signatures, or the reverse, is no
       * policy of the pubsub spec. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("-pubsubSign and -pubsubSignStrict must agree"));
      return NULL;
    }
  g_autoptr(GString) config = g_string_new (NULL);
  g_string_append_printf (config, "[host]\npubsub=%s\n[%s]\nsignature-policy=%s\n", router, router,
                          sign ? "strict-sign" : "strict-no-sign");
  /* go's p2pd sets these for gossipsub only. */
  if (g_str_equal (router, "gossipsub")
      && (!append_duration_ms (config, "gossipsubHeartbeatInterval", "heartbeat-interval", error)
          || !append_duration_ms (config, "gossipsubHeartbeatInitialDelay",
                                  "heartbeat-initial-delay", error)))
    return NULL;
  return g_string_free (g_steal_pointer (&config), FALSE);
}

/* -dht, -dhtClient, -dhtServer as a configuration: the kad group, or NULL
 * without a DHT. go's -dht switches between client and server as the host
 * is reachable or not; nothing here tells, so it means server (a full
 * node, as its help says). Records live in memory, as go's daemon keeps
 * them. */
static const char *
dht_config (void)
{
  if (bool_flag ("dht", FALSE) || (!bool_flag ("dhtClient", FALSE) &&
                                   bool_flag ("dhtServer", FALSE)))
    return "[kad]\nmode=server\nstore-path=:memory:\n";
  if (bool_flag ("dhtClient", FALSE))
    return "[kad]\nmode=client\nstore-path=:memory:\n";
  return NULL;
}

static SatoriHost *
new_host (GError **error)
{
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  const char *key_path = string_flag ("id", NULL);

  if (!check_security_flags (error) ||
      !satori_plugin_tcp_register (registry, error) ||
      !satori_plugin_noise_register (registry, error) ||
      !satori_plugin_yamux_register (registry, error) ||
      !satori_plugin_identify_register (registry, error) ||
      !satori_plugin_ping_register (registry, error) ||
      !satori_plugin_floodsub_register (registry, error) ||
      !satori_plugin_gossipsub_register (registry, error) ||
      (dht_config () != NULL && !satori_plugin_kad_register (registry, error)))
    return NULL;
  GError *pubsub_error = NULL;
  g_autofree char *pubsub = pubsub_config (&pubsub_error);
  if (pubsub_error != NULL)
    {
      g_propagate_error (error, pubsub_error);
      return NULL;
    }
  g_autofree char *extra_config = g_strconcat (pubsub ? pubsub : "", dht_config (), NULL);
  g_autoptr(SatoriPrivateKey) key = key_path != NULL
    ? satori_key_file_load (key_path, error)
    : satori_private_key_generate (SATORI_KEY_TYPE_ED25519, error);
  if (key == NULL)
    return NULL;

  return satori_tool_host_new (registry, key, extra_config, error);
}

/* The lines p2pd prints when ready, which test runners wait for: not
 * translated. */
static void
announce (Daemon *daemon)
{
  g_autofree char *control = satori_multiaddr_to_string (daemon->control_address);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (daemon->host));
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (daemon->host);

  if (daemon->quiet)
    return;
  g_print ("Control socket: %s\n", control);
  g_print ("Peer ID: %s\n", peer);
  g_print ("Peer Addrs:\n");
  for (guint i = 0; i < addresses->len; i++)
    {
      g_autofree char *text = satori_multiaddr_to_string (g_ptr_array_index (addresses, i));
      g_print ("%s\n", text);
    }
  fflush (stdout);
}

static void
on_listening (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;

  if (!satori_host_listen_finish (daemon->host, result, &error))
    {
      g_printerr (_("satori-p2pd: cannot listen: %s\n"), error->message);
      daemon->exit_status = 1;
      g_main_loop_quit (daemon->loop);
      return;
    }
  if (--daemon->pending_listens == 0)
    announce (daemon);
}

static gboolean
start (Daemon *daemon, GError **error)
{
  g_autoptr(SatoriMultiaddr) control =
    satori_multiaddr_new_from_string (string_flag ("listen", "/unix/tmp/p2pd.sock"), error);
  if (control == NULL)
    return FALSE;

  g_autoptr(GPtrArray) addresses =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  if (!bool_flag ("noListenAddrs", FALSE))
    {
      g_auto(GStrv) texts = g_strsplit (string_flag ("hostAddrs", "/ip4/0.0.0.0/tcp/0"), ",", -1);
      for (guint i = 0; texts[i] != NULL; i++)
        {
          SatoriMultiaddr *address = satori_multiaddr_new_from_string (g_strstrip (texts[i]),
                                                                       error);
          if (address == NULL)
            return FALSE;
          g_ptr_array_add (addresses, address);
        }
    }

  daemon->host = new_host (error);
  if (daemon->host == NULL)
    return FALSE;
  daemon->server = satori_p2pd_server_new (daemon->host);
  daemon->control_address = satori_p2pd_server_listen (daemon->server, control, error);
  if (daemon->control_address == NULL)
    return FALSE;

  daemon->pending_listens = addresses->len;
  if (addresses->len == 0)
    announce (daemon);
  for (guint i = 0; i < addresses->len; i++)
    satori_host_listen_async (daemon->host, g_ptr_array_index (addresses, i), NULL,
                              on_listening, daemon);
  return TRUE;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  Daemon *daemon = user_data;

  g_main_loop_quit (daemon->loop);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  Daemon daemon = { 0 };

  satori_i18n_init_program ();

  if (!parse_flags (argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      print_usage ();
      return 2;
    }
  daemon.quiet = bool_flag ("q", FALSE);
  daemon.loop = g_main_loop_new (NULL, FALSE);
  if (!start (&daemon, &error))
    {
      g_printerr (_("satori-p2pd: %s\n"), error->message);
      daemon.exit_status = 1;
    }
  else
    {
      g_unix_signal_add (SIGINT, on_quit_signal, &daemon);
      g_unix_signal_add (SIGTERM, on_quit_signal, &daemon);
      g_main_loop_run (daemon.loop);
    }

  if (daemon.server != NULL)
    satori_p2pd_server_stop (daemon.server);
  if (daemon.host != NULL)
    {
      satori_host_close (daemon.host);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_clear_object (&daemon.server);
  g_clear_object (&daemon.host);
  g_clear_pointer (&daemon.control_address, satori_multiaddr_unref);
  g_main_loop_unref (daemon.loop);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    g_free (flags[i].string_value);
  return daemon.exit_status;
}
