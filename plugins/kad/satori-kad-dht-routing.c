/* satori-kad-dht-routing.c — the DHT's operations: peer and content
 * routing, values, public keys, and the SatoriDiscovery interface
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-kad-dht-private.h"

#include <glib/gi18n-lib.h>

/* Starts a task; %NULL with the task already failed when the DHT is not
 * attached. */
static SatoriKadSession *
begin (SatoriKadDht *self, GTask *task)
{
  GError *error = NULL;
  SatoriKadSession *session = _satori_kad_dht_get_session (self, &error);

  if (session == NULL)
    g_task_return_error (task, error);
  return session;
}

static GPtrArray *
peer_infos (SatoriKadDht *self, GPtrArray *peers)
{
  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_info_unref);

  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      SatoriPeerInfo *info = _satori_kad_dht_learn_peer (self, g_ptr_array_index (peers, i));
      if (info != NULL)
        g_ptr_array_add (infos, info);
    }
  return infos;
}

static void
return_not_found (GTask *task, const char *what)
{
  g_task_return_new_error (task, SATORI_KAD_ERROR, SATORI_KAD_ERROR_NOT_FOUND,
                           _("The DHT lookup found no %s"), what);
}

/* --- find_peer --- */

static void
complete_find_peer (SatoriKadDht *self, GTask *task, SatoriKadEvent *event)
{
  SatoriPeerInfo *info = event->peer ? _satori_kad_dht_learn_peer (self, event->peer) : NULL;

  if (info == NULL)
    return_not_found (task, _("such peer"));
  else
    g_task_return_pointer (task, info, (GDestroyNotify) satori_peer_info_unref);
}

/**
 * satori_kad_dht_find_peer_async:
 * @dht: a #SatoriKadDht attached to a host
 * @peer: the peer to look for
 * @cancellable: (nullable): a #GCancellable; the lookup itself runs on
 * @callback: called with the result
 * @user_data: its data
 *
 * Looks up @peer's addresses (FIND_NODE), unless it is connected: then
 * the peerstore's are returned. Addresses found go to the peerstore.
 */
void
satori_kad_dht_find_peer_async (SatoriKadDht *dht, SatoriPeerId *peer,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_return_if_fail (peer != NULL);
  GTask *task = g_task_new (dht, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_kad_dht_find_peer_async);
  SatoriKadSession *session = begin (dht, task);
  if (session == NULL)
    {
      g_object_unref (task);
      return;
    }
  SatoriHost *host = _satori_kad_dht_get_host (dht);
  if (satori_host_get_connection (host, peer) != NULL)
    {
      /* Connected: what we know is what a lookup would tell (go-libp2p too). */
      g_autoptr(GPtrArray) addresses = satori_peerstore_get_addresses (
        satori_host_get_peerstore (host), peer);
      g_task_return_pointer (task, satori_peer_info_new (peer, addresses),
                             (GDestroyNotify) satori_peer_info_unref);
      g_object_unref (task);
      return;
    }
  GBytes *id = satori_peer_id_get_bytes (peer);
  _satori_kad_dht_start_op (dht, task, satori_kad_session_find_node (session, id,
                                                                     g_get_real_time ()),
                            complete_find_peer, NULL, NULL);
}

/**
 * satori_kad_dht_find_peer_finish:
 * @dht: a #SatoriKadDht
 * @result: the result passed to the callback
 * @error: %SATORI_KAD_ERROR_NOT_FOUND when no answer named the peer
 *
 * Returns: (transfer full) (nullable): the peer and its addresses
 */
SatoriPeerInfo *
satori_kad_dht_find_peer_finish (SatoriKadDht *dht, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, dht), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- get_closest_peers --- */

static void
complete_closest (SatoriKadDht *self, GTask *task, SatoriKadEvent *event)
{
  g_task_return_pointer (task, peer_infos (self, event->peers),
                         (GDestroyNotify) g_ptr_array_unref);
}

/**
 * satori_kad_dht_get_closest_peers_async:
 * @dht: a #SatoriKadDht attached to a host
 * @key: any key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: its data
 *
 * Looks for the k peers closest to @key that answer.
 */
void
satori_kad_dht_get_closest_peers_async (SatoriKadDht *dht, GBytes *key,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_return_if_fail (key != NULL);
  GTask *task = g_task_new (dht, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_kad_dht_get_closest_peers_async);
  SatoriKadSession *session = begin (dht, task);
  if (session == NULL)
    {
      g_object_unref (task);
      return;
    }
  _satori_kad_dht_start_op (dht, task, satori_kad_session_find_node (session, key,
                                                                     g_get_real_time ()),
                            complete_closest, NULL, NULL);
}

