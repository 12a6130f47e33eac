/* Many DHT cores against each other over in-memory queues with a fake
 * clock: lookups, values and providers from any node, bad records, lying
 * and unreachable peers, client mode, bounded memory.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "kad-test-util.h"
#include "satori-errors.h"
#include "satori-kad-session.h"
#include "satori-peer-id.h"
#include "satori-test-util.h"

#define N_NODES 200
#define LATENCY_US (10 * 1000)

typedef enum {
  NODE_HONEST,
  NODE_DEAD,      /* gone without notice: never answers */
  NODE_GARBAGE,   /* answers with bytes that are not a message */
  NODE_LIAR,      /* answers with made-up peers and forged records */
} NodeKind;

typedef struct {
  SatoriKadSession *session;
  GBytes *id;
  NodeKind kind;
  GHashTable *results;   /* query id -> SatoriKadEvent, the last of each */
  GPtrArray *found;      /* SatoriKadEvent, the _FOUND ones, in order */
} Node;

typedef struct {
  gint64 at;
  guint node;
  guint64 request_id;
  GBytes *response;      /* NULL: the stream was reset */
} Delivery;

typedef struct {
  SatoriKadConfig config;
  gint64 now;
  guint n_nodes;
  Node *nodes;
  GHashTable *by_id;     /* peer id -> node index + 1 */
  GQueue deliveries;     /* Delivery, in time order (constant latency) */
  guint64 n_messages;
  guint32 seed;
  guint fake_peer;
  Node *watch_node;      /* net_run() returns once this node has ... */
  guint64 watch_query;   /* ... this query's event */
} Net;

static guint32 provider_state = 12345;

static void
event_free (SatoriKadEvent *event)
{
  satori_kad_event_clear (event);
  g_free (event);
}

/* Node @i's session on the store at @path. */
static void
node_open (Net *net, guint i, const char *path)
{
  SatoriKadProvider provider = kad_test_provider (&provider_state);
  SatoriKadStoreLimits limits = { 1000, 1000, 20 };
  g_autoptr(GError) error = NULL;
  Node *node = &net->nodes[i];
  SatoriKadStore *store = satori_kad_store_open (path, &limits, &error);
  g_assert_no_error (error);
  node->session = satori_kad_session_new (node->id, &net->config, store, &provider, net->now);
  satori_kad_validator_add_namespace (satori_kad_session_get_validator (node->session),
                                      "test", kad_test_validate_versioned, kad_test_select_highest, NULL);
}

static Net *
net_new (guint n_nodes, const SatoriKadConfig *config)
{
  Net *net = g_new0 (Net, 1);

  net->config = *config;
  net->n_nodes = n_nodes;
  net->nodes = g_new0 (Node, n_nodes);
  net->by_id = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  net->seed = 99;
  net->now = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  for (guint i = 0; i < n_nodes; i++)
    {
      Node *node = &net->nodes[i];
      node->id = kad_test_peer_id (i);
      node_open (net, i, ":memory:");
      node->results = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) event_free);
      node->found = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
      g_hash_table_insert (net->by_id, node->id, GUINT_TO_POINTER (i + 1));
    }
  return net;
}

static void
net_free (Net *net)
{
  for (guint i = 0; i < net->n_nodes; i++)
    {
      satori_kad_session_free (net->nodes[i].session);
      g_bytes_unref (net->nodes[i].id);
      g_hash_table_unref (net->nodes[i].results);
      g_ptr_array_unref (net->nodes[i].found);
    }
  for (GList *l = net->deliveries.head; l != NULL; l = l->next)
    {
      Delivery *d = l->data;
      g_clear_pointer (&d->response, g_bytes_unref);
      g_free (d);
    }
  g_queue_clear (&net->deliveries);
  g_hash_table_unref (net->by_id);
  g_free (net->nodes);
  g_free (net);
}

static Node *
node_of (Net *net, GBytes *id)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (net->by_id, id));
  return n > 0 ? &net->nodes[n - 1] : NULL;
}

/* A liar's answer: 20 peers that do not exist, and a forged /pk/ or
 * versioned record, of the type asked. */
static GBytes *
lie (Net *net, const guint8 *data, gsize len)
{
  g_autoptr(SatoriKadMessage) request = satori_kad_message_decode (data, len, 1 << 16, NULL);
  g_autoptr(SatoriKadMessage) reply = satori_kad_message_new (request->type, request->key);
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (reply->closer_peers, kad_test_peer (1000000 + net->fake_peer++));
  if (request->type == SATORI_KAD_GET_VALUE)
    {
      reply->record_key = g_bytes_ref (request->key);
      reply->record_value = g_bytes_new_static ("forged", 6);   /* fails validation */
    }
  /* A peer id that does not parse, to be dropped. */
  g_autoptr(GBytes) junk = g_bytes_new_static ("\xff\xff\xff", 3);
  g_ptr_array_add (reply->closer_peers, satori_kad_peer_new (junk, NULL, SATORI_KAD_CONNECTED));
  return satori_kad_message_encode (reply);
}

static void
deliver_transmit (Net *net, guint from, SatoriKadTransmit *transmit)
{
  Node *to = node_of (net, transmit->peer->id);
  gsize len;
  const guint8 *data = g_bytes_get_data (transmit->message, &len);
  GBytes *response = NULL;
  gboolean answered = FALSE;

  net->n_messages++;
  if (to == NULL || to->kind == NODE_DEAD)
    return;   /* silence: the request times out */
  /* As a driver does once identify shows the caller is a DHT server. */
  if (to->kind == NODE_HONEST && satori_kad_session_get_server_mode (net->nodes[from].session))
    {
      g_autoptr(SatoriKadPeer) caller = kad_test_peer (from);
      satori_kad_session_add_peer (to->session, caller, net->now);
    }
  switch (to->kind)
    {
    case NODE_GARBAGE:
      response = g_bytes_new_static ("\x0a\xff\x01garbage", 10);
      answered = TRUE;
      break;
    case NODE_LIAR:
      response = lie (net, data, len);
      answered = TRUE;
      break;
    case NODE_HONEST:
    case NODE_DEAD:
    default:
      answered = satori_kad_session_handle_request (to->session, net->nodes[from].id, data, len,
                                                    net->now, &response, NULL);
      break;
    }
  if (!transmit->expects_response)
    {
      g_clear_pointer (&response, g_bytes_unref);
      return;
    }
  Delivery *d = g_new0 (Delivery, 1);
  d->at = net->now + 2 * LATENCY_US;
  d->node = from;
  d->request_id = transmit->request_id;
  d->response = answered ? response : NULL;
  g_queue_push_tail (&net->deliveries, d);
}

