/* satori-sim-kad.c: the Kad-DHT binding of the simulator
 *
 * Frames: one kind byte, the request id (8 bytes, big-endian), then the
 * kad message (requests, responses) or nothing (reset, ping, pong).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-kad.h"

#include <string.h>

enum {
  FRAME_REQUEST,
  FRAME_RESPONSE,
  FRAME_RESET,    /* the request was refused: the stream is reset */
  FRAME_PING,
  FRAME_PONG,
};

#define FRAME_HEADER 9

typedef struct {
  SatoriSimNode     parent;
  SatoriSimKad     *kad;
  SatoriKadSession *session;
  GBytes           *peer_id;
  SatoriSimRng      rng;
  SatoriKadProvider provider;
  GHashTable       *dial_ready;  /* peer index → gint64 *: when our dial is up */
} Host;

struct _SatoriSimKad {
  SatoriSimNetwork *network;
  guint64           seed;
  SatoriKadConfig   config;
  gint64            dial_us;
  GPtrArray        *hosts;    /* of Host, owned by the network */
  GHashTable       *by_peer;  /* peer id → host index + 1 */
  GArray           *results;  /* of SatoriSimKadResult */
  GHashTable       *ops;      /* (host << 40 | query id) → result index + 1 */
  guint             n_seeds;
  gint64            join_start_us;
  gint64            join_interval_us;
  guint64           requests_sent;
  guint64           requests_refused;
};

typedef struct {
  SatoriSimKad *kad;
  guint         from;
  guint         to;
  GBytes       *frame;
  guint64       request_id;  /* 0: not a request */
} DeferredSend;

static Host *
get_host (SatoriSimKad *kad, guint index)
{
  return g_ptr_array_index (kad->hosts, index);
}

guint
satori_sim_kad_lookup_host (SatoriSimKad *kad, GBytes *peer_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (kad->by_peer, peer_id)) - 1;
}

static GBytes *
frame_new (guint8 kind, guint64 request_id, GBytes *payload)
{
  gsize len = payload != NULL ? g_bytes_get_size (payload) : 0;
  guint8 *data = g_malloc (FRAME_HEADER + len);
  guint64 be = GUINT64_TO_BE (request_id);

  data[0] = kind;
  memcpy (data + 1, &be, sizeof be);
  if (len > 0)
    memcpy (data + FRAME_HEADER, g_bytes_get_data (payload, NULL), len);
  return g_bytes_new_take (data, FRAME_HEADER + len);
}

/* The frame leaves: for a request, its stream is open (the session's
 * request timeout starts). */
static void
send_now (Host *host, guint to, GBytes *frame, guint64 request_id)
{
  SatoriSimNetwork *network = host->kad->network;
  if (request_id != 0)
    satori_kad_session_handle_request_opened (host->session, request_id,
                                              satori_sim_network_get_now (network));
  satori_sim_network_send (network, host->parent.index, to, frame);
}

static void
deferred_send (SatoriSimNetwork *network, gpointer user_data)
{
  DeferredSend *send = user_data;
  send_now (get_host (send->kad, send->from), send->to, send->frame, send->request_id);
  satori_sim_network_rearm (network, send->from);
  g_bytes_unref (send->frame);
  g_free (send);
}

/* Sends @frame to @to, dialing first if there is no link; a dial to a
 * departed host fails without a word, and frames wait for our dial.
 * @request_id: the session's request the frame carries, or 0. */
static void
send_to (Host *host, guint to, GBytes *frame, guint64 request_id)
{
  SatoriSimKad *kad = host->kad;
  guint from = host->parent.index;
  gint64 now = satori_sim_network_get_now (kad->network);

  if (!satori_sim_network_is_connected (kad->network, from, to))
    {
      if (!satori_sim_network_connect (kad->network, from, to, NULL))
        return;
      gint64 *ready = g_new (gint64, 1);
      *ready = now + kad->dial_us;
      g_hash_table_insert (host->dial_ready, GUINT_TO_POINTER (to), ready);
    }

  gint64 *ready = g_hash_table_lookup (host->dial_ready, GUINT_TO_POINTER (to));
  if (ready == NULL || *ready <= now)
    {
      if (ready != NULL)
        g_hash_table_remove (host->dial_ready, GUINT_TO_POINTER (to));
      send_now (host, to, frame, request_id);
      return;
    }
  DeferredSend *send = g_new (DeferredSend, 1);
  *send = (DeferredSend) { kad, from, to, g_bytes_ref (frame), request_id };
  satori_sim_network_schedule (kad->network, *ready, deferred_send, send);
}

