/* Tests of the router's parts on their own: the message cache windows,
 * the backoff table, IWANT promises, the outbox's queue policy and the
 * score's decay, retention and cache.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-gossipsub-backoff.h"
#include "satori-gossipsub-mcache.h"
#include "satori-gossipsub-outbox.h"
#include "satori-gossipsub-promises.h"
#include "satori-gossipsub-score.h"
#include "satori-protobuf.h"
#include "satori-pubsub-signing.h"

static GBytes *
bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* 3 windows, 2 gossiped: a message is advertised for 2 heartbeats,
 * served for 3, then gone. */
static void
test_mcache_windows (void)
{
  g_autoptr(SatoriGossipsubMcache) cache = satori_gossipsub_mcache_new (3, 2);
  g_autoptr(GBytes) id = bytes ("id"), message = bytes ("message"), peer = bytes ("peer");
  guint count;

  satori_gossipsub_mcache_put (cache, id, "t", message);
  for (guint beat = 0; beat < 3; beat++)
    {
      g_autoptr(GPtrArray) ids = satori_gossipsub_mcache_gossip_ids (cache, "t");
      g_autoptr(GPtrArray) other = satori_gossipsub_mcache_gossip_ids (cache, "u");
      g_assert_cmpuint (ids->len, ==, beat < 2 ? 1 : 0);
      g_assert_cmpuint (other->len, ==, 0);
      g_assert_nonnull (satori_gossipsub_mcache_get (cache, id));
      satori_gossipsub_mcache_shift (cache);
    }
  g_assert_null (satori_gossipsub_mcache_get (cache, id));
  g_assert_cmpuint (satori_gossipsub_mcache_size (cache), ==, 0);

  satori_gossipsub_mcache_put (cache, id, "t", message);
  g_assert_nonnull (satori_gossipsub_mcache_get_for_peer (cache, id, peer, &count));
  g_assert_cmpuint (count, ==, 1);
  satori_gossipsub_mcache_get_for_peer (cache, id, peer, &count);
  g_assert_cmpuint (count, ==, 2);
}

static void
test_backoff (void)
{
  g_autoptr(SatoriGossipsubBackoff) backoff = satori_gossipsub_backoff_new ();
  g_autoptr(GBytes) peer = bytes ("peer");

  satori_gossipsub_backoff_set (backoff, "t", peer, 100);
  satori_gossipsub_backoff_set (backoff, "t", peer, 50);   /* does not shorten */
  g_assert_true (satori_gossipsub_backoff_active (backoff, "t", peer, 99));
  g_assert_false (satori_gossipsub_backoff_active (backoff, "t", peer, 100));
  g_assert_false (satori_gossipsub_backoff_active (backoff, "u", peer, 0));
  satori_gossipsub_backoff_expire (backoff, 99);
  g_assert_cmpuint (satori_gossipsub_backoff_size (backoff), ==, 1);
  satori_gossipsub_backoff_expire (backoff, 100);
  g_assert_cmpuint (satori_gossipsub_backoff_size (backoff), ==, 0);
}

static void
test_promises (void)
{
  g_autoptr(SatoriGossipsubPromises) promises = satori_gossipsub_promises_new ();
  g_autoptr(GBytes) a = bytes ("a"), b = bytes ("b"), kept = bytes ("kept"),
                    broken = bytes ("broken");

  satori_gossipsub_promises_add (promises, a, kept, 10);
  satori_gossipsub_promises_add (promises, a, broken, 10);
  satori_gossipsub_promises_add (promises, b, broken, 20);
  satori_gossipsub_promises_fulfil (promises, kept);
  g_autoptr(GHashTable) early = satori_gossipsub_promises_take_broken (promises, 9);
  g_assert_cmpuint (g_hash_table_size (early), ==, 0);
  g_autoptr(GHashTable) late = satori_gossipsub_promises_take_broken (promises, 10);
  g_assert_cmpuint (g_hash_table_size (late), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (late, a)), ==, 1);
  g_assert_cmpuint (satori_gossipsub_promises_size (promises), ==, 1);
}

/* What waits for a peer is bounded whatever it is: messages by the queue
 * length and bytes, IWANT/IDONTWANT ids by their cap, IHAVE and mesh state by the
 * topic count (the newest word per topic); nothing is encoded until the
 * peer takes a frame, which then has all of it. */
