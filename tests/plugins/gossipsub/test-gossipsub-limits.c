/* Tests of the gossipsub router's limits and version handling: IDONTWANT,
 * the outbound queue bound, oversized and malformed input, IHAVE floods,
 * and what v1.0 and floodsub peers get.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gossipsub-test-net.h"
#include "satori-pubsub-error.h"
#include "satori-pubsub-rpc-writer.h"

#define TOPIC "satori/test"

static SatoriGossipsubParams params;

static void
reset_params (void)
{
  satori_gossipsub_params_clear (&params);
  satori_gossipsub_params_init_default (&params);
}

static GBytes *
control_frame (const Satori__Pubsub__ControlMessage *control)
{
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  satori_pubsub_rpc_writer_set_control (writer, control);
  return satori_pubsub_rpc_writer_finish (writer);
}

static GBytes *
sha256_of (const char *text)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_checksum_update (sha, (const guchar *) text, strlen (text));
  g_checksum_get_digest (sha, digest, &len);
  return g_bytes_new (digest, len);
}

static gboolean
count_messages_to_1 (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc,
                     gpointer data)
{
  if (to == 1)
    *(guint *) data += rpc->n_publish;
  return TRUE;
}

/* With content-addressed ids (StrictNoSign) the id is known in advance:
 * a v1.2 peer that said IDONTWANT for it does not get the message; a v1.1
 * peer's IDONTWANT means nothing. */
static void
idontwant_case (const char *protocol, guint expected)
{
  /* The default id function gives way to content ids by itself. */
  params.signature_policy = SATORI_PUBSUB_STRICT_NO_SIGN;
  g_autoptr(TestNet) net = test_net_new (2, &params);
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__ControlIDontWant idontwant = SATORI__PUBSUB__CONTROL_IDONT_WANT__INIT;
  Satori__Pubsub__ControlIDontWant *list[] = { &idontwant };
  g_autoptr(GBytes) id = sha256_of ("unwanted");
  ProtobufCBinaryData binary = { g_bytes_get_size (id), (guint8 *) g_bytes_get_data (id, NULL) };
  guint sent = 0;

  test_net_connect (net, 0, 1, protocol);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  idontwant.n_messageids = 1;
  idontwant.messageids = &binary;
  control.n_idontwant = 1;
  control.idontwant = list;
  g_autoptr(GBytes) frame = control_frame (&control);
  g_assert_true (test_net_inject (net, 1, 0, frame, NULL));

  net->filter = count_messages_to_1;
  net->filter_data = &sent;
  g_autoptr(GBytes) published = test_net_publish (net, 0, TOPIC, "unwanted");
  g_assert_true (g_bytes_equal (published, id));
  test_net_pump (net);
  g_assert_cmpuint (sent, ==, expected);
  reset_params ();
}

static void
test_idontwant_suppresses_send (void)
{
  idontwant_case (SATORI_GOSSIPSUB_PROTOCOL_1_2, 0);
  idontwant_case (SATORI_GOSSIPSUB_PROTOCOL_1_1, 1);
}

/* An IDONTWANT that comes while the message still waits for the peer
 * (it has not read yet) takes it out of the queue: our own publish here. */
static void
test_idontwant_drops_queued (void)
{
  params.signature_policy = SATORI_PUBSUB_STRICT_NO_SIGN;
  g_autoptr(TestNet) net = test_net_new (2, &params);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__ControlIDontWant idontwant = SATORI__PUBSUB__CONTROL_IDONT_WANT__INIT;
  Satori__Pubsub__ControlIDontWant *list[] = { &idontwant };
  SatoriGossipsubStats stats;

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  g_autoptr(GBytes) kept = test_net_publish (net, 0, TOPIC, "kept");
  g_autoptr(GBytes) id = test_net_publish (net, 0, TOPIC, "unwanted");
  g_assert_cmpuint (satori_gossipsub_session_get_queued (a->core, b->id), ==, 2);

  ProtobufCBinaryData binary = { g_bytes_get_size (id), (guint8 *) g_bytes_get_data (id, NULL) };
  idontwant.n_messageids = 1;
  idontwant.messageids = &binary;
  control.n_idontwant = 1;
  control.idontwant = list;
  g_autoptr(GBytes) frame = control_frame (&control);
  g_assert_true (test_net_inject (net, 1, 0, frame, NULL));
  g_assert_cmpuint (satori_gossipsub_session_get_queued (a->core, b->id), ==, 1);
  satori_gossipsub_session_get_stats (a->core, &stats);
  g_assert_cmpuint (stats.idontwant_skipped, ==, 1);

  test_net_pump (net);
  g_assert_cmpuint (test_net_count_delivered (net, kept), ==, 1);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 0);
  reset_params ();
}

