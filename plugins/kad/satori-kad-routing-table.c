/* satori-kad-routing-table.c — k-buckets (pure: no I/O, no clock)
 *
 * One bucket per common prefix length with the local key (0..255), which
 * answers closest-peer queries as the spec's lazily split table does.
 * A bucket keeps its peers least recently seen first. A peer that finds
 * its bucket full waits in the bucket's replacement cache while the least
 * recently seen peer is checked; if that one is gone, the most recent
 * replacement takes its place (Kademlia §2.2).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-routing-table.h"

#include <string.h>

typedef struct {
  SatoriKadPeer *peer;
  SatoriKadKey key;
  gint64 last_seen_us;
} Entry;

typedef struct {
  GQueue entries;        /* of Entry, least recently seen first */
  GQueue replacements;   /* of Entry, most recent last */
  GBytes *checking;      /* the peer whose liveness check is out */
  gint64 last_refresh_us;
} Bucket;

struct _SatoriKadRoutingTable {
  GBytes *local_id;
  SatoriKadKey local_key;
  guint k;
  guint replacement_size;
  Bucket buckets[SATORI_KAD_KEY_BITS];
  GHashTable *index;     /* peer id -> Entry in a bucket (not replacements) */
};

static void
entry_free (Entry *entry)
{
  satori_kad_peer_unref (entry->peer);
  g_free (entry);
}

static Entry *
entry_new (SatoriKadPeer *peer, const SatoriKadKey *key, gint64 now_us)
{
  Entry *entry = g_new0 (Entry, 1);
  entry->peer = satori_kad_peer_ref (peer);
  entry->key = *key;
  entry->last_seen_us = now_us;
  return entry;
}

/**
 * satori_kad_routing_table_new:
 * @local_id: our binary peer id
 * @k: the bucket size (20 in the spec)
 * @replacement_size: the size of each bucket's replacement cache
 * @now_us: the current time; buckets count as refreshed now
 *
 * Returns: (transfer full): an empty table
 */
SatoriKadRoutingTable *
satori_kad_routing_table_new (GBytes *local_id, guint k, guint replacement_size, gint64 now_us)
{
  g_return_val_if_fail (local_id != NULL, NULL);
  g_return_val_if_fail (k > 0, NULL);

  SatoriKadRoutingTable *table = g_new0 (SatoriKadRoutingTable, 1);
  table->local_id = g_bytes_ref (local_id);
  satori_kad_key_init_from_bytes (&table->local_key, local_id);
  table->k = k;
  table->replacement_size = replacement_size;
  for (guint i = 0; i < SATORI_KAD_KEY_BITS; i++)
    table->buckets[i].last_refresh_us = now_us;
  table->index = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  return table;
}

/**
 * satori_kad_routing_table_free:
 * @table: (transfer full): a table
 */
void
satori_kad_routing_table_free (SatoriKadRoutingTable *table)
{
  if (table == NULL)
    return;
  for (guint i = 0; i < SATORI_KAD_KEY_BITS; i++)
    {
      g_queue_clear_full (&table->buckets[i].entries, (GDestroyNotify) entry_free);
      g_queue_clear_full (&table->buckets[i].replacements, (GDestroyNotify) entry_free);
      g_clear_pointer (&table->buckets[i].checking, g_bytes_unref);
    }
  g_hash_table_unref (table->index);
  g_bytes_unref (table->local_id);
  g_free (table);
}

static Bucket *
bucket_for (SatoriKadRoutingTable *table, const SatoriKadKey *key)
{
  guint cpl = satori_kad_key_common_prefix_length (&table->local_key, key);
  return cpl < SATORI_KAD_KEY_BITS ? &table->buckets[cpl] : NULL;
}

static void
remove_replacement (Bucket *bucket, GBytes *peer_id)
{
  for (GList *l = bucket->replacements.head; l != NULL; l = l->next)
    {
      Entry *entry = l->data;
      if (g_bytes_equal (entry->peer->id, peer_id))
        {
          g_queue_delete_link (&bucket->replacements, l);
          entry_free (entry);
          return;
        }
    }
}