static void
drain (Net *net, guint i)
{
  Node *node = &net->nodes[i];
  SatoriKadTransmit transmit;
  SatoriKadEvent event;

  while (satori_kad_session_poll_transmit (node->session, &transmit))
    {
      deliver_transmit (net, i, &transmit);
      satori_kad_transmit_clear (&transmit);
    }
  while (satori_kad_session_poll_event (node->session, &event))
    {
      if (event.type == SATORI_KAD_EVENT_CHECK_PEER)
        {
          Node *checked = node_of (net, event.peer->id);
          satori_kad_session_report_liveness (node->session, event.peer->id,
                                              checked != NULL && checked->kind != NODE_DEAD,
                                              net->now);
          satori_kad_event_clear (&event);
          continue;
        }
      if (event.type == SATORI_KAD_EVENT_VALUE_FOUND
          || event.type == SATORI_KAD_EVENT_PROVIDER_FOUND)
        {
          g_ptr_array_add (node->found, g_memdup2 (&event, sizeof event));
          continue;
        }
      g_hash_table_insert (node->results, g_memdup2 (&event.query_id, sizeof (guint64)),
                           g_memdup2 (&event, sizeof event));
    }
}

/* Runs the network until nothing is left to do before @until_us. */
static void
net_run (Net *net, gint64 until_us)
{
  for (;;)
    {
      for (guint i = 0; i < net->n_nodes; i++)
        drain (net, i);
      if (net->watch_node != NULL
          && g_hash_table_contains (net->watch_node->results, &net->watch_query))
        return;

      gint64 next = G_MAXINT64;
      Delivery *first = g_queue_peek_head (&net->deliveries);
      if (first != NULL)
        next = first->at;
      for (guint i = 0; i < net->n_nodes; i++)
        if (net->nodes[i].kind != NODE_DEAD)
          next = MIN (next, satori_kad_session_next_deadline_us (net->nodes[i].session));
      if (next > until_us)
        return;
      net->now = MAX (net->now, next);

      while ((first = g_queue_peek_head (&net->deliveries)) != NULL && first->at <= net->now)
        {
          g_queue_pop_head (&net->deliveries);
          SatoriKadSession *session = net->nodes[first->node].session;
          if (first->response != NULL)
            satori_kad_session_handle_response (session, first->request_id,
                                                g_bytes_get_data (first->response, NULL),
                                                g_bytes_get_size (first->response), net->now);
          else
            satori_kad_session_handle_request_failed (session, first->request_id, net->now);
          g_clear_pointer (&first->response, g_bytes_unref);
          g_free (first);
        }
      for (guint i = 0; i < net->n_nodes; i++)
        if (net->nodes[i].kind != NODE_DEAD
            && satori_kad_session_next_deadline_us (net->nodes[i].session) <= net->now)
          satori_kad_session_handle_timeout (net->nodes[i].session, net->now);
    }
}

/* Until the query's event is in. */
static SatoriKadEvent *
net_wait (Net *net, guint node, guint64 query_id)
{
  net->watch_node = &net->nodes[node];
  net->watch_query = query_id;
  net_run (net, net->now + 120 * G_USEC_PER_SEC);
  net->watch_node = NULL;
  SatoriKadEvent *event = g_hash_table_lookup (net->nodes[node].results, &query_id);
  g_assert_nonnull (event);
  return event;
}