static gboolean
count_idontwant (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc,
                 gpointer data)
{
  guint *counts = data;
  if (from == 0 && rpc->control != NULL)
    counts[to] += rpc->control->n_idontwant;
  return TRUE;
}

/* Node 0 relays for 1; its mesh peers are 1 (v1.2, the sender), 2 (v1.1)
 * and 3 (v1.2): only 3 is told IDONTWANT, and only for a large message. */
static void
test_idontwant_sent_for_large (void)
{
  g_autoptr(TestNet) net = test_net_new (4, &params);
  guint counts[4] = { 0 };
  g_autofree char *large = g_strnfill (2000, 'x');

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_connect (net, 0, 2, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_connect (net, 0, 3, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_cmpuint (test_node_mesh_size (net, 0, TOPIC), ==, 3);

  net->filter = count_idontwant;
  net->filter_data = counts;
  g_autoptr(GBytes) small = test_net_publish (net, 1, TOPIC, "small");
  test_net_pump (net);
  g_assert_cmpuint (counts[1] + counts[2] + counts[3], ==, 0);
  g_assert_cmpuint (test_net_count_delivered (net, small), ==, 3);
  g_autoptr(GBytes) big = test_net_publish (net, 1, TOPIC, large);
  test_net_pump (net);
  g_assert_cmpuint (counts[1], ==, 0);
  g_assert_cmpuint (counts[2], ==, 0);
  g_assert_cmpuint (counts[3], ==, 1);
  g_assert_cmpuint (test_net_count_delivered (net, big), ==, 3);
}

/* Nodes 0 and 1 in each other's mesh, four messages at most waiting for a
 * peer. */
static TestNet *
short_queue_pair (void)
{
  params.max_outbound_queue = 4;
  TestNet *net = test_net_new (2, &params);
  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 1));
  return net;
}

/* A peer that does not read: four messages wait for it, the rest are
 * dropped and counted; the per-peer pull takes the four in one frame. */
static void
test_outbound_queue_limit (void)
{
  g_autoptr(TestNet) net = short_queue_pair ();
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  SatoriGossipsubStats stats;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%u", i);
      g_bytes_unref (test_net_publish (net, 0, TOPIC, text));
      g_assert_cmpuint (satori_gossipsub_session_get_queued (a->core, b->id), <=, 4);
    }
  satori_gossipsub_session_get_stats (a->core, &stats);
  g_assert_cmpuint (stats.outbound_dropped, ==, 16);

  GBytes *frame;
  guint pulled = 0;
  while (a->core->klass->poll_transmit_peer (a->core, b->id, &frame))
    {
      g_assert_true (test_net_inject (net, 0, 1, frame, NULL));
      g_bytes_unref (frame);
      pulled++;
    }
  g_assert_cmpuint (pulled, ==, 1);
  test_net_pump (net);
  g_assert_cmpuint (b->messages->len, ==, 4);
  reset_params ();
}

/* A peer that stops reading for a minute while we publish ten messages a
 * second and run our heartbeats: what waits for it stays at the limit;
 * when we leave the topic, the PRUNE and the unsubscription are not lost
 * behind the messages: the peer's next read has them, and the four
 * messages that were kept (the first ones: new ones drop on a full queue,
 * as in go-libp2p-pubsub). */
