/* satori-autonat-throttle.c — how many dial-back requests the AutoNAT
 * server serves, per peer and in all, per period (pure: no clock)
 *
 * Fixed periods, as go-libp2p's server: the counts start again from zero
 * when a period ends. The table holds at most `global` peers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-autonat-throttle.h"

struct _SatoriAutonatThrottle
{
  guint per_peer;
  guint global;
  gint64 period_us;
  gint64 period_end_us;
  guint served;
  GHashTable *counts;   /* SatoriPeerId → count, as GUINT_TO_POINTER */
};

/**
 * satori_autonat_throttle_new:
 * @per_peer: requests one peer may make per period
 * @global: requests served per period, all peers together
 * @period_us: the period's length
 *
 * Returns: (transfer full): a throttle that has served nothing yet
 */
SatoriAutonatThrottle *
satori_autonat_throttle_new (guint per_peer, guint global, gint64 period_us)
{
  g_return_val_if_fail (period_us > 0, NULL);

  SatoriAutonatThrottle *throttle = g_new0 (SatoriAutonatThrottle, 1);
  throttle->per_peer = per_peer;
  throttle->global = global;
  throttle->period_us = period_us;
  throttle->period_end_us = G_MININT64;
  throttle->counts = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                            (GDestroyNotify) satori_peer_id_unref, NULL);
  return throttle;
}

/**
 * satori_autonat_throttle_free:
 * @throttle: (transfer full): a throttle
 */
void
satori_autonat_throttle_free (SatoriAutonatThrottle *throttle)
{
  if (throttle == NULL)
    return;
  g_hash_table_unref (throttle->counts);
  g_free (throttle);
}

/**
 * satori_autonat_throttle_admit:
 * @throttle: a throttle
 * @peer: the requester
 * @now_us: the time now
 *
 * Counts one request of @peer when both limits allow it.
 *
 * Returns: whether to serve the request (else answer E_DIAL_REFUSED)
 */
gboolean
satori_autonat_throttle_admit (SatoriAutonatThrottle *throttle, SatoriPeerId *peer,
                               gint64 now_us)
{
  g_return_val_if_fail (throttle != NULL && peer != NULL, FALSE);

  if (now_us >= throttle->period_end_us)
    {
      g_hash_table_remove_all (throttle->counts);
      throttle->served = 0;
      throttle->period_end_us = now_us + throttle->period_us;
    }
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (throttle->counts, peer));
  if (throttle->served >= throttle->global || count >= throttle->per_peer)
    return FALSE;
  throttle->served++;
  g_hash_table_replace (throttle->counts, satori_peer_id_ref (peer),
                        GUINT_TO_POINTER (count + 1));
  return TRUE;
}
