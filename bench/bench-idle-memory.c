/* bench-idle-memory — memory per idle secured, muxed connection: N client
 * hosts dial one server host over TCP loopback with Noise and Yamux, in one
 * process; VmRSS and the malloc heap in use (mallinfo2: arena and mmapped
 * blocks) are read before and after.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);

static gpointer
create (SatoriRegistry *registry, GType iface, const char *name)
{
  return satori_feature_create (satori_registry_lookup (registry, iface, name));
}

static SatoriHost *
new_host (SatoriRegistry *registry)
{
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, NULL);
  SatoriHost *host = satori_host_new (key);
  g_autoptr(SatoriTransport) tcp = create (registry, SATORI_TYPE_TRANSPORT, "tcp");
  g_autoptr(SatoriSecurity) noise = create (registry, SATORI_TYPE_SECURITY, "noise");
  g_autoptr(SatoriMuxer) yamux = create (registry, SATORI_TYPE_MUXER, "yamux");

  satori_host_add_transport (host, tcp);
  satori_host_add_security (host, "/noise", noise);
  satori_host_add_muxer (host, "/yamux/1.0.0", yamux);
  return host;
}

static long
vm_rss_kib (void)
{
  g_autofree char *status = NULL;
  long kib = 0;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      const char *line = strstr (status, "VmRSS:");
      if (line != NULL)
        kib = strtol (line + 6, NULL, 10);
    }
  return kib;
}

/* Bytes malloc handed out, big blocks (which it maps apart) included. */
static size_t
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection = satori_host_connect_finish (SATORI_HOST (source),
                                                                       result, &error);
  if (connection == NULL)
    g_error ("connect: %s", error->message);
  (*pending)--;
}

static void
on_listening (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  malloc_trim (0);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 500;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  gboolean listening = FALSE;

  if (!satori_plugin_tcp_register (registry, NULL) ||
      !satori_plugin_noise_register (registry, NULL) ||
      !satori_plugin_yamux_register (registry, NULL))
    g_error ("cannot register plugins");
  SatoriHost *server = new_host (registry);
  g_autoptr(SatoriMultiaddr) any = satori_multiaddr_new_from_string ("/ip4/127.0.0.1/tcp/0", NULL);
  satori_host_listen_async (server, any, NULL, on_listening, &listening);
  while (!listening)
    g_main_context_iteration (NULL, TRUE);
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (server);
  GBytes *id = satori_peer_id_get_bytes (satori_host_get_peer_id (server));
  g_autoptr(SatoriMultiaddr) p2p = satori_multiaddr_new_p2p (g_bytes_get_data (id, NULL),
                                                             g_bytes_get_size (id), NULL);
  g_autoptr(SatoriMultiaddr) target = satori_multiaddr_encapsulate (g_ptr_array_index (addresses, 0),
                                                                    p2p);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (clients, new_host (registry));

  settle ();
  long rss0 = vm_rss_kib ();
  size_t heap0 = heap_in_use ();
  guint pending = n;
  gint64 start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    satori_host_connect_async (g_ptr_array_index (clients, i), target, NULL, on_done, &pending);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  settle ();
  long rss1 = vm_rss_kib ();
  size_t heap1 = heap_in_use ();

  /* Both ends of each connection live in this process. */
  double rss = (double) (rss1 - rss0) / n;
  double heap = (double) ((gssize) heap1 - (gssize) heap0) / 1024.0 / n;
  printf ("{\"connections\":%u,\"connect_seconds\":%.3f,\"rss_kib_before\":%ld,"
          "\"rss_kib_after\":%ld,\"rss_per_connection_both_ends_kib\":%.1f,"
          "\"heap_per_connection_both_ends_kib\":%.1f,\"rss_per_end_kib\":%.1f,"
          "\"heap_per_end_kib\":%.1f}\n",
          n, seconds, rss0, rss1, rss, heap, rss / 2, heap / 2);
  for (guint i = 0; i < n; i++)
    satori_host_close (g_ptr_array_index (clients, i));
  satori_host_close (server);
  settle ();
  g_object_unref (server);
  return 0;
}
