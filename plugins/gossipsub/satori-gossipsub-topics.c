/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The commands on topics: subscribe (joining the mesh, from the fanout
 * first), unsubscribe (PRUNE with the unsubscribe backoff), publish
 * (signing, then flood publish, or the mesh or fanout).
 */
#include "satori-gossipsub-private.h"

#include "satori-pubsub-error.h"
#include "satori-pubsub-signing.h"

/* A peer we may GRAFT in topic @data: gossipsub, not in the mesh yet, not
 * in backoff, not negative. */
gboolean
satori_gossipsub_mesh_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer data,
                                 gint64 now_us)
{
  const char *topic = data;
  GHashTable *mesh = g_hash_table_lookup (self->mesh, topic);
  return peer->version != PEER_FLOODSUB
         && (mesh == NULL || !g_hash_table_contains (mesh, peer->id))
         && !satori_gossipsub_backoff_active (self->backoff, topic, peer->id, now_us)
         && satori_gossipsub_peer_score (self, peer->id, now_us) >= 0;
}

void
satori_gossipsub_subscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  SatoriGossipsubSession *self = SESSION (core);
  GHashTableIter iter;
  Peer *peer;

  satori_gossipsub_start (self, now_us);
  if (g_hash_table_contains (self->subscriptions, topic))
    return;
  g_hash_table_add (self->subscriptions, g_strdup (topic));
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      satori_gossipsub_outbox_add_subscription (peer->outbox, topic, TRUE);
      peer->dirty = TRUE;
    }

  /* Join: the fanout peers first, then others up to D. */
  GHashTable *mesh = satori_gossipsub_peer_set_new ();
  g_hash_table_insert (self->mesh, g_strdup (topic), mesh);
  GHashTable *fanout = g_hash_table_lookup (self->fanout, topic);
  if (fanout != NULL)
    {
      GHashTableIter fiter;
      GBytes *id;
      g_hash_table_iter_init (&fiter, fanout);
      while (g_hash_table_iter_next (&fiter, (gpointer *) &id, NULL))
        {
          Peer *fpeer = g_hash_table_lookup (self->peers, id);
          if (g_hash_table_size (mesh) < self->params.d && fpeer != NULL
              && satori_gossipsub_mesh_candidate (self, fpeer, (gpointer) topic, now_us))
            g_hash_table_add (mesh, g_bytes_ref (id));
        }
      g_hash_table_remove (self->fanout, topic);
      g_hash_table_remove (self->fanout_last_publish, topic);
    }
  g_autoptr(GPtrArray) more = satori_gossipsub_collect_peers (
    self, topic, satori_gossipsub_mesh_candidate, (gpointer) topic, now_us);
  satori_gossipsub_shuffle (self, more);
  for (guint i = 0; i < more->len && g_hash_table_size (mesh) < self->params.d; i++)
    g_hash_table_add (mesh, g_bytes_ref (g_ptr_array_index (more, i)));

  GBytes *id;
  g_hash_table_iter_init (&iter, mesh);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    satori_gossipsub_send_graft (self, topic, id, now_us);
  satori_gossipsub_flush (self);
}

void
satori_gossipsub_unsubscribe (SatoriPubsubCore *core, const char *topic, gint64 now_us)
{
  SatoriGossipsubSession *self = SESSION (core);
  GHashTableIter iter;
  Peer *peer;

  if (!g_hash_table_remove (self->subscriptions, topic))
    return;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      satori_gossipsub_outbox_add_subscription (peer->outbox, topic, FALSE);
      peer->dirty = TRUE;
    }
  g_autoptr(GHashTable) mesh = NULL;
  g_autofree char *key = NULL;
  g_hash_table_steal_extended (self->mesh, topic, (gpointer *) &key, (gpointer *) &mesh);
  if (mesh != NULL)
    {
      GBytes *id;
      g_hash_table_iter_init (&iter, mesh);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        {
          satori_gossipsub_score_prune (self->score, id, topic, now_us);
          satori_gossipsub_send_prune (self, topic, id, TRUE, TRUE, now_us);
        }
    }
  satori_gossipsub_flush (self);
}