static void
test_outbox_policy (void)
{
  g_autoptr(SatoriGossipsubOutbox) outbox = satori_gossipsub_outbox_new (1 << 20, 3, 5);
  g_autoptr(GBytes) data = bytes ("data");
  g_autoptr(GBytes) message = satori_pubsub_build_message ("t", data, NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (satori_gossipsub_outbox_has_pending (outbox));
  g_assert_null (satori_gossipsub_outbox_pop (outbox));
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("id%u", i);
      g_autoptr(GBytes) id = bytes (text);
      g_assert_true (satori_gossipsub_outbox_add_message (outbox, id, message) == (i < 3));
      satori_gossipsub_outbox_add_iwant (outbox, id);
      satori_gossipsub_outbox_add_idontwant (outbox, id);
      GPtrArray *ihave = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      g_ptr_array_add (ihave, g_bytes_ref (id));
      satori_gossipsub_outbox_add_ihave (outbox, "t", ihave);
      satori_gossipsub_outbox_add_graft (outbox, "t");
      satori_gossipsub_outbox_add_prune (outbox, "t", NULL, TRUE, 60);
      satori_gossipsub_outbox_add_subscription (outbox, "t", i % 2 == 0);
    }
  g_assert_cmpuint (satori_gossipsub_outbox_get_queued (outbox), ==, 3);
  g_assert_cmpuint (satori_gossipsub_outbox_take_dropped (outbox), ==, 7 + 5 + 5);
  g_assert_cmpuint (satori_gossipsub_outbox_take_dropped (outbox), ==, 0);
  g_autoptr(GBytes) id1 = bytes ("id1");
  g_assert_true (satori_gossipsub_outbox_drop_message (outbox, id1));
  g_assert_false (satori_gossipsub_outbox_drop_message (outbox, id1));

  g_autoptr(GBytes) frame = satori_gossipsub_outbox_pop (outbox);
  g_assert_false (satori_gossipsub_outbox_has_pending (outbox));
  g_assert_null (satori_gossipsub_outbox_pop (outbox));
  gsize len, consumed;
  const guint8 *bytes_in = g_bytes_get_data (frame, &len);
  Satori__Pubsub__RPC *rpc = (Satori__Pubsub__RPC *)
    satori_protobuf_unpack_delimited (&satori__pubsub__rpc__descriptor, bytes_in, len, 1 << 20,
                                      &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rpc->n_publish, ==, 2);
  g_assert_cmpuint (rpc->n_subscriptions, ==, 1);
  g_assert_false (rpc->subscriptions[0]->subscribe);
  g_assert_cmpuint (rpc->control->n_graft, ==, 0);
  g_assert_cmpuint (rpc->control->n_prune, ==, 1);
  g_assert_cmpuint (rpc->control->n_ihave, ==, 1);
  g_assert_cmpmem (rpc->control->ihave[0]->messageids[0].data,
                   rpc->control->ihave[0]->messageids[0].len, "id9", 3);
  g_assert_cmpuint (rpc->control->iwant[0]->n_messageids, ==, 5);
  g_assert_cmpuint (rpc->control->idontwant[0]->n_messageids, ==, 5);
  satori__pubsub__rpc__free_unpacked (rpc, NULL);

  /* A GRAFT after a PRUNE not yet sent replaces it. */
  satori_gossipsub_outbox_add_prune (outbox, "t", NULL, TRUE, 60);
  satori_gossipsub_outbox_add_graft (outbox, "t");
  g_autoptr(GBytes) second = satori_gossipsub_outbox_pop (outbox);
  bytes_in = g_bytes_get_data (second, &len);
  rpc = (Satori__Pubsub__RPC *) satori_protobuf_unpack_delimited (&satori__pubsub__rpc__descriptor,
                                                                  bytes_in, len, 1 << 20, &consumed,
                                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rpc->control->n_graft, ==, 1);
  g_assert_cmpuint (rpc->control->n_prune, ==, 0);
  satori__pubsub__rpc__free_unpacked (rpc, NULL);

  /* Bytes bound the queue too: four frames' worth (4 × 100 here). */
  g_autoptr(SatoriGossipsubOutbox) small = satori_gossipsub_outbox_new (100, 10, 5);
  g_autofree char *text = g_strnfill (150, 'x');
  g_autoptr(GBytes) big = bytes (text);
  g_autoptr(GBytes) id = bytes ("id");
  for (guint i = 0; i < 3; i++)
    g_assert_true (satori_gossipsub_outbox_add_message (small, id, big) == (i < 2));
  g_assert_true (satori_gossipsub_outbox_drop_message (small, id));
  g_assert_true (satori_gossipsub_outbox_add_message (small, id, big));
}

/* P1 grows with time in mesh, P2 with first deliveries; both decay; P3
 * applies after activation; a negative score is kept after disconnect,
 * a positive one is not. */
