/* The floodsub core without I/O: cores joined by in-memory links, frames
 * moved by hand, a fake clock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-floodsub-session.h"
#include "satori-peer-id.h"
#include "satori-protobuf.h"
#include "satori-pubsub-rpc-writer.h"
#include "satori-pubsub-signing.h"
#include "satori-test-util.h"

#define MAX_NODES 4

typedef struct
{
  SatoriPrivateKey *key;
  GBytes *id;
  SatoriPubsubCore *core;
  GPtrArray *messages;        /* SatoriPubsubCoreEvent * of type MESSAGE */
  GPtrArray *validations;     /* ... of type VALIDATE */
  guint subscription_events;
} Node;

typedef struct
{
  Node nodes[MAX_NODES];
  guint n_nodes;
  gint64 now_us;
  guint frames_moved;
} Net;

static guint32
counter_random (gpointer user_data)
{
  return (*(guint32 *) user_data)++;
}

static guint32 random_state = 1;
static const SatoriPubsubCoreProvider provider = { counter_random, &random_state };

static void
event_free (gpointer event)
{
  satori_pubsub_core_event_clear (event);
  g_free (event);
}

static guint32
zero_random (gpointer user_data)
{
  return 0;
}

static void
net_init_with (Net *net, guint n, SatoriPubsubSignaturePolicy policy,
               const SatoriPubsubCoreProvider *random)
{
  memset (net, 0, sizeof *net);
  net->n_nodes = n;
  net->now_us = 1000 * G_USEC_PER_SEC;
  for (guint i = 0; i < n; i++)
    {
      Node *node = &net->nodes[i];
      node->key = satori_test_secp256k1_key_filled (0x10 + i);
      g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (
        satori_private_key_get_public_key (node->key));
      node->id = g_bytes_ref (satori_peer_id_get_bytes (id));
      SatoriFloodsubConfig config = {
        .key = node->key,
        .policy = policy,
        .max_rpc_size = 64 * 1024,
        .seen_ttl_us = 120 * G_USEC_PER_SEC,
      };
      node->core = satori_floodsub_session_new (&config, random);
      node->messages = g_ptr_array_new_with_free_func (event_free);
      node->validations = g_ptr_array_new_with_free_func (event_free);
    }
}

static void
net_init (Net *net, guint n, SatoriPubsubSignaturePolicy policy)
{
  net_init_with (net, n, policy, &provider);
}

static void
net_clear (Net *net)
{
  for (guint i = 0; i < net->n_nodes; i++)
    {
      Node *node = &net->nodes[i];
      node->core->klass->free (node->core);
      g_object_unref (node->key);
      g_bytes_unref (node->id);
      g_ptr_array_unref (node->messages);
      g_ptr_array_unref (node->validations);
    }
}

static Node *
node_by_id (Net *net, GBytes *id)
{
  for (guint i = 0; i < net->n_nodes; i++)
    if (g_bytes_equal (net->nodes[i].id, id))
      return &net->nodes[i];
  return NULL;
}

static void
link_nodes (Net *net, guint a, guint b)
{
  Node *na = &net->nodes[a], *nb = &net->nodes[b];

  na->core->klass->add_peer (na->core, nb->id, SATORI_FLOODSUB_PROTOCOL, TRUE, net->now_us);
  nb->core->klass->add_peer (nb->core, na->id, SATORI_FLOODSUB_PROTOCOL, FALSE, net->now_us);
}

static void
collect_events (Node *node)
{
  SatoriPubsubCoreEvent event;

  while (node->core->klass->poll_event (node->core, &event))
    {
      SatoriPubsubCoreEvent *kept = g_memdup2 (&event, sizeof event);
      if (event.type == SATORI_PUBSUB_CORE_EVENT_MESSAGE)
        g_ptr_array_add (node->messages, kept);
      else if (event.type == SATORI_PUBSUB_CORE_EVENT_VALIDATE)
        g_ptr_array_add (node->validations, kept);
      else
        {
          node->subscription_events += event.type == SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION;
          event_free (kept);
        }
    }
}

