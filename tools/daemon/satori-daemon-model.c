/* satori-daemon-model.c — the node as the daemon's front ends see it.
 *
 * Today it answers from the SatoriHost and its pubsub router directly
 * (a Satori stream is the topic satori/stream/<id>); once SatoriPeers
 * lands, this file alone changes to ask it instead.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-daemon-model.h"

#include <glib/gi18n.h>

struct _SatoriDaemonModel
{
  GObject parent_instance;

  SatoriPeers *peers;
  SatoriHost *host;        /* the peers' */
  gint64 started;          /* wall-clock µs */
  GHashTable *published;   /* stream ids we published to */
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

  g_object_unref (self->host);
  g_object_unref (self->peers);
  g_hash_table_unref (self->published);
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
   * @data: the message's payload
   *
   * A message arrived on a stream we subscribe to.
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);

  /**
   * SatoriDaemonModel::published:
   * @model: the model
   * @stream_id: the stream
   * @data: the payload
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
  self->published = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* The stream id of @topic, or %NULL when it is not a stream's topic. */
static const char *
stream_of_topic (const char *topic)
{
  if (!g_str_has_prefix (topic, SATORI_DAEMON_STREAM_TOPIC_PREFIX))
    return NULL;
  return topic + strlen (SATORI_DAEMON_STREAM_TOPIC_PREFIX);
}

static void
on_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, SatoriDaemonModel *self)
{
  const char *stream_id = stream_of_topic (satori_pubsub_message_get_topic (message));

  if (stream_id != NULL)
    g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, stream_id,
                   satori_pubsub_message_get_data (message));
}

/**
 * satori_daemon_model_new:
 * @peers: the daemon's node, its host with its pubsub router if it has one
 *
 * Returns: (transfer full): the model of @peers
 */
SatoriDaemonModel *
satori_daemon_model_new (SatoriPeers *peers)
{
  SatoriDaemonModel *self = g_object_new (SATORI_TYPE_DAEMON_MODEL, NULL);
  SatoriHost *host = satori_peers_get_host (peers);
  SatoriPubsub *pubsub = satori_host_get_pubsub (host);

  self->peers = g_object_ref (peers);
  self->host = g_object_ref (host);
  self->started = g_get_real_time ();
  if (pubsub != NULL)
    g_signal_connect_object (pubsub, "message", G_CALLBACK (on_message), self, 0);
  return self;
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
  return model->host;
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
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (model->host);
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
  g_auto(GStrv) protocols = satori_host_get_protocols (model->host);

  for (guint i = 0; protocols[i] != NULL; i++)
    if (g_str_has_prefix (protocols[i], protocol_prefix))
      return TRUE;
  return FALSE;
}

/**
 * satori_daemon_model_get_connections_by_peer:
 * @model: a model
 *
 * Returns: (transfer full) (element-type SatoriPeerId GPtrArray): every
 *   connected peer → its open #SatoriConnection<!-- -->s
 */
GHashTable *
satori_daemon_model_get_connections_by_peer (SatoriDaemonModel *model)
{
  GHashTable *peers = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                             (GDestroyNotify) satori_peer_id_unref,
                                             (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) connections = satori_host_get_connections (model->host);

  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
      GPtrArray *list = g_hash_table_lookup (peers, peer);
      if (satori_connection_is_closed (connection))
        continue;
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (peers, satori_peer_id_ref (peer), list);
        }
      g_ptr_array_add (list, g_object_ref (connection));
    }
  return peers;
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
  g_autoptr(GHashTable) peers = satori_daemon_model_get_connections_by_peer (model);

  return g_hash_table_size (peers);
}

/**
 * satori_daemon_model_count_known_peers:
 * @model: a model
 *
 * Returns: how many peers the peerstore knows, connected or not
 */
guint
satori_daemon_model_count_known_peers (SatoriDaemonModel *model)
{
  g_autoptr(GPtrArray) peers =
    satori_peerstore_get_peers (satori_host_get_peerstore (model->host));

  return peers->len;
}

