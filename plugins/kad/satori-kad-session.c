/* satori-kad-session.c — the sans-I/O DHT node: lookups, stores, liveness
 * checks, bucket refresh, provider republish, store cleanup
 *
 * Records we put and keys we provide are put or announced again
 * periodically (record_republish_us, provider_republish_us), so that they
 * outlive the peers' record_max_age_us and provider_ttl_us; the store
 * remembers them, and when they are due, across restarts.
 *
 * Every operation starts with an iterative lookup (SatoriKadQuery) seeded
 * from the routing table. FIND_NODE reports the closest peers that
 * answered; GET_VALUE and GET_PROVIDERS report each better value and each
 * new provider as it arrives (go-libp2p's SearchValue and
 * FindProvidersAsync), and may stop early; PUT_VALUE and ADD_PROVIDER then go to the k closest. Requests
 * time out here (the query itself has no clock): dial_timeout_us until
 * the driver says the stream is open, request_timeout_us from then on; a
 * peer that fails a request leaves the routing table, and its bucket's
 * replacement moves in. A lookup request still out after slow_request_us
 * gives its slot to the next peer (satori_kad_query_slow()), so dead
 * peers cost a lookup that short threshold rather than the timeouts.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-session-private.h"

#include "satori-kad-query.h"
#include "satori-peer-id.h"

typedef enum {
  OP_FIND_NODE,
  OP_GET_VALUE,
  OP_PUT_VALUE,
  OP_GET_PROVIDERS,
  OP_PROVIDE,
  OP_REFRESH,
} OpKind;

typedef struct {
  guint64 id;
  OpKind kind;
  gboolean report;             /* FALSE: internal (refresh, republish), no event */
  GBytes *key;
  SatoriKadQuery *lookup;      /* NULL once the lookup is over */
  gint64 deadline_us;
  guint n_requests;
  guint hops;                  /* of the lookup, once it is over */
  /* FIND_NODE: the target, if an answer named it */
  SatoriKadPeer *found;
  /* GET_VALUE */
  GBytes *best;
  GPtrArray *best_peers;       /* SatoriKadPeer, those that returned best */
  GPtrArray *outdated;         /* SatoriKadPeer, those that returned worse */
  gboolean local_best;         /* our store had the best value */
  gboolean local_outdated;     /* our store had a worse one */
  guint n_values;
  /* PUT_VALUE: the value; then the stores out and done */
  GBytes *value;
  guint outstanding;
  guint n_succeeded;
  /* GET_PROVIDERS */
  guint max_providers;         /* the lookup stops once it has this many */
  GHashTable *provider_ids;    /* peer id set */
  GPtrArray *providers;        /* SatoriKadPeer */
} Op;

typedef struct {
  guint64 op_id;               /* 0: nobody waits (a correction, or its op ended) */
  SatoriKadPeer *peer;
  SatoriKadMessageType type;
  gboolean lookup;             /* part of the lookup, or a store after it */
  gint64 deadline_us;          /* fails then */
  gint64 slow_at_us;           /* a lookup request turns slow then; G_MAXINT64 after */
} Request;

static void
op_free (Op *op)
{
  g_clear_pointer (&op->key, g_bytes_unref);
  g_clear_pointer (&op->lookup, satori_kad_query_free);
  g_clear_pointer (&op->found, satori_kad_peer_unref);
  g_clear_pointer (&op->best, g_bytes_unref);
  g_ptr_array_unref (op->best_peers);
  g_ptr_array_unref (op->outdated);
  g_clear_pointer (&op->value, g_bytes_unref);
  g_hash_table_unref (op->provider_ids);
  g_ptr_array_unref (op->providers);
  g_free (op);
}

static void
published_free (SatoriKadPublished *published)
{
  g_bytes_unref (published->value);
  g_free (published);
}

static void
request_free (Request *request)
{
  satori_kad_peer_unref (request->peer);
  g_free (request);
}

static void
transmit_free (SatoriKadTransmit *transmit)
{
  satori_kad_transmit_clear (transmit);
  g_free (transmit);
}

static void
event_free (SatoriKadEvent *event)
{
  satori_kad_event_clear (event);
  g_free (event);
}

/**
 * satori_kad_config_init:
 * @config: (out caller-allocates): the config to fill with the defaults
 */
void
satori_kad_config_init (SatoriKadConfig *config)
{
  *config = (SatoriKadConfig) {
    .k = 20,
    .alpha = 3,
    .disjoint_paths = 1,
    .quorum = 3,
    .max_providers = 20,
    .max_candidates = 100,
    .replacement_size = 20,
    .max_peers_per_answer = 20,
    .max_addrs_per_peer = 16,
    .max_value_size = 16 * 1024,
    .max_message_size = SATORI_KAD_MAX_MESSAGE_SIZE,
    .dial_timeout_us = 5 * G_USEC_PER_SEC,
    .request_timeout_us = 10 * G_USEC_PER_SEC,
    .slow_request_us = G_USEC_PER_SEC,
    .max_slow_requests = 20,
    .query_timeout_us = 60 * G_USEC_PER_SEC,
    .check_timeout_us = 10 * G_USEC_PER_SEC,
    .provider_ttl_us = 48 * G_TIME_SPAN_HOUR,
    .provider_republish_us = 22 * G_TIME_SPAN_HOUR,
    .record_republish_us = 22 * G_TIME_SPAN_HOUR,
    .record_max_age_us = 36 * G_TIME_SPAN_HOUR,
    .refresh_interval_us = 10 * G_TIME_SPAN_MINUTE,
    .max_refresh_cpl = 15,
    .cleanup_interval_us = G_TIME_SPAN_HOUR,
    .server_mode = TRUE,
  };
}

/**
 * satori_kad_transmit_clear:
 * @transmit: a transmit filled by satori_kad_session_poll_transmit()
 */
void
satori_kad_transmit_clear (SatoriKadTransmit *transmit)
{
  g_clear_pointer (&transmit->peer, satori_kad_peer_unref);
  g_clear_pointer (&transmit->message, g_bytes_unref);
}

/**
 * satori_kad_event_clear:
 * @event: an event filled by satori_kad_session_poll_event()
 */