/**
 * satori_kad_routing_table_update:
 * @table: a table
 * @peer: a peer that just proved to be a live DHT server
 * @now_us: the current time
 * @check_out: (out) (transfer full) (optional) (nullable): set to a peer
 *   whose liveness must be checked, with satori_kad_routing_table_check_done()
 *   to follow, or %NULL
 *
 * Adds @peer, or marks it most recently seen. A peer with addresses
 * replaces the stored entry; one without keeps the stored addresses.
 *
 * Returns: what was done
 */
SatoriKadUpdate
satori_kad_routing_table_update (SatoriKadRoutingTable *table, SatoriKadPeer *peer,
                                 gint64 now_us, SatoriKadPeer **check_out)
{
  g_return_val_if_fail (table != NULL, SATORI_KAD_UPDATE_IGNORED);
  g_return_val_if_fail (peer != NULL, SATORI_KAD_UPDATE_IGNORED);

  if (check_out != NULL)
    *check_out = NULL;

  SatoriKadKey key;
  satori_kad_key_init_from_bytes (&key, peer->id);
  Bucket *bucket = bucket_for (table, &key);
  if (bucket == NULL || g_bytes_equal (peer->id, table->local_id))
    return SATORI_KAD_UPDATE_IGNORED;

  Entry *entry = g_hash_table_lookup (table->index, peer->id);
  if (entry != NULL)
    {
      if (peer->addrs->len > 0)
        {
          g_hash_table_remove (table->index, entry->peer->id);
          satori_kad_peer_unref (entry->peer);
          entry->peer = satori_kad_peer_ref (peer);
          g_hash_table_insert (table->index, entry->peer->id, entry);
        }
      entry->last_seen_us = now_us;
      g_queue_remove (&bucket->entries, entry);
      g_queue_push_tail (&bucket->entries, entry);
      return SATORI_KAD_UPDATE_REFRESHED;
    }

  if (bucket->entries.length < table->k)
    {
      entry = entry_new (peer, &key, now_us);
      g_queue_push_tail (&bucket->entries, entry);
      g_hash_table_insert (table->index, entry->peer->id, entry);
      remove_replacement (bucket, peer->id);
      return SATORI_KAD_UPDATE_ADDED;
    }

  remove_replacement (bucket, peer->id);
  g_queue_push_tail (&bucket->replacements, entry_new (peer, &key, now_us));
  while (bucket->replacements.length > table->replacement_size)
    entry_free (g_queue_pop_head (&bucket->replacements));

  if (bucket->checking == NULL)
    {
      Entry *oldest = g_queue_peek_head (&bucket->entries);
      bucket->checking = g_bytes_ref (oldest->peer->id);
      if (check_out != NULL)
        *check_out = satori_kad_peer_ref (oldest->peer);
    }
  return SATORI_KAD_UPDATE_PENDING;
}

/**
 * satori_kad_routing_table_remove:
 * @table: a table
 * @peer_id: the peer to drop
 *
 * Drops @peer_id; the most recent replacement of its bucket, if any,
 * takes its place.
 *
 * Returns: %TRUE if the peer was in the table
 */
gboolean
satori_kad_routing_table_remove (SatoriKadRoutingTable *table, GBytes *peer_id)
{
  g_return_val_if_fail (table != NULL, FALSE);

  Entry *entry = g_hash_table_lookup (table->index, peer_id);
  if (entry == NULL)
    return FALSE;

  Bucket *bucket = bucket_for (table, &entry->key);
  if (bucket->checking != NULL && g_bytes_equal (bucket->checking, peer_id))
    g_clear_pointer (&bucket->checking, g_bytes_unref);
  g_hash_table_remove (table->index, peer_id);
  g_queue_remove (&bucket->entries, entry);
  entry_free (entry);

  Entry *replacement = g_queue_pop_tail (&bucket->replacements);
  if (replacement != NULL)
    {
      g_queue_push_tail (&bucket->entries, replacement);
      g_hash_table_insert (table->index, replacement->peer->id, replacement);
    }
  return TRUE;
}

