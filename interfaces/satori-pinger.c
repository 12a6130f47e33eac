/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pinger.h"

/**
 * SatoriPinger:
 *
 * The contract of a ping protocol handler. See #SatoriPingerInterface.
 */
G_DEFINE_INTERFACE (SatoriPinger, satori_pinger, G_TYPE_OBJECT)

static void
satori_pinger_default_init (SatoriPingerInterface *iface)
{
}

/**
 * satori_pinger_ping_async:
 * @pinger: a #SatoriPinger
 * @peer: the peer to ping
 * @count: how many round trips to measure, at least 1
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every echo came back or one failed
 * @user_data: data for @callback
 *
 * Measures @count round trips to @peer, one after the other.
 */
void
satori_pinger_ping_async (SatoriPinger *pinger, SatoriPeerId *peer, guint count,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PINGER (pinger));
  g_return_if_fail (peer != NULL);
  g_return_if_fail (count > 0);
  SATORI_PINGER_GET_IFACE (pinger)->ping_async (pinger, peer, count, cancellable, callback,
                                                user_data);
}

/**
 * satori_pinger_ping_finish:
 * @pinger: a #SatoriPinger
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type gint64): the round trip times in
 *   microseconds, one per ping, or %NULL if a ping failed
 */
GArray *
satori_pinger_ping_finish (SatoriPinger *pinger, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PINGER (pinger), NULL);
  return SATORI_PINGER_GET_IFACE (pinger)->ping_finish (pinger, result, error);
}