static guint64
op_key (guint host, guint64 query_id)
{
  return ((guint64) host << 40) | query_id;
}

static void
record_result (Host *host, SatoriKadEvent *event)
{
  SatoriSimKad *kad = host->kad;
  guint64 key = op_key (host->parent.index, event->query_id);
  guint op = GPOINTER_TO_UINT (g_hash_table_lookup (kad->ops, &key));

  if (op == 0)
    return;  /* bootstrap and refresh lookups report nothing we asked for */
  if (event->type == SATORI_KAD_EVENT_VALUE_FOUND
      || event->type == SATORI_KAD_EVENT_PROVIDER_FOUND)
    return;  /* on the way; the lookup's end follows */
  g_hash_table_remove (kad->ops, &key);
  SatoriSimKadResult *result = &g_array_index (kad->results, SatoriSimKadResult, op - 1);
  result->type = event->type;
  result->done = TRUE;
  result->ended_us = satori_sim_network_get_now (kad->network);
  result->peers = g_steal_pointer (&event->peers);
  result->peer = g_steal_pointer (&event->peer);
  result->value = g_steal_pointer (&event->value);
  result->n_succeeded = event->n_succeeded;
  result->n_requests = event->n_requests;
  result->hops = event->hops;
}

/* Sends the session's requests and acts on its events. */
static void
drain (Host *host)
{
  SatoriSimKad *kad = host->kad;
  SatoriKadTransmit transmit = { 0 };
  SatoriKadEvent event = { 0 };

  while (satori_kad_session_poll_transmit (host->session, &transmit))
    {
      guint to = satori_sim_kad_lookup_host (kad, transmit.peer->id);
      if (to != G_MAXUINT)
        {
          g_autoptr(GBytes) frame = frame_new (FRAME_REQUEST, transmit.request_id,
                                               transmit.message);
          kad->requests_sent++;
          send_to (host, to, frame, transmit.expects_response ? transmit.request_id : 0);
        }
      else
        g_warning ("host %u: request to a peer the network does not know",
                   host->parent.index);
      satori_kad_transmit_clear (&transmit);
    }

  while (satori_kad_session_poll_event (host->session, &event))
    {
      if (event.type == SATORI_KAD_EVENT_CHECK_PEER)
        {
          guint to = satori_sim_kad_lookup_host (kad, event.peer->id);
          g_autoptr(GBytes) ping = frame_new (FRAME_PING, 0, NULL);
          if (to != G_MAXUINT)
            send_to (host, to, ping, 0);
        }
      else
        record_result (host, &event);
      satori_kad_event_clear (&event);
    }
}

static void
host_connected (SatoriSimNode *node, guint peer, gboolean outbound, gint64 now_us)
{
  Host *host = (Host *) node;
  g_autoptr(GPtrArray) addrs = g_ptr_array_new ();
  g_autoptr(SatoriKadPeer) entry = satori_kad_peer_new (get_host (host->kad, peer)->peer_id,
                                                        addrs, SATORI_KAD_CONNECTED);
  satori_kad_session_add_peer (host->session, entry, now_us);
  drain (host);
}

static void
host_disconnected (SatoriSimNode *node, guint peer, gint64 now_us)
{
  Host *host = (Host *) node;
  g_hash_table_remove (host->dial_ready, GUINT_TO_POINTER (peer));
}