void
satori_kad_event_clear (SatoriKadEvent *event)
{
  g_clear_pointer (&event->peers, g_ptr_array_unref);
  g_clear_pointer (&event->peer, satori_kad_peer_unref);
  g_clear_pointer (&event->value, g_bytes_unref);
}

/* Something of ours to republish at @next_us: kept here and, with
 * @persist, in the store, so that a restart goes on republishing it. */
static void
keep_own (SatoriKadSession *session, SatoriKadOwnKind kind, GBytes *key, GBytes *value,
          gint64 next_us, gboolean persist)
{
  g_autoptr(GError) error = NULL;

  if (kind == SATORI_KAD_OWN_RECORD)
    {
      SatoriKadPublished *published = g_new0 (SatoriKadPublished, 1);
      published->next_us = next_us;
      published->value = g_bytes_ref (value);
      g_hash_table_replace (session->published, g_bytes_ref (key), published);
    }
  else
    g_hash_table_replace (session->provided, g_bytes_ref (key),
                          g_memdup2 (&next_us, sizeof next_us));
  if (persist && !satori_kad_store_set_own (session->store, kind, key, value, next_us, &error))
    g_warning ("DHT: cannot remember what we publish across restarts: %s", error->message);
}

static void
load_own (SatoriKadSession *session)
{
  g_autoptr(GPtrArray) own = satori_kad_store_list_own (session->store);
  for (guint i = 0; i < own->len; i++)
    {
      SatoriKadOwnEntry *entry = own->pdata[i];
      keep_own (session, entry->kind, entry->key, entry->value, entry->next_us, FALSE);
    }
  if (own->len > 0)
    g_debug ("DHT: %u records and provided keys of ours to republish", own->len);
}

/**
 * satori_kad_session_new:
 * @local_id: our binary peer id
 * @config: the parameters
 * @store: (transfer full): where records and providers live
 * @provider: randomness, copied
 * @now_us: the current time, from the wall clock (stored times must
 *   keep their meaning across restarts)
 *
 * The records we put and the keys we provide in an earlier session on
 * @store are republished when due, once the routing table has peers.
 *
 * Returns: (transfer full): a DHT node with an empty routing table
 */
SatoriKadSession *
satori_kad_session_new (GBytes *local_id, const SatoriKadConfig *config, SatoriKadStore *store,
                        const SatoriKadProvider *provider, gint64 now_us)
{
  g_return_val_if_fail (local_id != NULL && config != NULL, NULL);
  g_return_val_if_fail (store != NULL && provider != NULL, NULL);
  g_return_val_if_fail (config->k > 0 && config->max_candidates >= config->k, NULL);

  SatoriKadSession *session = g_new0 (SatoriKadSession, 1);
  session->local_id = g_bytes_ref (local_id);
  satori_kad_key_init_from_bytes (&session->local_key, local_id);
  session->config = *config;
  session->provider = *provider;
  session->store = store;
  session->validator = satori_kad_validator_new ();
  session->table = satori_kad_routing_table_new (local_id, config->k, config->replacement_size,
                                                 now_us);
  session->local_addrs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  session->ops = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                        (GDestroyNotify) op_free);
  session->requests = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) request_free);
  session->checks = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                           (GDestroyNotify) g_bytes_unref, g_free);
  session->provided = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify) g_bytes_unref, g_free);
  session->published = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                              (GDestroyNotify) g_bytes_unref,
                                              (GDestroyNotify) published_free);
  session->next_cleanup_us = now_us + config->cleanup_interval_us;
  load_own (session);
  return session;
}

/**
 * satori_kad_session_free:
 * @session: (transfer full): a session; its store is closed
 */
void
satori_kad_session_free (SatoriKadSession *session)
{
  if (session == NULL)
    return;
  g_queue_clear_full (&session->transmits, (GDestroyNotify) transmit_free);
  g_queue_clear_full (&session->events, (GDestroyNotify) event_free);
  g_hash_table_unref (session->ops);
  g_hash_table_unref (session->requests);
  g_hash_table_unref (session->checks);
  g_hash_table_unref (session->provided);
  g_hash_table_unref (session->published);
  g_ptr_array_unref (session->local_addrs);
  satori_kad_routing_table_free (session->table);
  satori_kad_validator_free (session->validator);
  satori_kad_store_free (session->store);
  g_bytes_unref (session->local_id);
  g_free (session);
}

/**
 * satori_kad_session_get_validator:
 * @session: a session
 *
 * Returns: (transfer none): the validators, to register namespaces on
 */
SatoriKadValidator *
satori_kad_session_get_validator (SatoriKadSession *session)
{
  return session->validator;
}

/**
 * satori_kad_session_get_routing_table:
 * @session: a session
 *
 * Returns: (transfer none): the routing table, to inspect
 */
SatoriKadRoutingTable *
satori_kad_session_get_routing_table (SatoriKadSession *session)
{
  return session->table;
}

/**
 * satori_kad_session_get_store:
 * @session: a session
 *
 * Returns: (transfer none): the records and provider records, to inspect
 */
SatoriKadStore *
satori_kad_session_get_store (SatoriKadSession *session)
{
  return session->store;
}

/**
 * satori_kad_session_set_server_mode:
 * @session: a session
 * @server: answer requests (the driver then advertises the protocol) or not
 */
void
satori_kad_session_set_server_mode (SatoriKadSession *session, gboolean server)
{
  session->config.server_mode = server;
}

/**
 * satori_kad_session_get_server_mode:
 * @session: a session
 *
 * Returns: whether the session answers requests
 */
gboolean
satori_kad_session_get_server_mode (SatoriKadSession *session)
{
  return session->config.server_mode;
}

/**
 * satori_kad_session_set_local_addrs:
 * @session: a session
 * @addrs: (element-type GBytes): our binary multiaddrs, sent with our
 *   provider records
 */
void
satori_kad_session_set_local_addrs (SatoriKadSession *session, GPtrArray *addrs)
{
  g_ptr_array_set_size (session->local_addrs, 0);
  for (guint i = 0; i < addrs->len; i++)
    g_ptr_array_add (session->local_addrs, g_bytes_ref (addrs->pdata[i]));
}

