/* satori-daemon-model.c — the node as the daemon's front ends see it,
 * asked of SatoriPeers: peers and streams as rows, the features the host
 * serves, and the node's stream traffic as signals for the metrics.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-daemon-model.h"

#include <string.h>

struct _SatoriDaemonModel
{
  GObject parent_instance;

  SatoriPeers *peers;
  gint64 started;          /* wall-clock µs */
};

enum
{
  SIGNAL_MESSAGE,
  SIGNAL_PUBLISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SatoriDaemonModel, satori_daemon_model, G_TYPE_OBJECT)

static void
satori_daemon_model_finalize (GObject *object)
{
  SatoriDaemonModel *self = SATORI_DAEMON_MODEL (object);

  g_object_unref (self->peers);
  G_OBJECT_CLASS (satori_daemon_model_parent_class)->finalize (object);
}

static void
satori_daemon_model_class_init (SatoriDaemonModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_daemon_model_finalize;

  /**
   * SatoriDaemonModel::message:
   * @model: the model
   * @stream_id: the stream
   * @data: the message's JSON value, as compact JSON text
   *
   * A message arrived on a stream we subscribe to (#SatoriPeers::message).
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);

  /**
   * SatoriDaemonModel::published:
   * @model: the model
   * @stream_id: the stream
   * @data: the payload sent, compact JSON text
   *
   * We published @data on a stream.
   */
  signals[SIGNAL_PUBLISHED] =
    g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);
}

static void
satori_daemon_model_init (SatoriDaemonModel *self)
{
}