static void
host_receive (SatoriSimNode *node, guint peer, GBytes *frame, gint64 now_us)
{
  Host *host = (Host *) node;
  SatoriSimKad *kad = host->kad;
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);
  guint64 be, request_id;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (len >= FRAME_HEADER);
  memcpy (&be, data + 1, sizeof be);
  request_id = GUINT64_FROM_BE (be);
  switch (data[0])
    {
    case FRAME_REQUEST:
      if (!satori_kad_session_handle_request (host->session, get_host (kad, peer)->peer_id,
                                              data + FRAME_HEADER, len - FRAME_HEADER, now_us,
                                              &response, &error))
        {
          g_debug ("host %u refuses a request of %u: %s", node->index, peer, error->message);
          kad->requests_refused++;
          reply = frame_new (FRAME_RESET, request_id, NULL);
        }
      else if (response != NULL)
        reply = frame_new (FRAME_RESPONSE, request_id, response);
      break;
    case FRAME_RESPONSE:
      satori_kad_session_handle_response (host->session, request_id, data + FRAME_HEADER,
                                          len - FRAME_HEADER, now_us);
      break;
    case FRAME_RESET:
      satori_kad_session_handle_request_failed (host->session, request_id, now_us);
      break;
    case FRAME_PING:
      reply = frame_new (FRAME_PONG, 0, NULL);
      break;
    case FRAME_PONG:
      satori_kad_session_report_liveness (host->session, get_host (kad, peer)->peer_id, TRUE,
                                          now_us);
      break;
    default:
      g_assert_not_reached ();
    }
  if (reply != NULL)
    send_to (host, peer, reply, 0);
  drain (host);
}

static gint64
host_next_deadline_us (SatoriSimNode *node)
{
  return satori_kad_session_next_deadline_us (((Host *) node)->session);
}

static void
host_timeout (SatoriSimNode *node, gint64 now_us)
{
  Host *host = (Host *) node;
  satori_kad_session_handle_timeout (host->session, now_us);
  drain (host);
}

static void
host_free (SatoriSimNode *node)
{
  Host *host = (Host *) node;
  satori_kad_session_free (host->session);
  g_bytes_unref (host->peer_id);
  g_hash_table_unref (host->dial_ready);
  g_free (host);
}

static const SatoriSimNodeClass host_class = {
  .connected = host_connected,
  .disconnected = host_disconnected,
  .receive = host_receive,
  .next_deadline_us = host_next_deadline_us,
  .timeout = host_timeout,
  .free = host_free,
};

static gboolean
sim_validate (GBytes *key, GBytes *value, gpointer user_data, GError **error)
{
  return TRUE;
}

/* Any value is valid; the larger one (then the bytewise greater) wins. */
static guint
sim_select (GBytes *key, GPtrArray *values, gpointer user_data)
{
  guint best = 0;
  for (guint i = 1; i < values->len; i++)
    if (g_bytes_compare (values->pdata[i], values->pdata[best]) > 0)
      best = i;
  return best;
}

SatoriSimKad *
satori_sim_kad_new (SatoriSimNetwork *network, guint64 seed, const SatoriKadConfig *config,
                    gint64 dial_us)
{
  g_return_val_if_fail (satori_sim_network_get_n_nodes (network) == 0, NULL);
  SatoriSimKad *kad = g_new0 (SatoriSimKad, 1);
  kad->network = network;
  kad->seed = seed;
  if (config != NULL)
    kad->config = *config;
  else
    satori_kad_config_init (&kad->config);
  kad->config.server_mode = TRUE;
  kad->dial_us = dial_us;
  kad->hosts = g_ptr_array_new ();
  kad->by_peer = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                        (GDestroyNotify) g_bytes_unref, NULL);
  kad->results = g_array_new (FALSE, TRUE, sizeof (SatoriSimKadResult));
  kad->ops = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return kad;
}

void
satori_sim_kad_free (SatoriSimKad *kad)
{
  if (kad == NULL)
    return;
  for (guint i = 0; i < kad->results->len; i++)
    {
      SatoriSimKadResult *result = &g_array_index (kad->results, SatoriSimKadResult, i);
      g_clear_pointer (&result->peers, g_ptr_array_unref);
      g_clear_pointer (&result->peer, satori_kad_peer_unref);
      g_clear_pointer (&result->value, g_bytes_unref);
    }
  g_array_unref (kad->results);
  g_hash_table_unref (kad->ops);
  g_ptr_array_unref (kad->hosts);
  g_hash_table_unref (kad->by_peer);
  g_free (kad);
}

