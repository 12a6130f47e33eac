/* Tests of the simulator's pubsub binding, with the flooding test router
 * (satori-sim-flood-fixture.h), and of the sybil filter.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "pubsub-rpc.pb-c.h"
#include "satori-protobuf.h"
#include "satori-sim-pubsub.h"
#include "satori-sim-sybil.h"
#include "satori-sim-topology.h"

#define MS 1000
#define TOPIC "satori/test"

static const SatoriSimLinkParams link_100ms = { .latency_us = 100 * MS };

static SatoriSimPubsub *
flood_network (SatoriSimNetwork *network, guint n, guint n_sybils)
{
  SatoriSimPubsub *pubsub = satori_sim_pubsub_new (network,
                                                   satori_sim_router_lookup ("flood-fixture"), 1,
                                                   NULL);
  satori_sim_pubsub_add_hosts (pubsub, n, n_sybils);
  return pubsub;
}

static void
subscribe_all (SatoriSimPubsub *pubsub, SatoriSimNetwork *network)
{
  for (guint i = 0; i < satori_sim_network_get_n_nodes (network); i++)
    satori_sim_pubsub_subscribe (pubsub, i, TOPIC);
  /* Subscriptions travel one hop. */
  satori_sim_network_run_until (network, satori_sim_network_get_now (network) + 200 * MS);
}

static guint
publish_text (SatoriSimPubsub *pubsub, guint host, const char *text)
{
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  return satori_sim_pubsub_publish (pubsub, host, TOPIC, data);
}

static guint64
flood_run (guint64 seed, SatoriSimSummary *summary, guint *max_hops_out)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (seed, &link_100ms);
  g_autoptr(SatoriSimPubsub) pubsub = flood_network (network, 200, 0);
  satori_sim_topology_random (network, 6);
  subscribe_all (pubsub, network);

  const guint publishers[] = { 0, 57, 199 };
  guint messages[G_N_ELEMENTS (publishers)];
  gint64 published[G_N_ELEMENTS (publishers)];
  for (guint m = 0; m < G_N_ELEMENTS (publishers); m++)
    {
      published[m] = satori_sim_network_get_now (network);
      messages[m] = publish_text (pubsub, publishers[m], "hello");
      g_assert_cmpuint (messages[m], ==, m);
      satori_sim_network_run_until (network, published[m] + 10 * MS);
    }
  satori_sim_network_run (network, G_MAXINT64);

  /* Flooding takes the shortest path: latency is hops × 100 ms, exactly. */
  SatoriSimMetrics *metrics = satori_sim_pubsub_get_metrics (pubsub);
  guint max_hops = 0;
  for (guint m = 0; m < G_N_ELEMENTS (publishers); m++)
    {
      g_autofree guint *hops = satori_sim_topology_hops (network, publishers[m]);
      for (guint h = 0; h < 200; h++)
        {
          gint64 latency = satori_sim_metrics_get_latency (metrics, messages[m], h);
          if (h == publishers[m])
            {
              g_assert_cmpint (latency, ==, -1);
              continue;
            }
          g_assert_cmpuint (hops[h], !=, G_MAXUINT);
          g_assert_cmpint (latency, ==, (gint64) hops[h] * 100 * MS);
          max_hops = MAX (max_hops, hops[h]);
        }
    }
  satori_sim_metrics_summarise (metrics, summary);
  *max_hops_out = max_hops;
  g_assert_cmpuint (satori_sim_pubsub_get_disconnects (pubsub), ==, 0);
  return satori_sim_network_get_trace_hash (network);
}

static void
test_flood_200 (void)
{
  SatoriSimSummary summary, again;
  guint max_hops, max_hops_again;
  guint64 trace = flood_run (3, &summary, &max_hops);

  g_assert_cmpuint (summary.messages, ==, 3);
  g_assert_cmpuint (summary.complete, ==, 3);
  g_assert_cmpuint (summary.expected, ==, 3 * 199);
  g_assert_cmpuint (summary.delivered, ==, 3 * 199);
  g_assert_cmpfloat (summary.delivery_ratio, ==, 1.0);
  g_assert_cmpint (summary.max_us, ==, (gint64) max_hops * 100 * MS);
  g_assert_cmpint (summary.p50_us, >=, 200 * MS);
  g_assert_cmpint (summary.p50_us, <=, summary.p99_us);
  g_assert_cmpint (summary.p99_us, <=, summary.max_us);
  /* Copies arriving over other paths stop at the router's seen set. */
  g_assert_cmpuint (summary.duplicates, ==, 0);
  g_assert_cmpuint (summary.unexpected, ==, 0);

  g_assert_cmpuint (flood_run (3, &again, &max_hops_again), ==, trace);
  g_assert_cmpint (again.p99_us, ==, summary.p99_us);
}