/* @data as SatoriPeers sends it: compact JSON text. */
static GBytes *
json_bytes (JsonNode *data)
{
  char *text = json_to_string (data, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

static void
on_message (SatoriPeers *peers, const char *stream_id, SatoriPeerId *from, JsonNode *data,
            SatoriDaemonModel *self)
{
  g_autoptr(GBytes) bytes = json_bytes (data);

  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, stream_id, bytes);
}

/**
 * satori_daemon_model_new:
 * @peers: the daemon's node
 *
 * Returns: (transfer full): the model of @peers
 */
SatoriDaemonModel *
satori_daemon_model_new (SatoriPeers *peers)
{
  SatoriDaemonModel *self = g_object_new (SATORI_TYPE_DAEMON_MODEL, NULL);

  self->peers = g_object_ref (peers);
  self->started = g_get_real_time ();
  g_signal_connect_object (peers, "message", G_CALLBACK (on_message), self, 0);
  return self;
}

/**
 * satori_daemon_model_get_peers:
 * @model: a model
 *
 * Returns: (transfer none): the node
 */
SatoriPeers *
satori_daemon_model_get_peers (SatoriDaemonModel *model)
{
  return model->peers;
}

/**
 * satori_daemon_model_get_host:
 * @model: a model
 *
 * Returns: (transfer none): its host
 */
SatoriHost *
satori_daemon_model_get_host (SatoriDaemonModel *model)
{
  return satori_peers_get_host (model->peers);
}

/**
 * satori_daemon_model_get_started:
 * @model: a model
 *
 * Returns: when the node started, in wall-clock microseconds
 */
gint64
satori_daemon_model_get_started (SatoriDaemonModel *model)
{
  return model->started;
}

/**
 * satori_daemon_model_get_addresses:
 * @model: a model
 *
 * Returns: (transfer full): the addresses the node listens on, as text
 */
GStrv
satori_daemon_model_get_addresses (SatoriDaemonModel *model)
{
  SatoriHost *host = satori_peers_get_host (model->peers);
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (host);
  GStrv result = g_new0 (char *, addresses->len + 1);

  for (guint i = 0; i < addresses->len; i++)
    result[i] = satori_multiaddr_to_string (g_ptr_array_index (addresses, i));
  return result;
}

/**
 * satori_daemon_model_serves:
 * @model: a model
 * @protocol_prefix: the start of a protocol id, such as `/ipfs/ping/`
 *
 * Returns: whether the node serves a protocol starting with @protocol_prefix
 */
gboolean
satori_daemon_model_serves (SatoriDaemonModel *model, const char *protocol_prefix)
{
  g_auto(GStrv) protocols = satori_host_get_protocols (satori_peers_get_host (model->peers));

  for (guint i = 0; protocols[i] != NULL; i++)
    if (g_str_has_prefix (protocols[i], protocol_prefix))
      return TRUE;
  return FALSE;
}

/**
 * satori_daemon_model_count_peers:
 * @model: a model
 *
 * Returns: how many peers the node is connected to
 */
guint
satori_daemon_model_count_peers (SatoriDaemonModel *model)
{
  g_autoptr(GPtrArray) peers = satori_peers_get_connected_peers (model->peers);

  return peers->len;
}

/**
 * satori_daemon_model_count_known_peers:
 * @model: a model
 *
 * Returns: how many other peers the peerstore knows, connected or not
 */
guint
satori_daemon_model_count_known_peers (SatoriDaemonModel *model)
{
  g_autoptr(GPtrArray) peers = satori_peers_get_known_peers (model->peers);

  return peers->len;
}

static SatoriDaemonPeer *
describe_peer (SatoriDaemonModel *model, SatoriPeerId *peer)
{
  SatoriPeerstore *store = satori_host_get_peerstore (satori_peers_get_host (model->peers));
  g_autoptr(GPtrArray) connections = satori_peers_get_peer_connections (model->peers, peer);
  SatoriDaemonPeer *result = g_new0 (SatoriDaemonPeer, 1);
  GStrv protocols = satori_peerstore_get_protocols (store, peer);

  result->peer_id = satori_peer_id_to_string (peer);
  result->addresses = g_new0 (char *, connections->len + 1);
  for (guint i = 0; i < connections->len; i++)
    result->addresses[i] =
      satori_multiaddr_to_string (satori_connection_get_remote_address (g_ptr_array_index (connections, i)));
  result->agent = g_strdup (satori_peerstore_get_agent (store, peer));
  result->protocols = protocols ? protocols : g_new0 (char *, 1);
  result->latency_us = MAX (satori_peerstore_get_latency (store, peer), 0);
  result->streams = satori_peers_get_peer_subscriptions (model->peers, peer);
  return result;
}

/**
 * satori_daemon_model_list_peers:
 * @model: a model
 *
 * Returns: (transfer full) (element-type SatoriDaemonPeer): the connected peers
 */
GPtrArray *
satori_daemon_model_list_peers (SatoriDaemonModel *model)
{
  g_autoptr(GPtrArray) peers = satori_peers_get_connected_peers (model->peers);
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_daemon_peer_free);

  for (guint i = 0; i < peers->len; i++)
    g_ptr_array_add (result, describe_peer (model, g_ptr_array_index (peers, i)));
  return result;
}

/**
 * satori_daemon_model_get_transport:
 * @connection: a connection
 *
 * Names the transport of @connection by its remote address: the first
 * protocol after the network layer (`tcp`, `udp/quic-v1`'s `udp`, `memory`).
 *
 * Returns: (transfer full): the transport's name, `unknown` when there is
 *   no address
 */
char *
satori_daemon_model_get_transport (SatoriConnection *connection)
{
  SatoriMultiaddr *address = satori_connection_get_remote_address (connection);
  guint n = address ? satori_multiaddr_get_n_components (address) : 0;

  for (guint i = 0; i < n; i++)
    {
      guint32 code;
      const guint8 *value;
      gsize len;
      if (!satori_multiaddr_get_component (address, i, &code, &value, &len))
        break;
      switch (code)
        {
        case SATORI_PROTO_IP4:
        case SATORI_PROTO_IP6:
        case SATORI_PROTO_IP6ZONE:
        case SATORI_PROTO_DNS:
        case SATORI_PROTO_DNS4:
        case SATORI_PROTO_DNS6:
        case SATORI_PROTO_DNSADDR:
          continue;
        default:
          {
            const SatoriMultiaddrProtocol *protocol = satori_multiaddr_protocol_from_code (code);
            return g_strdup (protocol ? protocol->name : "unknown");
          }
        }
    }
  return g_strdup ("unknown");
}

