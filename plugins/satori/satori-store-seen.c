/* satori-store-seen.c — the message ids of held messages already
 * delivered to us. A message can reach us several times: from each
 * holder that has a copy, pushed and fetched, and again after a holder
 * lost our acknowledgement. Ids, not contents, tell repeats apart: the
 * same content sent twice has two ids and is delivered twice.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-seen.h"

struct _SatoriStoreSeen
{
  guint capacity;
  GHashTable *ids;     /* char * → the same, owned by @order */
  GQueue order;        /* char *, oldest first */
};

/**
 * satori_store_seen_new:
 * @capacity: how many ids to remember, at least 1
 *
 * Returns: (transfer full): an empty set
 */
SatoriStoreSeen *
satori_store_seen_new (guint capacity)
{
  SatoriStoreSeen *seen = g_new0 (SatoriStoreSeen, 1);

  g_return_val_if_fail (capacity > 0, NULL);
  seen->capacity = capacity;
  seen->ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&seen->order);
  return seen;
}

/**
 * satori_store_seen_free:
 * @seen: (nullable): a set
 */
void
satori_store_seen_free (SatoriStoreSeen *seen)
{
  if (seen == NULL)
    return;
  g_hash_table_unref (seen->ids);
  g_queue_clear_full (&seen->order, g_free);
  g_free (seen);
}

/**
 * satori_store_seen_add:
 * @seen: a set
 * @message_id: a message id
 *
 * Remembers @message_id, forgetting the oldest id when full.
 *
 * Returns: %TRUE when @message_id was not remembered yet
 */
gboolean
satori_store_seen_add (SatoriStoreSeen *seen, const char *message_id)
{
  if (g_hash_table_contains (seen->ids, message_id))
    return FALSE;
  if (seen->order.length == seen->capacity)
    {
      char *oldest = g_queue_pop_head (&seen->order);
      g_hash_table_remove (seen->ids, oldest);
      g_free (oldest);
    }
  char *id = g_strdup (message_id);
  g_queue_push_tail (&seen->order, id);
  g_hash_table_add (seen->ids, id);
  return TRUE;
}