/* a — s — b with s a sybil: s gets the message, b never does. */
static void
test_sybil_does_not_forward (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  g_autoptr(SatoriSimPubsub) pubsub = flood_network (network, 3, 1);
  g_assert_true (satori_sim_pubsub_is_sybil (pubsub, 0));
  g_assert_false (satori_sim_pubsub_is_sybil (pubsub, 1));
  satori_sim_network_connect (network, 1, 0, NULL);
  satori_sim_network_connect (network, 0, 2, NULL);
  subscribe_all (pubsub, network);

  /* The sybil's subscriptions got through: b knows s is on the topic. */
  g_autoptr(GPtrArray) peers = satori_sim_pubsub_get_core (pubsub, 2)->klass->topic_peers (
    satori_sim_pubsub_get_core (pubsub, 2), TOPIC);
  g_assert_cmpuint (peers->len, ==, 1);

  guint message = publish_text (pubsub, 1, "to b");
  satori_sim_network_run (network, G_MAXINT64);

  SatoriSimSummary summary;
  SatoriSimMetrics *metrics = satori_sim_pubsub_get_metrics (pubsub);
  satori_sim_metrics_summarise (metrics, &summary);
  g_assert_cmpuint (summary.expected, ==, 1);
  g_assert_cmpuint (summary.delivered, ==, 0);
  g_assert_cmpuint (summary.unexpected, ==, 1);  /* the sybil's own delivery */
  g_assert_cmpint (satori_sim_metrics_get_latency (metrics, message, 2), ==, -1);
  g_assert_cmpint (summary.p99_us, ==, -1);
}

/* A departed host is not expected, gets nothing, and the rest still do. */
static void
test_departed_host (void)
{
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (1, &link_100ms);
  g_autoptr(SatoriSimPubsub) pubsub = flood_network (network, 12, 0);
  satori_sim_topology_full (network);
  subscribe_all (pubsub, network);

  SatoriSimNode *gone = satori_sim_network_get_node (network, 5);
  guint64 received_before = gone->stats.frames_received;
  satori_sim_network_depart (network, 5);
  guint message = publish_text (pubsub, 0, "after 5 left");
  satori_sim_network_run (network, G_MAXINT64);

  SatoriSimSummary summary;
  SatoriSimMetrics *metrics = satori_sim_pubsub_get_metrics (pubsub);
  satori_sim_metrics_summarise (metrics, &summary);
  g_assert_cmpuint (summary.expected, ==, 10);
  g_assert_cmpuint (summary.delivered, ==, 10);
  g_assert_cmpint (summary.max_us, ==, 100 * MS);
  g_assert_cmpint (satori_sim_metrics_get_latency (metrics, message, 5), ==, -1);
  g_assert_cmpuint (gone->stats.frames_received, ==, received_before);
  /* The author and each of the ten sent it to host 5 once: lost in silence. */
  g_assert_cmpuint (satori_sim_network_get_frames_silenced (network), ==, 11);
}

/* Loss on every link: fewer deliveries, and the ratio says so. */
static void
test_lossy_links (void)
{
  SatoriSimLinkParams lossy = { .latency_us = 100 * MS, .loss = 0.6 };
  g_autoptr(SatoriSimNetwork) network = satori_sim_network_new (2, &link_100ms);
  g_autoptr(SatoriSimPubsub) pubsub = flood_network (network, 40, 0);
  satori_sim_topology_random (network, 3);
  subscribe_all (pubsub, network);
  /* Only the messages' links lose frames: re-open every link as lossy. */
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  for (guint a = 0; a < 40; a++)
    {
      guint n_peers;
      g_autofree guint *peers = satori_sim_network_get_peers (network, a, &n_peers);
      for (guint i = 0; i < n_peers; i++)
        if (peers[i] > a)
          g_array_append_vals (edges, (guint[]) { a, peers[i] }, 1);
    }
  for (guint i = 0; i < edges->len; i++)
    {
      guint *edge = &g_array_index (edges, guint, 2 * i);
      satori_sim_network_fail_link (network, edge[0], edge[1]);
      g_assert_true (satori_sim_network_connect (network, edge[0], edge[1], &lossy));
    }
  satori_sim_network_run_until (network, satori_sim_network_get_now (network) + 200 * MS);

  for (guint m = 0; m < 10; m++)
    publish_text (pubsub, m, "lossy");
  satori_sim_network_run (network, G_MAXINT64);

  SatoriSimSummary summary;
  satori_sim_metrics_summarise (satori_sim_pubsub_get_metrics (pubsub), &summary);
  g_assert_cmpuint (summary.expected, ==, 10 * 39);
  g_assert_cmpuint (summary.complete, <, 10);
  g_assert_cmpfloat (summary.delivery_ratio, <, 0.9);
  g_assert_cmpuint (satori_sim_network_get_frames_lost (network), >, 0);
}