static SatoriDaemonStream *
describe_stream (SatoriDaemonModel *model, const char *stream_id, gboolean subscribed,
                 gboolean published)
{
  SatoriDaemonStream *stream = g_new0 (SatoriDaemonStream, 1);
  g_autoptr(GPtrArray) subscribers = satori_peers_get_subscribers (model->peers, stream_id);
  g_autoptr(GPtrArray) publishers = satori_peers_get_publishers (model->peers, stream_id);

  stream->stream_id = g_strdup (stream_id);
  stream->subscribed = subscribed;
  stream->published = published;
  stream->peers = subscribers->len;
  stream->publishers = publishers->len;
  return stream;
}

/**
 * satori_daemon_model_list_streams:
 * @model: a model
 *
 * Returns: (transfer full) (element-type SatoriDaemonStream): the streams
 *   we subscribe to, in the order subscribed, then those we only published
 *   to
 */
GPtrArray *
satori_daemon_model_list_streams (SatoriDaemonModel *model)
{
  g_auto(GStrv) subscriptions = satori_peers_get_subscriptions (model->peers);
  g_auto(GStrv) publications = satori_peers_get_publications (model->peers);
  GPtrArray *result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_daemon_stream_free);

  for (guint i = 0; subscriptions[i] != NULL; i++)
    g_ptr_array_add (result, describe_stream (model, subscriptions[i], TRUE,
                                              g_strv_contains ((const char * const *) publications,
                                                               subscriptions[i])));
  for (guint i = 0; publications[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) subscriptions, publications[i]))
      g_ptr_array_add (result, describe_stream (model, publications[i], FALSE, TRUE));
  return result;
}

typedef struct
{
  char *stream_id;
  GBytes *data;
} Publish;

static void
publish_free (Publish *publish)
{
  g_free (publish->stream_id);
  g_bytes_unref (publish->data);
  g_free (publish);
}

static void
on_published (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriDaemonModel *model = g_task_get_source_object (task);
  Publish *publish = g_task_get_task_data (task);
  GError *error = NULL;

  if (!satori_peers_publish_finish (SATORI_PEERS (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_emit (model, signals[SIGNAL_PUBLISHED], 0, publish->stream_id, publish->data);
  g_task_return_boolean (task, TRUE);
}

/**
 * satori_daemon_model_publish_async:
 * @model: a model
 * @stream_id: a stream id
 * @data: the value to publish
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when published
 * @user_data: data for @callback
 *
 * Publishes @data on @stream_id (satori_peers_publish_async()), then
 * emits #SatoriDaemonModel::published.
 */
void
satori_daemon_model_publish_async (SatoriDaemonModel *model, const char *stream_id,
                                   JsonNode *data, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (model, cancellable, callback, user_data);
  Publish *publish = g_new0 (Publish, 1);

  g_task_set_source_tag (task, satori_daemon_model_publish_async);
  publish->stream_id = g_strdup (stream_id);
  publish->data = json_bytes (data);
  g_task_set_task_data (task, publish, (GDestroyNotify) publish_free);
  satori_peers_publish_async (model->peers, stream_id, data, cancellable, on_published, task);
}

/**
 * satori_daemon_model_publish_finish:
 * @model: a model
 * @result: the result
 * @error: why publishing failed (satori_peers_publish_finish())
 *
 * Returns: %TRUE when published
 */
gboolean
satori_daemon_model_publish_finish (SatoriDaemonModel *model, GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, model), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * satori_daemon_peer_free:
 * @peer: a peer description
 */
void
satori_daemon_peer_free (SatoriDaemonPeer *peer)
{
  g_free (peer->peer_id);
  g_strfreev (peer->addresses);
  g_free (peer->agent);
  g_strfreev (peer->protocols);
  g_strfreev (peer->streams);
  g_free (peer);
}

/**
 * satori_daemon_stream_free:
 * @stream: a stream description
 */
void
satori_daemon_stream_free (SatoriDaemonStream *stream)
{
  g_free (stream->stream_id);
  g_free (stream);
}
