/* satori-kad-query.c — one iterative lookup (pure: no I/O, no clock)
 *
 * Each path keeps its peers sorted by distance to the target and walks
 * them closest first: it asks peers not yet asked while fewer than alpha
 * requests are out, and is over once the k closest peers that did not
 * fail have all answered (spec), or nothing is left to ask. Timeouts are the
 * driver's business: it reports a request that took too long as failed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-query.h"

typedef enum {
  PEER_NOT_ASKED,
  PEER_WAITING,
  PEER_SLOW,             /* waiting, but out of the alpha count */
  PEER_SUCCEEDED,
  PEER_FAILED,
} PeerState;

typedef struct {
  SatoriKadPeer *peer;
  SatoriKadKey key;
  PeerState state;
  guint path;
  guint hops;            /* 1 for seeds, one more than the peer that named it */
} QueryPeer;

typedef struct {
  GPtrArray *peers;      /* of QueryPeer (owned by seen), closest first */
  guint in_flight;       /* waiting, slow ones not counted */
  guint n_slow;
} Path;

struct _SatoriKadQuery {
  SatoriKadKey target;
  SatoriKadQueryConfig config;
  GBytes *local_id;
  GHashTable *seen;      /* peer id -> QueryPeer */
  Path *paths;
  guint next_path;
  guint n_requests;
  gboolean stopped;
};

static void
query_peer_free (QueryPeer *qp)
{
  satori_kad_peer_unref (qp->peer);
  g_free (qp);
}

static guint
find_position (SatoriKadQuery *query, Path *path, const SatoriKadKey *key)
{
  guint lo = 0, hi = path->peers->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const QueryPeer *qp = path->peers->pdata[mid];
      if (satori_kad_key_compare_distance (&query->target, &qp->key, key) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
add_candidate (SatoriKadQuery *query, guint path_index, SatoriKadPeer *peer, guint hops)
{
  if (g_bytes_equal (peer->id, query->local_id) || g_hash_table_contains (query->seen, peer->id))
    return;

  Path *path = &query->paths[path_index];
  QueryPeer *qp = g_new0 (QueryPeer, 1);
  qp->peer = satori_kad_peer_ref (peer);
  satori_kad_key_init_from_bytes (&qp->key, peer->id);
  qp->path = path_index;
  qp->hops = hops;
  g_ptr_array_insert (path->peers, (gint) find_position (query, path, &qp->key), qp);
  g_hash_table_insert (query->seen, qp->peer->id, qp);

  if (path->peers->len > query->config.max_candidates)
    {
      QueryPeer *last = path->peers->pdata[path->peers->len - 1];
      if (last->state == PEER_NOT_ASKED)
        {
          g_ptr_array_remove_index (path->peers, path->peers->len - 1);
          g_hash_table_remove (query->seen, last->peer->id);
        }
    }
}

/**
 * satori_kad_query_new:
 * @target: the point looked up
 * @config: how to proceed
 * @local_id: our peer id, never asked
 * @seeds: (element-type SatoriKadPeer): the first peers to ask (from the
 *   routing table), spread over the paths
 *
 * Returns: (transfer full): a lookup; it is finished at once without seeds
 */
SatoriKadQuery *
satori_kad_query_new (const SatoriKadKey *target, const SatoriKadQueryConfig *config,
                      GBytes *local_id, GPtrArray *seeds)
{
  g_return_val_if_fail (config->k > 0 && config->alpha > 0, NULL);
  g_return_val_if_fail (config->disjoint_paths > 0 && config->max_candidates >= config->k, NULL);

  SatoriKadQuery *query = g_new0 (SatoriKadQuery, 1);
  query->target = *target;
  query->config = *config;
  query->local_id = g_bytes_ref (local_id);
  query->seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, NULL,
                                       (GDestroyNotify) query_peer_free);
  query->paths = g_new0 (Path, config->disjoint_paths);
  for (guint i = 0; i < config->disjoint_paths; i++)
    query->paths[i].peers = g_ptr_array_new ();
  for (guint i = 0; i < seeds->len; i++)
    add_candidate (query, i % config->disjoint_paths, seeds->pdata[i], 1);
  return query;
}

/**
 * satori_kad_query_free:
 * @query: (transfer full): a lookup
 */
void
satori_kad_query_free (SatoriKadQuery *query)
{
  if (query == NULL)
    return;
  for (guint i = 0; i < query->config.disjoint_paths; i++)
    g_ptr_array_unref (query->paths[i].peers);
  g_free (query->paths);
  g_hash_table_unref (query->seen);
  g_bytes_unref (query->local_id);
  g_free (query);
}

/* Walks @path closest first over the k closest peers that did not fail.
 * Returns TRUE when the path is over: all of them answered (or nobody is
 * left). Sets @ask_out, when given, to a peer among them to ask now. */
static gboolean
path_step (SatoriKadQuery *query, Path *path, QueryPeer **ask_out)
{
  guint in_window = 0;
  gboolean waiting = FALSE;

  for (guint i = 0; i < path->peers->len; i++)
    {
      QueryPeer *qp = path->peers->pdata[i];
      switch (qp->state)
        {
        case PEER_NOT_ASKED:
          if (path->in_flight < query->config.alpha && ask_out != NULL)
            *ask_out = qp;
          return FALSE;
        case PEER_WAITING:
          waiting = TRUE;
          break;
        case PEER_FAILED:
        case PEER_SLOW:
          continue;
        case PEER_SUCCEEDED:
        default:
          break;
        }
      if (++in_window >= query->config.k)
        return !waiting;
    }
  return path->in_flight == 0;
}

/**
 * satori_kad_query_next:
 * @query: a lookup
 *
 * Picks the next peer to ask, if one may be asked now, and counts it as
 * waiting. Call until it returns %NULL after every change.
 *
 * Returns: (transfer full) (nullable): the peer to send the request to
 */
SatoriKadPeer *
satori_kad_query_next (SatoriKadQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);

  if (query->stopped)
    return NULL;
  for (guint n = 0; n < query->config.disjoint_paths; n++)
    {
      Path *path = &query->paths[query->next_path];
      query->next_path = (query->next_path + 1) % query->config.disjoint_paths;
      QueryPeer *ask = NULL;
      if (!path_step (query, path, &ask) && ask != NULL)
        {
          ask->state = PEER_WAITING;
          path->in_flight++;
          query->n_requests++;
          return satori_kad_peer_ref (ask->peer);
        }
    }
  return NULL;
}