/* Moves every frame to its peer, in one-byte pieces when @split, until
 * nothing is left. */
static void
pump (Net *net, gboolean split)
{
  gboolean moved;

  do
    {
      moved = FALSE;
      for (guint i = 0; i < net->n_nodes; i++)
        {
          Node *node = &net->nodes[i];
          GBytes *peer, *frame;
          while (node->core->klass->poll_transmit (node->core, &peer, &frame))
            {
              Node *target = node_by_id (net, peer);
              gsize len;
              const guint8 *data = g_bytes_get_data (frame, &len);
              g_autoptr(GError) error = NULL;
              g_assert_nonnull (target);
              for (gsize off = 0; off < len; off += split ? 1 : len)
                g_assert_true (target->core->klass->handle_input (
                  target->core, node->id, data + off, split ? 1 : len, net->now_us, &error));
              g_assert_no_error (error);
              g_bytes_unref (peer);
              g_bytes_unref (frame);
              net->frames_moved++;
              moved = TRUE;
            }
          collect_events (node);
        }
    }
  while (moved);
}

static void
subscribe (Net *net, guint node, const char *topic)
{
  net->nodes[node].core->klass->subscribe (net->nodes[node].core, topic, net->now_us);
}

static GBytes *
publish (Net *net, guint node, const char *topic, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  GBytes *id = NULL;
  SatoriPubsubCore *core = net->nodes[node].core;

  g_assert_true (core->klass->publish (core, topic, data, net->now_us, &id, &error));
  g_assert_no_error (error);
  return id;
}

static const char *
event_text (GPtrArray *events, guint i)
{
  SatoriPubsubCoreEvent *event = g_ptr_array_index (events, i);
  static char text[64];
  gsize len;
  const char *data = g_bytes_get_data (event->data, &len);

  g_assert_cmpuint (len, <, sizeof text);
  memcpy (text, data, len);
  text[len] = '\0';
  return text;
}

/* a - b - c under StrictSign, everyone on "t", subscriptions exchanged. */
static void
net_line (Net *net)
{
  net_init (net, 3, SATORI_PUBSUB_STRICT_SIGN);
  link_nodes (net, 0, 1);
  link_nodes (net, 1, 2);
  for (guint i = 0; i < 3; i++)
    subscribe (net, i, "t");
  pump (net, FALSE);
}

static void
test_line (void)
{
  Net net;

  g_test_summary ("On a line a-b-c, a message from either end reaches every subscriber "
                  "once, signed by its author, with the forwarder named");
  net_line (&net);
  g_assert_cmpuint (net.nodes[1].subscription_events, ==, 2);

  g_autoptr(GBytes) id = publish (&net, 0, "t", "from a");
  pump (&net, TRUE);
  g_assert_cmpuint (net.nodes[0].messages->len, ==, 0);   /* not to ourselves */
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  g_assert_cmpuint (net.nodes[2].messages->len, ==, 1);
  SatoriPubsubCoreEvent *at_c = g_ptr_array_index (net.nodes[2].messages, 0);
  g_assert_cmpstr (event_text (net.nodes[2].messages, 0), ==, "from a");
  g_assert_true (g_bytes_equal (at_c->from, net.nodes[0].id));
  g_assert_true (g_bytes_equal (at_c->peer, net.nodes[1].id));
  g_assert_true (g_bytes_equal (at_c->message_id, id));
  g_assert_nonnull (at_c->signature);
  g_assert_cmpuint (g_bytes_get_size (at_c->seqno), ==, 8);

  g_bytes_unref (publish (&net, 2, "t", "from c"));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[0].messages->len, ==, 1);
  g_assert_cmpstr (event_text (net.nodes[0].messages, 0), ==, "from c");
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 2);
  net_clear (&net);
}

