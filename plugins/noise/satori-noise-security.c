/* satori-noise-security.c — the /noise security protocol: the GIO adapter
 *
 * Runs a SatoriNoiseSession over the raw stream: writes what it transmits,
 * reads and feeds it, and when the handshake is complete wraps the stream
 * in a SatoriNoiseConnection (with any transport bytes read past the end
 * of the handshake). The static key and signed identity are made once per
 * identity key and shared by all handshakes (satori-noise-identity.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-noise-security.h"

#include <string.h>

#include "satori-crypto.h"
#include "satori-noise-connection.h"
#include "satori-noise-session.h"

/* Handshake messages are at most SATORI_NOISE_MAX_MESSAGE plus a header. */
#define BUFFER_SIZE (SATORI_NOISE_MAX_MESSAGE + 2)

struct _SatoriNoiseSecurity
{
  GObject parent_instance;
  SatoriNoiseIdentity *identity;   /* of the last local key used */
};

static void satori_noise_security_iface_init (SatoriSecurityInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SatoriNoiseSecurity, satori_noise_security, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (SATORI_TYPE_SECURITY,
                                                satori_noise_security_iface_init))

typedef struct
{
  GIOStream *base_stream;
  SatoriNoiseSession *session;
  guint8 *buffer;
} Handshake;

static void
handshake_free (gpointer data)
{
  Handshake *hs = data;

  g_object_unref (hs->base_stream);
  satori_noise_session_unref (hs->session);
  g_free (hs->buffer);
  g_free (hs);
}

static void step (GTask *task, const guint8 *leftover, gsize leftover_len);

static void
written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_message ("Noise handshake failed: writing to the raw stream: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  step (g_steal_pointer (&task), NULL, 0);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Handshake *hs = g_task_get_task_data (task);
  GError *error = NULL;
  gsize consumed;

  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n == 0)
    error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                         "the remote closed the stream during the Noise handshake");
  if (n <= 0)
    {
      g_message ("Noise handshake failed: reading from the raw stream: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  if (!satori_noise_session_handle_input (hs->session, hs->buffer, n, &consumed, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  step (g_steal_pointer (&task), hs->buffer + consumed, n - consumed);
}

/* Sends what the session has to send; then finishes, or reads on. */
static void
step (GTask *task, const guint8 *leftover, gsize leftover_len)
{
  Handshake *hs = g_task_get_task_data (task);
  GError *error = NULL;

  gsize n = satori_noise_session_poll_transmit (hs->session, hs->buffer, BUFFER_SIZE);
  if (n > 0)
    {
      /* The initiator's last message: nothing is left over from a read. */
      g_output_stream_write_all_async (g_io_stream_get_output_stream (hs->base_stream),
                                       hs->buffer, n, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), written, task);
      return;
    }
  if (satori_noise_session_is_handshake_complete (hs->session))
    {
      SatoriNoiseConnection *connection =
        satori_noise_connection_new (hs->base_stream, hs->session, leftover, leftover_len,
                                     &error);
      if (connection == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, connection, g_object_unref);
      g_object_unref (task);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (hs->base_stream), hs->buffer,
                             BUFFER_SIZE, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                             read_done, task);
}

/* The cached identity of @key, made anew for another key. */
static SatoriNoiseIdentity *
identity_of (SatoriNoiseSecurity *self, SatoriPrivateKey *key, GError **error)
{
  guint8 static_private[SATORI_NOISE_KEY_LENGTH];

  if (self->identity != NULL && satori_noise_identity_get_key (self->identity) == key)
    return self->identity;
  satori_crypto_random_bytes (static_private, sizeof static_private);
  SatoriNoiseIdentity *identity = satori_noise_identity_new (key, static_private, error);
  explicit_bzero (static_private, sizeof static_private);
  if (identity == NULL)
    return NULL;
  g_clear_pointer (&self->identity, satori_noise_identity_unref);
  self->identity = identity;
  return identity;
}

static void
satori_noise_security_secure_async (SatoriSecurity *security, GIOStream *base_stream,
                                    gboolean is_initiator, SatoriPrivateKey *local_key,
                                    SatoriPeerId *expected_peer, const char * const *muxer_ids,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GTask *task = g_task_new (security, cancellable, callback, user_data);
  GError *error = NULL;
  SatoriNoiseSession *session = NULL;

  g_task_set_source_tag (task, satori_noise_security_secure_async);
  SatoriNoiseIdentity *identity = identity_of (SATORI_NOISE_SECURITY (security), local_key,
                                               &error);
  if (identity != NULL)
    session = satori_noise_session_new (
      is_initiator ? SATORI_NOISE_ROLE_INITIATOR : SATORI_NOISE_ROLE_RESPONDER,
      identity, expected_peer, muxer_ids, NULL, NULL, &error);
  if (session == NULL)
    {
      g_message ("Noise handshake failed: %s", error->message);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  Handshake *hs = g_new0 (Handshake, 1);
  hs->base_stream = g_object_ref (base_stream);
  hs->session = session;
  hs->buffer = g_malloc (BUFFER_SIZE);
  g_task_set_task_data (task, hs, handshake_free);
  step (task, NULL, 0);
}

static SatoriSecureConnection *
satori_noise_security_secure_finish (SatoriSecurity *security, GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, security), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
satori_noise_security_iface_init (SatoriSecurityInterface *iface)
{
  iface->secure_async = satori_noise_security_secure_async;
  iface->secure_finish = satori_noise_security_secure_finish;
}

static void
satori_noise_security_finalize (GObject *object)
{
  SatoriNoiseSecurity *self = SATORI_NOISE_SECURITY (object);

  g_clear_pointer (&self->identity, satori_noise_identity_unref);
  G_OBJECT_CLASS (satori_noise_security_parent_class)->finalize (object);
}

static void
satori_noise_security_class_init (SatoriNoiseSecurityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_noise_security_finalize;
}

static void
satori_noise_security_init (SatoriNoiseSecurity *self)
{
}