/* Stream ids we subscribe to → GPtrArray of the SatoriPeerIds sharing them. */
static GHashTable *
stream_peers (SatoriDaemonModel *model)
{
  GHashTable *streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_ptr_array_unref);
  SatoriPubsub *pubsub = satori_host_get_pubsub (model->host);
  g_auto(GStrv) topics = pubsub ? satori_pubsub_get_topics (pubsub) : NULL;

  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    {
      const char *stream_id = stream_of_topic (topics[i]);
      if (stream_id != NULL)
        g_hash_table_insert (streams, g_strdup (stream_id),
                             satori_pubsub_get_topic_peers (pubsub, topics[i]));
    }
  return streams;
}

static GStrv
streams_of_peer (GHashTable *streams, SatoriPeerId *peer)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer stream_id, peers;
  guint index;

  g_hash_table_iter_init (&iter, streams);
  while (g_hash_table_iter_next (&iter, &stream_id, &peers))
    if (g_ptr_array_find_with_equal_func (peers, peer, satori_peer_id_equal, &index))
      g_strv_builder_add (builder, stream_id);
  return g_strv_builder_end (builder);
}

static SatoriDaemonPeer *
describe_peer (SatoriDaemonModel *model, SatoriPeerId *peer, GPtrArray *connections,
               GHashTable *streams)
{
  SatoriPeerstore *store = satori_host_get_peerstore (model->host);
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
  result->streams = streams_of_peer (streams, peer);
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
  g_autoptr(GHashTable) peers = satori_daemon_model_get_connections_by_peer (model);
  g_autoptr(GHashTable) streams = stream_peers (model);
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_daemon_peer_free);
  GHashTableIter iter;
  gpointer peer, connections;

  g_hash_table_iter_init (&iter, peers);
  while (g_hash_table_iter_next (&iter, &peer, &connections))
    g_ptr_array_add (result, describe_peer (model, peer, connections, streams));
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

static char *
topic_of_stream (const char *stream_id)
{
  return g_strconcat (SATORI_DAEMON_STREAM_TOPIC_PREFIX, stream_id, NULL);
}

/**
 * satori_daemon_model_list_streams:
 * @model: a model
 *
 * Returns: (transfer full) (element-type SatoriDaemonStream): the streams
 *   we subscribe or published to, by stream id
 */
GPtrArray *
satori_daemon_model_list_streams (SatoriDaemonModel *model)
{
  g_autoptr(GHashTable) streams = stream_peers (model);
  GPtrArray *result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) satori_daemon_stream_free);
  GHashTableIter iter;
  gpointer stream_id, peers;

  g_hash_table_iter_init (&iter, streams);
  while (g_hash_table_iter_next (&iter, &stream_id, &peers))
    {
      SatoriDaemonStream *stream = g_new0 (SatoriDaemonStream, 1);
      stream->stream_id = g_strdup (stream_id);
      stream->subscribed = TRUE;
      stream->published = g_hash_table_contains (model->published, stream_id);
      stream->peers = ((GPtrArray *) peers)->len;
      g_ptr_array_add (result, stream);
    }
  g_hash_table_iter_init (&iter, model->published);
  while (g_hash_table_iter_next (&iter, &stream_id, NULL))
    if (!g_hash_table_contains (streams, stream_id))
      {
        SatoriDaemonStream *stream = g_new0 (SatoriDaemonStream, 1);
        stream->stream_id = g_strdup (stream_id);
        stream->published = TRUE;
        g_ptr_array_add (result, stream);
      }
  return result;
}

/* The router, or %NULL with @error saying there is none. */
static SatoriPubsub *
get_router (SatoriDaemonModel *model, GError **error)
{
  SatoriPubsub *pubsub = satori_host_get_pubsub (model->host);

  if (pubsub == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("No pubsub router is configured ([host] pubsub= in satorip2p.conf)"));
  return pubsub;
}

static gboolean
check_stream_id (const char *stream_id, GError **error)
{
  if (stream_id[0] != '\0' && g_utf8_validate (stream_id, -1, NULL))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("A stream id must be non-empty UTF-8 text"));
  return FALSE;
}

/**
 * satori_daemon_model_subscribe:
 * @model: a model
 * @stream_id: a stream id
 * @error: %G_IO_ERROR_NOT_SUPPORTED without a pubsub router,
 *   %G_IO_ERROR_INVALID_ARGUMENT for a bad stream id
 *
 * Subscribes to @stream_id (again is fine).
 *
 * Returns: %TRUE when subscribed
 */