static void
test_slow_peer_keeps_mesh_state (void)
{
  g_autoptr(TestNet) net = short_queue_pair ();
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  SatoriGossipsubStats stats;

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%u", i);
      net->now_us += G_USEC_PER_SEC / 10;
      while (a->core->klass->next_deadline_us (a->core) <= net->now_us)
        a->core->klass->handle_timeout (a->core, net->now_us);
      g_bytes_unref (test_net_publish (net, 0, TOPIC, text));
      g_assert_cmpuint (satori_gossipsub_session_get_queued (a->core, b->id), <=, 4);
    }
  satori_gossipsub_session_get_stats (a->core, &stats);
  g_assert_cmpuint (stats.outbound_dropped, ==, 596);
  a->core->klass->unsubscribe (a->core, TOPIC, net->now_us);

  GBytes *frame;
  g_assert_true (a->core->klass->poll_transmit_peer (a->core, b->id, &frame));
  Satori__Pubsub__RPC *rpc = test_decode_frame (frame);
  g_bytes_unref (frame);
  g_assert_false (a->core->klass->poll_transmit_peer (a->core, b->id, &frame));
  g_assert_cmpuint (rpc->n_subscriptions, ==, 1);
  g_assert_false (rpc->subscriptions[0]->subscribe);
  g_assert_nonnull (rpc->control);
  g_assert_cmpuint (rpc->control->n_prune, ==, 1);
  g_assert_cmpstr (rpc->control->prune[0]->topicid, ==, TOPIC);
  g_assert_cmpuint (rpc->n_publish, ==, 4);
  g_assert_cmpmem (rpc->publish[3]->data.data, rpc->publish[3]->data.len, "m3", 2);
  satori__pubsub__rpc__free_unpacked (rpc, NULL);
  reset_params ();
}

/* Over the limit: the stream is refused from the length prefix alone, and
 * we do not publish what we would refuse. */
static void
test_oversized (void)
{
  params.max_rpc_size = 1024;
  g_autoptr(TestNet) net = test_net_new (2, &params);
  TestNode *a = test_net_node (net, 0);
  g_autoptr(GError) error = NULL;
  static const guint8 prefix[] = { 0x80, 0x20 };   /* 4096 */

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  g_autoptr(GBytes) frame = g_bytes_new_static (prefix, sizeof prefix);
  g_assert_false (test_net_inject (net, 1, 0, frame, &error));
  g_assert_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE);

  g_clear_error (&error);
  g_autofree char *big = g_strnfill (2000, 'x');
  g_autoptr(GBytes) data = g_bytes_new_take (g_steal_pointer (&big), 2000);
  g_assert_false (a->core->klass->publish (a->core, TOPIC, data, net->now_us, NULL, &error));
  g_assert_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE);
  reset_params ();
}

static void
test_malformed (void)
{
  g_autoptr(TestNet) net = test_net_new (2, &params);
  g_autoptr(GError) error = NULL;
  static const guint8 bad[] = { 0x02, 0x12, 0x05 };

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  g_autoptr(GBytes) frame = g_bytes_new_static (bad, sizeof bad);
  g_assert_false (test_net_inject (net, 1, 0, frame, &error));
  g_assert_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_MALFORMED);
}

/* GRAFT and PRUNE for topics we are not in change nothing and leave no
 * backoff behind (they would otherwise grow the backoff table). */
static void
test_unknown_topic_control (void)
{
  g_autoptr(TestNet) net = test_net_new (2, &params);
  TestNode *a = test_net_node (net, 0), *b = test_net_node (net, 1);
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__ControlGraft graft = SATORI__PUBSUB__CONTROL_GRAFT__INIT;
  Satori__Pubsub__ControlPrune prune = SATORI__PUBSUB__CONTROL_PRUNE__INIT;
  Satori__Pubsub__ControlGraft *grafts[] = { &graft };
  Satori__Pubsub__ControlPrune *prunes[] = { &prune };
  guint frames_before;

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  frames_before = net->frames;
  graft.topicid = prune.topicid = (char *) "elsewhere";
  prune.has_backoff = TRUE;
  prune.backoff = G_MAXUINT64;
  control.n_graft = 1;
  control.graft = grafts;
  control.n_prune = 1;
  control.prune = prunes;
  g_autoptr(GBytes) frame = control_frame (&control);
  g_assert_true (test_net_inject (net, 1, 0, frame, NULL));
  test_net_pump (net);
  g_assert_cmpuint (net->frames, ==, frames_before);
  g_assert_false (satori_gossipsub_session_in_backoff (a->core, "elsewhere", b->id,
                                                       net->now_us));
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 1));
}