/* A peer asked and not done: takes it out of the counts it is in. */
static QueryPeer *
take_outstanding (SatoriKadQuery *query, GBytes *peer_id)
{
  QueryPeer *qp = g_hash_table_lookup (query->seen, peer_id);
  if (qp == NULL || (qp->state != PEER_WAITING && qp->state != PEER_SLOW))
    return NULL;
  Path *path = &query->paths[qp->path];
  if (qp->state == PEER_SLOW)
    path->n_slow--;
  else
    path->in_flight--;
  return qp;
}

/**
 * satori_kad_query_succeeded:
 * @query: a lookup
 * @peer_id: a peer that was asked
 * @closer_peers: (element-type SatoriKadPeer) (nullable): the peers it
 *   returned; the caller bounds their number
 *
 * Returns: %FALSE if @peer_id was not waiting for an answer (ignored)
 */
gboolean
satori_kad_query_succeeded (SatoriKadQuery *query, GBytes *peer_id, GPtrArray *closer_peers)
{
  QueryPeer *qp = take_outstanding (query, peer_id);
  if (qp == NULL)
    return FALSE;
  qp->state = PEER_SUCCEEDED;
  for (guint i = 0; closer_peers != NULL && i < closer_peers->len; i++)
    add_candidate (query, qp->path, closer_peers->pdata[i], qp->hops + 1);
  return TRUE;
}

/**
 * satori_kad_query_failed:
 * @query: a lookup
 * @peer_id: a peer that was asked and failed, or took too long
 */
void
satori_kad_query_failed (SatoriKadQuery *query, GBytes *peer_id)
{
  QueryPeer *qp = take_outstanding (query, peer_id);
  if (qp != NULL)
    qp->state = PEER_FAILED;
}