/**
 * satori_kad_dht_get_closest_peers_finish:
 * @dht: a #SatoriKadDht
 * @result: the result passed to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo): the peers,
 *   closest first (possibly none)
 */
GPtrArray *
satori_kad_dht_get_closest_peers_finish (SatoriKadDht *dht, GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, dht), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- values --- */

static void
complete_get_value (SatoriKadDht *self, GTask *task, SatoriKadEvent *event)
{
  if (event->value == NULL)
    return_not_found (task, _("value"));
  else
    g_task_return_pointer (task, g_bytes_ref (event->value), (GDestroyNotify) g_bytes_unref);
}

/* satori_kad_dht_get_value_async(), with @found given each better value
 * as it arrives. */
void
_satori_kad_dht_search_value_async (SatoriKadDht *dht, GBytes *key, SatoriKadDhtFound found,
                                    gpointer found_data, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (dht, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_kad_dht_get_value_async);
  SatoriKadSession *session = begin (dht, task);
  if (session == NULL)
    {
      g_object_unref (task);
      return;
    }
  _satori_kad_dht_start_op (dht, task, satori_kad_session_get_value (session, key,
                                                                     g_get_real_time ()),
                            complete_get_value, found, found_data);
}

/**
 * satori_kad_dht_get_value_async:
 * @dht: a #SatoriKadDht attached to a host
 * @key: the record's key, such as `/pk/<binary peer id>`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: its data
 *
 * Looks for the best valid record of @key (by its namespace's selector).
 */
void
satori_kad_dht_get_value_async (SatoriKadDht *dht, GBytes *key, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_return_if_fail (key != NULL);
  _satori_kad_dht_search_value_async (dht, key, NULL, NULL, cancellable, callback, user_data);
}

/**
 * satori_kad_dht_get_value_finish:
 * @dht: a #SatoriKadDht
 * @result: the result passed to the callback
 * @error: %SATORI_KAD_ERROR_NOT_FOUND when no valid record was found
 *
 * Returns: (transfer full) (nullable): the value
 */
GBytes *
satori_kad_dht_get_value_finish (SatoriKadDht *dht, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, dht), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
complete_count (SatoriKadDht *self, GTask *task, SatoriKadEvent *event)
{
  g_task_return_int (task, event->n_succeeded);
}

/* Put and provide: the operation @id started on @session (or refused with
 * @error, taken) completes @task with how many peers took it. */
static void
start_count_op (SatoriKadDht *dht, GTask *task, SatoriKadSession *session, guint64 id,
                GError *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  if (session == NULL || error != NULL)
    {
      g_object_unref (task);
      return;
    }
  _satori_kad_dht_start_op (dht, task, id, complete_count, NULL, NULL);
}

static guint
propagate_count (GTask *task, GError **error)
{
  gssize n = g_task_propagate_int (task, error);
  return n < 0 ? 0 : (guint) n;
}

/**
 * satori_kad_dht_put_value_async:
 * @dht: a #SatoriKadDht attached to a host
 * @key: the record's key
 * @value: its value, valid for the key's namespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the closest peers were asked to store it
 * @user_data: its data
 *
 * Stores the record locally and at the k closest peers.
 */
void
satori_kad_dht_put_value_async (SatoriKadDht *dht, GBytes *key, GBytes *value,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  GError *error = NULL;

  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_return_if_fail (key != NULL && value != NULL);
  GTask *task = g_task_new (dht, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_kad_dht_put_value_async);
  SatoriKadSession *session = begin (dht, task);
  guint64 id = session ? satori_kad_session_put_value (session, key, value, g_get_real_time (),
                                                       &error)
                       : 0;
  start_count_op (dht, task, session, id, error);
}

/**
 * satori_kad_dht_put_value_finish:
 * @dht: a #SatoriKadDht
 * @result: the result passed to the callback
 * @error: %SATORI_KAD_ERROR_INVALID_RECORD or %SATORI_KAD_ERROR_NO_VALIDATOR
 *   for a record refused locally
 *
 * Returns: how many peers stored the record
 */
guint
satori_kad_dht_put_value_finish (SatoriKadDht *dht, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, dht), 0);
  return propagate_count (G_TASK (result), error);
}

/* --- providers --- */

/**
 * satori_kad_dht_provide_async:
 * @dht: a #SatoriKadDht attached to a host
 * @key: a multihash (a CID's), or a `/`-prefixed UTF-8 key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the closest peers were told
 * @user_data: its data
 *
 * Announces that this host provides @key, and again every
 * #SatoriKadDht:provider-republish seconds.
 */
void
satori_kad_dht_provide_async (SatoriKadDht *dht, GBytes *key, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  GError *error = NULL;

  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_return_if_fail (key != NULL);
  GTask *task = g_task_new (dht, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_kad_dht_provide_async);
  SatoriKadSession *session = begin (dht, task);
  guint64 id = session ? satori_kad_session_provide (session, key, g_get_real_time (), &error)
                       : 0;
  start_count_op (dht, task, session, id, error);
}