static gboolean
count_iwant_ids (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc,
                 gpointer data)
{
  if (from == 0 && rpc->control != NULL)
    for (gsize i = 0; i < rpc->control->n_iwant; i++)
      *(guint *) data += rpc->control->iwant[i]->n_messageids;
  return TRUE;
}

/* 20 IHAVEs of 10 new ids each in one heartbeat: at most
 * max_ihave_messages are read and max_ihave_length ids asked for. */
static void
test_ihave_flood_bounded (void)
{
  params.max_ihave_length = 50;
  g_autoptr(TestNet) net = test_net_new (2, &params);
  TestNode *a = test_net_node (net, 0);
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__ControlIHave ihaves[20];
  Satori__Pubsub__ControlIHave *list[20];
  ProtobufCBinaryData ids[20][10];
  char names[20][10][8];
  SatoriGossipsubStats stats;
  guint asked = 0;

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  for (guint i = 0; i < 20; i++)
    {
      satori__pubsub__control_ihave__init (&ihaves[i]);
      ihaves[i].topicid = (char *) TOPIC;
      ihaves[i].n_messageids = 10;
      ihaves[i].messageids = ids[i];
      for (guint j = 0; j < 10; j++)
        {
          g_snprintf (names[i][j], sizeof names[i][j], "id%02u%02u", i, j);
          ids[i][j].data = (guint8 *) names[i][j];
          ids[i][j].len = 6;
        }
      list[i] = &ihaves[i];
    }
  control.n_ihave = 20;
  control.ihave = list;
  net->filter = count_iwant_ids;
  net->filter_data = &asked;
  g_autoptr(GBytes) frame = control_frame (&control);
  g_assert_true (test_net_inject (net, 1, 0, frame, NULL));
  test_net_pump (net);
  g_assert_cmpuint (asked, ==, 50);
  satori_gossipsub_session_get_stats (a->core, &stats);
  g_assert_cmpuint (stats.ihave_ignored, ==, 15);

  /* The next heartbeat opens the budget again. */
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_true (test_net_inject (net, 1, 0, frame, NULL));
  test_net_pump (net);
  g_assert_cmpuint (asked, ==, 100);
  test_net_advance (net, 5 * G_USEC_PER_SEC);   /* the promises break */
  g_assert_cmpfloat (satori_gossipsub_session_get_behaviour_penalty (
    a->core, test_net_node (net, 1)->id), >, 0);
  reset_params ();
}

typedef struct {
  gboolean seen[4];
  gboolean has_backoff[4];
  guint64 backoff[4];
  gsize px[4];
} PruneSeen;

static gboolean
record_prunes (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc, gpointer data)
{
  PruneSeen *seen = data;
  if (from != 0 || rpc->control == NULL || rpc->control->n_prune == 0)
    return TRUE;
  const Satori__Pubsub__ControlPrune *prune = rpc->control->prune[0];
  seen->seen[to] = TRUE;
  seen->has_backoff[to] = prune->has_backoff;
  seen->backoff[to] = prune->backoff;
  seen->px[to] = prune->n_peers;
  return TRUE;
}

/* A v1.0 peer gets a bare PRUNE; v1.1 peers get the backoff and PX. */
static void
test_v1_0_prune_has_no_px (void)
{
  g_autoptr(TestNet) net = test_net_new (4, &params);
  TestNode *a = test_net_node (net, 0);
  PruneSeen seen = { { 0 } };

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_0);
  test_net_connect (net, 0, 2, SATORI_GOSSIPSUB_PROTOCOL_1_1);
  test_net_connect (net, 0, 3, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, G_USEC_PER_SEC);
  g_assert_cmpuint (test_node_mesh_size (net, 0, TOPIC), ==, 3);

  net->filter = record_prunes;
  net->filter_data = &seen;
  a->core->klass->unsubscribe (a->core, TOPIC, net->now_us);
  test_net_pump (net);
  g_assert_true (seen.seen[1] && seen.seen[2] && seen.seen[3]);
  g_assert_false (seen.has_backoff[1]);
  g_assert_cmpuint (seen.px[1], ==, 0);
  g_assert_true (seen.has_backoff[2]);
  g_assert_cmpuint (seen.backoff[2], ==, 10);
  g_assert_cmpuint (seen.px[2], ==, 2);
  g_assert_cmpuint (seen.px[3], ==, 2);
}

