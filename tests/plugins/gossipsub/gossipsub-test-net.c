/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gossipsub-test-net.h"

#include <string.h>

#include "satori-peer-id.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-test-util.h"

static guint32
node_random (gpointer user_data)
{
  return g_rand_int (user_data);
}

static void
event_free (gpointer data)
{
  satori_pubsub_core_event_clear (data);
  g_free (data);
}

static void
node_free (gpointer data)
{
  TestNode *node = data;
  node->core->klass->free (node->core);
  g_bytes_unref (node->id);
  g_clear_object (&node->key);
  g_ptr_array_unref (node->messages);
  g_ptr_array_unref (node->events);
  g_rand_free (node->rand);
  g_free (node);
}

/* @n nodes with keys secp256k1 0x41, 0x42, … and random seeds 1, 2, …. */
TestNet *
test_net_new (guint n, const SatoriGossipsubParams *params)
{
  TestNet *net = g_new0 (TestNet, 1);
  net->nodes = g_ptr_array_new_with_free_func (node_free);
  net->now_us = 1000 * G_USEC_PER_SEC;
  for (guint i = 0; i < n; i++)
    {
      TestNode *node = g_new0 (TestNode, 1);
      node->key = satori_test_secp256k1_key_filled (0x41 + i);
      g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_public_key (
        satori_private_key_get_public_key (node->key));
      node->id = g_bytes_ref (satori_peer_id_get_bytes (id));
      node->rand = g_rand_new_with_seed (i + 1);
      SatoriPubsubCoreProvider provider = { node_random, node->rand };
      node->core = satori_gossipsub_session_new (params, node->key, &provider);
      node->messages = g_ptr_array_new_with_free_func (event_free);
      node->events = g_ptr_array_new_with_free_func (event_free);
      g_ptr_array_add (net->nodes, node);
    }
  return net;
}

void
test_net_free (TestNet *net)
{
  g_ptr_array_unref (net->nodes);
  g_free (net);
}

TestNode *
test_net_node (TestNet *net, guint i)
{
  return g_ptr_array_index (net->nodes, i);
}

guint
test_net_index_of (TestNet *net, GBytes *id)
{
  for (guint i = 0; i < net->nodes->len; i++)
    if (g_bytes_equal (test_net_node (net, i)->id, id))
      return i;
  g_assert_not_reached ();
}

void
test_net_connect (TestNet *net, guint dialer, guint listener, const char *protocol)
{
  TestNode *a = test_net_node (net, dialer), *b = test_net_node (net, listener);
  a->core->klass->add_peer (a->core, b->id, protocol, TRUE, net->now_us);
  b->core->klass->add_peer (b->core, a->id, protocol, FALSE, net->now_us);
}

/* Each node dials @degree others at random (a connected random graph:
 * node i also dials i+1 as a ring). */
void
test_net_connect_random (TestNet *net, guint degree)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  guint n = net->nodes->len;
  g_autoptr(GHashTable) linked = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < degree; k++)
      {
        guint j = k == 0 ? (i + 1) % n : (guint) g_rand_int_range (rand, 0, n);
        guint lo = MIN (i, j), hi = MAX (i, j);
        if (i == j || !g_hash_table_add (linked, GUINT_TO_POINTER (lo * n + hi)))
          continue;
        test_net_connect (net, i, j, SATORI_GOSSIPSUB_PROTOCOL_1_2);
      }
}

Satori__Pubsub__RPC *
test_decode_frame (GBytes *frame)
{
  g_autoptr(SatoriPubsubRpcReader) reader = satori_pubsub_rpc_reader_new (G_MAXSIZE);
  Satori__Pubsub__RPC *rpc = NULL;
  gsize len, consumed;
  const guint8 *data = g_bytes_get_data (frame, &len);
  g_assert_true (satori_pubsub_rpc_reader_feed (reader, data, len, &consumed, &rpc, NULL));
  g_assert_cmpuint (consumed, ==, len);
  g_assert_nonnull (rpc);
  return rpc;
}

gboolean
test_net_inject (TestNet *net, guint from, guint to, GBytes *frame, GError **error)
{
  TestNode *src = test_net_node (net, from), *dst = test_net_node (net, to);
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);
  return dst->core->klass->handle_input (dst->core, src->id, data, len, net->now_us, error);
}

