/* bench-round-trips — round trips from dial start until the first response
 * byte, TCP+Noise+Yamux, through bench/delay-proxy.py at several one-way
 * delays. The exchange is /ipfs/ping/1.0.0: the client's 32 bytes come
 * back as soon as they arrive, so nothing waits for the end of a stream.
 *
 * bench-round-trips PROXY_SCRIPT DELAY_MS...   (REPEAT=3 runs per delay;
 * the fastest connect and ping times are kept, as load only adds time)
 *
 * The proxy accepts and dials locally, so TCP's handshake costs no delayed
 * round trip: 1 is added for it. The last line divides the growth of the
 * times by the growth of the RTT between the first and the last delay,
 * which leaves CPU time (the handshake's crypto) out.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "satori-ping-service.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  double connect_s;   /* dial start to connection */
  double ping_s;      /* connection to the echoed ping */
} Times;

static gpointer
create (SatoriRegistry *registry, GType iface, const char *name)
{
  return satori_feature_create (satori_registry_lookup (registry, iface, name));
}

/* A host on TCP, Noise and Yamux that answers ping. */
static SatoriHost *
new_host (SatoriRegistry *registry, SatoriPingService *ping)
{
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, NULL);
  SatoriHost *host = satori_host_new (key);
  g_autoptr(SatoriTransport) tcp = create (registry, SATORI_TYPE_TRANSPORT, "tcp");
  g_autoptr(SatoriSecurity) noise = create (registry, SATORI_TYPE_SECURITY, "noise");
  g_autoptr(SatoriMuxer) yamux = create (registry, SATORI_TYPE_MUXER, "yamux");

  satori_host_add_transport (host, tcp);
  satori_host_add_security (host, "/noise", noise);
  satori_host_add_muxer (host, "/yamux/1.0.0", yamux);
  satori_host_set_handler (host, SATORI_PING_PROTOCOL, SATORI_PROTOCOL_HANDLER (ping));
  return host;
}

static void
store (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static guint16
listen_port (SatoriHost *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) any = satori_multiaddr_new_from_string ("/ip4/127.0.0.1/tcp/0", NULL);

  satori_host_listen_async (server, any, NULL, store, &result);
  if (!satori_host_listen_finish (server, wait_for (&result), &error))
    g_error ("listen: %s", error->message);
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (server);
  g_autofree char *text = satori_multiaddr_to_string (g_ptr_array_index (addresses, 0));
  return (guint16) atoi (strrchr (text, '/') + 1);
}

/* Starts the proxy to @port; returns it, and its own port in @proxy_port. */
static GSubprocess *
start_proxy (const char *script, guint16 port, guint delay_ms, guint16 *proxy_port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = g_strdup_printf ("%u", port);
  g_autofree char *delay = g_strdup_printf ("%u", delay_ms);
  GSubprocess *proxy = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "python3",
                                         script, "0", target, delay, NULL);
  if (proxy == NULL)
    g_error ("proxy: %s", error->message);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proxy));
  g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "ready "))
    g_error ("proxy did not start");
  *proxy_port = (guint16) atoi (line + strlen ("ready "));
  return proxy;
}

/* One fresh client: dial through the proxy, then ping. */
static Times
measure (SatoriRegistry *registry, SatoriPeerId *server_id, guint16 proxy_port)
{
  g_autoptr(SatoriPingService) ping = satori_ping_service_new ();
  g_autoptr(SatoriHost) client = new_host (registry, ping);
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) pinged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = satori_peer_id_to_string (server_id);
  g_autofree char *text = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u/p2p/%s", proxy_port, id);
  g_autoptr(SatoriMultiaddr) target = satori_multiaddr_new_from_string (text, NULL);

  gint64 start = g_get_monotonic_time ();
  satori_host_connect_async (client, target, NULL, store, &connected);
  g_autoptr(SatoriConnection) connection = satori_host_connect_finish (client,
                                                                       wait_for (&connected),
                                                                       &error);
  if (connection == NULL)
    g_error ("connect: %s", error->message);
  gint64 up = g_get_monotonic_time ();
  satori_ping_service_ping_async (ping, server_id, NULL, store, &pinged);
  if (!satori_ping_service_ping_finish (ping, wait_for (&pinged), NULL, &error))
    g_error ("ping: %s", error->message);
  gint64 end = g_get_monotonic_time ();
  satori_host_close (client);
  return (Times) { (double) (up - start) / G_USEC_PER_SEC, (double) (end - up) / G_USEC_PER_SEC };
}

int
main (int argc, char **argv)
{
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(SatoriPingService) ping = satori_ping_service_new ();
  guint repeat = g_getenv ("REPEAT") != NULL ? (guint) atoi (g_getenv ("REPEAT")) : 3;

  if (argc < 3)
    g_error ("usage: bench-round-trips PROXY_SCRIPT DELAY_MS...");
  if (!satori_plugin_tcp_register (registry, NULL) ||
      !satori_plugin_noise_register (registry, NULL) ||
      !satori_plugin_yamux_register (registry, NULL))
    g_error ("cannot register plugins");
  g_autoptr(SatoriHost) server = new_host (registry, ping);
  guint16 port = listen_port (server);

  guint delays = argc - 2;
  g_autofree Times *best = g_new0 (Times, delays);
  for (guint d = 0; d < delays; d++)
    {
      guint delay_ms = (guint) atoi (argv[2 + d]);
      guint16 proxy_port;
      g_autoptr(GSubprocess) proxy = start_proxy (argv[1], port, delay_ms, &proxy_port);
      double rtt = 2.0 * delay_ms / 1000;

      for (guint r = 0; r < repeat; r++)
        {
          Times t = measure (registry, satori_host_get_peer_id (server), proxy_port);
          best[d].connect_s = r == 0 ? t.connect_s : MIN (best[d].connect_s, t.connect_s);
          best[d].ping_s = r == 0 ? t.ping_s : MIN (best[d].ping_s, t.ping_s);
        }
      g_subprocess_force_exit (proxy);
      printf ("one-way %u ms (RTT %u ms): %.2f round trips to the first response byte "
              "(connect %.2f + stream %.2f + TCP 1)\n",
              delay_ms, 2 * delay_ms, (best[d].connect_s + best[d].ping_s) / rtt + 1,
              best[d].connect_s / rtt, best[d].ping_s / rtt);
    }
  if (delays >= 2)
    {
      double grown = 2.0 * (atoi (argv[1 + delays]) - atoi (argv[2])) / 1000;
      double connect = (best[delays - 1].connect_s - best[0].connect_s) / grown;
      double stream = (best[delays - 1].ping_s - best[0].ping_s) / grown;
      printf ("protocol round trips (time growth / RTT growth, %s to %s ms one-way): "
              "%.2f (connect %.2f + stream %.2f + TCP 1)\n",
              argv[2], argv[1 + delays], connect + stream + 1, connect, stream);
    }
  satori_host_close (server);
  return 0;
}
