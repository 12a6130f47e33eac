/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-upgrader.h"

#include "satori-errors.h"
#include "satori-multiaddr.h"
#include "satori-multistream-io.h"
#include "satori-multistream-lazy-stream.h"
#include "satori-peer-id.h"
#include "satori-private-key.h"
#include "satori-secure-connection.h"

/**
 * SatoriUpgrader:
 *
 * Turns a raw transport connection into a #SatoriConnection, as the
 * libp2p connection spec describes: multistream-select a security
 * protocol (a dialer with a single one proposes it lazily, with the
 * handshake's first message behind it), run its handshake (which
 * authenticates the remote peer and may agree a muxer inside it, as Noise
 * can), then multistream-select a muxer over the secured stream unless one
 * was agreed already. Connections of
 * transports that are secure and multiplexed already (QUIC) pass through.
 *
 * Security protocols and muxers are offered in the order they were added.
 */
struct _SatoriUpgrader
{
  GObject parent_instance;

  SatoriPrivateKey *local_key;
  GPtrArray *security_ids;    /* char *, NULL-terminated */
  GPtrArray *securities;      /* SatoriSecurity */
  GPtrArray *muxer_ids;       /* char *, NULL-terminated */
  GPtrArray *muxers;          /* SatoriMuxer */
};

G_DEFINE_FINAL_TYPE (SatoriUpgrader, satori_upgrader, G_TYPE_OBJECT)

static void
satori_upgrader_finalize (GObject *object)
{
  SatoriUpgrader *self = SATORI_UPGRADER (object);

  g_object_unref (self->local_key);
  g_ptr_array_unref (self->security_ids);
  g_ptr_array_unref (self->securities);
  g_ptr_array_unref (self->muxer_ids);
  g_ptr_array_unref (self->muxers);
  G_OBJECT_CLASS (satori_upgrader_parent_class)->finalize (object);
}

static void
satori_upgrader_class_init (SatoriUpgraderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_upgrader_finalize;
}

static void
satori_upgrader_init (SatoriUpgrader *self)
{
  self->security_ids = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  self->securities = g_ptr_array_new_with_free_func (g_object_unref);
  self->muxer_ids = g_ptr_array_new_null_terminated (2, g_free, TRUE);
  self->muxers = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * satori_upgrader_new:
 * @local_key: the host's identity key
 *
 * Returns: (transfer full): an upgrader with no protocols yet
 */
SatoriUpgrader *
satori_upgrader_new (SatoriPrivateKey *local_key)
{
  g_return_val_if_fail (local_key != NULL, NULL);

  SatoriUpgrader *self = g_object_new (SATORI_TYPE_UPGRADER, NULL);
  self->local_key = g_object_ref (local_key);
  return self;
}

/**
 * satori_upgrader_add_security:
 * @upgrader: a #SatoriUpgrader
 * @protocol_id: its protocol id, such as `/noise`
 * @security: the implementation
 *
 * Offers @security, after those added before.
 */
void
satori_upgrader_add_security (SatoriUpgrader *upgrader, const char *protocol_id,
                              SatoriSecurity *security)
{
  g_return_if_fail (SATORI_IS_UPGRADER (upgrader));
  g_return_if_fail (SATORI_IS_SECURITY (security));
  g_ptr_array_add (upgrader->security_ids, g_strdup (protocol_id));
  g_ptr_array_add (upgrader->securities, g_object_ref (security));
}

/**
 * satori_upgrader_add_muxer:
 * @upgrader: a #SatoriUpgrader
 * @protocol_id: its protocol id, such as `/yamux/1.0.0`
 * @muxer: the implementation
 *
 * Offers @muxer, after those added before.
 */
void
satori_upgrader_add_muxer (SatoriUpgrader *upgrader, const char *protocol_id, SatoriMuxer *muxer)
{
  g_return_if_fail (SATORI_IS_UPGRADER (upgrader));
  g_return_if_fail (SATORI_IS_MUXER (muxer));
  g_ptr_array_add (upgrader->muxer_ids, g_strdup (protocol_id));
  g_ptr_array_add (upgrader->muxers, g_object_ref (muxer));
}

/* The implementation offered under @protocol_id, or NULL. */
static gpointer
find_by_id (GPtrArray *ids, GPtrArray *impls, const char *protocol_id)
{
  for (guint i = 0; protocol_id != NULL && i < impls->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), protocol_id) == 0)
      return g_ptr_array_index (impls, i);
  return NULL;
}

