/* Tests of the gossipsub router's defences: scoring of invalid messages
 * (P4), graylisting, GRAFT during backoff, StrictSign, peer exchange.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gossipsub-test-net.h"
#include "satori-pubsub-rpc-writer.h"
#include "satori-pubsub-signing.h"
#include "satori-test-util.h"

#define TOPIC "satori/test"

static SatoriGossipsubParams params;

static void
reset_params (void)
{
  satori_gossipsub_params_clear (&params);
  satori_gossipsub_params_init_default (&params);
  SatoriGossipsubTopicScoreParams topic;
  satori_gossipsub_topic_score_params_init_default (&topic);
  satori_gossipsub_params_set_topic_score (&params, TOPIC, &topic);
}

static TestNet *
pair (const char *protocol)
{
  TestNet *net = test_net_new (2, &params);
  test_net_connect (net, 0, 1, protocol);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 1));
  return net;
}

/* A frame with one message, as node @from would sign it, then tampered. */
static GBytes *
frame_with_message (TestNet *net, guint from, const char *text, gboolean tamper)
{
  static guint64 seqno = 1;
  TestNode *node = test_net_node (net, from);
  guint64 be = GUINT64_TO_BE (seqno++);
  g_autoptr(GBytes) seq = g_bytes_new (&be, sizeof be);
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) message = satori_pubsub_build_message (TOPIC, data, seq, node->key, NULL);
  if (tamper)
    {
      /* Flip the last byte of the data field ("…x" → "…y"). */
      gsize len;
      guint8 *bytes = g_bytes_unref_to_data (g_steal_pointer (&message), &len);
      guint8 *hit = memmem (bytes, len, text, strlen (text));
      hit[strlen (text) - 1] ^= 1;
      message = g_bytes_new_take (bytes, len);
    }
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  satori_pubsub_rpc_writer_add_message (writer, message);
  return satori_pubsub_rpc_writer_finish (writer);
}

static void
answer_validations (TestNet *net, guint node, SatoriPubsubCoreVerdict verdict)
{
  TestNode *n = test_net_node (net, node);
  for (guint i = 0; i < n->events->len; i++)
    {
      SatoriPubsubCoreEvent *event = n->events->pdata[i];
      if (event->type == SATORI_PUBSUB_CORE_EVENT_VALIDATE)
        n->core->klass->report_validation (n->core, event->message_id, verdict, net->now_us);
    }
  g_ptr_array_set_size (n->events, 0);
  test_net_pump (net);
}

/* The application rejects node 1's message: node 0 counts an invalid
 * delivery (P4) and the score goes negative; the message is not relayed. */
static void
test_rejected_lowers_p4 (void)
{
  g_autoptr(TestNet) net = pair (SATORI_GOSSIPSUB_PROTOCOL_1_2);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  SatoriGossipsubScoreCounters counters;

  a->core->klass->set_topic_validated (a->core, TOPIC, TRUE);
  g_autoptr(GBytes) id = test_net_publish (net, 1, TOPIC, "bad");
  test_net_pump (net);
  g_assert_cmpuint (test_node_count_events (a, SATORI_PUBSUB_CORE_EVENT_VALIDATE), ==, 1);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 0);
  answer_validations (net, 0, SATORI_PUBSUB_CORE_REJECT);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 0);
  g_assert_true (satori_gossipsub_session_get_score_counters (a->core, b->id, TOPIC,
                                                              net->now_us, &counters));
  g_assert_cmpfloat (counters.invalid_message_deliveries, ==, 1);
  g_assert_cmpfloat (counters.first_message_deliveries, ==, 0);

  /* An accepted one earns P2 instead. */
  g_autoptr(GBytes) good = test_net_publish (net, 1, TOPIC, "good");
  test_net_pump (net);
  answer_validations (net, 0, SATORI_PUBSUB_CORE_ACCEPT);
  g_assert_cmpuint (test_net_count_delivered (net, good), ==, 1);
  g_assert_true (satori_gossipsub_session_get_score_counters (a->core, b->id, TOPIC,
                                                              net->now_us, &counters));
  g_assert_cmpfloat (counters.first_message_deliveries, ==, 1);

  /* Ignore: neither. */
  g_autoptr(GBytes) meh = test_net_publish (net, 1, TOPIC, "meh");
  test_net_pump (net);
  answer_validations (net, 0, SATORI_PUBSUB_CORE_IGNORE);
  g_assert_cmpuint (test_net_count_delivered (net, meh), ==, 0);
  g_assert_true (satori_gossipsub_session_get_score_counters (a->core, b->id, TOPIC,
                                                              net->now_us, &counters));
  g_assert_cmpfloat (counters.first_message_deliveries, ==, 1);
  g_assert_cmpfloat (counters.invalid_message_deliveries, ==, 1);
}