static void
push_event (SatoriKadSession *session, SatoriKadEvent *event)
{
  g_queue_push_tail (&session->events, g_memdup2 (event, sizeof *event));
}

static void
start_check (SatoriKadSession *session, SatoriKadPeer *peer, gint64 now_us)
{
  if (peer == NULL || g_hash_table_contains (session->checks, peer->id))
    return;
  g_hash_table_insert (session->checks, g_bytes_ref (peer->id),
                       g_memdup2 (&(gint64) { now_us + session->config.check_timeout_us },
                                  sizeof (gint64)));
  push_event (session, &(SatoriKadEvent) {
    .type = SATORI_KAD_EVENT_CHECK_PEER, .peer = satori_kad_peer_ref (peer) });
}

static void
seen_server (SatoriKadSession *session, SatoriKadPeer *peer, gint64 now_us)
{
  g_autoptr(SatoriKadPeer) check = NULL;
  satori_kad_routing_table_update (session->table, peer, now_us, &check);
  start_check (session, check, now_us);
}

/**
 * satori_kad_session_add_peer:
 * @session: a session
 * @peer: a connected peer that speaks the DHT protocol in server mode
 * @now_us: the current time
 *
 * Offers @peer to the routing table. If its bucket is full, a
 * %SATORI_KAD_EVENT_CHECK_PEER may follow for the least recently seen peer.
 */
void
satori_kad_session_add_peer (SatoriKadSession *session, SatoriKadPeer *peer, gint64 now_us)
{
  g_return_if_fail (session != NULL && peer != NULL);
  seen_server (session, peer, now_us);
}

/**
 * satori_kad_session_report_liveness:
 * @session: a session
 * @peer_id: the peer of a %SATORI_KAD_EVENT_CHECK_PEER
 * @alive: whether it could be reached
 * @now_us: the current time
 */
void
satori_kad_session_report_liveness (SatoriKadSession *session, GBytes *peer_id, gboolean alive,
                                    gint64 now_us)
{
  if (!g_hash_table_remove (session->checks, peer_id))
    return;
  satori_kad_routing_table_check_done (session->table, peer_id, alive, now_us);
}

/* Peers taken from an answer: valid peer ids other than ours, at most
 * max_peers_per_answer of them, with at most max_addrs_per_peer each. */
GPtrArray *
satori_kad_session_sanitize_peers (SatoriKadSession *session, GPtrArray *peers)
{
  GPtrArray *out = satori_kad_peer_array_new ();
  for (guint i = 0; i < peers->len && out->len < session->config.max_peers_per_answer; i++)
    {
      SatoriKadPeer *peer = peers->pdata[i];
      gsize len;
      const guint8 *data = g_bytes_get_data (peer->id, &len);
      g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_bytes (data, len, NULL);
      if (id == NULL || g_bytes_equal (peer->id, session->local_id))
        continue;
      if (peer->addrs->len <= session->config.max_addrs_per_peer)
        {
          g_ptr_array_add (out, satori_kad_peer_ref (peer));
          continue;
        }
      g_autoptr(GPtrArray) addrs = g_ptr_array_new ();
      for (guint j = 0; j < session->config.max_addrs_per_peer; j++)
        g_ptr_array_add (addrs, peer->addrs->pdata[j]);
      g_ptr_array_add (out, satori_kad_peer_new (peer->id, addrs, peer->connection));
    }
  return out;
}

/* Whether @value may be stored for @key: small enough, valid, and not
 * worse than what the store holds. */
gboolean
satori_kad_session_accept_record (SatoriKadSession *session, GBytes *key, GBytes *value,
                                  GError **error)
{
  if (g_bytes_get_size (value) > session->config.max_value_size)
    {
      g_set_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD,
                   "record value of %" G_GSIZE_FORMAT " bytes is over the limit of %"
                   G_GSIZE_FORMAT, g_bytes_get_size (value), session->config.max_value_size);
      return FALSE;
    }
  if (!satori_kad_validator_validate (session->validator, key, value, error))
    return FALSE;

  g_autoptr(GBytes) stored = satori_kad_store_get_record (session->store, key, NULL);
  if (stored == NULL || g_bytes_equal (stored, value)
      || !satori_kad_validator_validate (session->validator, key, stored, NULL))
    return TRUE;
  g_autoptr(GPtrArray) both = g_ptr_array_new ();
  g_ptr_array_add (both, stored);
  g_ptr_array_add (both, value);
  if (satori_kad_validator_select (session->validator, key, both) == 1)
    return TRUE;
  g_set_error_literal (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_INVALID_RECORD,
                       "the stored record is better than the one offered");
  return FALSE;
}

static void
send_request (SatoriKadSession *session, Op *op, SatoriKadPeer *peer, SatoriKadMessage *message,
              gboolean lookup, gint64 now_us)
{
  guint64 id = ++session->next_request_id;
  gboolean expects_response = message->type != SATORI_KAD_ADD_PROVIDER;

  if (expects_response)
    {
      Request *request = g_new0 (Request, 1);
      request->op_id = op != NULL ? op->id : 0;
      request->peer = satori_kad_peer_ref (peer);
      request->type = message->type;
      request->lookup = lookup;
      request->deadline_us = now_us + session->config.dial_timeout_us;
      request->slow_at_us = lookup ? now_us + session->config.slow_request_us : G_MAXINT64;
      g_hash_table_insert (session->requests, g_memdup2 (&id, sizeof id), request);
    }
  if (op != NULL)
    op->n_requests++;

  SatoriKadTransmit *transmit = g_new0 (SatoriKadTransmit, 1);
  transmit->request_id = id;
  transmit->peer = satori_kad_peer_ref (peer);
  transmit->message = satori_kad_message_encode (message);
  transmit->expects_response = expects_response;
  g_queue_push_tail (&session->transmits, transmit);
}

static SatoriKadMessageType
lookup_type (OpKind kind)
{
  switch (kind)
    {
    case OP_GET_VALUE:
      return SATORI_KAD_GET_VALUE;
    case OP_GET_PROVIDERS:
      return SATORI_KAD_GET_PROVIDERS;
    case OP_FIND_NODE:
    case OP_PUT_VALUE:
    case OP_PROVIDE:
    case OP_REFRESH:
    default:
      return SATORI_KAD_FIND_NODE;
    }
}