/**
 * satori_kad_dht_provide_finish:
 * @dht: a #SatoriKadDht
 * @result: the result passed to the callback
 * @error: %SATORI_KAD_ERROR_BAD_REQUEST for a key that is not one
 *
 * Returns: how many peers were sent the announcement
 */
guint
satori_kad_dht_provide_finish (SatoriKadDht *dht, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, dht), 0);
  return propagate_count (G_TASK (result), error);
}

/* satori_kad_dht_find_providers_async() for up to @limit providers (0:
 * the session's maximum), each given to @found as it is found. */
void
_satori_kad_dht_search_providers_async (SatoriKadDht *dht, GBytes *key, guint limit,
                                        SatoriKadDhtFound found, gpointer found_data,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (dht, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_kad_dht_find_providers_async);
  SatoriKadSession *session = begin (dht, task);
  if (session == NULL)
    {
      g_object_unref (task);
      return;
    }
  _satori_kad_dht_start_op (dht, task, satori_kad_session_get_providers (session, key, limit,
                                                                         g_get_real_time ()),
                            complete_closest, found, found_data);
}

/**
 * satori_kad_dht_find_providers_async:
 * @dht: a #SatoriKadDht attached to a host
 * @key: the provider key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: its data
 *
 * Looks for the peers that provide @key.
 */
void
satori_kad_dht_find_providers_async (SatoriKadDht *dht, GBytes *key, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_return_if_fail (key != NULL);
  _satori_kad_dht_search_providers_async (dht, key, 0, NULL, NULL, cancellable, callback,
                                          user_data);
}

/**
 * satori_kad_dht_find_providers_finish:
 * @dht: a #SatoriKadDht
 * @result: the result passed to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo): the providers
 *   (possibly none)
 */
GPtrArray *
satori_kad_dht_find_providers_finish (SatoriKadDht *dht, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, dht), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- public keys --- */