static gboolean
drain_events (TestNode *node)
{
  SatoriPubsubCoreEvent event = { 0 };
  gboolean any = FALSE;
  while (node->core->klass->poll_event (node->core, &event))
    {
      SatoriPubsubCoreEvent *copy = g_memdup2 (&event, sizeof event);
      g_ptr_array_add (event.type == SATORI_PUBSUB_CORE_EVENT_MESSAGE ? node->messages
                                                                      : node->events, copy);
      memset (&event, 0, sizeof event);
      any = TRUE;
    }
  return any;
}

/* Carries frames until no node has anything to send. */
void
test_net_pump (TestNet *net)
{
  gboolean busy = TRUE;
  while (busy)
    {
      busy = FALSE;
      for (guint i = 0; i < net->nodes->len; i++)
        {
          TestNode *node = test_net_node (net, i);
          GBytes *peer, *frame;
          busy |= drain_events (node);
          while (node->core->klass->poll_transmit (node->core, &peer, &frame))
            {
              guint to = test_net_index_of (net, peer);
              g_autoptr(Satori__Pubsub__RPC) rpc = test_decode_frame (frame);
              g_autoptr(GError) error = NULL;
              busy = TRUE;
              net->frames++;
              if (net->filter == NULL || net->filter (net, i, to, rpc, net->filter_data))
                {
                  g_assert_true (test_net_inject (net, i, to, frame, &error));
                  g_assert_no_error (error);
                }
              g_bytes_unref (peer);
              g_bytes_unref (frame);
            }
        }
    }
}

/* Moves the clock by @us in steps of at most 100 ms, running timers. */
void
test_net_advance (TestNet *net, gint64 us)
{
  gint64 end = net->now_us + us;
  while (net->now_us < end)
    {
      net->now_us = MIN (end, net->now_us + 100 * 1000);
      for (guint i = 0; i < net->nodes->len; i++)
        {
          TestNode *node = test_net_node (net, i);
          if (node->core->klass->next_deadline_us (node->core) <= net->now_us)
            node->core->klass->handle_timeout (node->core, net->now_us);
        }
      test_net_pump (net);
    }
}

void
test_net_subscribe_all (TestNet *net, const char *topic)
{
  for (guint i = 0; i < net->nodes->len; i++)
    {
      TestNode *node = test_net_node (net, i);
      node->core->klass->subscribe (node->core, topic, net->now_us);
    }
  test_net_pump (net);
}

GBytes *
test_net_publish (TestNet *net, guint i, const char *topic, const char *text)
{
  TestNode *node = test_net_node (net, i);
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  GBytes *id = NULL;
  g_assert_true (node->core->klass->publish (node->core, topic, data, net->now_us, &id, &error));
  g_assert_no_error (error);
  return id;
}

/* How many nodes delivered @message_id to the application; each at most
 * once (asserted). */
guint
test_net_count_delivered (TestNet *net, GBytes *message_id)
{
  guint count = 0;
  for (guint i = 0; i < net->nodes->len; i++)
    {
      TestNode *node = test_net_node (net, i);
      guint here = 0;
      for (guint m = 0; m < node->messages->len; m++)
        here += g_bytes_equal (((SatoriPubsubCoreEvent *) node->messages->pdata[m])->message_id,
                               message_id);
      g_assert_cmpuint (here, <=, 1);
      count += here;
    }
  return count;
}

guint
test_node_count_events (TestNode *node, SatoriPubsubCoreEventType type)
{
  guint count = 0;
  for (guint i = 0; i < node->events->len; i++)
    count += ((SatoriPubsubCoreEvent *) node->events->pdata[i])->type == type;
  return count;
}

gboolean
test_node_in_mesh (TestNet *net, guint node, const char *topic, guint other)
{
  g_autoptr(GPtrArray) mesh = satori_gossipsub_session_get_mesh_peers (
    test_net_node (net, node)->core, topic);
  GBytes *id = test_net_node (net, other)->id;
  for (guint i = 0; i < mesh->len; i++)
    if (g_bytes_equal (mesh->pdata[i], id))
      return TRUE;
  return FALSE;
}

gsize
test_node_mesh_size (TestNet *net, guint node, const char *topic)
{
  g_autoptr(GPtrArray) mesh = satori_gossipsub_session_get_mesh_peers (
    test_net_node (net, node)->core, topic);
  return mesh->len;
}
