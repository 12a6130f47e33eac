/* satori-peers-messages.c — SatoriPeers' direct messages: JSON sent and
 * requested through the messenger the host serves for /satori/1.0.0 (the
 * satori plugin), found by its contract, not linked; sent reliably, kept
 * by the host's offline store (/satori/store/1.0.0) for a peer that
 * cannot be reached.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "satori-json.h"
#include "satori-peer-id.h"
#include "satori-peers.h"
#include "satori-peers-messages.h"

#define MESSAGES_PROTOCOL "/satori/1.0.0"
#define STORE_PROTOCOL "/satori/store/1.0.0"

/* The messenger the host serves for /satori/1.0.0, if any. */
SatoriMessenger *
satori_peers_messages_find_messenger (SatoriHost *host)
{
  SatoriProtocolHandler *handler = satori_host_get_handler (host, MESSAGES_PROTOCOL);

  return handler != NULL && SATORI_IS_MESSENGER (handler) ? SATORI_MESSENGER (handler) : NULL;
}

/* The host's messenger, or %NULL with @task failed. */
static SatoriMessenger *
messenger_of (SatoriPeers *peers, GTask *task)
{
  SatoriMessenger *messenger = satori_peers_messages_find_messenger (satori_peers_get_host (peers));

  if (messenger == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The satori plugin is not loaded"));
      return NULL;
    }
  return messenger;
}

static SatoriMessengerFlags
flags_of (gboolean encrypted)
{
  return encrypted ? SATORI_MESSENGER_FLAGS_ENCRYPTED : SATORI_MESSENGER_FLAGS_NONE;
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (satori_messenger_send_finish (SATORI_MESSENGER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * satori_peers_send_async:
 * @peers: a #SatoriPeers
 * @peer: the peer to send to
 * @message: the message, any JSON value
 * @encrypted: whether to encrypt it end to end for @peer's key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it was written
 * @user_data: data for @callback
 *
 * Sends @message to @peer on `/satori/1.0.0`, one stream for it, dialing
 * the peer if it has known addresses.
 */
void
satori_peers_send_async (SatoriPeers *peers, SatoriPeerId *peer, JsonNode *message,
                         gboolean encrypted, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (peer != NULL && message != NULL);

  g_autoptr(GTask) task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_send_async);
  SatoriMessenger *messenger = messenger_of (peers, task);
  if (messenger == NULL)
    return;
  g_autoptr(GBytes) bytes = satori_json_to_bytes (message);
  satori_messenger_send_async (messenger, peer, bytes, flags_of (encrypted), cancellable,
                               on_sent, g_steal_pointer (&task));
}

/**
 * satori_peers_send_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: %G_IO_ERROR_NOT_SUPPORTED without the satori plugin, or why the
 *   message could not be sent (#SATORI_MESSENGER_ERROR among others)
 *
 * Returns: whether the message was sent
 */
gboolean
satori_peers_send_finish (SatoriPeers *peers, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * satori_peers_get_offline_store:
 * @peers: a #SatoriPeers
 * @error: return location for a #GError: %G_IO_ERROR_NOT_SUPPORTED when
 *   the host serves no offline store
 *
 * Returns: (transfer none) (nullable): the offline store the host serves
 *   for `/satori/store/1.0.0` (the satori plugin's `satori-store`)
 */
SatoriOfflineStore *
satori_peers_get_offline_store (SatoriPeers *peers, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);

  SatoriProtocolHandler *handler = satori_host_get_handler (satori_peers_get_host (peers),
                                                            STORE_PROTOCOL);
  if (handler == NULL || !SATORI_IS_OFFLINE_STORE (handler))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The offline store (satori-store of the satori plugin) is not "
                             "loaded"));
      return NULL;
    }
  return SATORI_OFFLINE_STORE (handler);
}

typedef struct
{
  SatoriPeerId *peer;
  GBytes *message;
  SatoriMessengerFlags flags;
  SatoriPeersDelivery delivery;
  guint replicas;
} Reliable;

static void
reliable_free (Reliable *reliable)
{
  satori_peer_id_unref (reliable->peer);
  g_bytes_unref (reliable->message);
  g_free (reliable);
}

/* Whether @error says that the peer could not be reached, rather than
 * that the message or the call was wrong: only then storing helps. */