static void
finish_op (SatoriKadSession *session, Op *op, SatoriKadEvent *event)
{
  GHashTableIter iter;
  gpointer value;

  /* Requests still out run to their end for the routing table's sake (a
   * dead peer must fail to leave it), but nobody waits for them. */
  g_hash_table_iter_init (&iter, session->requests);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Request *) value)->op_id == op->id)
      ((Request *) value)->op_id = 0;

  if (event != NULL && op->report)
    {
      event->query_id = op->id;
      event->n_requests = op->n_requests;
      event->hops = op->hops;
      push_event (session, event);
    }
  else if (event != NULL)
    satori_kad_event_clear (event);
  g_hash_table_remove (session->ops, &op->id);
}

static void
send_record (SatoriKadSession *session, Op *op, SatoriKadPeer *peer, GBytes *key, GBytes *value,
             gint64 now_us)
{
  g_autoptr(SatoriKadMessage) message = satori_kad_message_new (SATORI_KAD_PUT_VALUE, key);
  message->record_key = g_bytes_ref (key);
  message->record_value = g_bytes_ref (value);
  send_request (session, op, peer, message, FALSE, now_us);
}

/* GET_VALUE is over: tell the peers that had a worse value (spec: entry
 * correction), and keep the best one ourselves if ours was worse. */
static void
correct_outdated (SatoriKadSession *session, Op *op, gint64 now_us)
{
  if (op->best == NULL)
    return;
  for (guint i = 0; i < op->outdated->len; i++)
    send_record (session, NULL, op->outdated->pdata[i], op->key, op->best, now_us);
  if (op->local_outdated)
    satori_kad_store_put_record (session->store, op->key, op->best, now_us, NULL);
}

static void
send_to_closest (SatoriKadSession *session, Op *op, GPtrArray *closest, gint64 now_us)
{
  g_autoptr(SatoriKadMessage) announce = satori_kad_message_new (SATORI_KAD_ADD_PROVIDER,
                                                                 op->key);
  g_ptr_array_add (announce->provider_peers,
                   satori_kad_peer_new (session->local_id, session->local_addrs,
                                        SATORI_KAD_CONNECTED));
  for (guint i = 0; i < closest->len; i++)
    {
      if (op->kind == OP_PUT_VALUE)
        send_record (session, op, closest->pdata[i], op->key, op->value, now_us);
      else
        send_request (session, op, closest->pdata[i], announce, FALSE, now_us);
    }
}

static void
lookup_done (SatoriKadSession *session, Op *op, gint64 now_us)
{
  SatoriKadKey target;
  satori_kad_key_init_from_bytes (&target, op->key);
  satori_kad_routing_table_mark_refreshed (
    session->table, satori_kad_key_common_prefix_length (&session->local_key, &target), now_us);

  g_autoptr(GPtrArray) closest = satori_kad_query_get_closest (op->lookup, session->config.k);
  op->hops = satori_kad_query_get_hops (op->lookup);
  g_clear_pointer (&op->lookup, satori_kad_query_free);

  switch (op->kind)
    {
    case OP_FIND_NODE:
      finish_op (session, op, &(SatoriKadEvent) {
        .type = SATORI_KAD_EVENT_CLOSEST_PEERS, .peers = g_steal_pointer (&closest),
        .peer = g_steal_pointer (&op->found) });
      return;
    case OP_REFRESH:
      finish_op (session, op, NULL);
      return;
    case OP_GET_VALUE:
      correct_outdated (session, op, now_us);
      finish_op (session, op, &(SatoriKadEvent) {
        .type = SATORI_KAD_EVENT_VALUE, .value = g_steal_pointer (&op->best) });
      return;
    case OP_GET_PROVIDERS:
      finish_op (session, op, &(SatoriKadEvent) {
        .type = SATORI_KAD_EVENT_PROVIDERS, .peers = g_ptr_array_ref (op->providers) });
      return;
    case OP_PROVIDE:
      send_to_closest (session, op, closest, now_us);
      finish_op (session, op, &(SatoriKadEvent) {
        .type = SATORI_KAD_EVENT_PROVIDE_DONE, .n_succeeded = closest->len });
      return;
    case OP_PUT_VALUE:
    default:
      send_to_closest (session, op, closest, now_us);
      op->outstanding = closest->len;
      op->deadline_us = now_us + session->config.request_timeout_us;
      if (op->outstanding == 0)
        finish_op (session, op, &(SatoriKadEvent) { .type = SATORI_KAD_EVENT_PUT_DONE });
      return;
    }
}

static void
op_step (SatoriKadSession *session, Op *op, gint64 now_us)
{
  if (op->lookup == NULL)
    return;
  SatoriKadPeer *peer;
  while ((peer = satori_kad_query_next (op->lookup)) != NULL)
    {
      g_autoptr(SatoriKadPeer) ask = peer;
      g_autoptr(SatoriKadMessage) message = satori_kad_message_new (lookup_type (op->kind),
                                                                    op->key);
      send_request (session, op, ask, message, TRUE, now_us);
    }
  if (satori_kad_query_is_finished (op->lookup))
    lookup_done (session, op, now_us);
}

static Op *
start_op (SatoriKadSession *session, OpKind kind, GBytes *key, gboolean report, gint64 now_us)
{
  Op *op = g_new0 (Op, 1);
  op->id = ++session->next_op_id;
  op->report = report;
  op->kind = kind;
  op->key = g_bytes_ref (key);
  op->deadline_us = now_us + session->config.query_timeout_us;
  op->best_peers = satori_kad_peer_array_new ();
  op->outdated = satori_kad_peer_array_new ();
  op->provider_ids = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                            (GDestroyNotify) g_bytes_unref, NULL);
  op->providers = satori_kad_peer_array_new ();

  SatoriKadKey target;
  satori_kad_key_init_from_bytes (&target, key);
  g_autoptr(GPtrArray) seeds = satori_kad_routing_table_closest (session->table, &target,
                                                                 session->config.k, NULL);
  SatoriKadQueryConfig query_config = {
    .k = session->config.k,
    .alpha = session->config.alpha,
    .disjoint_paths = session->config.disjoint_paths,
    .max_candidates = session->config.max_candidates,
    .max_slow = session->config.max_slow_requests,
  };
  op->lookup = satori_kad_query_new (&target, &query_config, session->local_id, seeds);

  g_hash_table_insert (session->ops, &op->id, op);
  return op;
}

