/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-discovery.h"

#include "satori-peer-info.h"

/**
 * SatoriDiscovery:
 *
 * The contract of a discovery plugin. See #SatoriDiscoveryInterface.
 */
G_DEFINE_INTERFACE (SatoriDiscovery, satori_discovery, G_TYPE_OBJECT)

static void
satori_discovery_default_advertise_async (SatoriDiscovery *discovery, const char *namespace_,
                                          guint ttl_seconds, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_task_report_new_error (discovery, callback, user_data,
                           satori_discovery_default_advertise_async,
                           G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "%s cannot advertise", G_OBJECT_TYPE_NAME (discovery));
}

static guint
satori_discovery_default_advertise_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                           GError **error)
{
  gssize ttl = g_task_propagate_int (G_TASK (result), error);
  return ttl < 0 ? 0 : (guint) ttl;
}

/* What a discovery that cannot take an announcement back does: nothing,
 * successfully (mDNS answers stop with the host; bootstrap announces
 * nothing). */
static void
satori_discovery_default_withdraw_async (SatoriDiscovery *discovery, const char *namespace_,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (discovery, cancellable, callback, user_data);

  g_task_set_source_tag (task, satori_discovery_default_withdraw_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
satori_discovery_default_withdraw_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                          GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, discovery), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
satori_discovery_default_init (SatoriDiscoveryInterface *iface)
{
  iface->advertise_async = satori_discovery_default_advertise_async;
  iface->advertise_finish = satori_discovery_default_advertise_finish;
  iface->withdraw_async = satori_discovery_default_withdraw_async;
  iface->withdraw_finish = satori_discovery_default_withdraw_finish;

  /**
   * SatoriDiscovery::peer-discovered:
   * @discovery: the discovery
   * @peer: the #SatoriPeerInfo found
   *
   * A peer and its addresses were found.
   */
  g_signal_new ("peer-discovered", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, SATORI_TYPE_PEER_INFO);
}

/**
 * satori_discovery_start_async:
 * @discovery: a #SatoriDiscovery
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when started
 * @user_data: data for @callback
 *
 * Starts discovering.
 */
void
satori_discovery_start_async (SatoriDiscovery *discovery, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_DISCOVERY (discovery));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_DISCOVERY_GET_IFACE (discovery)->start_async (discovery, cancellable, callback, user_data);
}

/**
 * satori_discovery_start_finish:
 * @discovery: a #SatoriDiscovery
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when started
 */
gboolean
satori_discovery_start_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_DISCOVERY (discovery), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_DISCOVERY_GET_IFACE (discovery)->start_finish (discovery, result, error);
}

/**
 * satori_discovery_stop:
 * @discovery: a #SatoriDiscovery
 *
 * Stops discovering. Idempotent.
 */
void
satori_discovery_stop (SatoriDiscovery *discovery)
{
  g_return_if_fail (SATORI_IS_DISCOVERY (discovery));
  SATORI_DISCOVERY_GET_IFACE (discovery)->stop (discovery);
}

/**
 * satori_discovery_find_peers_async:
 * @discovery: a #SatoriDiscovery
 * @namespace_: (nullable): a namespace such as `satori/pub/<stream>`, or
 *   %NULL for any peers
 * @limit: the most peers wanted; 0 for no limit
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the peers
 * @user_data: data for @callback
 *
 * Looks for peers.
 */
void
satori_discovery_find_peers_async (SatoriDiscovery *discovery, const char *namespace_,
                                   guint limit, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_DISCOVERY (discovery));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_DISCOVERY_GET_IFACE (discovery)->find_peers_async (discovery, namespace_, limit,
                                                            cancellable, callback, user_data);
}

/**
 * satori_discovery_find_peers_finish:
 * @discovery: a #SatoriDiscovery
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type SatoriPeerInfo) (nullable):
 *   the peers found (possibly none), or %NULL on error
 */
GPtrArray *
satori_discovery_find_peers_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                    GError **error)
{
  g_return_val_if_fail (SATORI_IS_DISCOVERY (discovery), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SATORI_DISCOVERY_GET_IFACE (discovery)->find_peers_finish (discovery, result, error);
}

/**
 * satori_discovery_advertise_async:
 * @discovery: a #SatoriDiscovery
 * @namespace_: the namespace to be found under
 * @ttl_seconds: how long the advertisement should last; 0 for the default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when advertised
 * @user_data: data for @callback
 *
 * Announces this host under @namespace_. Discoveries that only listen
 * (bootstrap) fail with %G_IO_ERROR_NOT_SUPPORTED.
 */
void
satori_discovery_advertise_async (SatoriDiscovery *discovery, const char *namespace_,
                                  guint ttl_seconds, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_DISCOVERY (discovery));
  g_return_if_fail (namespace_ != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_DISCOVERY_GET_IFACE (discovery)->advertise_async (discovery, namespace_, ttl_seconds,
                                                           cancellable, callback, user_data);
}

/**
 * satori_discovery_advertise_finish:
 * @discovery: a #SatoriDiscovery
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: the time-to-live granted in seconds, or 0 on error
 */
guint
satori_discovery_advertise_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                   GError **error)
{
  g_return_val_if_fail (SATORI_IS_DISCOVERY (discovery), 0);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), 0);
  return SATORI_DISCOVERY_GET_IFACE (discovery)->advertise_finish (discovery, result, error);
}

/**
 * satori_discovery_withdraw_async:
 * @discovery: a #SatoriDiscovery
 * @namespace_: a namespace this host was advertised under
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when withdrawn
 * @user_data: data for @callback
 *
 * Stops announcing this host under @namespace_: the discovery no longer
 * renews that advertisement, and takes back what it can (a rendezvous
 * client unregisters at its points). What cannot be taken back runs out
 * at its TTL (a DHT provider record others hold). Discoveries that cannot
 * withdraw anything succeed without doing anything; withdrawing what was
 * never advertised is not an error. (Appended in plugin ABI 1.1.)
 */
void
satori_discovery_withdraw_async (SatoriDiscovery *discovery, const char *namespace_,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  g_return_if_fail (SATORI_IS_DISCOVERY (discovery));
  g_return_if_fail (namespace_ != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  SATORI_DISCOVERY_GET_IFACE (discovery)->withdraw_async (discovery, namespace_, cancellable,
                                                          callback, user_data);
}

/**
 * satori_discovery_withdraw_finish:
 * @discovery: a #SatoriDiscovery
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the advertisement is withdrawn (or there was
 *   nothing to withdraw); %FALSE with @error when it could not be taken
 *   back (it then runs out at its TTL)
 */
gboolean
satori_discovery_withdraw_finish (SatoriDiscovery *discovery, GAsyncResult *result,
                                  GError **error)
{
  g_return_val_if_fail (SATORI_IS_DISCOVERY (discovery), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SATORI_DISCOVERY_GET_IFACE (discovery)->withdraw_finish (discovery, result, error);
}
