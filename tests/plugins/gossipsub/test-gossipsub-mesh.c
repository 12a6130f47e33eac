/* Tests of the gossipsub router's routing: mesh formation and its degree
 * bounds, GRAFT/PRUNE with backoff, delivery, flood publishing, fanout,
 * and IHAVE/IWANT recovery of a lost message.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gossipsub-test-net.h"

#define TOPIC "satori/test"

static SatoriGossipsubParams params;

static void
reset_params (void)
{
  satori_gossipsub_params_clear (&params);
  satori_gossipsub_params_init_default (&params);
}

static void
test_graft_on_subscribe (void)
{
  g_autoptr(TestNet) net = test_net_new (2, &params);

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_pump (net);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));
  test_net_subscribe_all (net, TOPIC);
  /* Node 0 subscribed before it knew 1 was: the heartbeat grafts. */
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 1));
  g_assert_true (test_node_in_mesh (net, 1, TOPIC, 0));
  g_assert_cmpuint (test_node_count_events (test_net_node (net, 0),
                                            SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION), ==, 1);
}

/* 30 fully connected nodes: every mesh ends within [D_low, D_high] and
 * is symmetric. */
static void
test_degree_bounds (void)
{
  g_autoptr(TestNet) net = test_net_new (30, &params);

  for (guint i = 0; i < 30; i++)
    for (guint j = i + 1; j < 30; j++)
      test_net_connect (net, i, j, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, 5 * G_USEC_PER_SEC);
  for (guint i = 0; i < 30; i++)
    {
      gsize size = test_node_mesh_size (net, i, TOPIC);
      g_assert_cmpuint (size, >=, params.d_low);
      g_assert_cmpuint (size, <=, params.d_high);
      for (guint j = 0; j < 30; j++)
        if (i != j)
          g_assert_cmpint (test_node_in_mesh (net, i, TOPIC, j), ==,
                           test_node_in_mesh (net, j, TOPIC, i));
    }
}

/* 50 nodes in a sparse random graph: every message reaches every node
 * exactly once, through the mesh only (no flood publish). */
static void
test_delivery (void)
{
  params.flood_publish = FALSE;
  g_autoptr(TestNet) net = test_net_new (50, &params);

  test_net_connect_random (net, 4);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, 3 * G_USEC_PER_SEC);
  for (guint k = 0; k < 10; k++)
    {
      g_autoptr(GBytes) id = test_net_publish (net, (k * 7) % 50, TOPIC, "hello");
      test_net_pump (net);
      /* Everyone but the publisher. */
      g_assert_cmpuint (test_net_count_delivered (net, id), ==, 49);
    }
  reset_params ();
}

/* After an unsubscribe, the PRUNE tells the peer to back off: it does not
 * GRAFT again before the unsubscribe backoff (10 s) is over. */
static void
test_prune_backoff (void)
{
  g_autoptr(TestNet) net = test_net_new (2, &params);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_true (test_node_in_mesh (net, 1, TOPIC, 0));

  a->core->klass->unsubscribe (a->core, TOPIC, net->now_us);
  test_net_pump (net);
  g_assert_false (test_node_in_mesh (net, 1, TOPIC, 0));
  g_assert_true (satori_gossipsub_session_in_backoff (b->core, TOPIC, a->id, net->now_us));
  a->core->klass->subscribe (a->core, TOPIC, net->now_us);
  test_net_pump (net);
  /* a is in backoff for b too (it pruned b): nobody grafts. */
  test_net_advance (net, 5 * G_USEC_PER_SEC);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));
  g_assert_false (test_node_in_mesh (net, 1, TOPIC, 0));
  /* Once the backoff is over, the heartbeat grafts again. */
  test_net_advance (net, 7 * G_USEC_PER_SEC);
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 1));
  g_assert_true (test_node_in_mesh (net, 1, TOPIC, 0));
}

static gboolean
count_from_0 (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc, gpointer data)
{
  if (from == 0 && rpc->n_publish > 0)
    (*(guint *) data)++;
  return TRUE;
}

/* Flood publish: our own message goes straight to every topic peer, not
 * only to the mesh. */
static void
test_flood_publish (void)
{
  params.d = 2;
  params.d_low = 1;
  params.d_high = 3;
  params.d_score = 1;
  params.d_out = 0;
  g_autoptr(TestNet) net = test_net_new (9, &params);
  guint sent = 0;

  for (guint i = 1; i < 9; i++)
    test_net_connect (net, 0, i, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (test_node_mesh_size (net, 0, TOPIC), <=, 3);

  net->filter = count_from_0;
  net->filter_data = &sent;
  g_autoptr(GBytes) id = test_net_publish (net, 0, TOPIC, "flood");
  test_net_pump (net);
  g_assert_cmpuint (sent, ==, 8);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 8);
  reset_params ();
}