/* Who had the best value so far, or a worse one: @peer, or our store
 * when @peer is NULL. */
static void
mark_holder (Op *op, SatoriKadPeer *peer, gboolean best)
{
  if (peer != NULL)
    g_ptr_array_add (best ? op->best_peers : op->outdated, satori_kad_peer_ref (peer));
  else if (best)
    op->local_best = TRUE;
  else
    op->local_outdated = TRUE;
}

/* Something an operation found on its way, for its caller to stream. */
static void
report_found (SatoriKadSession *session, Op *op, SatoriKadEvent event)
{
  if (!op->report)
    {
      satori_kad_event_clear (&event);
      return;
    }
  event.query_id = op->id;
  push_event (session, &event);
}

static void
new_best (SatoriKadSession *session, Op *op, SatoriKadPeer *peer, GBytes *value)
{
  g_clear_pointer (&op->best, g_bytes_unref);
  op->best = g_bytes_ref (value);
  mark_holder (op, peer, TRUE);
  report_found (session, op, (SatoriKadEvent) {
    .type = SATORI_KAD_EVENT_VALUE_FOUND, .value = g_bytes_ref (value),
    .peer = peer != NULL ? satori_kad_peer_ref (peer) : NULL });
}

/* A valid value arrived: keep the best, remember who had a worse one. */
static void
value_received (SatoriKadSession *session, Op *op, SatoriKadPeer *peer, GBytes *value)
{
  op->n_values++;
  if (op->best == NULL)
    new_best (session, op, peer, value);
  else if (g_bytes_equal (op->best, value))
    mark_holder (op, peer, TRUE);
  else
    {
      g_autoptr(GPtrArray) both = g_ptr_array_new ();
      g_ptr_array_add (both, op->best);
      g_ptr_array_add (both, value);
      if (satori_kad_validator_select (session->validator, op->key, both) == 1)
        {
          /* The new value wins: everyone who had the old one is outdated. */
          g_ptr_array_extend_and_steal (op->outdated, g_steal_pointer (&op->best_peers));
          op->best_peers = satori_kad_peer_array_new ();
          op->local_outdated = op->local_outdated || op->local_best;
          op->local_best = FALSE;
          new_best (session, op, peer, value);
        }
      else
        mark_holder (op, peer, FALSE);
    }
  if (op->n_values >= session->config.quorum)
    satori_kad_query_stop (op->lookup);
}

static void
providers_received (SatoriKadSession *session, Op *op, GPtrArray *providers)
{
  for (guint i = 0; i < providers->len && op->providers->len < op->max_providers; i++)
    {
      SatoriKadPeer *provider = providers->pdata[i];
      if (!g_hash_table_add (op->provider_ids, g_bytes_ref (provider->id)))
        continue;
      g_ptr_array_add (op->providers, satori_kad_peer_ref (provider));
      report_found (session, op, (SatoriKadEvent) {
        .type = SATORI_KAD_EVENT_PROVIDER_FOUND, .peer = satori_kad_peer_ref (provider) });
    }
  if (op->providers->len >= op->max_providers)
    satori_kad_query_stop (op->lookup);
}

static void
lookup_answer (SatoriKadSession *session, Op *op, Request *request, SatoriKadMessage *answer,
               gint64 now_us)
{
  g_autoptr(GPtrArray) closer = satori_kad_session_sanitize_peers (session, answer->closer_peers);

  switch (op->kind)
    {
    case OP_GET_VALUE:
      if (answer->record_value != NULL && answer->record_key != NULL
          && g_bytes_equal (answer->record_key, op->key))
        {
          g_autoptr(GError) error = NULL;
          if (g_bytes_get_size (answer->record_value) <= session->config.max_value_size
              && satori_kad_validator_validate (session->validator, op->key,
                                                answer->record_value, &error))
            value_received (session, op, request->peer, answer->record_value);
          else
            g_debug ("GET_VALUE answer with an invalid record ignored: %s",
                     error != NULL ? error->message : "value too large");
        }
      break;
    case OP_GET_PROVIDERS:
      {
        g_autoptr(GPtrArray) providers = satori_kad_session_sanitize_peers (
          session, answer->provider_peers);
        providers_received (session, op, providers);
        break;
      }
    case OP_FIND_NODE:
      for (guint i = 0; i < closer->len && op->found == NULL; i++)
        if (g_bytes_equal (((SatoriKadPeer *) closer->pdata[i])->id, op->key))
          op->found = satori_kad_peer_ref (closer->pdata[i]);
      break;
    case OP_PUT_VALUE:
    case OP_PROVIDE:
    case OP_REFRESH:
    default:
      break;
    }
  satori_kad_query_succeeded (op->lookup, request->peer->id, closer);
}

static void
store_done (SatoriKadSession *session, Op *op, gboolean stored)
{
  op->n_succeeded += stored ? 1 : 0;
  if (--op->outstanding == 0)
    finish_op (session, op, &(SatoriKadEvent) {
      .type = SATORI_KAD_EVENT_PUT_DONE, .n_succeeded = op->n_succeeded });
}

static void
request_failed (SatoriKadSession *session, Request *request, gint64 now_us)
{
  /* Unreachable or broken: out of the routing table, a replacement moves in. */
  satori_kad_routing_table_remove (session->table, request->peer->id);

  Op *op = g_hash_table_lookup (session->ops, &request->op_id);
  if (op == NULL)
    return;
  if (request->lookup && op->lookup != NULL)
    {
      satori_kad_query_failed (op->lookup, request->peer->id);
      op_step (session, op, now_us);
    }
  else if (!request->lookup)
    store_done (session, op, FALSE);
}