static void
complete_public_key (SatoriKadDht *self, GTask *task, SatoriKadEvent *event)
{
  SatoriPeerId *peer = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize len;

  if (event->value == NULL)
    {
      return_not_found (task, _("public key"));
      return;
    }
  const guint8 *data = g_bytes_get_data (event->value, &len);
  g_autoptr(SatoriPublicKey) key = satori_public_key_new_from_protobuf (data, len, &error);
  if (key == NULL || !satori_peer_id_matches_public_key (peer, key))
    {
      g_task_return_new_error (task, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD,
                               _("The public key found is not the peer’s"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&key), g_object_unref);
}

/**
 * satori_kad_dht_get_public_key_async:
 * @dht: a #SatoriKadDht attached to a host
 * @peer: the peer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: its data
 *
 * Finds @peer's public key: from the peerstore, from the peer id itself
 * (inlined keys), or from the `/pk/` record in the DHT.
 */
void
satori_kad_dht_get_public_key_async (SatoriKadDht *dht, SatoriPeerId *peer,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_return_if_fail (peer != NULL);
  GTask *task = g_task_new (dht, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_kad_dht_get_public_key_async);
  g_task_set_task_data (task, satori_peer_id_ref (peer), (GDestroyNotify) satori_peer_id_unref);
  SatoriKadSession *session = begin (dht, task);
  if (session == NULL)
    {
      g_object_unref (task);
      return;
    }
  SatoriHost *host = _satori_kad_dht_get_host (dht);
  SatoriPublicKey *known = satori_peerstore_get_public_key (satori_host_get_peerstore (host),
                                                            peer);
  g_autoptr(SatoriPublicKey) inlined = satori_peer_id_extract_public_key (peer);
  if (known != NULL || inlined != NULL)
    {
      g_task_return_pointer (task, g_object_ref (known ? known : inlined), g_object_unref);
      g_object_unref (task);
      return;
    }
  GBytes *id = satori_peer_id_get_bytes (peer);
  gsize len;
  const guint8 *data = g_bytes_get_data (id, &len);
  GByteArray *key = g_byte_array_new ();
  g_byte_array_append (key, (const guint8 *) "/pk/", 4);
  g_byte_array_append (key, data, len);
  g_autoptr(GBytes) pk_key = g_byte_array_free_to_bytes (key);
  _satori_kad_dht_start_op (dht, task, satori_kad_session_get_value (session, pk_key,
                                                                     g_get_real_time ()),
                            complete_public_key, NULL, NULL);
}

/**
 * satori_kad_dht_get_public_key_finish:
 * @dht: a #SatoriKadDht
 * @result: the result passed to the callback
 * @error: %SATORI_KAD_ERROR_NOT_FOUND, or %SATORI_KAD_ERROR_INVALID_RECORD
 *   for a key that is not the peer's
 *
 * Returns: (transfer full) (nullable): the key
 */
SatoriPublicKey *
satori_kad_dht_get_public_key_finish (SatoriKadDht *dht, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, dht), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- SatoriDiscovery --- */

static void
discovery_start_async (SatoriDiscovery *discovery, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriKadDht *self = SATORI_KAD_DHT (discovery);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, discovery_start_async);
  SatoriKadSession *session = begin (self, task);

  if (session == NULL)
    return;
  /* A lookup of our own id fills the table; it runs in the background. */
  satori_kad_session_bootstrap (session, g_get_real_time ());
  _satori_kad_dht_drive (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
discovery_start_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
discovery_stop (SatoriDiscovery *discovery)
{
  _satori_kad_dht_fail_ops (SATORI_KAD_DHT (discovery), G_IO_ERROR, G_IO_ERROR_CANCELLED,
                            _("The DHT was stopped"));
}

static void
on_peers_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  guint limit = GPOINTER_TO_UINT (g_task_get_task_data (task));
  GError *error = NULL;

  GPtrArray *peers = g_task_propagate_pointer (G_TASK (result), &error);
  if (peers == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (limit > 0 && peers->len > limit)
    g_ptr_array_set_size (peers, limit);
  for (guint i = 0; i < peers->len; i++)
    g_signal_emit_by_name (source, "peer-discovered", g_ptr_array_index (peers, i));
  g_task_return_pointer (task, peers, (GDestroyNotify) g_ptr_array_unref);
}

/* A namespace is a provider key, as the raw bytes of its name (the
 * Python Satori nodes' `/satori/sub/<id>`); no namespace: the peers
 * closest to us. */
static void
discovery_find_peers_async (SatoriDiscovery *discovery, const char *namespace_, guint limit,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  SatoriKadDht *self = SATORI_KAD_DHT (discovery);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, discovery_find_peers_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (limit), NULL);
  if (namespace_ == NULL)
    {
      SatoriHost *host = _satori_kad_dht_get_host (self);
      g_autoptr(GBytes) id = host ? g_bytes_ref (satori_peer_id_get_bytes (
                                      satori_host_get_peer_id (host)))
                                  : g_bytes_new (NULL, 0);
      satori_kad_dht_get_closest_peers_async (self, id, cancellable, on_peers_found, task);
      return;
    }
  g_autoptr(GBytes) key = g_bytes_new (namespace_, strlen (namespace_));
  satori_kad_dht_find_providers_async (self, key, cancellable, on_peers_found, task);
}

static GPtrArray *
discovery_find_peers_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_provided (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriKadDht *self = SATORI_KAD_DHT (source);
  GError *error = NULL;

  satori_kad_dht_provide_finish (self, result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, _satori_kad_dht_get_provider_ttl (self));
}

/* Provider records live #SatoriKadDht:provider-ttl, whatever was asked,
 * and are republished while the host runs. */
static void
discovery_advertise_async (SatoriDiscovery *discovery, const char *namespace_,
                           guint ttl_seconds, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriKadDht *self = SATORI_KAD_DHT (discovery);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) key = g_bytes_new (namespace_, strlen (namespace_));

  g_task_set_source_tag (task, discovery_advertise_async);
  satori_kad_dht_provide_async (self, key, cancellable, on_provided, task);
}

static guint
discovery_advertise_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), 0);
  gssize ttl = g_task_propagate_int (G_TASK (result), error);
  return ttl < 0 ? 0 : (guint) ttl;
}

/* The key is no longer re-provided; the records peers hold run out. */
static void
discovery_withdraw_async (SatoriDiscovery *discovery, const char *namespace_,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  SatoriKadDht *self = SATORI_KAD_DHT (discovery);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) key = g_bytes_new (namespace_, strlen (namespace_));

  g_task_set_source_tag (task, discovery_withdraw_async);
  SatoriKadSession *session = begin (self, task);
  if (session == NULL)
    return;
  satori_kad_session_unprovide (session, key);
  g_task_return_boolean (task, TRUE);
}

static gboolean
discovery_withdraw_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_satori_kad_dht_discovery_iface_init (SatoriDiscoveryInterface *iface)
{
  iface->start_async = discovery_start_async;
  iface->start_finish = discovery_start_finish;
  iface->stop = discovery_stop;
  iface->find_peers_async = discovery_find_peers_async;
  iface->find_peers_finish = discovery_find_peers_finish;
  iface->advertise_async = discovery_advertise_async;
  iface->advertise_finish = discovery_advertise_finish;
  iface->withdraw_async = discovery_withdraw_async;
  iface->withdraw_finish = discovery_withdraw_finish;
}