static gboolean
no_control_to_1 (TestNet *net, guint from, guint to, const Satori__Pubsub__RPC *rpc,
                 gpointer data)
{
  if (to == 1)
    g_assert_null (rpc->control);
  return TRUE;
}

/* A floodsub peer is never in a mesh nor sent control, but gets every
 * message of its topics; its messages reach us. */
static void
test_floodsub_peer (void)
{
  g_autoptr(TestNet) net = test_net_new (3, &params);

  test_net_connect (net, 0, 1, SATORI_FLOODSUB_PROTOCOL);
  test_net_connect (net, 0, 2, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  net->filter = no_control_to_1;
  test_net_subscribe_all (net, TOPIC);
  test_net_advance (net, 2 * G_USEC_PER_SEC);
  g_assert_false (test_node_in_mesh (net, 0, TOPIC, 1));
  g_assert_true (test_node_in_mesh (net, 0, TOPIC, 2));

  g_autoptr(GBytes) id = test_net_publish (net, 2, TOPIC, "to floodsub");
  test_net_pump (net);
  g_assert_cmpuint (test_net_count_delivered (net, id), ==, 2);
}

/* Subscriptions past max_peer_topics, or with names past
 * max_topic_length, are not recorded. */
static void
test_subscription_limits (void)
{
  params.max_peer_topics = 3;
  params.max_topic_length = 8;
  g_autoptr(TestNet) net = test_net_new (2, &params);
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  TestNode *a = test_net_node (net, 0);

  test_net_connect (net, 0, 1, SATORI_GOSSIPSUB_PROTOCOL_1_2);
  satori_pubsub_rpc_writer_add_subscription (writer, "much-too-long", TRUE);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *topic = g_strdup_printf ("t%u", i);
      satori_pubsub_rpc_writer_add_subscription (writer, topic, TRUE);
    }
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (writer);
  g_assert_true (test_net_inject (net, 1, 0, frame, NULL));
  test_net_pump (net);
  g_assert_cmpuint (test_node_count_events (a, SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION), ==,
                    3);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *topic = g_strdup_printf ("t%u", i);
      g_autoptr(GPtrArray) peers = a->core->klass->topic_peers (a->core, topic);
      g_assert_cmpuint (peers->len, ==, i < 3 ? 1 : 0);
    }
  g_autoptr(GPtrArray) none = a->core->klass->topic_peers (a->core, "much-too-long");
  g_assert_cmpuint (none->len, ==, 0);
  reset_params ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  satori_gossipsub_params_init_default (&params);
  g_test_add_func ("/gossipsub/idontwant/suppresses-send", test_idontwant_suppresses_send);
  g_test_add_func ("/gossipsub/idontwant/sent-for-large-messages", test_idontwant_sent_for_large);
  g_test_add_func ("/gossipsub/idontwant/drops-queued", test_idontwant_drops_queued);
  g_test_add_func ("/gossipsub/limits/outbound-queue", test_outbound_queue_limit);
  g_test_add_func ("/gossipsub/limits/slow-peer-keeps-mesh-state", test_slow_peer_keeps_mesh_state);
  g_test_add_func ("/gossipsub/limits/oversized", test_oversized);
  g_test_add_func ("/gossipsub/limits/malformed", test_malformed);
  g_test_add_func ("/gossipsub/limits/unknown-topic-control", test_unknown_topic_control);
  g_test_add_func ("/gossipsub/limits/subscriptions", test_subscription_limits);
  g_test_add_func ("/gossipsub/limits/ihave-flood", test_ihave_flood_bounded);
  g_test_add_func ("/gossipsub/version/v1-0-prune-has-no-px", test_v1_0_prune_has_no_px);
  g_test_add_func ("/gossipsub/version/floodsub-peer", test_floodsub_peer);
  int result = g_test_run ();
  satori_gossipsub_params_clear (&params);
  return result;
}
