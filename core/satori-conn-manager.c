/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-conn-manager.h"

#include "satori-peer-id.h"

struct _SatoriConnManager
{
  guint low_water;
  guint high_water;
  gint64 grace_us;
  GHashTable *connections;  /* connection → Entry */
  GHashTable *protected;    /* SatoriPeerId → set of tags */
  guint64 next_serial;
};

typedef struct
{
  gpointer connection;
  SatoriPeerId *peer;
  gint64 opened_us;
  gint64 last_active_us;    /* last time it had a stream open */
  guint n_streams;
  gboolean redundant;
  guint64 serial;           /* insertion order: the last tie-break */
} Entry;

static void
entry_free (Entry *entry)
{
  satori_peer_id_unref (entry->peer);
  g_free (entry);
}

/**
 * satori_conn_manager_new:
 * @low_water: connections to trim down to
 * @high_water: connections above which trimming starts
 * @grace_us: how long a new connection is safe from trimming
 *
 * Returns: (transfer full): a manager tracking no connection
 */
SatoriConnManager *
satori_conn_manager_new (guint low_water, guint high_water, gint64 grace_us)
{
  SatoriConnManager *manager = g_new0 (SatoriConnManager, 1);

  manager->connections = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entry_free);
  manager->protected = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                              (GDestroyNotify) satori_peer_id_unref,
                                              (GDestroyNotify) g_hash_table_unref);
  satori_conn_manager_set_limits (manager, low_water, high_water, grace_us);
  return manager;
}

/**
 * satori_conn_manager_free:
 * @manager: a #SatoriConnManager
 */
void
satori_conn_manager_free (SatoriConnManager *manager)
{
  g_hash_table_unref (manager->connections);
  g_hash_table_unref (manager->protected);
  g_free (manager);
}

/**
 * satori_conn_manager_set_limits:
 * @manager: a #SatoriConnManager
 * @low_water: connections to trim down to
 * @high_water: connections above which trimming starts; raised to
 *   @low_water if lower
 * @grace_us: how long a new connection is safe from trimming
 */
void
satori_conn_manager_set_limits (SatoriConnManager *manager, guint low_water, guint high_water,
                                gint64 grace_us)
{
  manager->low_water = low_water;
  manager->high_water = MAX (low_water, high_water);
  manager->grace_us = MAX (grace_us, 0);
}

/**
 * satori_conn_manager_add:
 * @manager: a #SatoriConnManager
 * @connection: an opaque connection, not yet tracked
 * @peer: its remote peer
 * @now_us: the time it opened
 *
 * Tracks @connection, idle since @now_us.
 */
void
satori_conn_manager_add (SatoriConnManager *manager, gpointer connection, SatoriPeerId *peer,
                         gint64 now_us)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->connection = connection;
  entry->peer = satori_peer_id_ref (peer);
  entry->opened_us = now_us;
  entry->last_active_us = now_us;
  entry->serial = manager->next_serial++;
  g_hash_table_replace (manager->connections, connection, entry);
}

/**
 * satori_conn_manager_remove:
 * @manager: a #SatoriConnManager
 * @connection: a connection, tracked or not
 *
 * Forgets @connection (it closed).
 */
void
satori_conn_manager_remove (SatoriConnManager *manager, gpointer connection)
{
  g_hash_table_remove (manager->connections, connection);
}

/**
 * satori_conn_manager_get_count:
 * @manager: a #SatoriConnManager
 *
 * Returns: how many connections are tracked
 */
guint
satori_conn_manager_get_count (SatoriConnManager *manager)
{
  return g_hash_table_size (manager->connections);
}

/**
 * satori_conn_manager_update:
 * @manager: a #SatoriConnManager
 * @connection: a tracked connection
 * @n_streams: streams open on it now
 * @redundant: whether another connection to its peer is the one new
 *   streams use
 * @now_us: the time now
 *
 * Tells the manager how @connection is used; a connection with streams
 * open counts as active at @now_us.
 */
void
satori_conn_manager_update (SatoriConnManager *manager, gpointer connection, guint n_streams,
                            gboolean redundant, gint64 now_us)
{
  Entry *entry = g_hash_table_lookup (manager->connections, connection);

  if (entry == NULL)
    return;
  entry->n_streams = n_streams;
  entry->redundant = redundant;
  if (n_streams > 0)
    entry->last_active_us = now_us;
}

