/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-pubsub-seen-cache.h"

typedef struct {
  GBytes *id;
  gint64 expires_us;
} Entry;

/* Ids in first-seen order, so that expiring is popping from the head. */
struct _SatoriPubsubSeenCache
{
  gint64 ttl_us;
  GHashTable *ids;   /* GBytes id -> Entry (owned by the queue) */
  GQueue order;
};

/**
 * satori_pubsub_seen_cache_new:
 * @ttl_us: how long an id is remembered after it was first seen
 *
 * Returns: (transfer full): an empty cache
 */
SatoriPubsubSeenCache *
satori_pubsub_seen_cache_new (gint64 ttl_us)
{
  SatoriPubsubSeenCache *cache = g_new0 (SatoriPubsubSeenCache, 1);
  cache->ttl_us = ttl_us;
  cache->ids = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  g_queue_init (&cache->order);
  return cache;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;
  g_bytes_unref (entry->id);
  g_free (entry);
}

/**
 * satori_pubsub_seen_cache_free:
 * @cache: (transfer full) (nullable): a cache
 */
void
satori_pubsub_seen_cache_free (SatoriPubsubSeenCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_destroy (cache->ids);
  g_queue_clear_full (&cache->order, entry_free);
  g_free (cache);
}

/**
 * satori_pubsub_seen_cache_expire:
 * @cache: a cache
 * @now_us: the time now
 *
 * Forgets the ids whose time is up.
 */
void
satori_pubsub_seen_cache_expire (SatoriPubsubSeenCache *cache, gint64 now_us)
{
  Entry *entry;

  while ((entry = g_queue_peek_head (&cache->order)) != NULL && entry->expires_us <= now_us)
    {
      g_hash_table_remove (cache->ids, entry->id);
      entry_free (g_queue_pop_head (&cache->order));
    }
}

/**
 * satori_pubsub_seen_cache_add:
 * @cache: a cache
 * @id: a message id
 * @now_us: the time now
 *
 * Records @id as seen now, unless it is already remembered (its time then
 * still counts from when it was first seen).
 *
 * Returns: %TRUE when @id is new
 */
gboolean
satori_pubsub_seen_cache_add (SatoriPubsubSeenCache *cache, GBytes *id, gint64 now_us)
{
  satori_pubsub_seen_cache_expire (cache, now_us);
  if (g_hash_table_contains (cache->ids, id))
    return FALSE;

  Entry *entry = g_new (Entry, 1);
  entry->id = g_bytes_ref (id);
  entry->expires_us = now_us + cache->ttl_us;
  g_queue_push_tail (&cache->order, entry);
  g_hash_table_insert (cache->ids, entry->id, entry);
  return TRUE;
}

/**
 * satori_pubsub_seen_cache_contains:
 * @cache: a cache
 * @id: a message id
 * @now_us: the time now
 *
 * Returns: whether @id was seen less than the TTL ago
 */
gboolean
satori_pubsub_seen_cache_contains (SatoriPubsubSeenCache *cache, GBytes *id, gint64 now_us)
{
  satori_pubsub_seen_cache_expire (cache, now_us);
  return g_hash_table_contains (cache->ids, id);
}

/**
 * satori_pubsub_seen_cache_size:
 * @cache: a cache
 *
 * Returns: how many ids the cache holds (expired ones not yet dropped
 *   included)
 */
guint
satori_pubsub_seen_cache_size (SatoriPubsubSeenCache *cache)
{
  return g_hash_table_size (cache->ids);
}
