/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-plaintext-security.h"

#include "satori-plaintext-connection.h"
#include "satori-plaintext-session.h"
#include "satori-private-key.h"

/**
 * SatoriPlaintextSecurity:
 *
 * The `/plaintext/2.0.0` handshake over a raw stream: each side sends its
 * peer id and public key, checks that the peer's id is its key's and, when
 * dialing, that it is the peer dialed. Nothing is encrypted or signed: for
 * tests and interoperability checks only.
 *
 * Our Exchange is written before the peer's is read; any stream that can
 * buffer one small message (every transport can) serves both sides at
 * once. The peer's Exchange is read exactly, so the bytes that follow it
 * are left for the connection.
 */
struct _SatoriPlaintextSecurity
{
  GObject parent_instance;
};

static void satori_plaintext_security_iface_init (SatoriSecurityInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriPlaintextSecurity, satori_plaintext_security,
                               G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_SECURITY, satori_plaintext_security_iface_init))

typedef struct
{
  GIOStream *base_stream;
  SatoriPlaintextSession *session;
  GBytes *sending;
  guint8 buf[SATORI_PLAINTEXT_MAX_EXCHANGE];
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_object_unref (handshake->base_stream);
  satori_plaintext_session_free (handshake->session);
  g_clear_pointer (&handshake->sending, g_bytes_unref);
  g_free (handshake);
}

static void handshake_read (GTask *task);

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Handshake *handshake = g_task_get_task_data (task);
  GError *error = NULL;
  gsize consumed;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n == 0)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "connection closed during the plaintext handshake");
  if (n <= 0 || !satori_plaintext_session_handle_input (handshake->session, handshake->buf,
                                                        (gsize) n, &consumed, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* We asked for no more than the session wanted. */
  g_assert (consumed == (gsize) n);
  handshake_read (task);
}

/* Reads what the session wants next, or completes; owns @task. */
static void
handshake_read (GTask *task)
{
  Handshake *handshake = g_task_get_task_data (task);

  if (satori_plaintext_session_is_done (handshake->session))
    {
      g_task_return_pointer (task,
                             satori_plaintext_connection_new (
                               handshake->base_stream,
                               satori_plaintext_session_get_remote_peer (handshake->session),
                               satori_plaintext_session_get_remote_public_key (handshake->session)),
                             g_object_unref);
      g_object_unref (task);
      return;
    }
  gsize wanted = satori_plaintext_session_get_wanted (handshake->session);
  g_assert (wanted > 0 && wanted <= sizeof handshake->buf);
  g_input_stream_read_async (g_io_stream_get_input_stream (handshake->base_stream),
                             handshake->buf, wanted, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), on_read, task);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  handshake_read (task);
}

static void
satori_plaintext_security_secure_async (SatoriSecurity *security, GIOStream *base_stream,
                                        gboolean is_initiator, SatoriPrivateKey *local_key,
                                        SatoriPeerId *expected_peer,
                                        const char * const *muxer_ids,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  GTask *task = g_task_new (security, cancellable, callback, user_data);
  Handshake *handshake = g_new0 (Handshake, 1);

  g_task_set_source_tag (task, satori_plaintext_security_secure_async);
  handshake->base_stream = g_object_ref (base_stream);
  /* Only the dialer knows whom it expects. */
  handshake->session =
    satori_plaintext_session_new (satori_private_key_get_public_key (local_key),
                                  is_initiator ? expected_peer : NULL);
  g_task_set_task_data (task, handshake, (GDestroyNotify) handshake_free);

  gsize size;
  handshake->sending = satori_plaintext_session_poll_transmit (handshake->session);
  const guint8 *data = g_bytes_get_data (handshake->sending, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (base_stream), data, size,
                                   G_PRIORITY_DEFAULT, cancellable, on_written, task);
}

static SatoriSecureConnection *
satori_plaintext_security_secure_finish (SatoriSecurity *security, GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, security), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
satori_plaintext_security_iface_init (SatoriSecurityInterface *iface)
{
  iface->secure_async = satori_plaintext_security_secure_async;
  iface->secure_finish = satori_plaintext_security_secure_finish;
}

static void
satori_plaintext_security_class_init (SatoriPlaintextSecurityClass *klass)
{
}

static void
satori_plaintext_security_init (SatoriPlaintextSecurity *self)
{
}