/**
 * satori_conn_manager_protect:
 * @manager: a #SatoriConnManager
 * @peer: a peer
 * @tag: who protects it, such as `relay` or `gossipsub-mesh`
 *
 * Keeps @peer's connections from being trimmed until every tag that
 * protects it is removed.
 */
void
satori_conn_manager_protect (SatoriConnManager *manager, SatoriPeerId *peer, const char *tag)
{
  GHashTable *tags = g_hash_table_lookup (manager->protected, peer);

  if (tags == NULL)
    {
      tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (manager->protected, satori_peer_id_ref (peer), tags);
    }
  g_hash_table_add (tags, g_strdup (tag));
}

/**
 * satori_conn_manager_unprotect:
 * @manager: a #SatoriConnManager
 * @peer: a peer
 * @tag: the tag given to satori_conn_manager_protect()
 *
 * Removes one protection of @peer.
 *
 * Returns: whether @peer is still protected by another tag
 */
gboolean
satori_conn_manager_unprotect (SatoriConnManager *manager, SatoriPeerId *peer, const char *tag)
{
  GHashTable *tags = g_hash_table_lookup (manager->protected, peer);

  if (tags == NULL)
    return FALSE;
  g_hash_table_remove (tags, tag);
  if (g_hash_table_size (tags) > 0)
    return TRUE;
  g_hash_table_remove (manager->protected, peer);
  return FALSE;
}

/**
 * satori_conn_manager_is_protected:
 * @manager: a #SatoriConnManager
 * @peer: a peer
 *
 * Returns: whether some tag protects @peer
 */
gboolean
satori_conn_manager_is_protected (SatoriConnManager *manager, SatoriPeerId *peer)
{
  return g_hash_table_contains (manager->protected, peer);
}

/* Least valuable first. */
static int
compare_value (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(const Entry * const *) a;
  const Entry *y = *(const Entry * const *) b;

  if (x->redundant != y->redundant)
    return x->redundant ? -1 : 1;
  if ((x->n_streams == 0) != (y->n_streams == 0))
    return x->n_streams == 0 ? -1 : 1;
  if (x->last_active_us != y->last_active_us)
    return x->last_active_us < y->last_active_us ? -1 : 1;
  if (x->opened_us != y->opened_us)
    return x->opened_us < y->opened_us ? -1 : 1;
  return x->serial < y->serial ? -1 : 1;
}

static gboolean
is_candidate (SatoriConnManager *manager, const Entry *entry, gint64 now_us)
{
  return now_us - entry->opened_us >= manager->grace_us &&
         !g_hash_table_contains (manager->protected, entry->peer);
}

/**
 * satori_conn_manager_trim:
 * @manager: a #SatoriConnManager
 * @now_us: the time now
 *
 * When more connections than the high watermark are tracked, picks the
 * least valuable ones that may be closed, enough to get down to the low
 * watermark if there are that many, and stops tracking them.
 *
 * Returns: (transfer container): the connections to close, least valuable
 *   first; often none
 */
GPtrArray *
satori_conn_manager_trim (SatoriConnManager *manager, gint64 now_us)
{
  GPtrArray *victims = g_ptr_array_new ();
  guint count = g_hash_table_size (manager->connections);

  if (count <= manager->high_water)
    return victims;

  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, manager->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (is_candidate (manager, value, now_us))
      g_ptr_array_add (candidates, value);
  g_ptr_array_sort (candidates, compare_value);

  for (guint i = 0; i < candidates->len && count > manager->low_water; i++, count--)
    {
      Entry *entry = g_ptr_array_index (candidates, i);
      g_ptr_array_add (victims, entry->connection);
      g_hash_table_remove (manager->connections, entry->connection);
    }
  return victims;
}

/**
 * satori_conn_manager_next_deadline_us:
 * @manager: a #SatoriConnManager
 *
 * When trimming is due (above the high watermark) but connections are
 * still in their grace period, the time the first of them leaves it, so
 * that satori_conn_manager_trim() can be called again then.
 *
 * Returns: that time, or %G_MAXINT64 when no later trim can help
 */
gint64
satori_conn_manager_next_deadline_us (SatoriConnManager *manager)
{
  gint64 deadline = G_MAXINT64;

  if (g_hash_table_size (manager->connections) <= manager->high_water)
    return deadline;

  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, manager->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      if (!g_hash_table_contains (manager->protected, entry->peer))
        deadline = MIN (deadline, entry->opened_us + manager->grace_us);
    }
  return deadline;
}