/**
 * satori_kad_routing_table_check_done:
 * @table: a table
 * @peer_id: the peer that was checked
 * @alive: whether it answered
 * @now_us: the current time
 *
 * Applies the result of a liveness check asked for by
 * satori_kad_routing_table_update(): a live peer becomes the most recently
 * seen (the waiting replacement stays in the cache); a dead one is replaced.
 */
void
satori_kad_routing_table_check_done (SatoriKadRoutingTable *table, GBytes *peer_id,
                                     gboolean alive, gint64 now_us)
{
  g_return_if_fail (table != NULL);

  SatoriKadKey key;
  satori_kad_key_init_from_bytes (&key, peer_id);
  Bucket *bucket = bucket_for (table, &key);
  if (bucket == NULL)
    return;
  if (bucket->checking != NULL && g_bytes_equal (bucket->checking, peer_id))
    g_clear_pointer (&bucket->checking, g_bytes_unref);

  Entry *entry = g_hash_table_lookup (table->index, peer_id);
  if (entry == NULL)
    return;
  if (!alive)
    {
      satori_kad_routing_table_remove (table, peer_id);
      return;
    }
  entry->last_seen_us = now_us;
  g_queue_remove (&bucket->entries, entry);
  g_queue_push_tail (&bucket->entries, entry);
}

/**
 * satori_kad_routing_table_contains:
 * @table: a table
 * @peer_id: a binary peer id
 *
 * Returns: whether @peer_id is in a bucket (replacements do not count)
 */
gboolean
satori_kad_routing_table_contains (SatoriKadRoutingTable *table, GBytes *peer_id)
{
  return g_hash_table_contains (table->index, peer_id);
}

/**
 * satori_kad_routing_table_lookup:
 * @table: a table
 * @peer_id: a binary peer id
 *
 * Returns: (transfer none) (nullable): the stored entry of @peer_id
 */
SatoriKadPeer *
satori_kad_routing_table_lookup (SatoriKadRoutingTable *table, GBytes *peer_id)
{
  Entry *entry = g_hash_table_lookup (table->index, peer_id);
  return entry != NULL ? entry->peer : NULL;
}

static gint
compare_entries (gconstpointer a, gconstpointer b, gpointer target)
{
  const Entry *ea = *(Entry *const *) a;
  const Entry *eb = *(Entry *const *) b;
  return satori_kad_key_compare_distance (target, &ea->key, &eb->key);
}

/**
 * satori_kad_routing_table_closest:
 * @table: a table
 * @target: the point to measure from
 * @count: how many peers at most
 * @exclude: (nullable): a peer id to leave out (the one asking)
 *
 * Returns: (transfer full) (element-type SatoriKadPeer): up to @count
 *   peers, closest to @target first
 */
GPtrArray *
satori_kad_routing_table_closest (SatoriKadRoutingTable *table, const SatoriKadKey *target,
                                  guint count, GBytes *exclude)
{
  g_return_val_if_fail (table != NULL, NULL);

  g_autoptr(GPtrArray) all = g_ptr_array_sized_new (g_hash_table_size (table->index));
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, table->index);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      if (exclude == NULL || !g_bytes_equal (entry->peer->id, exclude))
        g_ptr_array_add (all, entry);
    }
  g_ptr_array_sort_with_data (all, compare_entries, (gpointer) target);

  GPtrArray *out = satori_kad_peer_array_new ();
  for (guint i = 0; i < all->len && i < count; i++)
    g_ptr_array_add (out, satori_kad_peer_ref (((Entry *) all->pdata[i])->peer));
  return out;
}

/**
 * satori_kad_routing_table_get_size:
 * @table: a table
 *
 * Returns: how many peers are in the buckets
 */
guint
satori_kad_routing_table_get_size (SatoriKadRoutingTable *table)
{
  return g_hash_table_size (table->index);
}

/**
 * satori_kad_routing_table_get_bucket_size:
 * @table: a table
 * @cpl: a common prefix length with the local key, below %SATORI_KAD_KEY_BITS
 *
 * Returns: how many peers the bucket of @cpl holds
 */
