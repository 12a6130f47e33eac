/* satori-peers-find.c — the union of what every discovery finds under a
 * namespace: one entry per peer (its addresses merged), ourselves left
 * out. A discovery that fails does not fail the others; the search fails
 * only when every discovery did.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-find.h"

#include "satori-multiaddr.h"
#include "satori-peer-id.h"
#include "satori-peer-info.h"
#include "satori-peers-namespace.h"

typedef struct
{
  SatoriPeerId *self;
  guint total;
  guint pending;
  guint failed;
  GError *last_error;
  GHashTable *found;   /* SatoriPeerId → GPtrArray of SatoriMultiaddr */
  GPtrArray *order;    /* SatoriPeerId, first found first */
} Find;

static void
find_free (Find *find)
{
  satori_peer_id_unref (find->self);
  g_clear_error (&find->last_error);
  g_hash_table_unref (find->found);
  g_ptr_array_unref (find->order);
  g_free (find);
}

static void
merge (Find *find, SatoriPeerInfo *info)
{
  SatoriPeerId *peer = satori_peer_info_get_peer_id (info);
  GPtrArray *found_addresses = satori_peer_info_get_addresses (info);

  if (satori_peer_id_equal (peer, find->self))
    return;
  GPtrArray *addresses = g_hash_table_lookup (find->found, peer);
  if (addresses == NULL)
    {
      addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
      g_hash_table_insert (find->found, satori_peer_id_ref (peer), addresses);
      g_ptr_array_add (find->order, satori_peer_id_ref (peer));
    }
  for (guint i = 0; found_addresses != NULL && i < found_addresses->len; i++)
    {
      SatoriMultiaddr *address = g_ptr_array_index (found_addresses, i);
      if (!g_ptr_array_find_with_equal_func (addresses, address, satori_multiaddr_equal, NULL))
        g_ptr_array_add (addresses, satori_multiaddr_ref (address));
    }
}

/* Takes @task once every discovery answered. */
static void
answered (GTask *task)
{
  Find *find = g_task_get_task_data (task);

  if (--find->pending > 0)
    return;
  if (find->order->len == 0 && find->last_error != NULL && find->failed == find->total)
    {
      g_task_return_error (task, g_steal_pointer (&find->last_error));
      g_object_unref (task);
      return;
    }
  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_info_unref);
  for (guint i = 0; i < find->order->len; i++)
    {
      SatoriPeerId *peer = g_ptr_array_index (find->order, i);
      g_ptr_array_add (peers, satori_peer_info_new (peer, g_hash_table_lookup (find->found,
                                                                                peer)));
    }
  g_task_return_pointer (task, peers, (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

static void
on_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Find *find = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GPtrArray) peers = satori_discovery_find_peers_finish (SATORI_DISCOVERY (source),
                                                                   result, &error);

  if (peers == NULL)
    {
      g_debug ("%s found no peers: %s", G_OBJECT_TYPE_NAME (source), error->message);
      find->failed++;
      g_clear_error (&find->last_error);
      find->last_error = error;
    }
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    merge (find, g_ptr_array_index (peers, i));
  answered (task);
}

/**
 * satori_peers_find_async:
 * @source: the object the result belongs to
 * @discoveries: (element-type SatoriDiscovery): where to look
 * @namespace_: (nullable): the namespace (mapped for each discovery by
 *   satori_peers_discovery_namespace()), %NULL for any peers
 * @self: our peer id, left out of the results
 * @source_tag: the source tag of the result
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the union
 * @user_data: data for @callback
 *
 * Asks every discovery at once. No discovery gives an empty result.
 */
void
satori_peers_find_async (GObject *source, GPtrArray *discoveries, const char *namespace_,
                         SatoriPeerId *self, gpointer source_tag, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  Find *find = g_new0 (Find, 1);

  g_task_set_source_tag (task, source_tag);
  find->self = satori_peer_id_ref (self);
  find->found = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                       (GDestroyNotify) satori_peer_id_unref,
                                       (GDestroyNotify) g_ptr_array_unref);
  find->order = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref);
  find->total = discoveries->len;
  /* One extra count, released below, so that no answer finishes early. */
  find->pending = discoveries->len + 1;
  g_task_set_task_data (task, find, (GDestroyNotify) find_free);
  for (guint i = 0; i < discoveries->len; i++)
    {
      SatoriDiscovery *discovery = g_ptr_array_index (discoveries, i);
      g_autofree char *name = satori_peers_discovery_namespace (discovery, namespace_);
      satori_discovery_find_peers_async (discovery, name, SATORI_PEERS_FIND_LIMIT, cancellable,
                                         on_found, task);
    }
  answered (task);
}

/**
 * satori_peers_find_finish:
 * @result: the #GAsyncResult
 * @error: return location for a #GError: the last discovery's error when
 *   every discovery failed
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo): the peers found
 */
GPtrArray *
satori_peers_find_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