/**
 * satori_kad_query_slow:
 * @query: a lookup
 * @peer_id: a peer that was asked and has not answered within the
 *   driver's slow threshold
 *
 * Lets the next closest peer be asked in its place, and stops waiting for
 * it before the lookup may end; its answer, if it comes, still counts.
 * Call satori_kad_query_next() afterwards.
 *
 * Returns: %TRUE if the peer was waiting and its path had room for one
 *   more slow request (max_slow); otherwise nothing changes
 */
gboolean
satori_kad_query_slow (SatoriKadQuery *query, GBytes *peer_id)
{
  QueryPeer *qp = g_hash_table_lookup (query->seen, peer_id);
  if (qp == NULL || qp->state != PEER_WAITING)
    return FALSE;
  Path *path = &query->paths[qp->path];
  if (path->n_slow >= query->config.max_slow)
    return FALSE;
  qp->state = PEER_SLOW;
  path->in_flight--;
  path->n_slow++;
  return TRUE;
}

/**
 * satori_kad_query_stop:
 * @query: a lookup
 *
 * Ends the lookup early (a quorum of values, enough providers).
 */
void
satori_kad_query_stop (SatoriKadQuery *query)
{
  query->stopped = TRUE;
}

/**
 * satori_kad_query_is_finished:
 * @query: a lookup
 *
 * Returns: %TRUE once stopped, or once every path is over
 */
gboolean
satori_kad_query_is_finished (SatoriKadQuery *query)
{
  if (query->stopped)
    return TRUE;
  for (guint i = 0; i < query->config.disjoint_paths; i++)
    if (!path_step (query, &query->paths[i], NULL))
      return FALSE;
  return TRUE;
}

static gint
compare_query_peers (gconstpointer a, gconstpointer b, gpointer target)
{
  const QueryPeer *qa = *(QueryPeer *const *) a;
  const QueryPeer *qb = *(QueryPeer *const *) b;
  return satori_kad_key_compare_distance (target, &qa->key, &qb->key);
}

/**
 * satori_kad_query_get_closest:
 * @query: a lookup
 * @count: how many at most
 *
 * Returns: (transfer full) (element-type SatoriKadPeer): the peers that
 *   answered, on any path, closest to the target first
 */
GPtrArray *
satori_kad_query_get_closest (SatoriKadQuery *query, guint count)
{
  g_autoptr(GPtrArray) answered = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, query->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((QueryPeer *) value)->state == PEER_SUCCEEDED)
      g_ptr_array_add (answered, value);
  g_ptr_array_sort_with_data (answered, compare_query_peers, &query->target);

  GPtrArray *out = satori_kad_peer_array_new ();
  for (guint i = 0; i < answered->len && i < count; i++)
    g_ptr_array_add (out, satori_kad_peer_ref (((QueryPeer *) answered->pdata[i])->peer));
  return out;
}

/**
 * satori_kad_query_get_hops:
 * @query: a lookup
 *
 * Returns: the hops to the closest peer that answered: 1 if it came from
 *   the routing table, one more for each peer that named the next; 0 if
 *   no peer answered
 */
guint
satori_kad_query_get_hops (SatoriKadQuery *query)
{
  const QueryPeer *closest = NULL;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, query->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const QueryPeer *qp = value;
      if (qp->state == PEER_SUCCEEDED
          && (closest == NULL
              || satori_kad_key_compare_distance (&query->target, &qp->key, &closest->key) < 0))
        closest = qp;
    }
  return closest != NULL ? closest->hops : 0;
}

/**
 * satori_kad_query_get_n_requests:
 * @query: a lookup
 *
 * Returns: how many requests the lookup has sent
 */
guint
satori_kad_query_get_n_requests (SatoriKadQuery *query)
{
  return query->n_requests;
}

/**
 * satori_kad_query_get_n_known:
 * @query: a lookup
 *
 * Returns: how many peers the lookup keeps (bounded by the paths'
 *   candidate limits and the requests sent)
 */
guint
satori_kad_query_get_n_known (SatoriKadQuery *query)
{
  return g_hash_table_size (query->seen);
}