gboolean
satori_daemon_model_subscribe (SatoriDaemonModel *model, const char *stream_id, GError **error)
{
  SatoriPubsub *pubsub = get_router (model, error);

  if (pubsub == NULL || !check_stream_id (stream_id, error))
    return FALSE;
  g_autofree char *topic = topic_of_stream (stream_id);
  return satori_pubsub_subscribe (pubsub, topic, error);
}

/**
 * satori_daemon_model_unsubscribe:
 * @model: a model
 * @stream_id: a stream id
 * @error: as satori_daemon_model_subscribe(), or %G_IO_ERROR_NOT_FOUND when
 *   we do not subscribe to @stream_id
 *
 * Returns: %TRUE when unsubscribed
 */
gboolean
satori_daemon_model_unsubscribe (SatoriDaemonModel *model, const char *stream_id, GError **error)
{
  SatoriPubsub *pubsub = get_router (model, error);

  if (pubsub == NULL || !check_stream_id (stream_id, error))
    return FALSE;
  g_autofree char *topic = topic_of_stream (stream_id);
  g_auto(GStrv) topics = satori_pubsub_get_topics (pubsub);
  if (!g_strv_contains ((const char * const *) topics, topic))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Not subscribed to stream “%s”"),
                   stream_id);
      return FALSE;
    }
  return satori_pubsub_unsubscribe (pubsub, topic, error);
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

  if (!satori_pubsub_publish_finish (SATORI_PUBSUB (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_hash_table_add (model->published, g_strdup (publish->stream_id));
  g_signal_emit (model, signals[SIGNAL_PUBLISHED], 0, publish->stream_id, publish->data);
  g_task_return_boolean (task, TRUE);
}

/**
 * satori_daemon_model_publish_async:
 * @model: a model
 * @stream_id: a stream id
 * @data: the payload
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when published
 * @user_data: data for @callback
 *
 * Publishes @data on @stream_id.
 */
void
satori_daemon_model_publish_async (SatoriDaemonModel *model, const char *stream_id, GBytes *data,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (model, cancellable, callback, user_data);
  GError *error = NULL;
  SatoriPubsub *pubsub = get_router (model, &error);

  g_task_set_source_tag (task, satori_daemon_model_publish_async);
  if (pubsub == NULL || !check_stream_id (stream_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  Publish *publish = g_new0 (Publish, 1);
  publish->stream_id = g_strdup (stream_id);
  publish->data = g_bytes_ref (data);
  g_task_set_task_data (task, publish, (GDestroyNotify) publish_free);
  g_autofree char *topic = topic_of_stream (stream_id);
  satori_pubsub_publish_async (pubsub, topic, data, cancellable, on_published,
                               g_steal_pointer (&task));
}

/**
 * satori_daemon_model_publish_finish:
 * @model: a model
 * @result: the result
 * @error: why publishing failed
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

static void
on_pinged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GArray *rtts = satori_peers_ping_finish (SATORI_PEERS (source), result, &error);

  if (rtts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rtts, (GDestroyNotify) g_array_unref);
}

/**
 * satori_daemon_model_ping_async:
 * @model: a model
 * @peer_id: the peer, as text
 * @count: how many pings
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the round-trip times
 * @user_data: data for @callback
 *
 * Pings @peer_id @count times (satori_peers_ping_async()): a peer with no
 * connection and no known address is %G_IO_ERROR_NOT_FOUND, a host without
 * the ping plugin %G_IO_ERROR_NOT_SUPPORTED.
 */
void
satori_daemon_model_ping_async (SatoriDaemonModel *model, const char *peer_id, guint count,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (model, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, satori_daemon_model_ping_async);
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_string (peer_id, &error);
  if (peer == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not a peer id: %s"), peer_id, error->message);
      g_error_free (error);
      return;
    }
  satori_peers_ping_async (model->peers, peer, count, cancellable, on_pinged,
                           g_steal_pointer (&task));
}

/**
 * satori_daemon_model_ping_finish:
 * @model: a model
 * @result: the result
 * @error: why pinging failed
 *
 * Returns: (transfer full) (element-type gint64): the round-trip times in µs
 */
GArray *
satori_daemon_model_ping_finish (SatoriDaemonModel *model, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, model), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