/* Each node knows node 0 and three others, then looks itself up. */
static void
net_bootstrap (Net *net)
{
  for (guint i = 0; i < net->n_nodes; i++)
    {
      for (guint j = 0; j < 4; j++)
        {
          guint other = j == 0 ? 0 : kad_test_random_u32 (&net->seed) % net->n_nodes;
          if (other == i)
            continue;
          g_autoptr(SatoriKadPeer) peer = kad_test_peer (other);
          satori_kad_session_add_peer (net->nodes[i].session, peer, net->now);
        }
    }
  /* Two rounds of everyone at once: the second finds what the first
   * taught the others. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < net->n_nodes; i++)
        satori_kad_session_bootstrap (net->nodes[i].session, net->now);
      net_run (net, net->now + 120 * G_USEC_PER_SEC);
    }
}

static Net *
bootstrapped (guint n_nodes)
{
  SatoriKadConfig config;
  satori_kad_config_init (&config);
  Net *net = net_new (n_nodes, &config);
  net_bootstrap (net);
  return net;
}

static GPtrArray *
true_closest (Net *net, GBytes *key, guint asker)
{
  SatoriKadKey target;
  satori_kad_key_init_from_bytes (&target, key);
  GPtrArray *ids = g_ptr_array_new ();
  for (guint i = 0; i < net->n_nodes; i++)
    if (i != asker && net->nodes[i].kind == NODE_HONEST)
      g_ptr_array_add (ids, net->nodes[i].id);
  g_ptr_array_sort_with_data (ids, kad_test_compare_ids, &target);
  g_ptr_array_set_size (ids, MIN (ids->len, 20));
  return ids;
}

static guint
overlap (GPtrArray *peers, GPtrArray *ids)
{
  guint n = 0;
  for (guint i = 0; i < peers->len; i++)
    for (guint j = 0; j < ids->len; j++)
      if (g_bytes_equal (((SatoriKadPeer *) peers->pdata[i])->id, ids->pdata[j]))
        n++;
  return n;
}

static void
test_find_node (void)
{
  Net *net = bootstrapped (N_NODES);
  guint total_overlap = 0, total_requests = 0, total_hops = 0;

  for (guint t = 0; t < 20; t++)
    {
      guint asker = (t * 7 + 3) % N_NODES, target = (t * 13 + 50) % N_NODES;
      guint64 q = satori_kad_session_find_node (net->nodes[asker].session,
                                                net->nodes[target].id, net->now);
      SatoriKadEvent *event = net_wait (net, asker, q);
      g_assert_cmpint (event->type, ==, SATORI_KAD_EVENT_CLOSEST_PEERS);
      g_assert_nonnull (event->peer);
      g_assert_true (g_bytes_equal (event->peer->id, net->nodes[target].id));
      g_assert_cmpuint (event->peer->addrs->len, ==, 1);
      g_assert_true (g_bytes_equal (((SatoriKadPeer *) event->peers->pdata[0])->id,
                                    net->nodes[target].id));
      g_autoptr(GPtrArray) expected = true_closest (net, net->nodes[target].id, asker);
      total_overlap += overlap (event->peers, expected);
      total_requests += event->n_requests;
      total_hops += event->hops;
      g_assert_cmpuint (event->hops, >=, 1);
    }
  g_test_message ("find-node: %u of %u true closest found, %.1f requests and %.1f hops per "
                  "lookup", total_overlap, 20 * 20, total_requests / 20.0, total_hops / 20.0);
  g_assert_cmpuint (total_overlap, ==, 20 * 20);
  net_free (net);
}

/* S/Kademlia's disjoint paths (d = 3) with a tenth of the nodes lying:
 * every target is found, at about d times the requests. */
static void
test_disjoint_paths (void)
{
  SatoriKadConfig config;
  satori_kad_config_init (&config);
  config.disjoint_paths = 3;
  Net *net = net_new (N_NODES / 2, &config);
  for (guint i = 0; i < N_NODES / 2; i++)
    if (i % 10 == 4)
      net->nodes[i].kind = NODE_LIAR;
  net_bootstrap (net);

  guint found = 0, requests = 0;
  for (guint t = 0; t < 10; t++)
    {
      guint asker = t * 10, target = t * 10 + 5;
      guint64 q = satori_kad_session_find_node (net->nodes[asker].session,
                                                net->nodes[target].id, net->now);
      SatoriKadEvent *event = net_wait (net, asker, q);
      found += event->peer != NULL;
      requests += event->n_requests;
    }
  g_test_message ("disjoint paths: %u/10 found, %.1f requests per lookup", found, requests / 10.0);
  g_assert_cmpuint (found, ==, 10);
  net_free (net);
}

static void
test_values (void)
{
  Net *net = bootstrapped (N_NODES);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/answer", 12);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  g_autoptr(GBytes) v2 = g_bytes_new_static ("v2", 2);
  g_autoptr(GError) error = NULL;

  guint64 q = satori_kad_session_put_value (net->nodes[5].session, key, v1, net->now, &error);
  g_assert_no_error (error);
  SatoriKadEvent *put = net_wait (net, 5, q);
  g_assert_cmpint (put->type, ==, SATORI_KAD_EVENT_PUT_DONE);
  g_assert_cmpuint (put->n_succeeded, ==, 20);

  for (guint t = 0; t < 10; t++)
    {
      guint getter = 20 + t * 17;
      q = satori_kad_session_get_value (net->nodes[getter].session, key, net->now);
      SatoriKadEvent *got = net_wait (net, getter, q);
      g_assert_cmpint (got->type, ==, SATORI_KAD_EVENT_VALUE);
      g_assert_nonnull (got->value);
      g_assert_true (g_bytes_equal (got->value, v1));
    }

  /* A newer version reaches a few of the holders only; a GET finds it
   * and corrects the outdated ones. */
  g_autoptr(GPtrArray) holders = true_closest (net, key, G_MAXUINT);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SatoriKadMessage) put_v2 = satori_kad_message_new (SATORI_KAD_PUT_VALUE, key);
      put_v2->record_key = g_bytes_ref (key);
      put_v2->record_value = g_bytes_ref (v2);
      g_autoptr(GBytes) bytes = satori_kad_message_encode (put_v2);
      g_autoptr(GBytes) echo = NULL;
      Node *holder = node_of (net, holders->pdata[i]);
      g_assert_true (satori_kad_session_handle_request (holder->session, net->nodes[5].id,
                                                        g_bytes_get_data (bytes, NULL),
                                                        g_bytes_get_size (bytes), net->now,
                                                        &echo, NULL));
      /* The older value is refused from now on. */
      g_autoptr(SatoriKadMessage) put_v1 = satori_kad_message_new (SATORI_KAD_PUT_VALUE, key);
      put_v1->record_key = g_bytes_ref (key);
      put_v1->record_value = g_bytes_ref (v1);
      g_autoptr(GBytes) old = satori_kad_message_encode (put_v1);
      g_autoptr(GBytes) refused = NULL;
      g_autoptr(GError) old_error = NULL;
      g_assert_false (satori_kad_session_handle_request (holder->session, net->nodes[5].id,
                                                         g_bytes_get_data (old, NULL),
                                                         g_bytes_get_size (old), net->now,
                                                         &refused, &old_error));
      g_assert_error (old_error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD);
    }
  /* With a quorum of all 20, every holder answers. */
  SatoriKadConfig config;
  satori_kad_config_init (&config);
  guint getter = 150;
  for (guint round = 0; round < 2; round++)
    {
      q = satori_kad_session_get_value (net->nodes[getter].session, key, net->now);
      SatoriKadEvent *got = net_wait (net, getter, q);
      g_assert_nonnull (got->value);
      g_assert_true (g_bytes_equal (got->value, v2));
      net_run (net, net->now + G_USEC_PER_SEC);
    }
  guint updated = 0;
  for (guint i = 0; i < holders->len; i++)
    {
      Node *holder = node_of (net, holders->pdata[i]);
      g_autoptr(SatoriKadMessage) get = satori_kad_message_new (SATORI_KAD_GET_VALUE, key);
      g_autoptr(GBytes) bytes = satori_kad_message_encode (get);
      g_autoptr(GBytes) answer = NULL;
      g_assert_true (satori_kad_session_handle_request (holder->session, net->nodes[0].id,
                                                        g_bytes_get_data (bytes, NULL),
                                                        g_bytes_get_size (bytes), net->now,
                                                        &answer, NULL));
      g_autoptr(SatoriKadMessage) reply = satori_kad_message_decode (
        g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), 1 << 16, NULL);
      g_assert_nonnull (reply->record_value);
      g_assert_nonnull (reply->time_received);
      updated += g_bytes_equal (reply->record_value, v2);
    }
  g_test_message ("values: %u of %u holders have the newest value after two gets",
                  updated, holders->len);
  g_assert_cmpuint (updated, >, 5);
  net_free (net);
}

