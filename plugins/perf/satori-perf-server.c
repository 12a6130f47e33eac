/* satori-perf-server.c — the /perf/1.0.0 server, a stream protocol handler
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-perf-server.h"

#include "satori-perf-transfer.h"

/**
 * SatoriPerfServer:
 *
 * Serves /perf/1.0.0: on each stream it reads the requested size, reads
 * until the client closes its write side, sends that many bytes and
 * closes. A stream that ends before its header is closed and counted as
 * failed. Perf lets a client ask for any amount of work: register it only
 * on hosts that should serve benchmarks.
 */
struct _SatoriPerfServer
{
  GObject parent_instance;
  guint completed;
  guint failed;
};

typedef struct
{
  SatoriPerfServer *server;
  SatoriPerfSession *session;
} Serving;

static void
on_served (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Serving *serving = user_data;
  g_autoptr(GError) error = NULL;

  if (satori_perf_transfer_finish (result, NULL, NULL, &error))
    serving->server->completed++;
  else
    {
      serving->server->failed++;
      g_debug ("perf stream failed: %s", error->message);
    }
  satori_perf_session_free (serving->session);
  g_object_unref (serving->server);
  g_free (serving);
}

static void
satori_perf_server_handle_stream (SatoriProtocolHandler *handler, GIOStream *stream,
                                  const char *protocol_id, SatoriPeerId *remote_peer,
                                  SatoriMultiaddr *remote_address)
{
  Serving *serving = g_new0 (Serving, 1);

  serving->server = g_object_ref (SATORI_PERF_SERVER (handler));
  serving->session = satori_perf_session_new_server ();
  satori_perf_transfer_async (stream, serving->session, NULL, on_served, serving);
}

static void
satori_perf_server_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->handle_stream = satori_perf_server_handle_stream;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriPerfServer, satori_perf_server, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_perf_server_iface_init))

static void
satori_perf_server_class_init (SatoriPerfServerClass *klass)
{
}

static void
satori_perf_server_init (SatoriPerfServer *self)
{
}

/**
 * satori_perf_server_new:
 *
 * Returns: (transfer full): a perf server, to give to satori_host_set_handler()
 */
SatoriPerfServer *
satori_perf_server_new (void)
{
  return g_object_new (SATORI_TYPE_PERF_SERVER, NULL);
}

/**
 * satori_perf_server_get_completed:
 * @server: a perf server
 *
 * Returns: how many streams were served to the end
 */
guint
satori_perf_server_get_completed (SatoriPerfServer *server)
{
  g_return_val_if_fail (SATORI_IS_PERF_SERVER (server), 0);
  return server->completed;
}

/**
 * satori_perf_server_get_failed:
 * @server: a perf server
 *
 * Returns: how many streams failed (cut short, reset, I/O error)
 */
guint
satori_perf_server_get_failed (SatoriPerfServer *server)
{
  g_return_val_if_fail (SATORI_IS_PERF_SERVER (server), 0);
  return server->failed;
}