/* Publishing to a topic we do not subscribe to goes to D fanout peers,
 * which relay it through their mesh; the fanout expires after its TTL. */
static void
test_fanout (void)
{
  params.flood_publish = FALSE;
  g_autoptr(TestNet) net = test_net_new (12, &params);
  TestNode *publisher = test_net_node (net, 0);
  guint sent = 0;

  for (guint i = 1; i < 12; i++)
    {
      test_net_connect (net, 0, i, SATORI_GOSSIPSUB_PROTOCOL_1_2);
      for (guint j = i + 1; j < 12; j++)
        test_net_connect (net, i, j, SATORI_GOSSIPSUB_PROTOCOL_1_2);
      TestNode *node = test_net_node (net, i);
      node->core->klass->subscribe (node->core, TOPIC, net->now_us);
    }
  test_net_pump (net);
  test_net_advance (net, 2 * G_USEC_PER_SEC);

  net->filter = count_from_0;
  net->filter_data = &sent;
  g_autoptr(GBytes) id = test_net_publish (net, 0, TOPIC, "fanout");
  test_net_pump (net);
  g_autoptr(GPtrArray) fanout = satori_gossipsub_session_get_fanout_peers (publisher->core, TOPIC);
  g_assert_cmpuint (fanout->len, ==, params.d);
  g_assert_cmpuint (sent, ==, params.d);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 11);

  test_net_advance (net, params.fanout_ttl_us + 2 * G_USEC_PER_SEC);
  g_autoptr(GPtrArray) expired = satori_gossipsub_session_get_fanout_peers (publisher->core,
                                                                            TOPIC);
  g_assert_cmpuint (expired->len, ==, 0);
  reset_params ();
}

typedef struct {
  gboolean drop_messages;
  gboolean drop_iwant_answers;
  guint ihave, iwant;
} LossPlan;

/* Drops the published message from 0 to 1, and counts gossip. */
static gboolean
lose_message (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc, gpointer data)
{
  LossPlan *plan = data;
  if (rpc->control != NULL)
    {
      plan->ihave += rpc->control->n_ihave;
      plan->iwant += rpc->control->n_iwant;
    }
  if (from == 0 && rpc->n_publish > 0)
    {
      if (plan->iwant == 0)
        return !plan->drop_messages;
      return !plan->drop_iwant_answers;
    }
  return TRUE;
}

/* Node 0 accepts nobody in its mesh (D = 0), so its message reaches node 1
 * by flood publish only; that frame is lost. The next heartbeat's IHAVE
 * makes node 1 ask with IWANT and get it. */
static void
test_gossip_recovers_lost_message (void)
{
  params.d = params.d_low = params.d_high = params.d_score = params.d_out = 0;
  g_autoptr(TestNet) net = test_net_new (2, &params);
  LossPlan plan = { TRUE, FALSE, 0, 0 };

  test_net_connect (net, 1, 0, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  net->filter = lose_message;
  net->filter_data = &plan;

  g_autoptr(GBytes) id = test_net_publish (net, 0, TOPIC, "lost");
  test_net_pump (net);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 0);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_cmpuint (plan.ihave, >=, 1);
  g_assert_cmpuint (plan.iwant, ==, 1);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 1);
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (
    test_net_node (net, 1)->core, test_net_node (net, 0)->id), ==, 0);
  reset_params ();
}

/* The same, but the IWANT answer is lost too: node 0 broke its promise,
 * and node 1 penalises it once the follow-up time (3 s) is over. */
static void
test_broken_promise_penalised (void)
{
  params.d = params.d_low = params.d_high = params.d_score = params.d_out = 0;
  params.gossip_retransmission = 1;
  g_autoptr(TestNet) net = test_net_new (2, &params);
  LossPlan plan = { TRUE, TRUE, 0, 0 };
  TestNode *b = test_net_node (net, 1);

  test_net_connect (net, 1, 0, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  net->filter = lose_message;
  net->filter_data = &plan;

  g_autoptr(GBytes) id = test_net_publish (net, 0, TOPIC, "lost twice");
  test_net_pump (net);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_cmpuint (plan.iwant, >=, 1);
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (
    b->core, test_net_node (net, 0)->id), ==, 0);
  test_net_advance (net, 4 * G_USEC_PER_SEC);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 0);
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (
    b->core, test_net_node (net, 0)->id), >, 0);
  reset_params ();
}

/* Node 0 dialed 3 of its 16 peers; the 13 others dialed it. When the
 * heartbeat cuts its mesh down to D, at least D_out outbound peers stay. */