static void
test_providers (void)
{
  Net *net = bootstrapped (N_NODES);
  static const struct { const char *key; gsize len; } keys[] = {
    { "/satori/sub/stream-42", 21 },                   /* raw UTF-8, as the Python nodes */
    { "\x12\x20" "0123456789abcdef0123456789abcdef", 34 },   /* a CID multihash */
  };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_autoptr(GBytes) key = g_bytes_new (keys[k].key, keys[k].len);
      guint provider = 7 + k;
      g_autoptr(GError) error = NULL;
      guint64 q = satori_kad_session_provide (net->nodes[provider].session, key, net->now, &error);
      g_assert_no_error (error);
      SatoriKadEvent *done = net_wait (net, provider, q);
      g_assert_cmpint (done->type, ==, SATORI_KAD_EVENT_PROVIDE_DONE);
      g_assert_cmpuint (done->n_succeeded, ==, 20);
      net_run (net, net->now + G_USEC_PER_SEC);

      for (guint t = 0; t < 10; t++)
        {
          guint seeker = 30 + t * 15;
          q = satori_kad_session_get_providers (net->nodes[seeker].session, key, 0, net->now);
          SatoriKadEvent *found = net_wait (net, seeker, q);
          g_assert_cmpint (found->type, ==, SATORI_KAD_EVENT_PROVIDERS);
          g_assert_cmpuint (found->peers->len, ==, 1);
          SatoriKadPeer *peer = found->peers->pdata[0];
          g_assert_true (g_bytes_equal (peer->id, net->nodes[provider].id));
        }
    }

  /* Bad provider keys are refused. */
  g_autoptr(GBytes) bad = g_bytes_new_static ("\x12\x05" "abc", 5);
  g_autoptr(GError) error = NULL;
  g_assert_cmpuint (satori_kad_session_provide (net->nodes[1].session, bad, net->now, &error), ==, 0);
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_BAD_REQUEST);
  net_free (net);
}

/* Hands @value for @key to the node @holder as a PUT_VALUE from node 0. */
static void
put_by_hand (Net *net, Node *holder, GBytes *key, GBytes *value)
{
  g_autoptr(SatoriKadMessage) put = satori_kad_message_new (SATORI_KAD_PUT_VALUE, key);
  put->record_key = g_bytes_ref (key);
  put->record_value = g_bytes_ref (value);
  g_autoptr(GBytes) bytes = satori_kad_message_encode (put);
  g_autoptr(GBytes) echo = NULL;
  g_assert_true (satori_kad_session_handle_request (holder->session, net->nodes[0].id,
                                                    g_bytes_get_data (bytes, NULL),
                                                    g_bytes_get_size (bytes), net->now, &echo,
                                                    NULL));
}

/* GET_VALUE streams the first valid value (here our own, outdated one)
 * and then each strictly better one, before the lookup's end: the 20
 * holders have versions v2 to v5 (the closest the newest); whatever the
 * order of arrival, what is reported only ever gets better, never twice
 * the same, and ends with the final value. */
static void
test_values_streamed (void)
{
  SatoriKadConfig config;
  satori_kad_config_init (&config);
  config.quorum = 20;   /* hear every holder */
  Net *net = net_new (N_NODES, &config);
  net_bootstrap (net);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/streamed", 14);
  static const char *const versions[] = { "v5", "v4", "v3", "v2" };
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  guint getter = 77;

  g_autoptr(GPtrArray) holders = true_closest (net, key, getter);
  for (guint i = 0; i < holders->len; i++)
    {
      g_autoptr(GBytes) v = g_bytes_new_static (versions[i * G_N_ELEMENTS (versions) / holders->len], 2);
      put_by_hand (net, node_of (net, holders->pdata[i]), key, v);
    }
  put_by_hand (net, &net->nodes[getter], key, v1);

  guint64 q = satori_kad_session_get_value (net->nodes[getter].session, key, net->now);
  /* Our own value is reported at once, before any answer. */
  GPtrArray *found = net->nodes[getter].found;
  g_assert_cmpuint (found->len, ==, 0);
  drain (net, getter);
  g_assert_cmpuint (found->len, ==, 1);
  SatoriKadEvent *first = found->pdata[0];
  g_assert_cmpint (first->type, ==, SATORI_KAD_EVENT_VALUE_FOUND);
  g_assert_cmpuint (first->query_id, ==, q);
  g_assert_true (g_bytes_equal (first->value, v1));
  g_assert_null (first->peer);

  SatoriKadEvent *end = net_wait (net, getter, q);
  g_assert_cmpint (end->type, ==, SATORI_KAD_EVENT_VALUE);
  g_assert_cmpmem ("v5", 2, g_bytes_get_data (end->value, NULL), g_bytes_get_size (end->value));
  g_autoptr(GString) order = g_string_new (NULL);
  for (guint i = 0; i < found->len; i++)
    g_string_append_len (order, g_bytes_get_data (((SatoriKadEvent *) found->pdata[i])->value, NULL), 2);
  g_test_message ("values streamed: %s (%u) before the end", order->str, found->len);
  g_assert_cmpuint (found->len, >=, 2);
  g_assert_cmpuint (found->len, <=, 5);
  for (guint i = 1; i < found->len; i++)
    {
      SatoriKadEvent *before = found->pdata[i - 1], *now = found->pdata[i];
      g_assert_cmpint (now->type, ==, SATORI_KAD_EVENT_VALUE_FOUND);
      g_assert_cmpint (g_bytes_compare (now->value, before->value), >, 0);
      g_assert_nonnull (now->peer);
      g_assert_nonnull (node_of (net, now->peer->id));
    }
  g_assert_true (g_bytes_equal (((SatoriKadEvent *) found->pdata[found->len - 1])->value,
                                end->value));
  net_free (net);
}

/* Five providers of a key: GET_PROVIDERS streams each once as it comes,
 * and one asking for two stops early, with fewer requests than one that
 * wants them all (both seekers away from the key, which they do not
 * hold providers of). */
