/* satori-daemon-model.h — what the daemon's front ends (D-Bus, REST,
 * metrics) show of the node beyond SatoriPeers: peers and streams as
 * rows, features, uptime, and its stream traffic as signals
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satorip2p.h"

G_BEGIN_DECLS

/**
 * SatoriDaemonPeer:
 * @peer_id: the peer id, as text
 * @addresses: the remote addresses of its open connections
 * @agent: (nullable): its identify agent version
 * @protocols: the protocols identify reported (maybe empty)
 * @latency_us: the last round-trip time measured, 0 when unknown
 * @streams: the stream ids it was seen subscribing to
 *
 * A connected peer.
 */
typedef struct
{
  char *peer_id;
  GStrv addresses;
  char *agent;
  GStrv protocols;
  gint64 latency_us;
  GStrv streams;
} SatoriDaemonPeer;

/**
 * SatoriDaemonStream:
 * @stream_id: the stream id (the topic without its prefix)
 * @subscribed: whether we subscribe to it
 * @published: whether we published to it
 * @peers: how many peers were seen subscribing to it
 * @publishers: how many peers were seen publishing on it
 *
 * A Satori stream the node subscribes or published to.
 */
typedef struct
{
  char *stream_id;
  gboolean subscribed;
  gboolean published;
  guint peers;
  guint publishers;
} SatoriDaemonStream;

#define SATORI_TYPE_DAEMON_MODEL (satori_daemon_model_get_type ())
G_DECLARE_FINAL_TYPE (SatoriDaemonModel, satori_daemon_model, SATORI, DAEMON_MODEL, GObject)

SatoriDaemonModel *satori_daemon_model_new (SatoriPeers *peers);
SatoriPeers       *satori_daemon_model_get_peers (SatoriDaemonModel *model);
SatoriHost        *satori_daemon_model_get_host (SatoriDaemonModel *model);
gint64             satori_daemon_model_get_started (SatoriDaemonModel *model);
GStrv              satori_daemon_model_get_addresses (SatoriDaemonModel *model);
gboolean           satori_daemon_model_serves (SatoriDaemonModel *model,
                                               const char        *protocol_prefix);

guint              satori_daemon_model_count_peers (SatoriDaemonModel *model);
GPtrArray         *satori_daemon_model_list_peers (SatoriDaemonModel *model);
guint              satori_daemon_model_count_known_peers (SatoriDaemonModel *model);
char              *satori_daemon_model_get_transport (SatoriConnection *connection);

GPtrArray         *satori_daemon_model_list_streams (SatoriDaemonModel *model);
void               satori_daemon_model_publish_async (SatoriDaemonModel   *model,
                                                      const char          *stream_id,
                                                      JsonNode            *data,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           satori_daemon_model_publish_finish (SatoriDaemonModel  *model,
                                                       GAsyncResult       *result,
                                                       GError            **error);

void satori_daemon_peer_free (SatoriDaemonPeer *peer);
void satori_daemon_stream_free (SatoriDaemonStream *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriDaemonPeer, satori_daemon_peer_free)

G_END_DECLS