guint
satori_kad_routing_table_get_bucket_size (SatoriKadRoutingTable *table, guint cpl)
{
  g_return_val_if_fail (cpl < SATORI_KAD_KEY_BITS, 0);
  return table->buckets[cpl].entries.length;
}

/* Buckets worth refreshing: up to the deepest non-empty one, capped;
 * none (-1) while the table is empty. */
static gint
refresh_depth (SatoriKadRoutingTable *table, guint max_cpl)
{
  gint deepest = -1;
  for (guint i = 0; i < SATORI_KAD_KEY_BITS; i++)
    if (table->buckets[i].entries.length > 0)
      deepest = (gint) i;
  return MIN (deepest, (gint) max_cpl);
}

/**
 * satori_kad_routing_table_next_stale:
 * @table: a table
 * @now_us: the current time
 * @interval_us: how long a bucket stays fresh
 * @max_cpl: the deepest bucket to refresh
 * @cpl_out: (out): the bucket to refresh
 *
 * Finds a bucket not refreshed for @interval_us, among those up to the
 * deepest non-empty one and @max_cpl.
 *
 * Returns: %TRUE if there is one (never while the table is empty)
 */
gboolean
satori_kad_routing_table_next_stale (SatoriKadRoutingTable *table, gint64 now_us,
                                     gint64 interval_us, guint max_cpl, guint *cpl_out)
{
  gint depth = refresh_depth (table, max_cpl);
  for (gint i = 0; i <= depth; i++)
    if (table->buckets[i].last_refresh_us + interval_us <= now_us)
      {
        *cpl_out = (guint) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * satori_kad_routing_table_next_stale_time:
 * @table: a table
 * @interval_us: how long a bucket stays fresh
 * @max_cpl: the deepest bucket to refresh
 *
 * Returns: when the next bucket goes stale; %G_MAXINT64 while the table
 *   is empty
 */
gint64
satori_kad_routing_table_next_stale_time (SatoriKadRoutingTable *table, gint64 interval_us,
                                          guint max_cpl)
{
  gint depth = refresh_depth (table, max_cpl);
  gint64 next = G_MAXINT64;
  for (gint i = 0; i <= depth; i++)
    next = MIN (next, table->buckets[i].last_refresh_us + interval_us);
  return next;
}

/**
 * satori_kad_routing_table_mark_refreshed:
 * @table: a table
 * @cpl: a bucket
 * @now_us: the current time
 *
 * Records that a lookup went through the bucket of @cpl.
 */
void
satori_kad_routing_table_mark_refreshed (SatoriKadRoutingTable *table, guint cpl, gint64 now_us)
{
  if (cpl < SATORI_KAD_KEY_BITS)
    table->buckets[cpl].last_refresh_us = now_us;
}

/**
 * satori_kad_routing_table_random_id:
 * @table: a table
 * @cpl: the bucket the id must fall in; keep it small (about 2^(cpl+1)
 *   hashes are tried)
 * @provider: the randomness
 *
 * Makes a random SHA-256 peer id whose key shares exactly @cpl leading
 * bits with ours, to look up when refreshing that bucket.
 *
 * Returns: (transfer full): a binary peer id (multihash 0x12 0x20 + digest)
 */
GBytes *
satori_kad_routing_table_random_id (SatoriKadRoutingTable *table, guint cpl,
                                    const SatoriKadProvider *provider)
{
  g_return_val_if_fail (cpl < SATORI_KAD_KEY_BITS, NULL);

  guint8 id[34] = { 0x12, 0x20 };
  for (guint i = 2; i < sizeof id; i += 4)
    {
      guint32 r = provider->random_u32 (provider->user_data);
      memcpy (id + i, &r, MIN (4, sizeof id - i));
    }
  for (guint32 counter = 0;; counter++)
    {
      memcpy (id + sizeof id - 4, &counter, 4);
      SatoriKadKey key;
      satori_kad_key_init (&key, id, sizeof id);
      if (satori_kad_key_common_prefix_length (&table->local_key, &key) == cpl)
        return g_bytes_new (id, sizeof id);
    }
}