void
satori_sim_kad_add_hosts (SatoriSimKad *kad, guint n)
{
  static const SatoriKadStoreLimits store_limits = { 1024, 1024, 20 };
  g_return_if_fail (kad->hosts->len == 0);
  gint64 now = satori_sim_network_get_now (kad->network);

  for (guint i = 0; i < n; i++)
    {
      Host *host = g_new0 (Host, 1);
      g_autoptr(GError) error = NULL;
      guint8 id[34] = { 0x12, 0x20 };  /* a sha2-256 multihash, like an RSA peer id */

      host->parent.klass = &host_class;
      host->kad = kad;
      host->dial_ready = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      /* Each host's numbers depend only on the seed and its index. */
      satori_sim_rng_init (&host->rng, kad->seed ^ (0x9e3779b97f4a7c15ULL * (i + 1)));
      for (guint j = 2; j < sizeof id; j++)
        id[j] = satori_sim_rng_u32 (&host->rng);
      host->peer_id = g_bytes_new (id, sizeof id);
      host->provider.random_u32 = satori_sim_rng_u32;
      host->provider.user_data = &host->rng;

      SatoriKadStore *store = satori_kad_store_open (":memory:", &store_limits, &error);
      g_assert_no_error (error);
      host->session = satori_kad_session_new (host->peer_id, &kad->config, store,
                                              &host->provider, now);
      satori_kad_validator_add_namespace (satori_kad_session_get_validator (host->session),
                                          "sim", sim_validate, sim_select, NULL);
      guint index = satori_sim_network_add_node (kad->network, &host->parent);
      g_assert (index == i);
      g_ptr_array_add (kad->hosts, host);
      g_hash_table_insert (kad->by_peer, g_bytes_ref (host->peer_id), GUINT_TO_POINTER (i + 1));
    }
}

typedef struct {
  SatoriSimKad *kad;
  guint         host;
} Join;

static void
join (SatoriSimNetwork *network, gpointer user_data)
{
  g_autofree Join *call = user_data;
  SatoriSimKad *kad = call->kad;
  guint index = call->host;
  Host *host = get_host (kad, index);
  SatoriSimRng *rng = satori_sim_network_get_rng (network);

  if (host->parent.departed)
    return;
  for (guint i = 0; i < kad->n_seeds && i < index; i++)
    {
      guint seed = satori_sim_rng_below (rng, index);
      satori_sim_network_connect (network, index, seed, NULL);
    }
  satori_kad_session_bootstrap (host->session, satori_sim_network_get_now (network));
  drain (host);
  satori_sim_network_rearm (network, index);
}

void
satori_sim_kad_schedule_joins (SatoriSimKad *kad, gint64 start_us, gint64 interval_us,
                               guint n_seeds)
{
  kad->n_seeds = n_seeds;
  for (guint i = 0; i < kad->hosts->len; i++)
    {
      Join *call = g_new (Join, 1);
      *call = (Join) { kad, i };
      satori_sim_network_schedule (kad->network, start_us + (gint64) i * interval_us, join, call);
    }
}

guint
satori_sim_kad_get_n_hosts (SatoriSimKad *kad)
{
  return kad->hosts->len;
}

GBytes *
satori_sim_kad_get_peer_id (SatoriSimKad *kad, guint host)
{
  g_return_val_if_fail (host < kad->hosts->len, NULL);
  return get_host (kad, host)->peer_id;
}

SatoriKadSession *
satori_sim_kad_get_session (SatoriSimKad *kad, guint host)
{
  g_return_val_if_fail (host < kad->hosts->len, NULL);
  return get_host (kad, host)->session;
}

typedef struct {
  SatoriKadKey  target;
  SatoriKadKey *keys;  /* per host */
} ByDistance;

static int
compare_by_distance (gconstpointer a, gconstpointer b, gpointer user_data)
{
  ByDistance *by = user_data;
  return satori_kad_key_compare_distance (&by->target, &by->keys[*(const guint *) a],
                                          &by->keys[*(const guint *) b]);
}

