/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-messenger.h"

#include "satori-peer-id.h"

G_DEFINE_QUARK (satori-messenger-error-quark, satori_messenger_error)

/**
 * SatoriMessenger:
 *
 * The contract of direct messages between peers. See
 * #SatoriMessengerInterface.
 *
 * Answering requests: connect to #SatoriMessenger::request-received and
 * return %TRUE from the handler when it takes the request; it then calls
 * satori_messenger_request_reply() (now, or later while holding a
 * reference). A request no handler takes is refused, so the asking peer
 * gets an error rather than a timeout.
 */
G_DEFINE_INTERFACE (SatoriMessenger, satori_messenger, G_TYPE_OBJECT)

static void
satori_messenger_default_init (SatoriMessengerInterface *iface)
{
  /**
   * SatoriMessenger::message-received:
   * @messenger: the messenger
   * @peer: the #SatoriPeerId that sent it
   * @message: the message, a JSON text (decrypted when it came encrypted)
   * @encrypted: whether it came encrypted end to end
   *
   * A peer sent a message that is neither a request nor an answer.
   */
  g_signal_new ("message-received", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                G_STRUCT_OFFSET (SatoriMessengerInterface, message_received), NULL, NULL,
                NULL, G_TYPE_NONE, 3, SATORI_TYPE_PEER_ID, G_TYPE_BYTES, G_TYPE_BOOLEAN);

  /**
   * SatoriMessenger::request-received:
   * @messenger: the messenger
   * @request: the #SatoriMessengerRequest
   *
   * A peer sent a request. The first handler that returns %TRUE owns the
   * answer: it calls satori_messenger_request_reply() or
   * satori_messenger_request_refuse(), at once or later.
   *
   * Returns: %TRUE if the handler answers the request
   */
  g_signal_new ("request-received", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                G_STRUCT_OFFSET (SatoriMessengerInterface, request_received),
                g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1,
                SATORI_TYPE_MESSENGER_REQUEST);
}

/**
 * satori_messenger_send_async:
 * @messenger: a #SatoriMessenger
 * @peer: the peer
 * @message: a JSON text
 * @flags: #SatoriMessengerFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the message was written or could not be
 * @user_data: data for @callback
 *
 * Sends @message to @peer, dialing it if needed.
 */
void
satori_messenger_send_async (SatoriMessenger *messenger, SatoriPeerId *peer, GBytes *message,
                             SatoriMessengerFlags flags, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_MESSENGER (messenger));
  g_return_if_fail (peer != NULL);
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_MESSENGER_GET_IFACE (messenger)->send_async (messenger, peer, message, flags,
                                                      cancellable, callback, user_data);
}

/**
 * satori_messenger_send_finish:
 * @messenger: a #SatoriMessenger
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the whole message was written
 */
gboolean
satori_messenger_send_finish (SatoriMessenger *messenger, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_MESSENGER (messenger), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_MESSENGER_GET_IFACE (messenger)->send_finish (messenger, result, error);
}

/**
 * satori_messenger_request_async:
 * @messenger: a #SatoriMessenger
 * @peer: the peer
 * @message: a JSON text
 * @flags: #SatoriMessengerFlags; an encrypted request gets an encrypted
 *   answer
 * @timeout_ms: how long to wait for the answer, in milliseconds
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer, or when there will be none
 * @user_data: data for @callback
 *
 * Sends @message to @peer as a request and waits for its answer.
 */
void
satori_messenger_request_async (SatoriMessenger *messenger, SatoriPeerId *peer,
                                GBytes *message, SatoriMessengerFlags flags, guint timeout_ms,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (SATORI_IS_MESSENGER (messenger));
  g_return_if_fail (peer != NULL);
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_MESSENGER_GET_IFACE (messenger)->request_async (messenger, peer, message, flags,
                                                         timeout_ms, cancellable, callback,
                                                         user_data);
}

/**
 * satori_messenger_request_finish:
 * @messenger: a #SatoriMessenger
 * @result: the #GAsyncResult
 * @error: return location for a #GError: %G_IO_ERROR_TIMED_OUT without an
 *   answer in time, %SATORI_MESSENGER_ERROR_REFUSED when the peer refused
 *
 * Returns: (transfer full): the answer, a JSON text
 */
GBytes *
satori_messenger_request_finish (SatoriMessenger *messenger, GAsyncResult *result,
                                 GError **error)
{
  g_return_val_if_fail (SATORI_IS_MESSENGER (messenger), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SATORI_MESSENGER_GET_IFACE (messenger)->request_finish (messenger, result, error);
}