static void
test_outbound_quota (void)
{
  g_autoptr(TestNet) net = test_net_new (17, &params);
  TestNode *a = test_net_node (net, 0);

  for (guint i = 1; i <= 13; i++)
    test_net_connect (net, i, 0, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  for (guint i = 14; i <= 16; i++)
    test_net_connect (net, 0, i, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_subscribe_all (net, TOPIC);
  for (guint beat = 0; beat < 5; beat++)
    {
      test_net_advance (net, G_USEC_PER_SEC);
      g_autoptr(GPtrArray) mesh = satori_gossipsub_session_get_mesh_peers (a->core, TOPIC);
      guint outbound = 0;
      for (guint i = 0; i < mesh->len; i++)
        outbound += test_net_index_of (net, mesh->pdata[i]) >= 14;
      /* GRAFTs from outbound peers are taken even above D_high. */
      g_assert_cmpuint (mesh->len, <=, params.d_high + 3);
      g_assert_cmpuint (outbound, >=, params.d_out);
    }
}

static gboolean
drop_grafts_from_3 (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc,
                    gpointer data)
{
  return !(from == 3 && rpc->control != NULL && rpc->control->n_graft > 0);
}

/* Node 0's mesh is full (D_high = 2) with peers scored 0, under the
 * opportunistic_graft_threshold (5); node 3 is a topic peer outside it
 * (its own GRAFTs are lost). Every opportunistic_graft_ticks heartbeats
 * node 0 grafts peers scoring above its mesh's median: not node 3 while it
 * scores 0, node 3 once it scores 10. */
static void
test_opportunistic_graft (void)
{
  params.d = 2;
  params.d_low = 1;
  params.d_high = 2;
  params.d_score = 2;
  params.d_out = 0;
  params.opportunistic_graft_ticks = 2;
  params.opportunistic_graft_peers = 1;
  g_autoptr(TestNet) net = test_net_new (4, &params);
  TestNode *a = test_net_node (net, 0), *late = test_net_node (net, 3);

  test_net_connect (net, 1, 0, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_connect (net, 2, 0, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_cmpuint (test_node_mesh_size (net, 0, TOPIC), ==, 2);

  net->filter = drop_grafts_from_3;
  test_net_connect (net, 3, 0, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_advance (net, 3 * G_USEC_PER_SEC);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 3));

  satori_gossipsub_session_set_app_score (a->core, late->id, 10);
  test_net_advance (net, 3 * G_USEC_PER_SEC);
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 3));
  reset_params ();
}

/* Node 0 has a peering agreement with node 1: 1 is never in 0's mesh (its
 * GRAFT is refused without penalty), yet gets every message; when it is
 * gone, 0 asks for it again every direct_connect_ticks heartbeats. */
static void
test_direct_peer (void)
{
  g_autoptr(TestNet) probe = test_net_new (2, &params);
  SatoriGossipsubParams direct = params;
  direct.direct_peers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (direct.direct_peers, g_bytes_ref (test_net_node (probe, 1)->id));
  direct.direct_connect_ticks = 3;
  g_autoptr(TestNet) net = test_net_new (3, &direct);
  g_ptr_array_unref (direct.direct_peers);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_connect (net, 0, 2, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, 2 * G_USEC_PER_SEC);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 2));
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (a->core, b->id), ==, 0);

  g_autoptr(GBytes) id = test_net_publish (net, 2, TOPIC, "direct");
  test_net_pump (net);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 2);

  a->core->klass->remove_peer (a->core, b->id, net->now_us);
  b->core->klass->remove_peer (b->core, a->id, net->now_us);
  guint before = test_node_count_events (a, SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER);
  test_net_advance (net, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (test_node_count_events (a, SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER), ==,
                    before + 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  satori_gossipsub_params_init_default (&params);
  g_test_add_func ("/gossipsub/mesh/graft-on-subscribe", test_graft_on_subscribe);
  g_test_add_func ("/gossipsub/mesh/degree-bounds", test_degree_bounds);
  g_test_add_func ("/gossipsub/mesh/prune-backoff", test_prune_backoff);
  g_test_add_func ("/gossipsub/publish/delivery", test_delivery);
  g_test_add_func ("/gossipsub/publish/flood", test_flood_publish);
  g_test_add_func ("/gossipsub/publish/fanout", test_fanout);
  g_test_add_func ("/gossipsub/gossip/iwant-recovers-lost-message",
                   test_gossip_recovers_lost_message);
  g_test_add_func ("/gossipsub/gossip/broken-promise-penalised", test_broken_promise_penalised);
  g_test_add_func ("/gossipsub/direct/forwarded-never-grafted", test_direct_peer);
  g_test_add_func ("/gossipsub/mesh/outbound-quota", test_outbound_quota);
  g_test_add_func ("/gossipsub/mesh/opportunistic-graft", test_opportunistic_graft);
  int result = g_test_run ();
  satori_gossipsub_params_clear (&params);
  return result;
}