/* --- the sybil filter on its own --- */

static GBytes *
rpc_frame (gboolean with_subscription, guint n_publish, gboolean with_control)
{
  Satori__Pubsub__RPC__SubOpts opts = SATORI__PUBSUB__RPC__SUB_OPTS__INIT;
  Satori__Pubsub__RPC__SubOpts *subs[] = { &opts };
  Satori__Pubsub__Message message = SATORI__PUBSUB__MESSAGE__INIT;
  Satori__Pubsub__Message *publish[] = { &message, &message };
  Satori__Pubsub__ControlGraft graft = SATORI__PUBSUB__CONTROL_GRAFT__INIT;
  Satori__Pubsub__ControlGraft *grafts[] = { &graft };
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__RPC rpc = SATORI__PUBSUB__RPC__INIT;

  opts.has_subscribe = TRUE;
  opts.subscribe = TRUE;
  opts.topicid = (char *) TOPIC;
  message.topic = (char *) TOPIC;
  message.has_data = TRUE;
  message.data.data = (guint8 *) "payload";
  message.data.len = 7;
  graft.topicid = (char *) TOPIC;
  control.n_graft = 1;
  control.graft = grafts;

  if (with_subscription)
    {
      rpc.n_subscriptions = 1;
      rpc.subscriptions = subs;
    }
  rpc.n_publish = n_publish;
  rpc.publish = publish;
  if (with_control)
    rpc.control = &control;
  return satori_protobuf_pack_delimited (&rpc.base);
}

static void
test_sybil_strip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) full = rpc_frame (TRUE, 2, TRUE);
  g_autoptr(GBytes) expected = rpc_frame (TRUE, 0, TRUE);
  g_autoptr(GBytes) only_publish = rpc_frame (FALSE, 1, FALSE);
  g_autoptr(GBytes) out = NULL;

  g_assert_true (satori_sim_sybil_strip_publish (full, &out, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, expected));
  g_clear_pointer (&out, g_bytes_unref);

  g_assert_true (satori_sim_sybil_strip_publish (only_publish, &out, &error));
  g_assert_null (out);

  g_assert_true (satori_sim_sybil_strip_publish (expected, &out, &error));
  g_assert_true (out == expected);
  g_clear_pointer (&out, g_bytes_unref);

  /* Not one whole frame: a truncated one, one with bytes after it, garbage. */
  gsize len;
  const guint8 *data = g_bytes_get_data (full, &len);
  g_autoptr(GBytes) truncated = g_bytes_new (data, len - 1);
  g_assert_false (satori_sim_sybil_strip_publish (truncated, &out, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_autoptr(GByteArray) longer = g_byte_array_new ();
  g_byte_array_append (longer, data, len);
  g_byte_array_append (longer, (const guint8 *) "x", 1);
  g_autoptr(GBytes) trailing = g_bytes_new (longer->data, longer->len);
  g_assert_false (satori_sim_sybil_strip_publish (trailing, &out, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);

  const guint8 garbage[] = { 0x03, 0xff, 0xff, 0xff };
  g_autoptr(GBytes) bad = g_bytes_new_static (garbage, sizeof garbage);
  g_assert_false (satori_sim_sybil_strip_publish (bad, &out, &error));
  g_assert_nonnull (error);
  g_assert_null (out);
}

static void
test_router_table (void)
{
  g_assert_nonnull (satori_sim_router_lookup ("flood-fixture"));
  g_assert_null (satori_sim_router_lookup ("no-such-router"));
  g_autofree char *names = satori_sim_router_list_names ();
  g_assert_nonnull (strstr (names, "flood-fixture"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim/pubsub/flood-200", test_flood_200);
  g_test_add_func ("/sim/pubsub/sybil-does-not-forward", test_sybil_does_not_forward);
  g_test_add_func ("/sim/pubsub/departed-host", test_departed_host);
  g_test_add_func ("/sim/pubsub/lossy-links", test_lossy_links);
  g_test_add_func ("/sim/pubsub/router-table", test_router_table);
  g_test_add_func ("/sim/sybil/strip-publish", test_sybil_strip);
  return g_test_run ();
}