static gboolean
publish_target (SatoriGossipsubSession *self, Peer *peer, gpointer data, gint64 now_us)
{
  return satori_gossipsub_peer_score (self, peer->id, now_us)
         >= self->params.score.publish_threshold;
}

gboolean
satori_gossipsub_fanout_candidate (SatoriGossipsubSession *self, Peer *peer, gpointer data,
                                   gint64 now_us)
{
  return peer->version != PEER_FLOODSUB && publish_target (self, peer, data, now_us);
}

/* The peers a message we publish goes to. */
static GPtrArray *
publish_targets (SatoriGossipsubSession *self, const char *topic, gint64 now_us)
{
  if (self->params.flood_publish)
    return satori_gossipsub_collect_peers (self, topic, publish_target, NULL, now_us);

  GPtrArray *targets = satori_gossipsub_collect_peers (self, topic, satori_gossipsub_floodsub_target, NULL,
                                                       now_us);
  GHashTable *set = g_hash_table_lookup (self->mesh, topic);
  if (set == NULL)
    {
      set = g_hash_table_lookup (self->fanout, topic);
      if (set == NULL)
        {
          set = satori_gossipsub_peer_set_new ();
          g_hash_table_insert (self->fanout, g_strdup (topic), set);
          g_autoptr(GPtrArray) pick = satori_gossipsub_collect_peers (
            self, topic, satori_gossipsub_fanout_candidate, NULL, now_us);
          satori_gossipsub_shuffle (self, pick);
          for (guint i = 0; i < pick->len && i < self->params.d; i++)
            g_hash_table_add (set, g_bytes_ref (g_ptr_array_index (pick, i)));
        }
      g_hash_table_insert (self->fanout_last_publish, g_strdup (topic),
                           g_memdup2 (&now_us, sizeof now_us));
    }
  GHashTableIter iter;
  GBytes *id;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_ptr_array_add (targets, g_bytes_ref (id));
  return targets;
}

gboolean
satori_gossipsub_publish (SatoriPubsubCore *core, const char *topic, GBytes *data, gint64 now_us,
                   GBytes **message_id_out, GError **error)
{
  SatoriGossipsubSession *self = SESSION (core);
  gboolean sign = self->params.signature_policy == SATORI_PUBSUB_STRICT_SIGN;
  g_autoptr(GBytes) seqno = NULL;

  satori_gossipsub_start (self, now_us);
  if (sign && self->key == NULL)
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_SIGN,
                           "StrictSign needs a key to publish with");
      return FALSE;
    }
  if (sign)
    {
      guint64 be = GUINT64_TO_BE (++self->seqno);
      seqno = g_bytes_new (&be, sizeof be);
    }
  g_autoptr(GBytes) message = satori_pubsub_build_message (topic, data, seqno,
                                                           sign ? self->key : NULL, error);
  if (message == NULL)
    return FALSE;
  if (g_bytes_get_size (message) + 16 > self->params.max_rpc_size)
    {
      g_set_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE,
                   "message of %" G_GSIZE_FORMAT " bytes is over the limit of %" G_GSIZE_FORMAT,
                   g_bytes_get_size (message), self->params.max_rpc_size);
      return FALSE;
    }
  gsize len;
  const guint8 *bytes = g_bytes_get_data (message, &len);
  g_autoptr(Satori__Pubsub__Message) decoded = satori__pubsub__message__unpack (NULL, len, bytes);
  g_autoptr(GBytes) id = self->params.message_id_fn (decoded, self->params.message_id_data);
  if (id == NULL)
    {
      g_set_error_literal (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_POLICY,
                           "the message id function gave no id");
      return FALSE;
    }
  satori_pubsub_seen_cache_add (self->seen, id, now_us);
  satori_gossipsub_mcache_put (self->mcache, id, topic, message);

  g_autoptr(GPtrArray) targets = publish_targets (self, topic, now_us);
  for (guint i = 0; i < targets->len; i++)
    satori_gossipsub_send_message (self, g_ptr_array_index (targets, i), id, message, NULL, NULL);
  satori_gossipsub_flush (self);
  if (message_id_out != NULL)
    *message_id_out = g_steal_pointer (&id);
  return TRUE;
}
