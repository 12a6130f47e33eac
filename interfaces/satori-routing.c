/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-routing.h"

#include <glib/gi18n-lib.h>

/**
 * SatoriRouting:
 *
 * The contract of peer and content routing. See #SatoriRoutingInterface.
 */
G_DEFINE_INTERFACE (SatoriRouting, satori_routing, G_TYPE_OBJECT)

static void
satori_routing_default_init (SatoriRoutingInterface *iface)
{
}

/* A vfunc left %NULL: the call fails, tagged with the wrapper @tag so that
 * its _finish knows the result is not the implementation's. */
static void
report_unsupported (SatoriRouting *routing, GAsyncReadyCallback callback, gpointer user_data,
                    gpointer tag, const char *operation)
{
  g_task_report_new_error (routing, callback, user_data, tag, G_IO_ERROR,
                           G_IO_ERROR_NOT_SUPPORTED, _("%s cannot %s"),
                           G_OBJECT_TYPE_NAME (routing), operation);
}

/**
 * satori_routing_find_peer_async:
 * @routing: a #SatoriRouting
 * @peer: the peer to look for
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks up the addresses of @peer.
 */
void
satori_routing_find_peer_async (SatoriRouting *routing, SatoriPeerId *peer,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (SATORI_IS_ROUTING (routing));
  g_return_if_fail (peer != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SatoriRoutingInterface *iface = SATORI_ROUTING_GET_IFACE (routing);
  if (iface->find_peer_async == NULL)
    report_unsupported (routing, callback, user_data, satori_routing_find_peer_async,
                        _("find peers"));
  else
    iface->find_peer_async (routing, peer, cancellable, callback, user_data);
}

/**
 * satori_routing_find_peer_finish:
 * @routing: a #SatoriRouting
 * @result: the #GAsyncResult
 * @error: return location for a #GError; %G_IO_ERROR_NOT_FOUND, or the
 *   implementation's own not-found error, when no one knew the peer
 *
 * Returns: (transfer full) (nullable): the peer and its addresses, or
 *   %NULL on error
 */
SatoriPeerInfo *
satori_routing_find_peer_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_ROUTING (routing), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  if (g_async_result_is_tagged (result, satori_routing_find_peer_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return SATORI_ROUTING_GET_IFACE (routing)->find_peer_finish (routing, result, error);
}

/**
 * satori_routing_get_closest_peers_async:
 * @routing: a #SatoriRouting
 * @key: any key (a peer id, a record key)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks for the peers closest to @key that answer.
 */
void
satori_routing_get_closest_peers_async (SatoriRouting *routing, GBytes *key,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (SATORI_IS_ROUTING (routing));
  g_return_if_fail (key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SatoriRoutingInterface *iface = SATORI_ROUTING_GET_IFACE (routing);
  if (iface->get_closest_peers_async == NULL)
    report_unsupported (routing, callback, user_data, satori_routing_get_closest_peers_async,
                        _("find the closest peers"));
  else
    iface->get_closest_peers_async (routing, key, cancellable, callback, user_data);
}

/**
 * satori_routing_get_closest_peers_finish:
 * @routing: a #SatoriRouting
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo) (nullable): the
 *   peers, closest first (possibly none), or %NULL on error
 */
GPtrArray *
satori_routing_get_closest_peers_finish (SatoriRouting *routing, GAsyncResult *result,
                                         GError **error)
{
  g_return_val_if_fail (SATORI_IS_ROUTING (routing), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  if (g_async_result_is_tagged (result, satori_routing_get_closest_peers_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return SATORI_ROUTING_GET_IFACE (routing)->get_closest_peers_finish (routing, result, error);
}

/**
 * satori_routing_get_value_async:
 * @routing: a #SatoriRouting
 * @key: the record's key, such as `/pk/<binary peer id>`
 * @found: (nullable) (closure found_data): called with each better value
 *   found, the best last, until @callback runs
 * @found_data: data for @found; it must live until @callback runs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks for the best valid record of @key. Implementations that only
 * learn the best value once the lookup ends report just that one to
 * @found.
 */
void
satori_routing_get_value_async (SatoriRouting *routing, GBytes *key, SatoriRoutingValueFunc found,
                                gpointer found_data, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_ROUTING (routing));
  g_return_if_fail (key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SatoriRoutingInterface *iface = SATORI_ROUTING_GET_IFACE (routing);
  if (iface->get_value_async == NULL)
    report_unsupported (routing, callback, user_data, satori_routing_get_value_async,
                        _("get values"));
  else
    iface->get_value_async (routing, key, found, found_data, cancellable, callback, user_data);
}

/**
 * satori_routing_get_value_finish:
 * @routing: a #SatoriRouting
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the best value, or %NULL on error
 *   (none found is an error)
 */
GBytes *
satori_routing_get_value_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_ROUTING (routing), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  if (g_async_result_is_tagged (result, satori_routing_get_value_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return SATORI_ROUTING_GET_IFACE (routing)->get_value_finish (routing, result, error);
}

/**
 * satori_routing_put_value_async:
 * @routing: a #SatoriRouting
 * @key: the record's key
 * @value: its value, valid for the key's namespace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the record went out
 * @user_data: data for @callback
 *
 * Stores the record locally and at the peers responsible for @key.
 */
void
satori_routing_put_value_async (SatoriRouting *routing, GBytes *key, GBytes *value,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  g_return_if_fail (SATORI_IS_ROUTING (routing));
  g_return_if_fail (key != NULL && value != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SatoriRoutingInterface *iface = SATORI_ROUTING_GET_IFACE (routing);
  if (iface->put_value_async == NULL)
    report_unsupported (routing, callback, user_data, satori_routing_put_value_async,
                        _("store values"));
  else
    iface->put_value_async (routing, key, value, cancellable, callback, user_data);
}

/**
 * satori_routing_put_value_finish:
 * @routing: a #SatoriRouting
 * @result: the #GAsyncResult
 * @error: return location for a #GError, set for a record refused
 *
 * Returns: how many peers took the record (0 on error, or when it is
 *   only kept locally)
 */
guint
satori_routing_put_value_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_ROUTING (routing), 0);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), 0);
  if (g_async_result_is_tagged (result, satori_routing_put_value_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return SATORI_ROUTING_GET_IFACE (routing)->put_value_finish (routing, result, error);
}

/**
 * satori_routing_provide_async:
 * @routing: a #SatoriRouting
 * @key: a multihash (a CID's), or a `/`-prefixed UTF-8 key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the announcement went out
 * @user_data: data for @callback
 *
 * Announces that this host provides @key (and keeps announcing it while
 * it runs, if the implementation republishes).
 */
void
satori_routing_provide_async (SatoriRouting *routing, GBytes *key, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_ROUTING (routing));
  g_return_if_fail (key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SatoriRoutingInterface *iface = SATORI_ROUTING_GET_IFACE (routing);
  if (iface->provide_async == NULL)
    report_unsupported (routing, callback, user_data, satori_routing_provide_async,
                        _("announce providers"));
  else
    iface->provide_async (routing, key, cancellable, callback, user_data);
}

/**
 * satori_routing_provide_finish:
 * @routing: a #SatoriRouting
 * @result: the #GAsyncResult
 * @error: return location for a #GError, set for a key that is not one
 *
 * Returns: how many peers were told (0 on error, or when no peer is known)
 */
guint
satori_routing_provide_finish (SatoriRouting *routing, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_ROUTING (routing), 0);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), 0);
  if (g_async_result_is_tagged (result, satori_routing_provide_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return SATORI_ROUTING_GET_IFACE (routing)->provide_finish (routing, result, error);
}

/**
 * satori_routing_find_providers_async:
 * @routing: a #SatoriRouting
 * @key: the provider key
 * @limit: the most providers wanted; 0 for the implementation's default
 * @found: (nullable) (closure found_data): called with each provider as it
 *   is found, until @callback runs
 * @found_data: data for @found; it must live until @callback runs
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks for the peers that provide @key.
 */
void
satori_routing_find_providers_async (SatoriRouting *routing, GBytes *key, guint limit,
                                     SatoriRoutingPeerFunc found, gpointer found_data,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (SATORI_IS_ROUTING (routing));
  g_return_if_fail (key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SatoriRoutingInterface *iface = SATORI_ROUTING_GET_IFACE (routing);
  if (iface->find_providers_async == NULL)
    report_unsupported (routing, callback, user_data, satori_routing_find_providers_async,
                        _("find providers"));
  else
    iface->find_providers_async (routing, key, limit, found, found_data, cancellable, callback,
                                 user_data);
}

/**
 * satori_routing_find_providers_finish:
 * @routing: a #SatoriRouting
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo) (nullable): the
 *   providers, the ones given to the #SatoriRoutingPeerFunc (possibly
 *   none), or %NULL on error
 */
GPtrArray *
satori_routing_find_providers_finish (SatoriRouting *routing, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (SATORI_IS_ROUTING (routing), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  if (g_async_result_is_tagged (result, satori_routing_find_providers_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return SATORI_ROUTING_GET_IFACE (routing)->find_providers_finish (routing, result, error);
}

/**
 * satori_routing_get_public_key_async:
 * @routing: a #SatoriRouting
 * @peer: the peer
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Finds the public key of @peer (the peerstore's, the one inlined in its
 * id, or the network's `/pk/` record), checked against @peer.
 */
void
satori_routing_get_public_key_async (SatoriRouting *routing, SatoriPeerId *peer,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (SATORI_IS_ROUTING (routing));
  g_return_if_fail (peer != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SatoriRoutingInterface *iface = SATORI_ROUTING_GET_IFACE (routing);
  if (iface->get_public_key_async == NULL)
    report_unsupported (routing, callback, user_data, satori_routing_get_public_key_async,
                        _("find public keys"));
  else
    iface->get_public_key_async (routing, peer, cancellable, callback, user_data);
}

/**
 * satori_routing_get_public_key_finish:
 * @routing: a #SatoriRouting
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the key, or %NULL on error
 */
SatoriPublicKey *
satori_routing_get_public_key_finish (SatoriRouting *routing, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (SATORI_IS_ROUTING (routing), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  if (g_async_result_is_tagged (result, satori_routing_get_public_key_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return SATORI_ROUTING_GET_IFACE (routing)->get_public_key_finish (routing, result, error);
}