typedef struct
{
  GIOStream *raw;
  SatoriMultiaddr *remote_address;
  SatoriDirection direction;
  SatoriPeerId *expected_peer;
  char *security_id;
  SatoriSecureConnection *secured;
  char *muxer_id;
} Upgrade;

static void
upgrade_free (Upgrade *upgrade)
{
  g_clear_object (&upgrade->raw);
  g_clear_pointer (&upgrade->remote_address, satori_multiaddr_unref);
  g_clear_pointer (&upgrade->expected_peer, satori_peer_id_unref);
  g_free (upgrade->security_id);
  g_clear_object (&upgrade->secured);
  g_free (upgrade->muxer_id);
  g_free (upgrade);
}

static gboolean
is_initiator (Upgrade *upgrade)
{
  return upgrade->direction == SATORI_DIRECTION_OUTBOUND;
}

/* Last step: the muxer is known. */
static void
finish_with_muxer (GTask *task)
{
  SatoriUpgrader *self = g_task_get_source_object (task);
  Upgrade *upgrade = g_task_get_task_data (task);
  SatoriMuxer *muxer = find_by_id (self->muxer_ids, self->muxers, upgrade->muxer_id);
  GError *error = NULL;

  if (muxer == NULL)
    {
      g_task_return_new_error (task, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED,
                               "the remote agreed muxer %s, which we do not have",
                               upgrade->muxer_id);
      g_object_unref (task);
      return;
    }
  g_autoptr(SatoriMuxedConnection) muxed =
    satori_muxer_create_connection (muxer, G_IO_STREAM (upgrade->secured), is_initiator (upgrade),
                                    &error);
  if (muxed == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  SatoriConnection *connection =
    satori_connection_new (muxed, satori_secure_connection_get_remote_peer (upgrade->secured),
                           upgrade->remote_address, upgrade->direction, upgrade->security_id,
                           upgrade->muxer_id);
  g_task_return_pointer (task, connection, g_object_unref);
  g_object_unref (task);
}

static void
on_muxer_negotiated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Upgrade *upgrade = g_task_get_task_data (task);
  GError *error = NULL;

  upgrade->muxer_id = is_initiator (upgrade)
    ? satori_multistream_select_finish (G_IO_STREAM (source), result, &error)
    : satori_multistream_handle_finish (G_IO_STREAM (source), result, &error);
  if (upgrade->muxer_id == NULL)
    {
      g_prefix_error (&error, "muxer negotiation: ");
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  finish_with_muxer (task);
}

static void
on_secured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SatoriUpgrader *self = g_task_get_source_object (task);
  Upgrade *upgrade = g_task_get_task_data (task);
  GError *error = NULL;

  upgrade->secured = satori_security_secure_finish (SATORI_SECURITY (source), result, &error);
  if (upgrade->secured == NULL)
    {
      /* A lazy proposal's refusal surfaces inside the handshake. */
      if (error->domain == SATORI_MULTISTREAM_ERROR)
        g_prefix_error (&error, "security negotiation: ");
      else
        g_prefix_error (&error, "%s handshake: ", upgrade->security_id);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  const char *early = satori_secure_connection_get_early_muxer (upgrade->secured);
  if (early != NULL)
    {
      upgrade->muxer_id = g_strdup (early);
      finish_with_muxer (task);
      return;
    }
  const char * const *ids = (const char * const *) self->muxer_ids->pdata;
  if (is_initiator (upgrade))
    satori_multistream_select_async (G_IO_STREAM (upgrade->secured), ids,
                                     g_task_get_cancellable (task), on_muxer_negotiated, task);
  else
    satori_multistream_handle_async (G_IO_STREAM (upgrade->secured), ids,
                                     g_task_get_cancellable (task), on_muxer_negotiated, task);
}

/* Runs the handshake of the security protocol agreed (or proposed). */
static void
secure (GTask *task, GIOStream *stream)
{
  SatoriUpgrader *self = g_task_get_source_object (task);
  Upgrade *upgrade = g_task_get_task_data (task);
  SatoriSecurity *security = find_by_id (self->security_ids, self->securities,
                                         upgrade->security_id);

  satori_security_secure_async (security, stream, is_initiator (upgrade), self->local_key,
                                upgrade->expected_peer,
                                (const char * const *) self->muxer_ids->pdata,
                                g_task_get_cancellable (task), on_secured, task);
}

static void
on_security_negotiated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Upgrade *upgrade = g_task_get_task_data (task);
  GError *error = NULL;

  upgrade->security_id = is_initiator (upgrade)
    ? satori_multistream_select_finish (upgrade->raw, result, &error)
    : satori_multistream_handle_finish (upgrade->raw, result, &error);
  if (upgrade->security_id == NULL)
    {
      g_prefix_error (&error, "security negotiation: ");
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  secure (task, upgrade->raw);
}

/* A connection of a secure, multiplexed transport needs no upgrade. */
static void
adopt_muxed (GTask *task, GObject *raw)
{
  Upgrade *upgrade = g_task_get_task_data (task);
  SatoriPeerId *peer = satori_secure_connection_get_remote_peer (SATORI_SECURE_CONNECTION (raw));

  if (upgrade->expected_peer != NULL && !satori_peer_id_equal (peer, upgrade->expected_peer))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "the remote is not the peer that was dialed");
      return;
    }
  g_task_return_pointer (task,
                         satori_connection_new (SATORI_MUXED_CONNECTION (raw), peer,
                                                upgrade->remote_address, upgrade->direction,
                                                NULL, NULL),
                         g_object_unref);
}