static Request *
take_request (SatoriKadSession *session, guint64 request_id)
{
  gpointer key, value;
  if (!g_hash_table_lookup_extended (session->requests, &request_id, &key, &value))
    return NULL;
  g_hash_table_steal (session->requests, &request_id);
  g_free (key);
  return value;
}

/**
 * satori_kad_session_handle_response:
 * @session: a session
 * @request_id: the request answered
 * @data: (array length=len): the answer, without its length prefix
 * @len: its size
 * @now_us: the current time
 *
 * Takes the answer to a request of satori_kad_session_poll_transmit().
 * Answers that do not decode or do not match the request count as a
 * failure; late answers (after the timeout) are ignored.
 */
void
satori_kad_session_handle_response (SatoriKadSession *session, guint64 request_id,
                                    const guint8 *data, gsize len, gint64 now_us)
{
  g_return_if_fail (session != NULL);

  Request *request = take_request (session, request_id);
  if (request == NULL)
    return;

  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriKadMessage) answer = satori_kad_message_decode (
    data, len, session->config.max_message_size, &error);
  if (answer != NULL && answer->type != request->type)
    g_set_error (&error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_BAD_REQUEST,
                 "%s answered with %s", satori_kad_message_type_to_string (request->type),
                 satori_kad_message_type_to_string (answer->type));
  if (error != NULL)
    {
      g_debug ("DHT answer refused: %s", error->message);
      request_failed (session, request, now_us);
      request_free (request);
      return;
    }

  seen_server (session, request->peer, now_us);
  Op *op = g_hash_table_lookup (session->ops, &request->op_id);
  if (op != NULL && request->lookup && op->lookup != NULL)
    {
      lookup_answer (session, op, request, answer, now_us);
      op_step (session, op, now_us);
    }
  else if (op != NULL && !request->lookup)
    store_done (session, op, TRUE);
  request_free (request);
}

/**
 * satori_kad_session_handle_request_opened:
 * @session: a session
 * @request_id: a request of satori_kad_session_poll_transmit()
 * @now_us: the current time
 *
 * The stream to the peer is open and the request on its way: from now on
 * the answer is due within request_timeout_us (before, the stream had
 * dial_timeout_us to open).
 */
void
satori_kad_session_handle_request_opened (SatoriKadSession *session, guint64 request_id,
                                          gint64 now_us)
{
  Request *request = g_hash_table_lookup (session->requests, &request_id);
  if (request != NULL)
    request->deadline_us = now_us + session->config.request_timeout_us;
}

/**
 * satori_kad_session_handle_request_failed:
 * @session: a session
 * @request_id: a request of satori_kad_session_poll_transmit()
 * @now_us: the current time
 *
 * The peer could not be dialed, refused the protocol, or reset the stream.
 */
void
satori_kad_session_handle_request_failed (SatoriKadSession *session, guint64 request_id,
                                          gint64 now_us)
{
  Request *request = take_request (session, request_id);
  if (request == NULL)
    return;
  request_failed (session, request, now_us);
  request_free (request);
}

/**
 * satori_kad_session_poll_transmit:
 * @session: a session
 * @transmit: (out caller-allocates): the next request to send; clear it
 *   with satori_kad_transmit_clear()
 *
 * Returns: %TRUE if there was one
 */
gboolean
satori_kad_session_poll_transmit (SatoriKadSession *session, SatoriKadTransmit *transmit)
{
  SatoriKadTransmit *next = g_queue_pop_head (&session->transmits);
  if (next == NULL)
    return FALSE;
  *transmit = *next;
  g_free (next);
  return TRUE;
}

/**
 * satori_kad_session_poll_event:
 * @session: a session
 * @event: (out caller-allocates): the next event; clear it with
 *   satori_kad_event_clear()
 *
 * Returns: %TRUE if there was one
 */
gboolean
satori_kad_session_poll_event (SatoriKadSession *session, SatoriKadEvent *event)
{
  SatoriKadEvent *next = g_queue_pop_head (&session->events);
  if (next == NULL)
    return FALSE;
  *event = *next;
  g_free (next);
  return TRUE;
}

/* The earliest time in @table, whose values start with one. */
static gint64
earliest_time (GHashTable *table)
{
  gint64 next = G_MAXINT64;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    next = MIN (next, *(gint64 *) value);
  return next;
}

/**
 * satori_kad_session_next_deadline_us:
 * @session: a session
 *
 * Returns: when satori_kad_session_handle_timeout() must be called next
 */
gint64
satori_kad_session_next_deadline_us (SatoriKadSession *session)
{
  gint64 next = session->next_cleanup_us;
  GHashTableIter iter;

  /* With nobody to send them to (just restarted), republishing waits. */
  if (satori_kad_routing_table_get_size (session->table) > 0)
    next = MIN (next, MIN (earliest_time (session->provided),
                           earliest_time (session->published)));
  gpointer value;

  g_hash_table_iter_init (&iter, session->requests);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    next = MIN (next, MIN (((Request *) value)->deadline_us, ((Request *) value)->slow_at_us));
  g_hash_table_iter_init (&iter, session->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    next = MIN (next, ((Op *) value)->deadline_us);
  g_hash_table_iter_init (&iter, session->checks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    next = MIN (next, *(gint64 *) value);
  next = MIN (next, satori_kad_routing_table_next_stale_time (
                      session->table, session->config.refresh_interval_us,
                      session->config.max_refresh_cpl));
  return next;
}

static void
expire_requests (SatoriKadSession *session, gint64 now_us)
{
  g_autoptr(GArray) expired = g_array_new (FALSE, FALSE, sizeof (guint64));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, session->requests);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Request *) value)->deadline_us <= now_us)
      g_array_append_val (expired, *(guint64 *) key);
  for (guint i = 0; i < expired->len; i++)
    satori_kad_session_handle_request_failed (session, g_array_index (expired, guint64, i),
                                              now_us);
}