static void
test_seqno_no_leading_zero (void)
{
  static const SatoriPubsubCoreProvider zeros = { zero_random, NULL };
  Net net;

  g_test_summary ("Our seqnos never start with a zero byte, even when the random start is "
                  "0: js-libp2p's floodsub checks the signature over the seqno re-encoded "
                  "without leading zeros and would drop such a message");
  net_init_with (&net, 2, SATORI_PUBSUB_STRICT_SIGN, &zeros);
  link_nodes (&net, 0, 1);
  subscribe (&net, 1, "t");
  pump (&net, FALSE);
  for (guint i = 0; i < 2; i++)
    g_bytes_unref (publish (&net, 0, "t", "from a"));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      SatoriPubsubCoreEvent *event = g_ptr_array_index (net.nodes[1].messages, i);
      g_assert_cmpuint (g_bytes_get_size (event->seqno), ==, 8);
      g_assert_cmpuint (((const guint8 *) g_bytes_get_data (event->seqno, NULL))[0], !=, 0);
    }
  net_clear (&net);
}

static void
test_no_loops (void)
{
  Net net;

  g_test_summary ("In a triangle every node gets each message once: the seen cache stops "
                  "the copy that comes round");
  net_init (&net, 3, SATORI_PUBSUB_STRICT_SIGN);
  link_nodes (&net, 0, 1);
  link_nodes (&net, 1, 2);
  link_nodes (&net, 2, 0);
  for (guint i = 0; i < 3; i++)
    subscribe (&net, i, "t");
  pump (&net, FALSE);
  g_bytes_unref (publish (&net, 0, "t", "once"));
  net.frames_moved = 0;
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  g_assert_cmpuint (net.nodes[2].messages->len, ==, 1);
  /* a→b, a→c, then b and c each forward to the other (not back to a, the author). */
  g_assert_cmpuint (net.frames_moved, ==, 4);
  net_clear (&net);
}

static void
test_topics (void)
{
  Net net;

  g_test_summary ("Only peers subscribed to a topic get it; unsubscribing stops it; "
                  "topic_peers follows");
  net_init (&net, 3, SATORI_PUBSUB_STRICT_SIGN);
  link_nodes (&net, 0, 1);
  link_nodes (&net, 0, 2);
  subscribe (&net, 1, "x");
  subscribe (&net, 2, "y");
  pump (&net, FALSE);
  SatoriPubsubCore *a = net.nodes[0].core;
  g_autoptr(GPtrArray) on_x = a->klass->topic_peers (a, "x");
  g_assert_cmpuint (on_x->len, ==, 1);
  g_assert_true (g_bytes_equal (g_ptr_array_index (on_x, 0), net.nodes[1].id));

  g_bytes_unref (publish (&net, 0, "x", "for x"));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  g_assert_cmpuint (net.nodes[2].messages->len, ==, 0);

  net.nodes[1].core->klass->unsubscribe (net.nodes[1].core, "x", net.now_us);
  pump (&net, FALSE);
  g_autoptr(GPtrArray) after = a->klass->topic_peers (a, "x");
  g_assert_cmpuint (after->len, ==, 0);
  g_bytes_unref (publish (&net, 0, "x", "nobody"));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  net_clear (&net);
}

/* Sends @encoded as one RPC from node @from to node @to. */
static gboolean
inject (Net *net, guint from, guint to, GBytes *encoded, GError **error)
{
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  satori_pubsub_rpc_writer_add_message (writer, encoded);
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (writer);
  SatoriPubsubCore *core = net->nodes[to].core;

  return core->klass->handle_input (core, net->nodes[from].id,
                                    g_bytes_get_data (frame, NULL),
                                    g_bytes_get_size (frame), net->now_us, error);
}

static GBytes *
signed_message (SatoriPrivateKey *key, const char *text)
{
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) seqno = satori_test_bytes_from_hex ("0000000000000007");
  g_autoptr(GError) error = NULL;
  GBytes *encoded = satori_pubsub_build_message ("t", data, seqno, key, &error);

  g_assert_no_error (error);
  return encoded;
}

