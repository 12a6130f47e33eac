/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-plaintext-connection.h"

/**
 * SatoriPlaintextConnection:
 *
 * What #SatoriPlaintextSecurity returns: the base stream's own input and
 * output streams, unchanged (plaintext neither encrypts nor frames), and
 * the peer identity the handshake established. Closing it closes the base
 * stream.
 */
struct _SatoriPlaintextConnection
{
  GIOStream parent_instance;

  GIOStream *base_stream;
  SatoriPeerId *remote_peer;
  SatoriPublicKey *remote_key;
};

static void satori_plaintext_connection_secure_iface_init (SatoriSecureConnectionInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriPlaintextConnection, satori_plaintext_connection,
                               G_TYPE_IO_STREAM,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_SECURE_CONNECTION,
                         satori_plaintext_connection_secure_iface_init))

static SatoriPeerId *
satori_plaintext_connection_get_remote_peer (SatoriSecureConnection *connection)
{
  return SATORI_PLAINTEXT_CONNECTION (connection)->remote_peer;
}

static SatoriPublicKey *
satori_plaintext_connection_get_remote_public_key (SatoriSecureConnection *connection)
{
  return SATORI_PLAINTEXT_CONNECTION (connection)->remote_key;
}

static void
satori_plaintext_connection_secure_iface_init (SatoriSecureConnectionInterface *iface)
{
  iface->get_remote_peer = satori_plaintext_connection_get_remote_peer;
  iface->get_remote_public_key = satori_plaintext_connection_get_remote_public_key;
}

static GInputStream *
satori_plaintext_connection_get_input_stream (GIOStream *stream)
{
  return g_io_stream_get_input_stream (SATORI_PLAINTEXT_CONNECTION (stream)->base_stream);
}

static GOutputStream *
satori_plaintext_connection_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (SATORI_PLAINTEXT_CONNECTION (stream)->base_stream);
}

static gboolean
satori_plaintext_connection_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  return g_io_stream_close (SATORI_PLAINTEXT_CONNECTION (stream)->base_stream, cancellable,
                            error);
}

static void
on_base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
satori_plaintext_connection_close_async (GIOStream *stream, int io_priority,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_plaintext_connection_close_async);
  g_io_stream_close_async (SATORI_PLAINTEXT_CONNECTION (stream)->base_stream, io_priority,
                           cancellable, on_base_closed, task);
}

static gboolean
satori_plaintext_connection_close_finish (GIOStream *stream, GAsyncResult *result,
                                          GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_plaintext_connection_finalize (GObject *object)
{
  SatoriPlaintextConnection *self = SATORI_PLAINTEXT_CONNECTION (object);

  g_object_unref (self->base_stream);
  satori_peer_id_unref (self->remote_peer);
  g_object_unref (self->remote_key);
  G_OBJECT_CLASS (satori_plaintext_connection_parent_class)->finalize (object);
}

static void
satori_plaintext_connection_class_init (SatoriPlaintextConnectionClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_plaintext_connection_finalize;
  stream_class->get_input_stream = satori_plaintext_connection_get_input_stream;
  stream_class->get_output_stream = satori_plaintext_connection_get_output_stream;
  stream_class->close_fn = satori_plaintext_connection_close;
  stream_class->close_async = satori_plaintext_connection_close_async;
  stream_class->close_finish = satori_plaintext_connection_close_finish;
}

static void
satori_plaintext_connection_init (SatoriPlaintextConnection *self)
{
}

/**
 * satori_plaintext_connection_new:
 * @base_stream: the stream the handshake ran over
 * @remote_peer: the peer's id
 * @remote_key: the peer's identity key
 *
 * Returns: (transfer full): a connection reading and writing @base_stream
 */
SatoriPlaintextConnection *
satori_plaintext_connection_new (GIOStream *base_stream, SatoriPeerId *remote_peer,
                                 SatoriPublicKey *remote_key)
{
  g_return_val_if_fail (G_IS_IO_STREAM (base_stream), NULL);
  g_return_val_if_fail (remote_peer != NULL, NULL);
  g_return_val_if_fail (SATORI_IS_PUBLIC_KEY (remote_key), NULL);

  SatoriPlaintextConnection *self = g_object_new (SATORI_TYPE_PLAINTEXT_CONNECTION, NULL);
  self->base_stream = g_object_ref (base_stream);
  self->remote_peer = satori_peer_id_ref (remote_peer);
  self->remote_key = g_object_ref (remote_key);
  return self;
}

/**
 * satori_plaintext_connection_get_base_stream:
 * @connection: a #SatoriPlaintextConnection
 *
 * Returns: (transfer none): the stream it reads and writes
 */
GIOStream *
satori_plaintext_connection_get_base_stream (SatoriPlaintextConnection *connection)
{
  g_return_val_if_fail (SATORI_IS_PLAINTEXT_CONNECTION (connection), NULL);

  return connection->base_stream;
}
