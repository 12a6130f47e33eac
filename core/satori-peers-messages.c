/* satori-peers-messages.c — SatoriPeers' direct messages: JSON sent and
 * requested through the messenger the host serves for /satori/1.0.0 (the
 * satori plugin), found by its contract, not linked.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "satori-json.h"
#include "satori-messenger.h"
#include "satori-peers.h"

#define MESSAGES_PROTOCOL "/satori/1.0.0"

/* The host's messenger, or %NULL with @task failed. */
static SatoriMessenger *
messenger_of (SatoriPeers *peers, GTask *task)
{
  SatoriProtocolHandler *handler = satori_host_get_handler (satori_peers_get_host (peers),
                                                            MESSAGES_PROTOCOL);
  if (handler == NULL || !SATORI_IS_MESSENGER (handler))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The satori plugin is not loaded"));
      return NULL;
    }
  return SATORI_MESSENGER (handler);
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
