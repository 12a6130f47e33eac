/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-backoff.h"

struct _SatoriGossipsubBackoff
{
  GHashTable *topics;   /* topic -> (peer GBytes -> gint64* until) */
};

/**
 * satori_gossipsub_backoff_new:
 *
 * Returns: (transfer full): an empty table
 */
SatoriGossipsubBackoff *
satori_gossipsub_backoff_new (void)
{
  SatoriGossipsubBackoff *backoff = g_new0 (SatoriGossipsubBackoff, 1);
  backoff->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_hash_table_unref);
  return backoff;
}

/**
 * satori_gossipsub_backoff_free:
 * @backoff: (transfer full) (nullable): a table
 */
void
satori_gossipsub_backoff_free (SatoriGossipsubBackoff *backoff)
{
  if (backoff == NULL)
    return;
  g_hash_table_unref (backoff->topics);
  g_free (backoff);
}

/**
 * satori_gossipsub_backoff_set:
 * @backoff: a table
 * @topic: a topic
 * @peer: a peer
 * @until_us: no GRAFT between us and @peer in @topic before this time; an
 *   earlier time than one already set does not shorten it
 */
void
satori_gossipsub_backoff_set (SatoriGossipsubBackoff *backoff, const char *topic, GBytes *peer,
                              gint64 until_us)
{
  GHashTable *peers = g_hash_table_lookup (backoff->topics, topic);
  if (peers == NULL)
    {
      peers = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                     (GDestroyNotify) g_bytes_unref, g_free);
      g_hash_table_insert (backoff->topics, g_strdup (topic), peers);
    }
  gint64 *until = g_hash_table_lookup (peers, peer);
  if (until == NULL)
    g_hash_table_insert (peers, g_bytes_ref (peer), g_memdup2 (&until_us, sizeof until_us));
  else
    *until = MAX (*until, until_us);
}

/**
 * satori_gossipsub_backoff_until:
 * @backoff: a table
 * @topic: a topic
 * @peer: a peer
 *
 * Returns: the end of the backoff, or 0 when there is none
 */
gint64
satori_gossipsub_backoff_until (SatoriGossipsubBackoff *backoff, const char *topic, GBytes *peer)
{
  GHashTable *peers = g_hash_table_lookup (backoff->topics, topic);
  gint64 *until = peers != NULL ? g_hash_table_lookup (peers, peer) : NULL;
  return until != NULL ? *until : 0;
}

/**
 * satori_gossipsub_backoff_active:
 * @backoff: a table
 * @topic: a topic
 * @peer: a peer
 * @now_us: the time now
 *
 * Returns: whether a GRAFT between us and @peer in @topic must wait
 */
gboolean
satori_gossipsub_backoff_active (SatoriGossipsubBackoff *backoff, const char *topic,
                                 GBytes *peer, gint64 now_us)
{
  return satori_gossipsub_backoff_until (backoff, topic, peer) > now_us;
}

/**
 * satori_gossipsub_backoff_expire:
 * @backoff: a table
 * @now_us: the time now
 *
 * Forgets the backoffs that ended.
 */
void
satori_gossipsub_backoff_expire (SatoriGossipsubBackoff *backoff, gint64 now_us)
{
  GHashTableIter topics;
  GHashTable *peers;

  g_hash_table_iter_init (&topics, backoff->topics);
  while (g_hash_table_iter_next (&topics, NULL, (gpointer *) &peers))
    {
      GHashTableIter iter;
      gint64 *until;
      g_hash_table_iter_init (&iter, peers);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &until))
        if (*until <= now_us)
          g_hash_table_iter_remove (&iter);
      if (g_hash_table_size (peers) == 0)
        g_hash_table_iter_remove (&topics);
    }
}

/**
 * satori_gossipsub_backoff_size:
 * @backoff: a table
 *
 * Returns: the number of (topic, peer) backoffs held
 */
guint
satori_gossipsub_backoff_size (SatoriGossipsubBackoff *backoff)
{
  GHashTableIter topics;
  GHashTable *peers;
  guint size = 0;

  g_hash_table_iter_init (&topics, backoff->topics);
  while (g_hash_table_iter_next (&topics, NULL, (gpointer *) &peers))
    size += g_hash_table_size (peers);
  return size;
}