/* Lookup requests past slow_request_us give their slot away, once. */
static void
mark_slow_requests (SatoriKadSession *session, gint64 now_us)
{
  g_autoptr(GArray) stepped = g_array_new (FALSE, FALSE, sizeof (guint64));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, session->requests);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Request *request = value;
      if (request->slow_at_us > now_us)
        continue;
      request->slow_at_us = G_MAXINT64;
      Op *op = g_hash_table_lookup (session->ops, &request->op_id);
      if (op != NULL && op->lookup != NULL && satori_kad_query_slow (op->lookup, request->peer->id))
        g_array_append_val (stepped, op->id);
    }
  /* Stepping may end ops and drop their requests: not while iterating. */
  for (guint i = 0; i < stepped->len; i++)
    {
      Op *op = g_hash_table_lookup (session->ops, &g_array_index (stepped, guint64, i));
      if (op != NULL)
        op_step (session, op, now_us);
    }
}

static void
expire_ops (SatoriKadSession *session, gint64 now_us)
{
  g_autoptr(GArray) expired = g_array_new (FALSE, FALSE, sizeof (guint64));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, session->ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Op *) value)->deadline_us <= now_us)
      g_array_append_val (expired, ((Op *) value)->id);
  for (guint i = 0; i < expired->len; i++)
    {
      Op *op = g_hash_table_lookup (session->ops, &g_array_index (expired, guint64, i));
      if (op->lookup != NULL)
        {
          satori_kad_query_stop (op->lookup);
          lookup_done (session, op, now_us);
        }
      else
        finish_op (session, op, &(SatoriKadEvent) {
          .type = SATORI_KAD_EVENT_PUT_DONE, .n_succeeded = op->n_succeeded });
    }
}

static void
expire_checks (SatoriKadSession *session, gint64 now_us)
{
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, session->checks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) value <= now_us)
      g_ptr_array_add (expired, g_bytes_ref (key));
  for (guint i = 0; i < expired->len; i++)
    satori_kad_session_report_liveness (session, expired->pdata[i], FALSE, now_us);
}

static void
announce (SatoriKadSession *session, GBytes *key, gboolean report, gint64 now_us)
{
  g_autoptr(SatoriKadPeer) self = satori_kad_peer_new (session->local_id, session->local_addrs,
                                                       SATORI_KAD_CONNECTED);
  satori_kad_store_add_provider (session->store, key, self,
                                 now_us + session->config.provider_ttl_us, NULL);
  op_step (session, start_op (session, OP_PROVIDE, key, report, now_us), now_us);
}

static void
reprovide (SatoriKadSession *session, gint64 now_us)
{
  GHashTableIter iter;
  gpointer key, value;

  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_hash_table_iter_init (&iter, session->provided);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(gint64 *) value <= now_us)
      g_ptr_array_add (due, g_bytes_ref (key));
  for (guint i = 0; i < due->len; i++)
    {
      keep_own (session, SATORI_KAD_OWN_PROVIDER, due->pdata[i], NULL,
                now_us + session->config.provider_republish_us, TRUE);
      announce (session, due->pdata[i], FALSE, now_us);
    }
}

static Op *
start_put (SatoriKadSession *session, GBytes *key, GBytes *value, gboolean report, gint64 now_us)
{
  Op *op = start_op (session, OP_PUT_VALUE, key, report, now_us);
  op->value = g_bytes_ref (value);
  return op;
}

/* Our records, due: stored again here (their age restarts) and put to the
 * k closest. One that a better record superseded in our store (a newer
 * version put elsewhere) is no longer ours to keep alive. */
static void
republish_records (SatoriKadSession *session, gint64 now_us)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, session->published);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SatoriKadPublished *published = value;
      if (published->next_us > now_us)
        continue;
      if (!satori_kad_session_accept_record (session, key, published->value, NULL)
          || !satori_kad_store_put_record (session->store, key, published->value, now_us, NULL))
        {
          g_debug ("DHT: a record of ours was superseded, no longer republished");
          satori_kad_store_remove_own (session->store, SATORI_KAD_OWN_RECORD, key);
          g_hash_table_iter_remove (&iter);
          continue;
        }
      g_ptr_array_add (due, g_bytes_ref (key));
    }
  /* Keeping and starting ops replace entries of published: not during the walk. */
  for (guint i = 0; i < due->len; i++)
    {
      SatoriKadPublished *published = g_hash_table_lookup (session->published, due->pdata[i]);
      g_autoptr(GBytes) record = g_bytes_ref (published->value);
      keep_own (session, SATORI_KAD_OWN_RECORD, due->pdata[i], record,
                now_us + session->config.record_republish_us, TRUE);
      op_step (session, start_put (session, due->pdata[i], record, FALSE, now_us), now_us);
    }
}

static void
refresh_buckets (SatoriKadSession *session, gint64 now_us)
{
  guint cpl;
  while (satori_kad_routing_table_next_stale (session->table, now_us,
                                              session->config.refresh_interval_us,
                                              session->config.max_refresh_cpl, &cpl))
    {
      g_autoptr(GBytes) id = satori_kad_routing_table_random_id (session->table, cpl,
                                                                 &session->provider);
      satori_kad_routing_table_mark_refreshed (session->table, cpl, now_us);
      op_step (session, start_op (session, OP_REFRESH, id, FALSE, now_us), now_us);
    }
}

/**
 * satori_kad_session_handle_timeout:
 * @session: a session
 * @now_us: the current time
 *
 * Fails requests and liveness checks that took too long, lets slow
 * lookup requests give their slot to the next peer, ends lookups
 * past their time, refreshes stale buckets, republishes our records and
 * provider records and cleans expired records out of the store.
 */
void
satori_kad_session_handle_timeout (SatoriKadSession *session, gint64 now_us)
{
  g_return_if_fail (session != NULL);

  expire_requests (session, now_us);
  mark_slow_requests (session, now_us);
  expire_ops (session, now_us);
  expire_checks (session, now_us);
  refresh_buckets (session, now_us);
  if (satori_kad_routing_table_get_size (session->table) > 0)
    {
      reprovide (session, now_us);
      republish_records (session, now_us);
    }
  if (session->next_cleanup_us <= now_us)
    {
      guint removed = satori_kad_store_remove_expired (session->store, now_us,
                                                       session->config.record_max_age_us);
      if (removed > 0)
        g_debug ("DHT store: %u expired records removed", removed);
      session->next_cleanup_us = now_us + session->config.cleanup_interval_us;
    }
}

