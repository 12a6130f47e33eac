/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-gossipsub-mcache.h"

typedef struct {
  GBytes *id;
  char *topic;
  GBytes *message;
  GHashTable *sent_to;   /* peer -> times sent through IWANT */
} Entry;

/* windows[0] is the newest; each window lists the entries put during one
 * heartbeat. */
struct _SatoriGossipsubMcache
{
  guint history_gossip;
  GHashTable *entries;   /* id -> Entry */
  GPtrArray *windows;    /* of GPtrArray of Entry* (not owned) */
};

static void
entry_free (gpointer data)
{
  Entry *entry = data;
  g_bytes_unref (entry->id);
  g_free (entry->topic);
  g_bytes_unref (entry->message);
  g_clear_pointer (&entry->sent_to, g_hash_table_unref);
  g_free (entry);
}

/**
 * satori_gossipsub_mcache_new:
 * @history_length: windows kept (messages live this many heartbeats)
 * @history_gossip: the newest windows that IHAVE advertises
 *
 * Returns: (transfer full): an empty cache
 */
SatoriGossipsubMcache *
satori_gossipsub_mcache_new (guint history_length, guint history_gossip)
{
  SatoriGossipsubMcache *cache = g_new0 (SatoriGossipsubMcache, 1);

  g_return_val_if_fail (history_length >= 1 && history_gossip <= history_length, NULL);
  cache->history_gossip = history_gossip;
  cache->entries = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, NULL, entry_free);
  cache->windows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < history_length; i++)
    g_ptr_array_add (cache->windows, g_ptr_array_new ());
  return cache;
}

/**
 * satori_gossipsub_mcache_free:
 * @cache: (transfer full) (nullable): a cache
 */
void
satori_gossipsub_mcache_free (SatoriGossipsubMcache *cache)
{
  if (cache == NULL)
    return;
  g_ptr_array_unref (cache->windows);
  g_hash_table_unref (cache->entries);
  g_free (cache);
}

/**
 * satori_gossipsub_mcache_put:
 * @cache: a cache
 * @id: the message id
 * @topic: its topic
 * @message: the encoded Message
 *
 * Adds a message to the newest window (once: a known id is left alone).
 */
void
satori_gossipsub_mcache_put (SatoriGossipsubMcache *cache, GBytes *id, const char *topic,
                             GBytes *message)
{
  if (g_hash_table_contains (cache->entries, id))
    return;
  Entry *entry = g_new0 (Entry, 1);
  entry->id = g_bytes_ref (id);
  entry->topic = g_strdup (topic);
  entry->message = g_bytes_ref (message);
  g_hash_table_insert (cache->entries, entry->id, entry);
  g_ptr_array_add (g_ptr_array_index (cache->windows, 0), entry);
}

/**
 * satori_gossipsub_mcache_get:
 * @cache: a cache
 * @id: a message id
 *
 * Returns: (transfer none) (nullable): the encoded message
 */
GBytes *
satori_gossipsub_mcache_get (SatoriGossipsubMcache *cache, GBytes *id)
{
  Entry *entry = g_hash_table_lookup (cache->entries, id);
  return entry != NULL ? entry->message : NULL;
}

/**
 * satori_gossipsub_mcache_get_for_peer:
 * @cache: a cache
 * @id: a message id a peer asked for
 * @peer: the peer
 * @count: (out): how many times it was asked for by @peer, this time included
 *
 * Returns: (transfer none) (nullable): the encoded message
 */
GBytes *
satori_gossipsub_mcache_get_for_peer (SatoriGossipsubMcache *cache, GBytes *id, GBytes *peer,
                                      guint *count)
{
  Entry *entry = g_hash_table_lookup (cache->entries, id);

  *count = 0;
  if (entry == NULL)
    return NULL;
  if (entry->sent_to == NULL)
    entry->sent_to = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                            (GDestroyNotify) g_bytes_unref, NULL);
  *count = GPOINTER_TO_UINT (g_hash_table_lookup (entry->sent_to, peer)) + 1;
  g_hash_table_replace (entry->sent_to, g_bytes_ref (peer), GUINT_TO_POINTER (*count));
  return entry->message;
}

/**
 * satori_gossipsub_mcache_gossip_ids:
 * @cache: a cache
 * @topic: a topic
 *
 * Returns: (transfer container) (element-type GBytes): the ids of @topic's
 *   messages in the gossip windows (references owned by the cache)
 */
GPtrArray *
satori_gossipsub_mcache_gossip_ids (SatoriGossipsubMcache *cache, const char *topic)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint w = 0; w < cache->history_gossip; w++)
    {
      GPtrArray *window = g_ptr_array_index (cache->windows, w);
      for (guint i = 0; i < window->len; i++)
        {
          Entry *entry = g_ptr_array_index (window, i);
          if (g_str_equal (entry->topic, topic))
            g_ptr_array_add (ids, entry->id);
        }
    }
  return ids;
}

/**
 * satori_gossipsub_mcache_shift:
 * @cache: a cache
 *
 * Starts a new window and forgets the messages of the oldest one.
 */
void
satori_gossipsub_mcache_shift (SatoriGossipsubMcache *cache)
{
  GPtrArray *oldest = g_ptr_array_steal_index (cache->windows, cache->windows->len - 1);

  for (guint i = 0; i < oldest->len; i++)
    g_hash_table_remove (cache->entries, ((Entry *) g_ptr_array_index (oldest, i))->id);
  g_ptr_array_set_size (oldest, 0);
  g_ptr_array_insert (cache->windows, 0, oldest);
}

/**
 * satori_gossipsub_mcache_size:
 * @cache: a cache
 *
 * Returns: the number of messages held
 */
guint
satori_gossipsub_mcache_size (SatoriGossipsubMcache *cache)
{
  return g_hash_table_size (cache->entries);
}