/**
 * satori_upgrader_upgrade_async:
 * @upgrader: a #SatoriUpgrader
 * @raw: what the transport gave: a #GIOStream, or a connection that is a
 *   #SatoriMuxedConnection and #SatoriSecureConnection already
 * @remote_address: (nullable): the remote's address
 * @direction: %SATORI_DIRECTION_OUTBOUND on the dialing side
 * @expected_peer: (nullable): the peer the dialer meant to reach
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the connection
 * @user_data: data for @callback
 *
 * Upgrades @raw. Fails with %SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED when
 * no security or muxer is shared, with the security's error when the
 * handshake fails (for example another peer than @expected_peer), and
 * with %G_IO_ERROR_NOT_SUPPORTED when nothing is configured.
 */
void
satori_upgrader_upgrade_async (SatoriUpgrader *upgrader, GObject *raw,
                               SatoriMultiaddr *remote_address, SatoriDirection direction,
                               SatoriPeerId *expected_peer, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_UPGRADER (upgrader));
  g_return_if_fail (G_IS_OBJECT (raw));

  GTask *task = g_task_new (upgrader, cancellable, callback, user_data);
  Upgrade *upgrade = g_new0 (Upgrade, 1);
  upgrade->remote_address = remote_address ? satori_multiaddr_ref (remote_address) : NULL;
  upgrade->direction = direction;
  upgrade->expected_peer = expected_peer ? satori_peer_id_ref (expected_peer) : NULL;
  g_task_set_source_tag (task, satori_upgrader_upgrade_async);
  g_task_set_task_data (task, upgrade, (GDestroyNotify) upgrade_free);

  if (SATORI_IS_MUXED_CONNECTION (raw) && SATORI_IS_SECURE_CONNECTION (raw))
    {
      adopt_muxed (task, raw);
      g_object_unref (task);
      return;
    }
  if (!G_IS_IO_STREAM (raw) || upgrader->securities->len == 0 || upgrader->muxers->len == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "cannot upgrade a %s without security and muxer protocols",
                               G_OBJECT_TYPE_NAME (raw));
      g_object_unref (task);
      return;
    }

  upgrade->raw = g_object_ref (G_IO_STREAM (raw));
  const char * const *ids = (const char * const *) upgrader->security_ids->pdata;
  if (is_initiator (upgrade) && upgrader->securities->len == 1)
    {
      /* The handshake's first message goes out with the proposal. */
      g_autoptr(GIOStream) lazy = satori_multistream_lazy_stream_new (upgrade->raw, ids[0]);
      upgrade->security_id = g_strdup (ids[0]);
      secure (task, lazy);
    }
  else if (is_initiator (upgrade))
    satori_multistream_select_async (upgrade->raw, ids, cancellable, on_security_negotiated, task);
  else
    satori_multistream_handle_async (upgrade->raw, ids, cancellable, on_security_negotiated, task);
}

/**
 * satori_upgrader_upgrade_finish:
 * @upgrader: a #SatoriUpgrader
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL on error
 */
SatoriConnection *
satori_upgrader_upgrade_finish (SatoriUpgrader *upgrader, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, upgrader), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
