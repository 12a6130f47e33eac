/* satori-offline-store.h — the offline-store contract: hold messages for
 * peers that cannot be reached, and get those held for us
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-messenger.h"
#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_OFFLINE_STORE (satori_offline_store_get_type ())
G_DECLARE_INTERFACE (SatoriOfflineStore, satori_offline_store, SATORI, OFFLINE_STORE, GObject)

/**
 * SatoriOfflineStoreInterface:
 * @g_iface: the parent interface
 * @store_for_peer_async: keeps a direct message for a peer that cannot be
 *   reached, replicates it to relays and delivers it when the peer comes
 * @store_for_peer_finish: whether it is kept, and how many relays took a
 *   copy
 * @retrieve_async: asks the holders of our messages for them
 * @retrieve_finish: how many new messages came
 * @add_relay: adds a peer that holds copies of the messages we store
 * @count_pending: how many messages are held here for a peer
 * @message_delivered: class closure of
 *   #SatoriOfflineStore::message-delivered
 *
 * Messages for offline peers: the Satori `/satori/store/1.0.0` protocol
 * (the `satori` plugin's `satori-store` feature). A message is what the
 * direct-message protocol would have carried (see #SatoriMessenger).
 * Implemented by a protocol handler, so that other code finds it among
 * the host's handlers without linking the plugin.
 */
struct _SatoriOfflineStoreInterface
{
  GTypeInterface g_iface;

  void     (*store_for_peer_async)  (SatoriOfflineStore    *store,
                                     SatoriPeerId          *target,
                                     GBytes                *message,
                                     const char            *stream_id,
                                     SatoriMessengerFlags   flags,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data);
  gboolean (*store_for_peer_finish) (SatoriOfflineStore    *store,
                                     GAsyncResult          *result,
                                     guint                 *replicas,
                                     GError               **error);
  void     (*retrieve_async)        (SatoriOfflineStore    *store,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data);
  guint    (*retrieve_finish)       (SatoriOfflineStore    *store,
                                     GAsyncResult          *result,
                                     GError               **error);
  void     (*add_relay)             (SatoriOfflineStore    *store,
                                     SatoriPeerId          *relay);
  guint    (*count_pending)         (SatoriOfflineStore    *store,
                                     SatoriPeerId          *target);

  /* signals */
  void     (*message_delivered)     (SatoriOfflineStore    *store,
                                     SatoriPeerId          *source,
                                     const char            *message_id,
                                     const char            *stream_id,
                                     GBytes                *message);
};

void     satori_offline_store_store_for_peer_async (SatoriOfflineStore   *store,
                                                    SatoriPeerId         *target,
                                                    GBytes               *message,
                                                    const char           *stream_id,
                                                    SatoriMessengerFlags  flags,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean satori_offline_store_store_for_peer_finish (SatoriOfflineStore  *store,
                                                     GAsyncResult        *result,
                                                     guint               *replicas,
                                                     GError             **error);
void     satori_offline_store_retrieve_async (SatoriOfflineStore  *store,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
guint    satori_offline_store_retrieve_finish (SatoriOfflineStore  *store,
                                               GAsyncResult        *result,
                                               GError             **error);
void     satori_offline_store_add_relay (SatoriOfflineStore *store,
                                         SatoriPeerId       *relay);
guint    satori_offline_store_count_pending (SatoriOfflineStore *store,
                                             SatoriPeerId       *target);

G_END_DECLS
