/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-offline-store.h"

#include "satori-peer-id.h"

/**
 * SatoriOfflineStore:
 *
 * The contract of an offline message store. See
 * #SatoriOfflineStoreInterface.
 *
 * A sender stores a message for a peer it cannot reach; the store keeps
 * it, gives copies to relays, and delivers it when the peer connects
 * (push) or asks (satori_offline_store_retrieve_async()). On the
 * receiving side each held message comes out once, by its message id, as
 * #SatoriOfflineStore::message-delivered, however many holders had it.
 */
G_DEFINE_INTERFACE (SatoriOfflineStore, satori_offline_store, G_TYPE_OBJECT)

static void
satori_offline_store_default_init (SatoriOfflineStoreInterface *iface)
{
  /**
   * SatoriOfflineStore::message-delivered:
   * @store: the store
   * @source: the #SatoriPeerId that sent the message, as its holder says
   *   (an encrypted message proves it when it decrypts)
   * @message_id: the sender's id of the message
   * @stream_id: (nullable): the Satori stream it belongs to
   * @message: the message as the direct-message protocol carries it (an
   *   encrypted one still encrypted)
   *
   * A message held for us reached us, pushed by a holder or fetched from
   * one: once per @message_id, two messages with the same content but
   * different ids are two messages. The host's #SatoriMessenger then
   * announces it as it announces a live one, from @source.
   */
  g_signal_new ("message-delivered", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                G_STRUCT_OFFSET (SatoriOfflineStoreInterface, message_delivered), NULL, NULL,
                NULL, G_TYPE_NONE, 4, SATORI_TYPE_PEER_ID, G_TYPE_STRING, G_TYPE_STRING,
                G_TYPE_BYTES);
}

/**
 * satori_offline_store_store_for_peer_async:
 * @store: a #SatoriOfflineStore
 * @target: the peer the message is for
 * @message: the message, a JSON text, as it would go to @target directly
 * @stream_id: (nullable): the Satori stream it belongs to
 * @flags: %SATORI_MESSENGER_FLAGS_ENCRYPTED to keep it encrypted end to
 *   end for @target (holders never see it in clear)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once it is kept and the relays answered
 * @user_data: data for @callback
 *
 * Keeps @message for @target until it is delivered or expires.
 */
void
satori_offline_store_store_for_peer_async (SatoriOfflineStore *store, SatoriPeerId *target,
                                           GBytes *message, const char *stream_id,
                                           SatoriMessengerFlags flags, GCancellable *cancellable,
                                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_OFFLINE_STORE (store));
  g_return_if_fail (target != NULL);
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_OFFLINE_STORE_GET_IFACE (store)->store_for_peer_async (store, target, message,
                                                                stream_id, flags, cancellable,
                                                                callback, user_data);
}

/**
 * satori_offline_store_store_for_peer_finish:
 * @store: a #SatoriOfflineStore
 * @result: the #GAsyncResult
 * @replicas: (out) (optional): how many relays acknowledged a copy
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the message is kept (durably) by this store
 */
gboolean
satori_offline_store_store_for_peer_finish (SatoriOfflineStore *store, GAsyncResult *result,
                                            guint *replicas, GError **error)
{
  g_return_val_if_fail (SATORI_IS_OFFLINE_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_OFFLINE_STORE_GET_IFACE (store)->store_for_peer_finish (store, result, replicas,
                                                                        error);
}

/**
 * satori_offline_store_retrieve_async:
 * @store: a #SatoriOfflineStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every holder answered or gave up
 * @user_data: data for @callback
 *
 * Asks the holders of our messages for them; each new one comes out as
 * #SatoriOfflineStore::message-delivered before @callback runs.
 */
void
satori_offline_store_retrieve_async (SatoriOfflineStore *store, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_OFFLINE_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_OFFLINE_STORE_GET_IFACE (store)->retrieve_async (store, cancellable, callback,
                                                          user_data);
}

/**
 * satori_offline_store_retrieve_finish:
 * @store: a #SatoriOfflineStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: how many messages not seen before were retrieved
 */
guint
satori_offline_store_retrieve_finish (SatoriOfflineStore *store, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (SATORI_IS_OFFLINE_STORE (store), 0);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), 0);
  return SATORI_OFFLINE_STORE_GET_IFACE (store)->retrieve_finish (store, result, error);
}

/**
 * satori_offline_store_add_relay:
 * @store: a #SatoriOfflineStore
 * @relay: a peer that offers to hold messages for others
 *
 * Makes @relay one of the peers that get a copy of the messages stored
 * from now on.
 */
void
satori_offline_store_add_relay (SatoriOfflineStore *store, SatoriPeerId *relay)
{
  g_return_if_fail (SATORI_IS_OFFLINE_STORE (store));
  g_return_if_fail (relay != NULL);
  SATORI_OFFLINE_STORE_GET_IFACE (store)->add_relay (store, relay);
}

/**
 * satori_offline_store_count_pending:
 * @store: a #SatoriOfflineStore
 * @target: (nullable): a peer, or %NULL for all
 *
 * Returns: how many messages this store holds for @target
 */
guint
satori_offline_store_count_pending (SatoriOfflineStore *store, SatoriPeerId *target)
{
  g_return_val_if_fail (SATORI_IS_OFFLINE_STORE (store), 0);
  return SATORI_OFFLINE_STORE_GET_IFACE (store)->count_pending (store, target);
}
