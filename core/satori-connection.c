/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-connection.h"
#include "satori-connection-private.h"

#include "satori-multiaddr.h"
#include "satori-multistream-io.h"
#include "satori-multistream-lazy-stream.h"
#include "satori-peer-id.h"

/**
 * SatoriConnection:
 *
 * A secured, multiplexed connection to an authenticated peer, as the host's
 * upgrader makes it: who the peer is, where it is, which security and muxer
 * protocols were agreed, and streams opened with a protocol negotiated by
 * multistream-select.
 */
struct _SatoriConnection
{
  GObject parent_instance;

  SatoriMuxedConnection *muxed;
  SatoriPeerId *remote_peer;
  SatoriMultiaddr *remote_address;
  SatoriDirection direction;
  char *security_protocol;
  char *muxer_protocol;
  SatoriStreamCounts *stream_counts;   /* the host's, once it holds the connection */
};

enum
{
  SIGNAL_STREAM_NEGOTIATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SatoriConnection, satori_connection, G_TYPE_OBJECT)

static void
satori_connection_finalize (GObject *object)
{
  SatoriConnection *self = SATORI_CONNECTION (object);

  g_object_unref (self->muxed);
  satori_peer_id_unref (self->remote_peer);
  g_clear_pointer (&self->remote_address, satori_multiaddr_unref);
  g_free (self->security_protocol);
  g_free (self->muxer_protocol);
  g_clear_pointer (&self->stream_counts, satori_stream_counts_unref);
  G_OBJECT_CLASS (satori_connection_parent_class)->finalize (object);
}

static void
satori_connection_class_init (SatoriConnectionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_connection_finalize;

  /**
   * SatoriConnection::stream-negotiated:
   * @connection: the connection
   * @protocol: the protocol agreed (or, lazily, proposed alone)
   *
   * A stream we opened is ready for @protocol: emitted once per stream
   * that satori_connection_open_stream_async() returns.
   */
  signals[SIGNAL_STREAM_NEGOTIATED] =
    g_signal_new ("stream-negotiated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
satori_connection_init (SatoriConnection *self)
{
}

/**
 * satori_connection_new:
 * @muxed: the multiplexed connection
 * @remote_peer: the authenticated remote peer
 * @remote_address: (nullable): its address
 * @direction: who dialed
 * @security_protocol: (nullable): the security protocol id agreed
 * @muxer_protocol: (nullable): the muxer protocol id agreed
 *
 * Returns: (transfer full): a new #SatoriConnection owning @muxed
 */
SatoriConnection *
satori_connection_new (SatoriMuxedConnection *muxed, SatoriPeerId *remote_peer,
                       SatoriMultiaddr *remote_address, SatoriDirection direction,
                       const char *security_protocol, const char *muxer_protocol)
{
  g_return_val_if_fail (SATORI_IS_MUXED_CONNECTION (muxed), NULL);
  g_return_val_if_fail (remote_peer != NULL, NULL);

  SatoriConnection *self = g_object_new (SATORI_TYPE_CONNECTION, NULL);
  self->muxed = g_object_ref (muxed);
  self->remote_peer = satori_peer_id_ref (remote_peer);
  self->remote_address = remote_address ? satori_multiaddr_ref (remote_address) : NULL;
  self->direction = direction;
  self->security_protocol = g_strdup (security_protocol);
  self->muxer_protocol = g_strdup (muxer_protocol);
  return self;
}

/**
 * satori_connection_get_remote_peer:
 * @connection: a #SatoriConnection
 *
 * Returns: (transfer none): the authenticated remote peer
 */
SatoriPeerId *
satori_connection_get_remote_peer (SatoriConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_CONNECTION (connection), NULL);
  return connection->remote_peer;
}

/**
 * satori_connection_get_remote_address:
 * @connection: a #SatoriConnection
 *
 * Returns: (transfer none) (nullable): the remote's address as seen here
 */
SatoriMultiaddr *
satori_connection_get_remote_address (SatoriConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_CONNECTION (connection), NULL);
  return connection->remote_address;
}

/**
 * satori_connection_get_direction:
 * @connection: a #SatoriConnection
 *
 * Returns: who dialed
 */
SatoriDirection
satori_connection_get_direction (SatoriConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_CONNECTION (connection), SATORI_DIRECTION_INBOUND);
  return connection->direction;
}

/**
 * satori_connection_get_security_protocol:
 * @connection: a #SatoriConnection
 *
 * Returns: (nullable): the security protocol id, such as `/noise`
 */
const char *
satori_connection_get_security_protocol (SatoriConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_CONNECTION (connection), NULL);
  return connection->security_protocol;
}

/**
 * satori_connection_get_muxer_protocol:
 * @connection: a #SatoriConnection
 *
 * Returns: (nullable): the muxer protocol id, such as `/yamux/1.0.0`
 */
const char *
satori_connection_get_muxer_protocol (SatoriConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_CONNECTION (connection), NULL);
  return connection->muxer_protocol;
}

/**
 * satori_connection_get_muxed:
 * @connection: a #SatoriConnection
 *
 * Returns: (transfer none): the multiplexed connection underneath
 */
SatoriMuxedConnection *
satori_connection_get_muxed (SatoriConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_CONNECTION (connection), NULL);
  return connection->muxed;
}

/**
 * satori_connection_is_closed:
 * @connection: a #SatoriConnection
 *
 * Returns: whether the connection is closed
 */
gboolean
satori_connection_is_closed (SatoriConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_CONNECTION (connection), TRUE);
  return satori_muxed_connection_is_closed (connection->muxed);
}

