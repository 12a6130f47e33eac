/* satori-kad-session.h — the sans-I/O Kademlia DHT node: requests in,
 * answers out; lookups as requests to send and events to report
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-kad-error.h"
#include "satori-kad-message.h"
#include "satori-kad-routing-table.h"
#include "satori-kad-store.h"
#include "satori-kad-validator.h"

G_BEGIN_DECLS

/**
 * SatoriKadConfig:
 * @k: replication parameter and bucket size (20)
 * @alpha: requests in flight per lookup path (3)
 * @disjoint_paths: S/Kademlia disjoint lookup paths (1)
 * @quorum: GET_VALUE stops after this many valid values, the local one
 *   included (3)
 * @max_providers: GET_PROVIDERS stops after this many providers, or fewer
 *   if asked (20)
 * @max_candidates: peers a lookup keeps per path (100)
 * @replacement_size: replacement cache per bucket (k)
 * @max_peers_per_answer: closer or provider peers taken from one answer,
 *   and given in one (k)
 * @max_addrs_per_peer: addresses kept per peer (16)
 * @max_value_size: the largest record value stored or accepted (16 KiB)
 * @max_message_size: the largest message decoded
 * @dial_timeout_us: a request whose stream is not open this long after
 *   it was handed out fails (5 s)
 * @request_timeout_us: a request unanswered this long after its stream
 *   opened fails (10 s)
 * @slow_request_us: a lookup request unanswered this long after it was
 *   handed out is slow: the next closest peer is asked in its place,
 *   without waiting for the timeouts (1 s)
 * @max_slow_requests: slow requests per lookup path that give their slot
 *   away; beyond them a slow request keeps its slot until it ends (k)
 * @query_timeout_us: a lookup ends with what it has after this (60 s)
 * @check_timeout_us: a liveness check unanswered this long fails (10 s)
 * @provider_ttl_us: provider records expire after this (48 h)
 * @provider_republish_us: our provider records are re-announced this
 *   often (22 h)
 * @record_republish_us: records we put are put again this often (22 h,
 *   rust-libp2p's publication interval; peers drop them after
 *   @record_max_age_us)
 * @record_max_age_us: stored records are dropped this long after they
 *   were received (36 h)
 * @refresh_interval_us: a bucket without a lookup for this long is
 *   refreshed (10 min)
 * @max_refresh_cpl: the deepest bucket refreshed (15)
 * @cleanup_interval_us: how often expired records leave the store (1 h)
 * @server_mode: answer requests (server) or not (client)
 *
 * The DHT's parameters. satori_kad_config_init() sets the defaults given.
 */
typedef struct {
  guint k;
  guint alpha;
  guint disjoint_paths;
  guint quorum;
  guint max_providers;
  guint max_candidates;
  guint replacement_size;
  guint max_peers_per_answer;
  guint max_addrs_per_peer;
  gsize max_value_size;
  gsize max_message_size;
  gint64 dial_timeout_us;
  gint64 request_timeout_us;
  gint64 slow_request_us;
  guint max_slow_requests;
  gint64 query_timeout_us;
  gint64 check_timeout_us;
  gint64 provider_ttl_us;
  gint64 provider_republish_us;
  gint64 record_republish_us;
  gint64 record_max_age_us;
  gint64 refresh_interval_us;
  guint max_refresh_cpl;
  gint64 cleanup_interval_us;
  gboolean server_mode;
} SatoriKadConfig;

void satori_kad_config_init (SatoriKadConfig *config);

/**
 * SatoriKadTransmit:
 * @request_id: names the request in satori_kad_session_handle_response()
 *   and satori_kad_session_handle_request_failed()
 * @peer: the peer to open a stream to, with the addresses known for it
 * @message: the message to send, without its length prefix
 * @expects_response: read one message back (every type but ADD_PROVIDER)
 *
 * A request to send on a new stream. Free its members with
 * satori_kad_transmit_clear().
 */
typedef struct {
  guint64 request_id;
  SatoriKadPeer *peer;
  GBytes *message;
  gboolean expects_response;
} SatoriKadTransmit;

void satori_kad_transmit_clear (SatoriKadTransmit *transmit);

/**
 * SatoriKadEventType:
 * @SATORI_KAD_EVENT_CLOSEST_PEERS: satori_kad_session_find_node() is done:
 *   @peers are the closest that answered, @peer the target if some answer
 *   named it
 * @SATORI_KAD_EVENT_VALUE: satori_kad_session_get_value() is done: @value
 *   is the best valid value, or %NULL
 * @SATORI_KAD_EVENT_PUT_DONE: satori_kad_session_put_value() is done:
 *   @n_succeeded peers stored the record
 * @SATORI_KAD_EVENT_PROVIDERS: satori_kad_session_get_providers() is done:
 *   @peers are the providers found
 * @SATORI_KAD_EVENT_PROVIDE_DONE: satori_kad_session_provide() is done:
 *   ADD_PROVIDER went to @n_succeeded peers
 * @SATORI_KAD_EVENT_CHECK_PEER: check that @peer is still reachable and
 *   answer with satori_kad_session_report_liveness()
 * @SATORI_KAD_EVENT_VALUE_FOUND: satori_kad_session_get_value() found
 *   @value, the first valid one or one better (by the namespace's
 *   selector) than all before; @peer had it (%NULL: our store)
 * @SATORI_KAD_EVENT_PROVIDER_FOUND: satori_kad_session_get_providers()
 *   found a provider not reported before, @peer
 *
 * What satori_kad_session_poll_event() reports.
 */