static GBytes *
with_tampered_field (GBytes *encoded, gboolean tamper_data)
{
  Satori__Pubsub__Message *message = satori__pubsub__message__unpack (
    NULL, g_bytes_get_size (encoded), g_bytes_get_data (encoded, NULL));
  g_autoptr(SatoriPrivateKey) other = satori_test_secp256k1_key_filled (0x77);
  g_autoptr(SatoriPeerId) other_id = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (other));
  GBytes *other_bytes = satori_peer_id_get_bytes (other_id);

  g_assert_nonnull (message);
  ProtobufCBinaryData from = message->from;
  if (tamper_data)
    message->data.data[0] ^= 1;
  else   /* someone else's id as the author, the signature kept */
    message->from.data = (guint8 *) g_bytes_get_data (other_bytes, &message->from.len);
  GBytes *out = satori_protobuf_pack (&message->base);
  message->from = from;
  satori__pubsub__message__free_unpacked (message, NULL);
  return out;
}

static void
test_invalid_rejected (void)
{
  Net net;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A message with a bad signature or someone else's from is neither "
                  "delivered nor forwarded; the stream stays open");
  net_line (&net);

  g_autoptr(GBytes) good = signed_message (net.nodes[0].key, "good");
  g_autoptr(GBytes) bad_data = with_tampered_field (good, TRUE);
  g_autoptr(GBytes) bad_from = with_tampered_field (good, FALSE);
  g_assert_true (inject (&net, 0, 1, bad_data, &error));
  g_assert_true (inject (&net, 0, 1, bad_from, &error));
  g_assert_no_error (error);
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 0);
  g_assert_cmpuint (net.nodes[2].messages->len, ==, 0);

  g_assert_true (inject (&net, 0, 1, good, &error));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  g_assert_cmpuint (net.nodes[2].messages->len, ==, 1);
  net_clear (&net);
}

static void
test_strict_no_sign (void)
{
  Net net;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Under StrictNoSign messages carry no author fields, ids are content "
                  "hashes, and a signed message is refused");
  net_init (&net, 2, SATORI_PUBSUB_STRICT_NO_SIGN);
  link_nodes (&net, 0, 1);
  subscribe (&net, 1, "t");
  pump (&net, FALSE);
  g_bytes_unref (publish (&net, 0, "t", "anonymous"));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  SatoriPubsubCoreEvent *event = g_ptr_array_index (net.nodes[1].messages, 0);
  g_assert_null (event->from);
  g_assert_null (event->seqno);
  g_assert_null (event->signature);
  g_assert_cmpuint (g_bytes_get_size (event->message_id), ==, 32);

  g_autoptr(GBytes) signed_one = signed_message (net.nodes[0].key, "signed");
  g_assert_true (inject (&net, 0, 1, signed_one, &error));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  net_clear (&net);
}

static void
test_validation (void)
{
  Net net;

  g_test_summary ("On a validated topic a message waits for the verdict: accepted ones "
                  "are delivered and forwarded, rejected and ignored ones are not");
  net_line (&net);
  SatoriPubsubCore *b = net.nodes[1].core;
  b->klass->set_topic_validated (b, "t", TRUE);
  pump (&net, FALSE);

  g_autoptr(GBytes) first = publish (&net, 0, "t", "one");
  g_autoptr(GBytes) second = publish (&net, 0, "t", "two");
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].validations->len, ==, 2);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 0);
  g_assert_cmpuint (net.nodes[2].messages->len, ==, 0);

  b->klass->report_validation (b, second, SATORI_PUBSUB_CORE_REJECT, net.now_us);
  b->klass->report_validation (b, first, SATORI_PUBSUB_CORE_ACCEPT, net.now_us);
  /* A second verdict for the same message does nothing. */
  b->klass->report_validation (b, first, SATORI_PUBSUB_CORE_ACCEPT, net.now_us);
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);
  g_assert_cmpstr (event_text (net.nodes[1].messages, 0), ==, "one");
  g_assert_cmpuint (net.nodes[2].messages->len, ==, 1);
  g_assert_cmpstr (event_text (net.nodes[2].messages, 0), ==, "one");
  net_clear (&net);
}