static void
test_score (void)
{
  SatoriGossipsubParams params;
  SatoriGossipsubTopicScoreParams topic;
  g_autoptr(GBytes) peer = bytes ("peer"), id = bytes ("id"), id2 = bytes ("id2");
  SatoriGossipsubScoreCounters counters;
  gint64 s = G_USEC_PER_SEC;

  satori_gossipsub_params_init_default (&params);
  satori_gossipsub_topic_score_params_init_default (&topic);
  topic.mesh_message_deliveries_weight = -1;
  topic.mesh_message_deliveries_threshold = 4;
  topic.mesh_message_deliveries_activation_us = 2 * s;
  satori_gossipsub_params_set_topic_score (&params, "t", &topic);
  g_autoptr(SatoriGossipsubScore) score = satori_gossipsub_score_new (&params.score, 120 * s);

  satori_gossipsub_score_add_peer (score, peer);
  satori_gossipsub_score_graft (score, peer, "t", 0);
  satori_gossipsub_score_validate (score, peer, id, 0);
  satori_gossipsub_score_deliver (score, peer, id, "t", 0);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, peer, 10 * s),
                                  10 * 0.01 + 1, 1e-9);
  satori_gossipsub_score_refresh (score, s);
  g_assert_true (satori_gossipsub_score_get_counters (score, peer, "t", s, &counters));
  g_assert_cmpfloat (counters.first_message_deliveries, ==, 0.5);
  g_assert_cmpfloat (counters.mesh_message_deliveries, ==, 0.5);

  /* Activated at 3 s with 0.25 deliveries: deficit 3.75, squared. */
  satori_gossipsub_score_refresh (score, 3 * s);
  double expected = 3 * 0.01 + 0.25 - 3.75 * 3.75;
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, peer, 3 * s), expected,
                                  1e-9);
  /* Pruned while owing: the deficit goes to P3b (weight 0 by default). */
  satori_gossipsub_score_prune (score, peer, "t", 3 * s);
  g_assert_true (satori_gossipsub_score_get_counters (score, peer, "t", 3 * s, &counters));
  g_assert_cmpfloat_with_epsilon (counters.mesh_failure_penalty, 3.75 * 3.75, 1e-9);

  /* Invalid: P4 squared; retained after disconnect. */
  satori_gossipsub_score_validate (score, peer, id2, 3 * s);
  satori_gossipsub_score_reject (score, peer, id2, "t");
  satori_gossipsub_score_add_penalty (score, peer, 10);
  g_assert_cmpfloat (satori_gossipsub_score_get (score, peer, 3 * s), <, 0);
  satori_gossipsub_score_remove_peer (score, peer, 3 * s);
  g_assert_cmpuint (satori_gossipsub_score_n_peers (score), ==, 1);
  satori_gossipsub_score_refresh (score, 3 * s + params.score.retain_score_us);
  g_assert_cmpuint (satori_gossipsub_score_n_peers (score), ==, 0);
  satori_gossipsub_params_clear (&params);
}

/* The score is cached between changes: every change that matters shows
 * in the next lookup, and P1 moves at whole quanta. */
static void
test_score_cached (void)
{
  SatoriGossipsubParams params;
  SatoriGossipsubTopicScoreParams topic;
  g_autoptr(GBytes) a = bytes ("a"), b = bytes ("b"), id = bytes ("id");
  gint64 s = G_USEC_PER_SEC;

  satori_gossipsub_params_init_default (&params);
  satori_gossipsub_topic_score_params_init_default (&topic);
  satori_gossipsub_params_set_topic_score (&params, "t", &topic);
  g_autoptr(SatoriGossipsubScore) score = satori_gossipsub_score_new (&params.score, 120 * s);
  satori_gossipsub_score_add_peer (score, a);
  satori_gossipsub_score_add_peer (score, b);
  satori_gossipsub_score_graft (score, a, "t", 0);

  /* P1: 0.01 per whole second in the mesh. */
  g_assert_cmpfloat (satori_gossipsub_score_get (score, a, s / 2), ==, 0);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, s), 0.01, 1e-9);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s - 1), 0.01, 1e-9);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s), 0.02, 1e-9);
  /* P2: a first delivery. */
  satori_gossipsub_score_validate (score, a, id, 2 * s);
  satori_gossipsub_score_deliver (score, a, id, "t", 2 * s);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s), 1.02, 1e-9);
  /* P6: b joins a's IP (threshold 1, weight −1), then leaves it. */
  satori_gossipsub_score_set_ip (score, a, "192.0.2.1");
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s), 1.02, 1e-9);
  satori_gossipsub_score_set_ip (score, b, "192.0.2.1");
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s), 0.02, 1e-9);
  satori_gossipsub_score_set_ip (score, b, "192.0.2.2");
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s), 1.02, 1e-9);
  /* P5 and P7. */
  satori_gossipsub_score_set_app_score (score, a, 3);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s), 4.02, 1e-9);
  satori_gossipsub_score_add_penalty (score, a, 2);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s), 0.02, 1e-9);
  /* Decay: P2 halves, P7 × 0.99. */
  satori_gossipsub_score_refresh (score, 2 * s);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 2 * s),
                                  0.02 + 0.5 + 3 - 1.98 * 1.98, 1e-9);
  /* P1 stops when pruned. */
  satori_gossipsub_score_prune (score, a, "t", 2 * s);
  g_assert_cmpfloat_with_epsilon (satori_gossipsub_score_get (score, a, 9 * s),
                                  0.5 + 3 - 1.98 * 1.98, 1e-9);
  satori_gossipsub_params_clear (&params);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gossipsub/mcache/windows", test_mcache_windows);
  g_test_add_func ("/gossipsub/backoff/expiry", test_backoff);
  g_test_add_func ("/gossipsub/promises/broken", test_promises);
  g_test_add_func ("/gossipsub/outbox/policy", test_outbox_policy);
  g_test_add_func ("/gossipsub/score/counters-decay-retention", test_score);
  g_test_add_func ("/gossipsub/score/cached", test_score_cached);
  return g_test_run ();
}