/* StrictSign: unsigned and tampered messages are rejected before any
 * validator and count as invalid deliveries. Nine of them (−81) put
 * node 1 under the graylist threshold (−80): then even its valid messages are
 * dropped unread, until the penalty decays. */
static void
test_strict_sign_and_graylist (void)
{
  g_autoptr(TestNet) net = pair (SATORI_GOSSIPSUB_PROTOCOL_1_2);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  SatoriGossipsubStats stats;
  g_autoptr(GError) error = NULL;

  /* Unsigned. */
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  g_autoptr(GBytes) data = g_bytes_new_static ("anon", 4);
  g_autoptr(GBytes) anonymous = satori_pubsub_build_message (TOPIC, data, NULL, NULL, NULL);
  satori_pubsub_rpc_writer_add_message (writer, anonymous);
  g_autoptr(GBytes) unsigned_frame = satori_pubsub_rpc_writer_finish (writer);
  g_assert_true (test_net_inject (net, 1, 0, unsigned_frame, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GBytes) frame = frame_with_message (net, 1, "tampered", TRUE);
      g_assert_true (test_net_inject (net, 1, 0, frame, NULL));
    }
  test_net_pump (net);
  g_assert_cmpuint (a->messages->len, ==, 0);
  satori_gossipsub_session_get_stats (a->core, &stats);
  g_assert_cmpuint (stats.rejected, ==, 9);
  g_assert_cmpfloat (satori_gossipsub_session_get_peer_score (a->core, b->id, net->now_us), <,
                     params.score.graylist_threshold);

  g_autoptr(GBytes) valid = frame_with_message (net, 1, "valid", FALSE);
  g_assert_true (test_net_inject (net, 1, 0, valid, NULL));
  test_net_pump (net);
  g_assert_cmpuint (a->messages->len, ==, 0);
  satori_gossipsub_session_get_stats (a->core, &stats);
  g_assert_cmpuint (stats.graylisted_rpcs, ==, 1);
  /* Negative: out of the mesh at the next heartbeat. */
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));

  /* P4 decays (×0.3 a second): after a while node 1 is heard again. */
  test_net_advance (net, 10 * G_USEC_PER_SEC);
  g_autoptr(GBytes) later = frame_with_message (net, 1, "later", FALSE);
  g_assert_true (test_net_inject (net, 1, 0, later, NULL));
  test_net_pump (net);
  g_assert_cmpuint (a->messages->len, ==, 1);
}

static void
inject_graft (TestNet *net, guint from, guint to)
{
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__ControlGraft graft = SATORI__PUBSUB__CONTROL_GRAFT__INIT;
  Satori__Pubsub__ControlGraft *grafts[] = { &graft };

  graft.topicid = (char *) TOPIC;
  control.n_graft = 1;
  control.graft = grafts;
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  satori_pubsub_rpc_writer_set_control (writer, &control);
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (writer);
  g_assert_true (test_net_inject (net, from, to, frame, NULL));
}

