/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-promises.h"

struct _SatoriGossipsubPromises
{
  GHashTable *ids;   /* id -> (peer -> gint64* expires) */
};

/**
 * satori_gossipsub_promises_new:
 *
 * Returns: (transfer full): no promises
 */
SatoriGossipsubPromises *
satori_gossipsub_promises_new (void)
{
  SatoriGossipsubPromises *promises = g_new0 (SatoriGossipsubPromises, 1);
  promises->ids = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                         (GDestroyNotify) g_bytes_unref,
                                         (GDestroyNotify) g_hash_table_unref);
  return promises;
}

/**
 * satori_gossipsub_promises_free:
 * @promises: (transfer full) (nullable): promises
 */
void
satori_gossipsub_promises_free (SatoriGossipsubPromises *promises)
{
  if (promises == NULL)
    return;
  g_hash_table_unref (promises->ids);
  g_free (promises);
}

/**
 * satori_gossipsub_promises_add:
 * @promises: promises
 * @peer: the peer we asked
 * @id: the message it must deliver
 * @expires_us: by when
 */
void
satori_gossipsub_promises_add (SatoriGossipsubPromises *promises, GBytes *peer, GBytes *id,
                               gint64 expires_us)
{
  GHashTable *peers = g_hash_table_lookup (promises->ids, id);
  if (peers == NULL)
    {
      peers = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                     (GDestroyNotify) g_bytes_unref, g_free);
      g_hash_table_insert (promises->ids, g_bytes_ref (id), peers);
    }
  if (!g_hash_table_contains (peers, peer))
    g_hash_table_insert (peers, g_bytes_ref (peer), g_memdup2 (&expires_us, sizeof expires_us));
}

/**
 * satori_gossipsub_promises_fulfil:
 * @promises: promises
 * @id: a message that arrived (from anyone): its promises are kept
 */
void
satori_gossipsub_promises_fulfil (SatoriGossipsubPromises *promises, GBytes *id)
{
  g_hash_table_remove (promises->ids, id);
}

/**
 * satori_gossipsub_promises_take_broken:
 * @promises: promises
 * @now_us: the time now
 *
 * Removes the promises whose time is up.
 *
 * Returns: (transfer full) (element-type GBytes guint): peer → number of
 *   promises it broke
 */
GHashTable *
satori_gossipsub_promises_take_broken (SatoriGossipsubPromises *promises, gint64 now_us)
{
  GHashTable *broken = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                              (GDestroyNotify) g_bytes_unref, NULL);
  GHashTableIter ids;
  GHashTable *peers;

  g_hash_table_iter_init (&ids, promises->ids);
  while (g_hash_table_iter_next (&ids, NULL, (gpointer *) &peers))
    {
      GHashTableIter iter;
      GBytes *peer;
      gint64 *expires;
      g_hash_table_iter_init (&iter, peers);
      while (g_hash_table_iter_next (&iter, (gpointer *) &peer, (gpointer *) &expires))
        if (*expires <= now_us)
          {
            guint count = GPOINTER_TO_UINT (g_hash_table_lookup (broken, peer));
            g_hash_table_replace (broken, g_bytes_ref (peer), GUINT_TO_POINTER (count + 1));
            g_hash_table_iter_remove (&iter);
          }
      if (g_hash_table_size (peers) == 0)
        g_hash_table_iter_remove (&ids);
    }
  return broken;
}

/**
 * satori_gossipsub_promises_size:
 * @promises: promises
 *
 * Returns: the number of message ids with open promises
 */
guint
satori_gossipsub_promises_size (SatoriGossipsubPromises *promises)
{
  return g_hash_table_size (promises->ids);
}