guint *
satori_sim_kad_true_closest (SatoriSimKad *kad, GBytes *key, guint k)
{
  ByDistance by = { .keys = g_new (SatoriKadKey, kad->hosts->len) };
  g_autofree guint *live = g_new (guint, kad->hosts->len);
  guint n = 0;

  satori_kad_key_init_from_bytes (&by.target, key);
  for (guint i = 0; i < kad->hosts->len; i++)
    if (!get_host (kad, i)->parent.departed)
      {
        satori_kad_key_init_from_bytes (&by.keys[i], get_host (kad, i)->peer_id);
        live[n++] = i;
      }
  g_qsort_with_data (live, n, sizeof (guint), compare_by_distance, &by);
  g_free (by.keys);

  guint *out = g_new0 (guint, k);
  memcpy (out, live, MIN (k, n) * sizeof (guint));
  return out;
}

/* Files the operation that @query_id names, or refuses a 0 id. */
static guint
start_op (SatoriSimKad *kad, guint index, guint64 query_id)
{
  if (query_id == 0)
    return G_MAXUINT;
  SatoriSimKadResult result = {
    .host = index, .started_us = satori_sim_network_get_now (kad->network),
  };
  guint64 *key = g_new (guint64, 1);
  *key = op_key (index, query_id);
  g_array_append_val (kad->results, result);
  g_hash_table_insert (kad->ops, key, GUINT_TO_POINTER (kad->results->len));
  /* The core may have finished at once (nobody to ask). */
  drain (get_host (kad, index));
  satori_sim_network_rearm (kad->network, index);
  return kad->results->len - 1;
}

guint
satori_sim_kad_find_node (SatoriSimKad *kad, guint host, GBytes *peer_id)
{
  g_return_val_if_fail (host < kad->hosts->len, G_MAXUINT);
  gint64 now = satori_sim_network_get_now (kad->network);
  return start_op (kad, host, satori_kad_session_find_node (get_host (kad, host)->session,
                                                            peer_id, now));
}

guint
satori_sim_kad_get_value (SatoriSimKad *kad, guint host, GBytes *key)
{
  g_return_val_if_fail (host < kad->hosts->len, G_MAXUINT);
  gint64 now = satori_sim_network_get_now (kad->network);
  return start_op (kad, host, satori_kad_session_get_value (get_host (kad, host)->session,
                                                            key, now));
}

guint
satori_sim_kad_put_value (SatoriSimKad *kad, guint host, GBytes *key, GBytes *value)
{
  g_return_val_if_fail (host < kad->hosts->len, G_MAXUINT);
  gint64 now = satori_sim_network_get_now (kad->network);
  g_autoptr(GError) error = NULL;
  guint64 id = satori_kad_session_put_value (get_host (kad, host)->session, key, value, now,
                                             &error);
  if (id == 0)
    g_warning ("host %u: put_value refused: %s", host, error->message);
  return start_op (kad, host, id);
}

guint
satori_sim_kad_provide (SatoriSimKad *kad, guint host, GBytes *key)
{
  g_return_val_if_fail (host < kad->hosts->len, G_MAXUINT);
  gint64 now = satori_sim_network_get_now (kad->network);
  g_autoptr(GError) error = NULL;
  guint64 id = satori_kad_session_provide (get_host (kad, host)->session, key, now, &error);
  if (id == 0)
    g_warning ("host %u: provide refused: %s", host, error->message);
  return start_op (kad, host, id);
}

guint
satori_sim_kad_get_providers (SatoriSimKad *kad, guint host, GBytes *key)
{
  g_return_val_if_fail (host < kad->hosts->len, G_MAXUINT);
  gint64 now = satori_sim_network_get_now (kad->network);
  return start_op (kad, host, satori_kad_session_get_providers (get_host (kad, host)->session,
                                                                key, 0, now));
}

const SatoriSimKadResult *
satori_sim_kad_get_result (SatoriSimKad *kad, guint op)
{
  g_return_val_if_fail (op < kad->results->len, NULL);
  return &g_array_index (kad->results, SatoriSimKadResult, op);
}

guint
satori_sim_kad_get_n_results (SatoriSimKad *kad)
{
  return kad->results->len;
}

guint64
satori_sim_kad_get_requests_sent (SatoriSimKad *kad)
{
  return kad->requests_sent;
}

guint64
satori_sim_kad_get_requests_refused (SatoriSimKad *kad)
{
  return kad->requests_refused;
}