static gboolean
is_unreachable (const GError *error)
{
  return error->domain != SATORI_MESSENGER_ERROR &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Reliable *reliable = g_task_get_task_data (task);
  GError *error = NULL;

  if (!satori_offline_store_store_for_peer_finish (SATORI_OFFLINE_STORE (source), result,
                                                   &reliable->replicas, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  reliable->delivery = SATORI_PEERS_DELIVERY_STORED;
  g_task_return_boolean (task, TRUE);
}

static void
on_reliable_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriPeers *peers = g_task_get_source_object (task);
  Reliable *reliable = g_task_get_task_data (task);
  GError *error = NULL;

  if (satori_messenger_send_finish (SATORI_MESSENGER (source), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  SatoriOfflineStore *store = is_unreachable (error)
    ? satori_peers_get_offline_store (peers, NULL) : NULL;
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_autofree char *text = satori_peer_id_to_string (reliable->peer);
  g_message (_("%s cannot be reached (%s): the message is stored for it"), text,
             error->message);
  g_error_free (error);
  /* Read from the task before the call steals it: argument order is unspecified. */
  GCancellable *cancellable = g_task_get_cancellable (task);
  satori_offline_store_store_for_peer_async (store, reliable->peer, reliable->message, NULL,
                                             reliable->flags, cancellable, on_stored,
                                             g_steal_pointer (&task));
}

/**
 * satori_peers_send_reliable_async:
 * @peers: a #SatoriPeers
 * @peer: the peer to send to
 * @message: the message, any JSON value
 * @encrypted: whether to encrypt it end to end for @peer's key (also
 *   while it is stored: holders never see it in clear)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when it was written or stored
 * @user_data: data for @callback
 *
 * As satori_peers_send_async(), but when @peer cannot be reached (no
 * address, the dial fails or times out, the connection breaks) the
 * message goes to the host's offline store (Python's `send(…,
 * reliable=True)`): kept here and at the store's relays, announced in the
 * DHT, and delivered when @peer connects to a holder or asks for it. The
 * result says which happened.
 */
void
satori_peers_send_reliable_async (SatoriPeers *peers, SatoriPeerId *peer, JsonNode *message,
                                  gboolean encrypted, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (peer != NULL && message != NULL);

  g_autoptr(GTask) task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_send_reliable_async);
  SatoriMessenger *messenger = messenger_of (peers, task);
  if (messenger == NULL)
    return;
  Reliable *reliable = g_new0 (Reliable, 1);
  reliable->peer = satori_peer_id_ref (peer);
  reliable->message = satori_json_to_bytes (message);
  reliable->flags = flags_of (encrypted);
  reliable->delivery = SATORI_PEERS_DELIVERY_SENT;
  g_task_set_task_data (task, reliable, (GDestroyNotify) reliable_free);
  satori_messenger_send_async (messenger, peer, reliable->message, reliable->flags, cancellable,
                               on_reliable_sent, g_steal_pointer (&task));
}

/**
 * satori_peers_send_reliable_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @delivery: (out) (optional): whether the message was sent or stored
 * @replicas: (out) (optional): when stored, how many relays took a copy
 *   besides this host (0: it waits here, so this host must be up when the
 *   peer comes)
 * @error: %G_IO_ERROR_NOT_SUPPORTED without the satori plugin; when the
 *   peer could not be reached, the store's error, or the send's when
 *   there is no store; otherwise why the message could not be sent
 *
 * Returns: whether the message was sent or stored
 */
gboolean
satori_peers_send_reliable_finish (SatoriPeers *peers, GAsyncResult *result,
                                   SatoriPeersDelivery *delivery, guint *replicas,
                                   GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), FALSE);
  Reliable *reliable = g_task_get_task_data (G_TASK (result));

  if (delivery != NULL)
    *delivery = reliable != NULL ? reliable->delivery : SATORI_PEERS_DELIVERY_SENT;
  if (replicas != NULL)
    *replicas = reliable != NULL ? reliable->replicas : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) answer = satori_messenger_request_finish (SATORI_MESSENGER (source), result,
                                                              &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  gsize len;
  const guint8 *data = g_bytes_get_data (answer, &len);
  JsonNode *node = satori_json_parse (data, len, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/**
 * satori_peers_request_async:
 * @peers: a #SatoriPeers
 * @peer: the peer to ask
 * @message: the request, any JSON value
 * @encrypted: whether to encrypt it (and expect the answer encrypted)
 * @timeout_ms: how long to wait for the answer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Sends @message to @peer as a request on `/satori/1.0.0` and waits for
 * its answer (a new stream from @peer that names the request).
 */
void
satori_peers_request_async (SatoriPeers *peers, SatoriPeerId *peer, JsonNode *message,
                            gboolean encrypted, guint timeout_ms, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (peer != NULL && message != NULL);

  g_autoptr(GTask) task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_request_async);
  SatoriMessenger *messenger = messenger_of (peers, task);
  if (messenger == NULL)
    return;
  g_autoptr(GBytes) bytes = satori_json_to_bytes (message);
  satori_messenger_request_async (messenger, peer, bytes, flags_of (encrypted), timeout_ms,
                                  cancellable, on_answered, g_steal_pointer (&task));
}

/**
 * satori_peers_request_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: %G_IO_ERROR_NOT_SUPPORTED without the satori plugin,
 *   %G_IO_ERROR_TIMED_OUT when no answer came in time,
 *   %SATORI_MESSENGER_ERROR_REFUSED when the peer refused, or why the
 *   request failed
 *
 * Returns: (transfer full): the answer
 */
JsonNode *
satori_peers_request_finish (SatoriPeers *peers, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
