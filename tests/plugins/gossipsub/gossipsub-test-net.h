/* gossipsub-test-net.h — several gossipsub cores wired over in-memory
 * queues with a fake clock, for deterministic tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "pubsub-rpc.pb-c.h"
#include "satori-gossipsub-session.h"

G_BEGIN_DECLS

typedef struct _TestNet TestNet;

typedef struct {
  SatoriPubsubCore *core;
  GBytes *id;
  SatoriPrivateKey *key;
  GPtrArray *messages;     /* SatoriPubsubCoreEvent* of type MESSAGE */
  GPtrArray *events;       /* every other event */
  GRand *rand;
} TestNode;

/* Return FALSE to drop the frame. */
typedef gboolean (*TestLinkFilter) (TestNet *net, guint from, guint to,
                                    const Satori__Pubsub__RPC *rpc, gpointer user_data);

struct _TestNet {
  GPtrArray *nodes;        /* TestNode* */
  gint64 now_us;
  TestLinkFilter filter;
  gpointer filter_data;
  guint64 frames;          /* frames carried */
};

TestNet  *test_net_new (guint n, const SatoriGossipsubParams *params);
void      test_net_free (TestNet *net);
TestNode *test_net_node (TestNet *net, guint i);
guint     test_net_index_of (TestNet *net, GBytes *id);
void      test_net_connect (TestNet *net, guint dialer, guint listener, const char *protocol);
void      test_net_connect_random (TestNet *net, guint degree);
void      test_net_pump (TestNet *net);
void      test_net_advance (TestNet *net, gint64 us);
void      test_net_subscribe_all (TestNet *net, const char *topic);
GBytes   *test_net_publish (TestNet *net, guint node, const char *topic, const char *text);
guint     test_net_count_delivered (TestNet *net, GBytes *message_id);
guint     test_node_count_events (TestNode *node, SatoriPubsubCoreEventType type);
gboolean  test_node_in_mesh (TestNet *net, guint node, const char *topic, guint other);
gsize     test_node_mesh_size (TestNet *net, guint node, const char *topic);
gboolean  test_net_inject (TestNet *net, guint from, guint to, GBytes *frame, GError **error);
Satori__Pubsub__RPC *test_decode_frame (GBytes *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestNet, test_net_free)

G_END_DECLS