typedef enum {
  SATORI_KAD_EVENT_CLOSEST_PEERS,
  SATORI_KAD_EVENT_VALUE,
  SATORI_KAD_EVENT_PUT_DONE,
  SATORI_KAD_EVENT_PROVIDERS,
  SATORI_KAD_EVENT_PROVIDE_DONE,
  SATORI_KAD_EVENT_CHECK_PEER,
  SATORI_KAD_EVENT_VALUE_FOUND,
  SATORI_KAD_EVENT_PROVIDER_FOUND,
} SatoriKadEventType;

/**
 * SatoriKadEvent:
 * @type: what happened
 * @query_id: the operation, as its starting function returned it
 * @peers: (element-type SatoriKadPeer) (nullable): peers found
 * @peer: (nullable): the peer concerned
 * @value: (nullable): the value found
 * @n_succeeded: peers that took a record or provider announcement
 * @n_requests: requests the operation sent (lookup and stores)
 * @hops: how many peers, one naming the next, led to the closest peer that
 *   answered the lookup (1: it was in our routing table)
 *
 * One event; free its members with satori_kad_event_clear().
 */
typedef struct {
  SatoriKadEventType type;
  guint64 query_id;
  GPtrArray *peers;
  SatoriKadPeer *peer;
  GBytes *value;
  guint n_succeeded;
  guint n_requests;
  guint hops;
} SatoriKadEvent;

void satori_kad_event_clear (SatoriKadEvent *event);

typedef struct _SatoriKadSession SatoriKadSession;

SatoriKadSession   *satori_kad_session_new (GBytes *local_id, const SatoriKadConfig *config,
                                            SatoriKadStore *store,
                                            const SatoriKadProvider *provider, gint64 now_us);
void                satori_kad_session_free (SatoriKadSession *session);
SatoriKadValidator *satori_kad_session_get_validator (SatoriKadSession *session);
SatoriKadRoutingTable *satori_kad_session_get_routing_table (SatoriKadSession *session);
SatoriKadStore     *satori_kad_session_get_store (SatoriKadSession *session);
void                satori_kad_session_set_server_mode (SatoriKadSession *session, gboolean server);
gboolean            satori_kad_session_get_server_mode (SatoriKadSession *session);
void                satori_kad_session_set_local_addrs (SatoriKadSession *session, GPtrArray *addrs);

void     satori_kad_session_add_peer (SatoriKadSession *session, SatoriKadPeer *peer,
                                      gint64 now_us);
void     satori_kad_session_report_liveness (SatoriKadSession *session, GBytes *peer_id,
                                             gboolean alive, gint64 now_us);
gboolean satori_kad_session_handle_request (SatoriKadSession *session, GBytes *from,
                                            const guint8 *data, gsize len, gint64 now_us,
                                            GBytes **response_out, GError **error);
void     satori_kad_session_handle_response (SatoriKadSession *session, guint64 request_id,
                                             const guint8 *data, gsize len, gint64 now_us);
void     satori_kad_session_handle_request_opened (SatoriKadSession *session,
                                                   guint64 request_id, gint64 now_us);
void     satori_kad_session_handle_request_failed (SatoriKadSession *session,
                                                   guint64 request_id, gint64 now_us);
gboolean satori_kad_session_poll_transmit (SatoriKadSession *session,
                                           SatoriKadTransmit *transmit);
gboolean satori_kad_session_poll_event (SatoriKadSession *session, SatoriKadEvent *event);
gint64   satori_kad_session_next_deadline_us (SatoriKadSession *session);
void     satori_kad_session_handle_timeout (SatoriKadSession *session, gint64 now_us);

guint64  satori_kad_session_find_node (SatoriKadSession *session, GBytes *peer_id,
                                       gint64 now_us);
guint64  satori_kad_session_get_value (SatoriKadSession *session, GBytes *key, gint64 now_us);
guint64  satori_kad_session_put_value (SatoriKadSession *session, GBytes *key, GBytes *value,
                                       gint64 now_us, GError **error);
guint64  satori_kad_session_provide (SatoriKadSession *session, GBytes *key, gint64 now_us,
                                     GError **error);
gboolean satori_kad_session_unprovide (SatoriKadSession *session, GBytes *key);
guint64  satori_kad_session_get_providers (SatoriKadSession *session, GBytes *key,
                                           guint max, gint64 now_us);
void     satori_kad_session_bootstrap (SatoriKadSession *session, gint64 now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriKadSession, satori_kad_session_free)

G_END_DECLS