static void
test_providers_streamed (void)
{
  Net *net = bootstrapped (N_NODES);
  g_autoptr(GBytes) key = g_bytes_new_static ("/satori/sub/many", 16);
  guint n_requests[2];

  for (guint p = 0; p < 5; p++)
    net_wait (net, 10 + p, satori_kad_session_provide (net->nodes[10 + p].session, key, net->now,
                                                      NULL));
  net_run (net, net->now + G_USEC_PER_SEC);

  g_autoptr(GPtrArray) holders = true_closest (net, key, G_MAXUINT);
  guint seekers[2], n_seekers = 0;
  for (guint i = 100; n_seekers < 2; i++)
    if (!g_ptr_array_find_with_equal_func (holders, net->nodes[i].id, g_bytes_equal, NULL))
      seekers[n_seekers++] = i;
  for (guint round = 0; round < 2; round++)
    {
      guint seeker = seekers[round], max = round == 0 ? 2 : 0;
      GPtrArray *found = net->nodes[seeker].found;
      guint64 q = satori_kad_session_get_providers (net->nodes[seeker].session, key, max,
                                                    net->now);
      SatoriKadEvent *end = net_wait (net, seeker, q);
      g_assert_cmpint (end->type, ==, SATORI_KAD_EVENT_PROVIDERS);
      g_assert_cmpuint (end->peers->len, ==, round == 0 ? 2 : 5);
      g_assert_cmpuint (found->len, ==, end->peers->len);
      for (guint i = 0; i < found->len; i++)
        {
          SatoriKadEvent *event = found->pdata[i];
          g_assert_cmpint (event->type, ==, SATORI_KAD_EVENT_PROVIDER_FOUND);
          g_assert_cmpuint (event->query_id, ==, q);
          g_assert_true (g_bytes_equal (event->peer->id,
                                        ((SatoriKadPeer *) end->peers->pdata[i])->id));
          Node *provider = node_of (net, event->peer->id);
          g_assert_true (provider >= &net->nodes[10] && provider < &net->nodes[15]);
        }
      n_requests[round] = end->n_requests;
    }
  g_test_message ("providers streamed: %u requests for 2 of 5 providers, %u for all",
                  n_requests[0], n_requests[1]);
  g_assert_cmpuint (n_requests[0], <, n_requests[1]);
  net_free (net);
}

/* A 40-node network with a slow bucket refresh (a day): cheap to run for
 * days of virtual time. */
static Net *
slow_refresh_net (void)
{
  SatoriKadConfig config;
  satori_kad_config_init (&config);
  config.refresh_interval_us = 24 * G_TIME_SPAN_HOUR;
  Net *net = net_new (40, &config);
  net_bootstrap (net);
  return net;
}

/* @request from node @from, handled by every node, once. */
static void
send_to_all_by_hand (Net *net, guint from, GBytes *request)
{
  for (guint i = 0; i < net->n_nodes; i++)
    {
      g_autoptr(GBytes) answer = NULL;
      g_assert_true (satori_kad_session_handle_request (net->nodes[i].session, net->nodes[from].id,
                                                        g_bytes_get_data (request, NULL),
                                                        g_bytes_get_size (request), net->now,
                                                        &answer, NULL));
    }
}

/* Provider records expire after 48 h unless republished (every 22 h):
 * two days on, the provider is still found; a key nobody republishes is
 * gone. (A smaller network with a slow bucket refresh keeps this cheap.) */
static void
test_republish (void)
{
  Net *net = slow_refresh_net ();
  g_autoptr(GBytes) key = g_bytes_new_static ("/satori/sub/kept", 16);
  g_autoptr(GBytes) dropped = g_bytes_new_static ("/satori/sub/dropped", 19);

  guint64 q = satori_kad_session_provide (net->nodes[3].session, key, net->now, NULL);
  net_wait (net, 3, q);
  /* An announcement by hand, never repeated. */
  g_autoptr(SatoriKadMessage) add = satori_kad_message_new (SATORI_KAD_ADD_PROVIDER, dropped);
  g_ptr_array_add (add->provider_peers, kad_test_peer (4));
  g_autoptr(GBytes) bytes = satori_kad_message_encode (add);
  send_to_all_by_hand (net, 4, bytes);

  net_run (net, net->now + 50 * G_TIME_SPAN_HOUR);
  net->now += 50 * G_TIME_SPAN_HOUR;
  q = satori_kad_session_get_providers (net->nodes[20].session, key, 0, net->now);
  SatoriKadEvent *found = net_wait (net, 20, q);
  g_assert_cmpuint (found->peers->len, ==, 1);
  q = satori_kad_session_get_providers (net->nodes[20].session, dropped, 0, net->now);
  found = net_wait (net, 20, q);
  g_assert_cmpuint (found->peers->len, ==, 0);
  net_free (net);
}

static GBytes *request_bytes (SatoriKadMessageType type, GBytes *key, GBytes *value);

/* Records: one we put is put again every 22 h and still found after
 * 50 h; one put by hand (a peer that went away) is dropped 36 h after it
 * was received. */
static void
test_republish_records (void)
{
  Net *net = slow_refresh_net ();
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/kept", 10);
  g_autoptr(GBytes) dropped = g_bytes_new_static ("/test/dropped", 13);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);

  guint64 q = satori_kad_session_put_value (net->nodes[3].session, key, v1, net->now, NULL);
  g_assert_cmpuint (net_wait (net, 3, q)->n_succeeded, >, 0);
  g_autoptr(GBytes) put = request_bytes (SATORI_KAD_PUT_VALUE, dropped, v1);
  send_to_all_by_hand (net, 4, put);
  /* Node 4 is gone: its record is nobody's to keep alive. */
  net->nodes[4].kind = NODE_DEAD;

  gint64 start = net->now;
  net_run (net, start + 35 * G_TIME_SPAN_HOUR);
  net->now = start + 35 * G_TIME_SPAN_HOUR;
  g_autoptr(GBytes) still = satori_kad_store_get_record (
    satori_kad_session_get_store (net->nodes[20].session), dropped, NULL);
  g_assert_nonnull (still);

  net_run (net, start + 50 * G_TIME_SPAN_HOUR);
  net->now = start + 50 * G_TIME_SPAN_HOUR;
  guint holders = 0;
  for (guint i = 0; i < 40; i++)
    {
      if (i == 4)
        continue;   /* gone, it runs nothing */
      SatoriKadStore *store = satori_kad_session_get_store (net->nodes[i].session);
      g_autoptr(GBytes) gone = satori_kad_store_get_record (store, dropped, NULL);
      g_autoptr(GBytes) kept = satori_kad_store_get_record (store, key, NULL);
      g_assert_null (gone);
      holders += kept != NULL && i != 3;
    }
  g_test_message ("republish: %u other nodes hold our record after 50 h", holders);
  g_assert_cmpuint (holders, >=, 10);
  q = satori_kad_session_get_value (net->nodes[20].session, key, net->now);
  SatoriKadEvent *found = net_wait (net, 20, q);
  g_assert_nonnull (found->value);
  g_assert_true (g_bytes_equal (found->value, v1));
  net_free (net);
}