typedef struct
{
  GStrv protocols;
  GIOStream *stream;
} OpenStream;

static void
open_stream_free (OpenStream *open)
{
  g_strfreev (open->protocols);
  g_clear_object (&open->stream);
  g_free (open);
}

/* Announces a stream we opened; the host counts it and its traffic. */
static GIOStream *
negotiated (SatoriConnection *self, GIOStream *stream, const char *protocol)
{
  g_signal_emit (self, signals[SIGNAL_STREAM_NEGOTIATED], 0, protocol);
  if (self->stream_counts == NULL)
    return g_object_ref (stream);
  return satori_stream_counts_track (self->stream_counts, stream, protocol,
                                     SATORI_DIRECTION_OUTBOUND);
}

static void
on_stream_negotiated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenStream *open = g_task_get_task_data (task);
  GError *error = NULL;

  char *protocol = satori_multistream_select_finish (open->stream, result, &error);
  if (protocol == NULL)
    {
      /* The stream is useless now; close it so the remote frees it too. */
      g_io_stream_close_async (open->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "protocol", protocol, g_free);
  g_task_return_pointer (task, negotiated (g_task_get_source_object (task), open->stream, protocol),
                         g_object_unref);
}

static void
on_stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenStream *open = g_task_get_task_data (task);
  GError *error = NULL;

  open->stream = satori_muxed_connection_open_stream_finish (SATORI_MUXED_CONNECTION (source),
                                                             result, &error);
  if (open->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strv_length (open->protocols) == 1)
    {
      /* Lazy: the proposal goes out with the first write, and a refusal
       * fails the first read or write. */
      g_object_set_data_full (G_OBJECT (task), "protocol", g_strdup (open->protocols[0]), g_free);
      g_autoptr(GIOStream) lazy = satori_multistream_lazy_stream_new (open->stream,
                                                                      open->protocols[0]);
      g_task_return_pointer (task,
                             negotiated (g_task_get_source_object (task), lazy,
                                         open->protocols[0]),
                             g_object_unref);
      return;
    }
  GCancellable *cancellable = g_task_get_cancellable (task);
  satori_multistream_select_async (open->stream, (const char * const *) open->protocols,
                                   cancellable, on_stream_negotiated, g_steal_pointer (&task));
}

/**
 * satori_connection_open_stream_async:
 * @connection: a #SatoriConnection
 * @protocols: (array zero-terminated=1): protocol ids to propose, preferred first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the stream
 * @user_data: data for @callback
 *
 * Opens a stream and negotiates one of @protocols on it. With a single
 * protocol the negotiation is lazy: the stream is ready at once, its
 * proposal goes out with the first write, and a refusal fails the first
 * read or write with %SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED.
 */
void
satori_connection_open_stream_async (SatoriConnection *connection, const char * const *protocols,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (SATORI_IS_CONNECTION (connection));
  g_return_if_fail (protocols != NULL && protocols[0] != NULL);

  GTask *task = g_task_new (connection, cancellable, callback, user_data);
  OpenStream *open = g_new0 (OpenStream, 1);
  open->protocols = g_strdupv ((char **) protocols);
  g_task_set_source_tag (task, satori_connection_open_stream_async);
  g_task_set_task_data (task, open, (GDestroyNotify) open_stream_free);
  satori_muxed_connection_open_stream_async (connection->muxed, cancellable, on_stream_opened,
                                             task);
}

/**
 * satori_connection_open_stream_finish:
 * @connection: a #SatoriConnection
 * @result: the #GAsyncResult
 * @protocol: (out) (optional) (transfer full): the protocol agreed
 * @error: %SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED when the remote speaks
 *   none of the protocols, or another error
 *
 * Returns: (transfer full) (nullable): the stream, ready for the protocol
 */
GIOStream *
satori_connection_open_stream_finish (SatoriConnection *connection, GAsyncResult *result,
                                      char **protocol, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), NULL);

  GIOStream *stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream != NULL && protocol != NULL)
    *protocol = g_strdup (g_object_get_data (G_OBJECT (result), "protocol"));
  return stream;
}

/**
 * satori_connection_close_async:
 * @connection: a #SatoriConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when closed
 * @user_data: data for @callback
 *
 * Closes the connection gracefully (the muxer tells the remote).
 */
static void
on_muxed_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (satori_muxed_connection_close_finish (SATORI_MUXED_CONNECTION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
satori_connection_close_async (SatoriConnection *connection, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_CONNECTION (connection));

  /* The callback's source is @connection, not its muxed connection. */
  GTask *task = g_task_new (connection, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_connection_close_async);
  satori_muxed_connection_close_async (connection->muxed, cancellable, on_muxed_closed, task);
}

/**
 * satori_connection_close_finish:
 * @connection: a #SatoriConnection
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when it closed cleanly
 */
gboolean
satori_connection_close_finish (SatoriConnection *connection, GAsyncResult *result,
                                GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connection), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/*< private >
 * _satori_connection_set_stream_counts:
 * @connection: a connection
 * @counts: the host's table
 *
 * Counts the streams @connection opens from now on, and their traffic.
 */
void
_satori_connection_set_stream_counts (SatoriConnection *connection, SatoriStreamCounts *counts)
{
  g_return_if_fail (SATORI_IS_CONNECTION (connection));
  g_clear_pointer (&connection->stream_counts, satori_stream_counts_unref);
  connection->stream_counts = satori_stream_counts_ref (counts);
}
