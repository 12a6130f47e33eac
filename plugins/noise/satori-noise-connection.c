/* satori-noise-connection.c — a GIOStream secured by Noise
 *
 * Wraps the raw stream as GTlsConnection does: its input and output
 * streams decrypt and encrypt; closing closes the raw stream.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-connection.h"

#include "satori-noise-input-stream.h"
#include "satori-noise-output-stream.h"

struct _SatoriNoiseConnection
{
  GIOStream parent_instance;
  GIOStream *base_stream;
  SatoriNoiseSession *session;
  GInputStream *input;
  GOutputStream *output;
};

static void satori_noise_connection_secure_init (SatoriSecureConnectionInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SatoriNoiseConnection, satori_noise_connection, G_TYPE_IO_STREAM,
                         G_IMPLEMENT_INTERFACE (SATORI_TYPE_SECURE_CONNECTION,
                                                satori_noise_connection_secure_init))

static GInputStream *
satori_noise_connection_get_input_stream (GIOStream *stream)
{
  return SATORI_NOISE_CONNECTION (stream)->input;
}

static GOutputStream *
satori_noise_connection_get_output_stream (GIOStream *stream)
{
  return SATORI_NOISE_CONNECTION (stream)->output;
}

static gboolean
satori_noise_connection_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  SatoriNoiseConnection *self = SATORI_NOISE_CONNECTION (stream);

  return g_io_stream_close (self->base_stream, cancellable, error);
}

static void
base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
satori_noise_connection_close_async (GIOStream *stream, int io_priority,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  SatoriNoiseConnection *self = SATORI_NOISE_CONNECTION (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_noise_connection_close_async);
  /* No thread: the raw stream closes on this main context. */
  g_io_stream_close_async (self->base_stream, io_priority, cancellable, base_closed, task);
}

static gboolean
satori_noise_connection_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_noise_connection_finalize (GObject *object)
{
  SatoriNoiseConnection *self = SATORI_NOISE_CONNECTION (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base_stream);
  g_clear_pointer (&self->session, satori_noise_session_unref);
  G_OBJECT_CLASS (satori_noise_connection_parent_class)->finalize (object);
}

static void
satori_noise_connection_class_init (SatoriNoiseConnectionClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = satori_noise_connection_finalize;
  stream_class->get_input_stream = satori_noise_connection_get_input_stream;
  stream_class->get_output_stream = satori_noise_connection_get_output_stream;
  stream_class->close_fn = satori_noise_connection_close;
  stream_class->close_async = satori_noise_connection_close_async;
  stream_class->close_finish = satori_noise_connection_close_finish;
}

static void
satori_noise_connection_init (SatoriNoiseConnection *self)
{
}

static SatoriPeerId *
satori_noise_connection_get_remote_peer (SatoriSecureConnection *connection)
{
  return satori_noise_session_get_remote_peer (SATORI_NOISE_CONNECTION (connection)->session);
}

static SatoriPublicKey *
satori_noise_connection_get_remote_public_key (SatoriSecureConnection *connection)
{
  return satori_noise_session_get_remote_public_key (
    SATORI_NOISE_CONNECTION (connection)->session);
}

static const char *
satori_noise_connection_get_early_muxer (SatoriSecureConnection *connection)
{
  return satori_noise_session_get_early_muxer (SATORI_NOISE_CONNECTION (connection)->session);
}

static void
satori_noise_connection_secure_init (SatoriSecureConnectionInterface *iface)
{
  iface->get_remote_peer = satori_noise_connection_get_remote_peer;
  iface->get_remote_public_key = satori_noise_connection_get_remote_public_key;
  iface->get_early_muxer = satori_noise_connection_get_early_muxer;
}

/**
 * satori_noise_connection_new:
 * @base_stream: the raw stream the handshake ran over
 * @session: a session whose handshake is complete
 * @initial: (array length=initial_len) (nullable): transport bytes read
 *   from @base_stream along with the last handshake message
 * @initial_len: their number
 * @error: a #GError, set if @initial does not decrypt
 *
 * Returns: (transfer full) (nullable): the secured connection, or %NULL
 */
SatoriNoiseConnection *
satori_noise_connection_new (GIOStream *base_stream, SatoriNoiseSession *session,
                             const guint8 *initial, gsize initial_len, GError **error)
{
  g_autoptr(SatoriNoiseConnection) self = g_object_new (SATORI_TYPE_NOISE_CONNECTION, NULL);

  g_return_val_if_fail (satori_noise_session_is_handshake_complete (session), NULL);
  self->base_stream = g_object_ref (base_stream);
  self->session = satori_noise_session_ref (session);
  self->output = satori_noise_output_stream_new (g_io_stream_get_output_stream (base_stream),
                                                 session);
  self->input = satori_noise_input_stream_new (g_io_stream_get_input_stream (base_stream),
                                               session, initial, initial_len, error);
  if (self->input == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