static GBytes *
request_bytes (SatoriKadMessageType type, GBytes *key, GBytes *value)
{
  g_autoptr(SatoriKadMessage) message = satori_kad_message_new (type, key);
  if (value != NULL)
    {
      message->record_key = g_bytes_ref (key);
      message->record_value = g_bytes_ref (value);
    }
  return satori_kad_message_encode (message);
}

static gboolean
ask (Node *node, GBytes *from, GBytes *request, GBytes **answer, GError **error)
{
  return satori_kad_session_handle_request (node->session, from, g_bytes_get_data (request, NULL),
                                            g_bytes_get_size (request), 0, answer, error);
}

static void
test_bad_records (void)
{
  Net *net = bootstrapped (40);
  g_autoptr(SatoriPrivateKey) a = satori_test_secp256k1_key_filled (0x11);
  g_autoptr(SatoriPrivateKey) b = satori_test_secp256k1_key_filled (0x22);
  g_autoptr(SatoriPeerId) id_a = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (a));
  GBytes *id_bytes = satori_peer_id_get_bytes (id_a);
  g_autoptr(GByteArray) pk = g_byte_array_new ();
  g_byte_array_append (pk, (const guint8 *) "/pk/", 4);
  g_byte_array_append (pk, g_bytes_get_data (id_bytes, NULL), g_bytes_get_size (id_bytes));
  g_autoptr(GBytes) pk_key = g_bytes_new (pk->data, pk->len);
  g_autoptr(GBytes) good = satori_public_key_to_protobuf (satori_private_key_get_public_key (a));
  g_autoptr(GBytes) wrong = satori_public_key_to_protobuf (satori_private_key_get_public_key (b));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  /* A /pk/ record with another peer's key: refused locally and remotely. */
  g_assert_cmpuint (satori_kad_session_put_value (net->nodes[1].session, pk_key, wrong, net->now,
                                                  &error), ==, 0);
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD);
  g_clear_error (&error);
  g_autoptr(GBytes) bad_put = request_bytes (SATORI_KAD_PUT_VALUE, pk_key, wrong);
  g_assert_false (ask (&net->nodes[2], net->nodes[1].id, bad_put, &answer, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD);
  g_clear_error (&error);

  /* Oversized values, unknown namespaces, a record for another key. */
  g_autofree char *big = g_malloc0 (17 * 1024);
  big[0] = 'v';
  g_autoptr(GBytes) big_value = g_bytes_new (big, 17 * 1024);
  g_autoptr(GBytes) test_key = g_bytes_new_static ("/test/big", 9);
  g_autoptr(GBytes) big_put = request_bytes (SATORI_KAD_PUT_VALUE, test_key, big_value);
  g_assert_false (ask (&net->nodes[2], net->nodes[1].id, big_put, &answer, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD);
  g_clear_error (&error);
  g_autoptr(GBytes) other_key = g_bytes_new_static ("/other/x", 8);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  g_autoptr(GBytes) unknown_put = request_bytes (SATORI_KAD_PUT_VALUE, other_key, v1);
  g_assert_false (ask (&net->nodes[2], net->nodes[1].id, unknown_put, &answer, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_NO_VALIDATOR);
  g_clear_error (&error);

  /* Malformed requests fail the stream; nothing was stored. */
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x0a\xff\x01", 3);
  g_assert_false (ask (&net->nodes[2], net->nodes[1].id, garbage, &answer, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);
  g_autoptr(GBytes) no_key = request_bytes (SATORI_KAD_FIND_NODE, NULL, NULL);
  g_assert_false (ask (&net->nodes[2], net->nodes[1].id, no_key, &answer, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  /* The good /pk/ record goes around and is found. */
  guint64 q = satori_kad_session_put_value (net->nodes[1].session, pk_key, good, net->now, &error);
  g_assert_no_error (error);
  net_wait (net, 1, q);
  q = satori_kad_session_get_value (net->nodes[30].session, pk_key, net->now);
  SatoriKadEvent *got = net_wait (net, 30, q);
  g_assert_nonnull (got->value);
  g_assert_true (g_bytes_equal (got->value, good));

  /* PING is answered. */
  g_autoptr(GBytes) ping = request_bytes (SATORI_KAD_PING, NULL, NULL);
  g_autoptr(GBytes) pong = NULL;
  g_assert_true (ask (&net->nodes[3], net->nodes[1].id, ping, &pong, NULL));
  g_autoptr(SatoriKadMessage) reply = satori_kad_message_decode (
    g_bytes_get_data (pong, NULL), g_bytes_get_size (pong), 1024, NULL);
  g_assert_cmpint (reply->type, ==, SATORI_KAD_PING);
  net_free (net);
}

/* A fifth of the nodes lie or answer garbage: lookups, values and
 * providers still work, and nobody keeps the lies. */
static void
test_hostile (void)
{
  SatoriKadConfig config;
  satori_kad_config_init (&config);
  Net *net = net_new (N_NODES / 2, &config);
  for (guint i = 0; i < N_NODES / 2; i++)
    if (i % 10 == 4)
      net->nodes[i].kind = NODE_LIAR;
    else if (i % 10 == 8)
      net->nodes[i].kind = NODE_GARBAGE;
  net_bootstrap (net);

  g_autoptr(GBytes) key = g_bytes_new_static ("/test/hostile", 13);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  guint64 q = satori_kad_session_put_value (net->nodes[1].session, key, v1, net->now, NULL);
  net_wait (net, 1, q);

  guint ok = 0, found = 0, requests = 0;
  for (guint t = 0; t < 20; t++)
    {
      guint asker = (t * 10 + 1 + (t % 3)) % (N_NODES / 2);
      guint target = (t * 37 + 2) % (N_NODES / 2);
      if (net->nodes[target].kind != NODE_HONEST)
        target++;
      q = satori_kad_session_get_value (net->nodes[asker].session, key, net->now);
      SatoriKadEvent *got = net_wait (net, asker, q);
      ok += got->value != NULL && g_bytes_equal (got->value, v1);
      q = satori_kad_session_find_node (net->nodes[asker].session, net->nodes[target].id, net->now);
      SatoriKadEvent *closest = net_wait (net, asker, q);
      found += closest->peer != NULL;
      requests += closest->n_requests;
      /* Made-up peers never enter routing tables: every entry is a real
       * node (liars are real nodes that answer, so they may be there). */
      g_autoptr(GPtrArray) all = satori_kad_routing_table_closest (
        satori_kad_session_get_routing_table (net->nodes[asker].session),
        &(SatoriKadKey) { { 0 } }, 10000, NULL);
      for (guint i = 0; i < all->len; i++)
        {
          g_assert_nonnull (node_of (net, ((SatoriKadPeer *) all->pdata[i])->id));
        }
    }
  g_test_message ("hostile: %u/20 values, %u/20 peers found, %.1f requests per lookup",
                  ok, found, requests / 20.0);
  g_assert_cmpuint (ok, ==, 20);
  g_assert_cmpuint (found, ==, 20);
  net_free (net);
}

static guint
dead_entries (Net *net)
{
  guint dead = 0;
  for (guint i = 0; i < net->n_nodes; i++)
    {
      if (net->nodes[i].kind == NODE_DEAD)
        continue;
      g_autoptr(GPtrArray) all = satori_kad_routing_table_closest (
        satori_kad_session_get_routing_table (net->nodes[i].session),
        &(SatoriKadKey) { { 0 } }, 10000, NULL);
      for (guint j = 0; j < all->len; j++)
        dead += node_of (net, ((SatoriKadPeer *) all->pdata[j])->id)->kind == NODE_DEAD;
    }
  return dead;
}

/* A fifth of the nodes vanish after the values were stored. */
static void
test_unreachable (void)
{
  Net *net = bootstrapped (N_NODES);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);

  for (guint k = 0; k < 10; k++)
    {
      g_autofree char *name = g_strdup_printf ("/test/key-%u", k);
      GBytes *key = g_bytes_new (name, strlen (name));
      g_ptr_array_add (keys, key);
      guint64 q = satori_kad_session_put_value (net->nodes[k].session, key, v1, net->now, NULL);
      net_wait (net, k, q);
    }
  for (guint i = 0; i < N_NODES; i++)
    if (kad_test_random_u32 (&net->seed) % 5 == 0)
      net->nodes[i].kind = NODE_DEAD;

  guint ok = 0, tries = 0;
  gint64 started = net->now, longest = 0;
  for (guint k = 0; k < keys->len; k++)
    for (guint t = 0; t < 3; t++)
      {
        guint asker = (k * 31 + t * 7 + 11) % N_NODES;
        if (net->nodes[asker].kind == NODE_DEAD)
          continue;
        tries++;
        gint64 start = net->now;
        guint64 q = satori_kad_session_get_value (net->nodes[asker].session, keys->pdata[k],
                                                  net->now);
        SatoriKadEvent *got = net_wait (net, asker, q);
        ok += got->value != NULL;
        longest = MAX (longest, net->now - start);
      }
  g_test_message ("unreachable: %u/%u values found with 20%% of nodes gone, longest %.1f s, "
                  "all in %.1f s", ok, tries, longest / 1e6, (net->now - started) / 1e6);
  g_assert_cmpuint (ok, ==, tries);

  /* Dead peers leave the routing tables as lookups run into them: after
   * one round of bucket refreshes (10 min), far fewer are left. */
  guint before = dead_entries (net);
  net_run (net, net->now + 11 * G_TIME_SPAN_MINUTE);
  guint after = dead_entries (net);
  g_test_message ("unreachable: routing entries pointing at dead nodes: %u, after a refresh "
                  "round %u", before, after);
  g_assert_cmpuint (after * 4, <, before);
  net_free (net);
}

static void
test_client_mode (void)
{
  Net *net = bootstrapped (40);
  Node *client = &net->nodes[39];
  satori_kad_session_set_server_mode (client->session, FALSE);
  g_assert_false (satori_kad_session_get_server_mode (client->session));

  g_autoptr(GBytes) ping = request_bytes (SATORI_KAD_PING, NULL, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_false (ask (client, net->nodes[0].id, ping, &answer, &error));
  g_assert_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_CLIENT_MODE);
  g_assert_null (answer);

  /* It still looks things up. */
  guint64 q = satori_kad_session_find_node (client->session, net->nodes[17].id, net->now);
  SatoriKadEvent *event = net_wait (net, 39, q);
  g_assert_nonnull (event->peer);
  net_free (net);
}

/* Floods of announcements and records stay within the store's limits. */
static void
test_memory_bounds (void)
{
  Net *net = bootstrapped (20);
  Node *target = &net->nodes[3];
  g_autoptr(GBytes) key = g_bytes_new_static ("/satori/sub/flood", 17);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(SatoriKadPeer) fake = kad_test_peer (500000 + i);
      g_autoptr(SatoriKadMessage) add = satori_kad_message_new (SATORI_KAD_ADD_PROVIDER,
                                                                i % 2 ? key : NULL);
      if (add->key == NULL)
        {
          g_autofree char *name = g_strdup_printf ("/satori/sub/%u", i);
          add->key = g_bytes_new (name, strlen (name));
        }
      /* Announcements for others than the sender are ignored. */
      g_ptr_array_add (add->provider_peers, satori_kad_peer_ref (fake));
      g_ptr_array_add (add->provider_peers, kad_test_peer (i % 20));
      g_autoptr(GBytes) bytes = satori_kad_message_encode (add);
      g_autoptr(GBytes) answer = NULL;
      g_assert_true (ask (target, fake->id, bytes, &answer, NULL));
      g_assert_null (answer);
    }
  g_autoptr(GBytes) get = request_bytes (SATORI_KAD_GET_PROVIDERS, key, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_assert_true (ask (target, net->nodes[0].id, get, &answer, NULL));
  g_autoptr(SatoriKadMessage) reply = satori_kad_message_decode (
    g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), 1 << 16, NULL);
  g_assert_cmpuint (reply->provider_peers->len, ==, 20);   /* max_providers_per_key */
  g_assert_cmpuint (reply->closer_peers->len, <=, 20);

  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  guint stored = 0;
  for (guint i = 0; i < 1500; i++)
    {
      g_autofree char *name = g_strdup_printf ("/test/flood-%u", i);
      g_autoptr(GBytes) record_key = g_bytes_new (name, strlen (name));
      g_autoptr(GBytes) put = request_bytes (SATORI_KAD_PUT_VALUE, record_key, v1);
      g_autoptr(GBytes) echo = NULL;
      stored += ask (target, net->nodes[0].id, put, &echo, NULL);
    }
  g_assert_cmpuint (stored, ==, 1000);   /* max_records */
  net_free (net);
}

/* Node @i restarts on the store at @path: nothing in memory, an empty
 * routing table. */
static void
node_restart (Net *net, guint i, const char *path)
{
  satori_kad_session_free (net->nodes[i].session);
  node_open (net, i, path);
}

/* Node 3's connections come back: it learns node 0 and a few others. */
static void
node3_reconnect (Net *net)
{
  static const guint peers[] = { 0, 12, 23, 34 };
  for (guint j = 0; j < G_N_ELEMENTS (peers); j++)
    {
      g_autoptr(SatoriKadPeer) peer = kad_test_peer (peers[j]);
      satori_kad_session_add_peer (net->nodes[3].session, peer, net->now);
    }
}

/* How many nodes other than @owner hold @key, received at @since or later. */
static guint
holders_since (Net *net, guint owner, GBytes *key, gint64 since)
{
  guint holders = 0;
  for (guint i = 0; i < net->n_nodes; i++)
    {
      gint64 received = 0;
      g_autoptr(GBytes) value = satori_kad_store_get_record (
        satori_kad_session_get_store (net->nodes[i].session), key, &received);
      holders += i != owner && value != NULL && received >= since;
    }
  return holders;
}

/* What a node put and provides survives its restart: the new session on
 * the same database republishes both when due, once it has peers again
 * (not before: there is nobody to send them to), so that two days later
 * the other nodes still hold the record and know the provider, which
 * without republishing they would have dropped after 36 and 48 h. */
static void
test_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kad-restart-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "dht.sqlite", NULL);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/kept", 10);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  g_autoptr(GBytes) provided = g_bytes_new_static ("/satori/sub/kept", 16);
  Net *net = slow_refresh_net ();

  node_restart (net, 3, path);
  node3_reconnect (net);
  guint64 q = satori_kad_session_put_value (net->nodes[3].session, key, v1, net->now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net_wait (net, 3, q)->n_succeeded, >, 0);
  q = satori_kad_session_provide (net->nodes[3].session, provided, net->now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (net_wait (net, 3, q)->n_succeeded, >, 0);
  net_run (net, net->now + G_USEC_PER_SEC);
  guint first = holders_since (net, 3, key, 0);

  gint64 start = net->now;
  node_restart (net, 3, path);
  net_run (net, start + 23 * G_TIME_SPAN_HOUR);
  net->now = start + 23 * G_TIME_SPAN_HOUR;
  g_assert_cmpuint (satori_kad_routing_table_get_size (
    satori_kad_session_get_routing_table (net->nodes[3].session)), ==, 0);
  g_assert_cmpuint (holders_since (net, 3, key, start), ==, 0);

  node3_reconnect (net);
  net_run (net, start + 24 * G_TIME_SPAN_HOUR);
  guint republished = holders_since (net, 3, key, start);
  net_run (net, start + 50 * G_TIME_SPAN_HOUR);
  net->now = start + 50 * G_TIME_SPAN_HOUR;
  guint again = holders_since (net, 3, key, start + 44 * G_TIME_SPAN_HOUR);
  g_test_message ("restart: %u holders of our record before, %u after the first republish "
                  "(23 h), %u after the second (45 h)", first, republished, again);
  g_assert_cmpuint (republished, >=, 10);
  g_assert_cmpuint (again, >=, 10);

  q = satori_kad_session_get_providers (net->nodes[20].session, provided, 0, net->now);
  SatoriKadEvent *found = net_wait (net, 20, q);
  g_assert_cmpuint (found->peers->len, ==, 1);
  g_assert_true (g_bytes_equal (((SatoriKadPeer *) found->peers->pdata[0])->id,
                                net->nodes[3].id));
  q = satori_kad_session_get_value (net->nodes[20].session, key, net->now);
  found = net_wait (net, 20, q);
  g_assert_nonnull (found->value);
  g_assert_true (g_bytes_equal (found->value, v1));
  net_free (net);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("Networks of DHT cores over in-memory queues with a fake clock");
  g_test_add_func ("/kad/network/find-node", test_find_node);
  g_test_add_func ("/kad/network/disjoint-paths", test_disjoint_paths);
  g_test_add_func ("/kad/network/values", test_values);
  g_test_add_func ("/kad/network/providers", test_providers);
  g_test_add_func ("/kad/network/values-streamed", test_values_streamed);
  g_test_add_func ("/kad/network/providers-streamed", test_providers_streamed);
  g_test_add_func ("/kad/network/republish", test_republish);
  g_test_add_func ("/kad/network/republish-records", test_republish_records);
  g_test_add_func ("/kad/network/bad-records", test_bad_records);
  g_test_add_func ("/kad/network/hostile", test_hostile);
  g_test_add_func ("/kad/network/unreachable", test_unreachable);
  g_test_add_func ("/kad/network/client-mode", test_client_mode);
  g_test_add_func ("/kad/network/memory-bounds", test_memory_bounds);
  g_test_add_func ("/kad/network/restart", test_restart);
  return g_test_run ();
}