static void
test_malformed (void)
{
  static const guint8 garbage[] = { 0x05, 0xff, 0xff, 0xff, 0xff, 0xff };
  static const guint8 oversized[] = { 0xff, 0xff, 0xff, 0x7f };
  Net net;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Undecodable or oversized frames and input from an unknown peer fail "
                  "with an error for the driver to close the stream");
  net_init (&net, 2, SATORI_PUBSUB_STRICT_SIGN);
  link_nodes (&net, 0, 1);
  SatoriPubsubCore *b = net.nodes[1].core;
  g_assert_false (b->klass->handle_input (b, net.nodes[0].id, garbage, sizeof garbage,
                                          net.now_us, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  b->klass->remove_peer (b, net.nodes[0].id, net.now_us);
  b->klass->add_peer (b, net.nodes[0].id, SATORI_FLOODSUB_PROTOCOL, FALSE, net.now_us);
  g_assert_false (b->klass->handle_input (b, net.nodes[0].id, oversized, sizeof oversized,
                                          net.now_us, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  b->klass->remove_peer (b, net.nodes[0].id, net.now_us);
  g_assert_false (b->klass->handle_input (b, net.nodes[0].id, garbage, 1, net.now_us,
                                          &error));
  g_assert_nonnull (error);
  net_clear (&net);
}

static void
test_subscription_limit (void)
{
  Net net;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();

  g_test_summary ("A peer announcing more than 5,000 topics fails its input: its "
                  "subscriptions cannot grow without bound");
  net_init (&net, 2, SATORI_PUBSUB_STRICT_SIGN);
  link_nodes (&net, 0, 1);
  for (guint i = 0; i < 5001; i++)
    {
      g_autofree char *topic = g_strdup_printf ("topic-%u", i);
      satori_pubsub_rpc_writer_add_subscription (writer, topic, TRUE);
    }
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (writer);
  SatoriPubsubCore *b = net.nodes[1].core;
  g_assert_false (b->klass->handle_input (b, net.nodes[0].id, g_bytes_get_data (frame, NULL),
                                          g_bytes_get_size (frame), net.now_us, &error));
  g_assert_nonnull (error);
  net_clear (&net);
}

static void
test_seen_expiry (void)
{
  Net net;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A replayed message is dropped while its id is remembered and "
                  "accepted again once the seen TTL has passed and a sweep ran");
  net_init (&net, 2, SATORI_PUBSUB_STRICT_SIGN);
  link_nodes (&net, 0, 1);
  subscribe (&net, 1, "t");
  pump (&net, FALSE);
  g_autoptr(GBytes) message = signed_message (net.nodes[0].key, "again");
  SatoriPubsubCore *b = net.nodes[1].core;

  g_assert_true (inject (&net, 0, 1, message, &error));
  g_assert_true (inject (&net, 0, 1, message, &error));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 1);

  gint64 deadline = b->klass->next_deadline_us (b);
  g_assert_cmpint (deadline, <, G_MAXINT64);
  net.now_us += 121 * G_USEC_PER_SEC;
  g_assert_cmpint (deadline, <=, net.now_us);
  b->klass->handle_timeout (b, net.now_us);
  g_assert_true (inject (&net, 0, 1, message, &error));
  pump (&net, FALSE);
  g_assert_cmpuint (net.nodes[1].messages->len, ==, 2);
  net_clear (&net);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/floodsub/session/line", test_line);
  g_test_add_func ("/floodsub/session/no-loops", test_no_loops);
  g_test_add_func ("/floodsub/session/seqno-no-leading-zero", test_seqno_no_leading_zero);
  g_test_add_func ("/floodsub/session/topics", test_topics);
  g_test_add_func ("/floodsub/session/invalid-rejected", test_invalid_rejected);
  g_test_add_func ("/floodsub/session/strict-no-sign", test_strict_no_sign);
  g_test_add_func ("/floodsub/session/validation", test_validation);
  g_test_add_func ("/floodsub/session/malformed", test_malformed);
  g_test_add_func ("/floodsub/session/subscription-limit", test_subscription_limit);
  g_test_add_func ("/floodsub/session/seen-expiry", test_seen_expiry);
  return g_test_run ();
}