/* A GRAFT during a backoff costs a behaviour penalty and is answered with
 * PRUNE (which starts a full prune backoff); one within
 * graft_flood_threshold (10 s) of that PRUNE costs two. */
static void
test_graft_during_backoff_penalised (void)
{
  g_autoptr(TestNet) net = pair (SATORI_GOSSIPSUB_PROTOCOL_1_1);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  SatoriGossipsubStats stats;

  /* Leaving and joining again: a is in (unsubscribe) backoff for b. */
  a->core->klass->unsubscribe (a->core, TOPIC, net->now_us);
  a->core->klass->subscribe (a->core, TOPIC, net->now_us);
  test_net_pump (net);
  g_assert_true (satori_gossipsub_session_in_backoff (a->core, TOPIC, b->id, net->now_us));

  inject_graft (net, 1, 0);
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (a->core, b->id), ==, 1);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));
  inject_graft (net, 1, 0);
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (a->core, b->id), ==, 3);
  satori_gossipsub_session_get_stats (a->core, &stats);
  g_assert_cmpuint (stats.grafts_refused, ==, 2);

  test_net_advance (net, 15 * G_USEC_PER_SEC);
  double before = satori_gossipsub_session_get_behaviour_penalty (a->core, b->id);
  inject_graft (net, 1, 0);
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (a->core, b->id) - before,
                     ==, 1);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));
  test_net_pump (net);
}

static GBytes *
prune_with_px (TestNet *net, GBytes *offered)
{
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__ControlPrune prune = SATORI__PUBSUB__CONTROL_PRUNE__INIT;
  Satori__Pubsub__ControlPrune *prunes[] = { &prune };
  Satori__Pubsub__PeerInfo info = SATORI__PUBSUB__PEER_INFO__INIT;
  Satori__Pubsub__PeerInfo *infos[] = { &info };
  gsize len;

  info.has_peerid = TRUE;
  info.peerid.data = (guint8 *) g_bytes_get_data (offered, &len);
  info.peerid.len = len;
  prune.topicid = (char *) TOPIC;
  prune.n_peers = 1;
  prune.peers = infos;
  prune.has_backoff = TRUE;
  prune.backoff = 60;
  control.n_prune = 1;
  control.prune = prunes;
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  satori_pubsub_rpc_writer_set_control (writer, &control);
  return satori_pubsub_rpc_writer_finish (writer);
}

/* PX is followed only from a peer scored at least accept_px_threshold. */
static void
test_px_needs_score (void)
{
  g_autoptr(TestNet) net = pair (SATORI_GOSSIPSUB_PROTOCOL_1_1);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  g_autoptr(GBytes) stranger = satori_test_bytes_from_hex (
    "0025080212210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");

  g_autoptr(GBytes) first = prune_with_px (net, stranger);
  g_assert_true (test_net_inject (net, 1, 0, first, NULL));
  g_assert_cmpuint (test_node_count_events (a, SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER), ==, 0);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));

  satori_gossipsub_session_set_app_score (a->core, b->id, 20);
  g_autoptr(GBytes) second = prune_with_px (net, stranger);
  g_assert_true (test_net_inject (net, 1, 0, second, NULL));
  test_net_pump (net);
  g_assert_cmpuint (test_node_count_events (a, SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  satori_gossipsub_params_init_default (&params);
  reset_params ();
  g_test_add_func ("/gossipsub/score/rejected-lowers-p4", test_rejected_lowers_p4);
  g_test_add_func ("/gossipsub/score/strict-sign-and-graylist", test_strict_sign_and_graylist);
  g_test_add_func ("/gossipsub/score/graft-during-backoff-penalised",
                   test_graft_during_backoff_penalised);
  g_test_add_func ("/gossipsub/score/px-needs-score", test_px_needs_score);
  int result = g_test_run ();
  satori_gossipsub_params_clear (&params);
  return result;
}