/**
 * satori_kad_session_find_node:
 * @session: a session
 * @peer_id: the binary peer id to look for (or any key to find the peers
 *   closest to)
 * @now_us: the current time
 *
 * Starts a lookup; %SATORI_KAD_EVENT_CLOSEST_PEERS reports its end.
 *
 * Returns: the query id
 */
guint64
satori_kad_session_find_node (SatoriKadSession *session, GBytes *peer_id, gint64 now_us)
{
  Op *op = start_op (session, OP_FIND_NODE, peer_id, TRUE, now_us);
  guint64 id = op->id;
  op_step (session, op, now_us);
  return id;
}

/**
 * satori_kad_session_bootstrap:
 * @session: a session
 * @now_us: the current time
 *
 * Looks up our own id to fill the routing table (after the first peers
 * were added); reports nothing.
 */
void
satori_kad_session_bootstrap (SatoriKadSession *session, gint64 now_us)
{
  op_step (session, start_op (session, OP_REFRESH, session->local_id, FALSE, now_us), now_us);
}

/**
 * satori_kad_session_get_value:
 * @session: a session
 * @key: the record key
 * @now_us: the current time
 *
 * Looks for the best valid record of @key, ours counting towards the
 * quorum; %SATORI_KAD_EVENT_VALUE_FOUND reports the first valid value and
 * each better one as they arrive, %SATORI_KAD_EVENT_VALUE the end. Peers
 * that returned a worse record are sent the best one.
 *
 * Returns: the query id
 */
guint64
satori_kad_session_get_value (SatoriKadSession *session, GBytes *key, gint64 now_us)
{
  Op *op = start_op (session, OP_GET_VALUE, key, TRUE, now_us);
  guint64 id = op->id;
  g_autoptr(GBytes) local = satori_kad_store_get_record (session->store, key, NULL);
  if (local != NULL && satori_kad_validator_validate (session->validator, key, local, NULL))
    value_received (session, op, NULL, local);
  op_step (session, op, now_us);
  return id;
}

/**
 * satori_kad_session_put_value:
 * @session: a session
 * @key: the record key
 * @value: the value
 * @now_us: the current time
 * @error: the validator's error when the record is refused
 *
 * Stores the record here and sends it to the k closest peers to @key;
 * %SATORI_KAD_EVENT_PUT_DONE reports its end. The record is put again
 * every record_republish_us, by this session and by later ones on the
 * same store, unless a better one for @key (by the namespace's selector)
 * replaces it in our store.
 *
 * Returns: the query id, or 0 with @error
 */
guint64
satori_kad_session_put_value (SatoriKadSession *session, GBytes *key, GBytes *value,
                              gint64 now_us, GError **error)
{
  if (!satori_kad_session_accept_record (session, key, value, error)
      || !satori_kad_store_put_record (session->store, key, value, now_us, error))
    return 0;
  keep_own (session, SATORI_KAD_OWN_RECORD, key, value,
            now_us + session->config.record_republish_us, TRUE);
  Op *op = start_put (session, key, value, TRUE, now_us);
  guint64 id = op->id;
  op_step (session, op, now_us);
  return id;
}

/**
 * satori_kad_session_provide:
 * @session: a session
 * @key: a multihash, or a `/`-prefixed UTF-8 key
 * @now_us: the current time
 * @error: %SATORI_KAD_ERROR_BAD_REQUEST for a key of neither form
 *
 * Announces us as a provider of @key to the k closest peers, now and
 * every provider_republish_us (by later sessions on the same store too);
 * %SATORI_KAD_EVENT_PROVIDE_DONE reports the first announcement.
 *
 * Returns: the query id, or 0 with @error
 */
guint64
satori_kad_session_provide (SatoriKadSession *session, GBytes *key, gint64 now_us,
                            GError **error)
{
  if (!satori_kad_provider_key_is_valid (key))
    {
      g_set_error_literal (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_BAD_REQUEST,
                           "a provider key is a multihash or a /-prefixed UTF-8 key");
      return 0;
    }
  keep_own (session, SATORI_KAD_OWN_PROVIDER, key, NULL,
            now_us + session->config.provider_republish_us, TRUE);
  guint64 id = session->next_op_id + 1;
  announce (session, key, TRUE, now_us);
  return id;
}

/**
 * satori_kad_session_unprovide:
 * @session: a session
 * @key: a key given to satori_kad_session_provide()
 *
 * Stops announcing us as a provider of @key: it is not announced again,
 * and our own store no longer names us. Kademlia has no message to take a
 * provider record back, so the records other peers hold run out at their
 * provider_ttl_us; an announcement already under way completes.
 *
 * Returns: whether @key was provided
 */
gboolean
satori_kad_session_unprovide (SatoriKadSession *session, GBytes *key)
{
  satori_kad_store_remove_own (session->store, SATORI_KAD_OWN_PROVIDER, key);
  satori_kad_store_remove_provider (session->store, key, session->local_id);
  return g_hash_table_remove (session->provided, key);
}

/**
 * satori_kad_session_get_providers:
 * @session: a session
 * @key: a multihash, or a `/`-prefixed UTF-8 key
 * @max: how many providers to look for; 0 or more than max_providers:
 *   max_providers
 * @now_us: the current time
 *
 * Looks for up to @max providers of @key, ours first, and stops once it
 * has them; %SATORI_KAD_EVENT_PROVIDER_FOUND reports each as it is
 * found, %SATORI_KAD_EVENT_PROVIDERS the end.
 *
 * Returns: the query id
 */
guint64
satori_kad_session_get_providers (SatoriKadSession *session, GBytes *key, guint max,
                                  gint64 now_us)
{
  Op *op = start_op (session, OP_GET_PROVIDERS, key, TRUE, now_us);
  guint64 id = op->id;
  op->max_providers = max > 0 ? MIN (max, session->config.max_providers)
                              : session->config.max_providers;
  g_autoptr(GPtrArray) local = satori_kad_store_get_providers (session->store, key, now_us,
                                                               op->max_providers);
  providers_received (session, op, local);
  op_step (session, op, now_us);
  return id;
}
