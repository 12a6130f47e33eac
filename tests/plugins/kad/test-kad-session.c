/* One DHT core on a fake clock, its requests answered by hand: the dial
 * and request timeouts, slow requests giving their slot away, values
 * reported as they get better, what is republished and what no longer is.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kad-test-util.h"
#include "satori-kad-session.h"

#define T0 (G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC)
#define MS(n) ((gint64) (n) * 1000)

static guint32 provider_state = 4242;

typedef struct {
  SatoriKadSession *session;
  GArray *request_ids;     /* guint64, in the order handed out */
  GPtrArray *asked;        /* GBytes peer ids, same order */
} Fixture;

/* A session that knows peers 1 to @n_peers. */
static void
fixture_init (Fixture *f, guint n_peers)
{
  SatoriKadConfig config;
  SatoriKadStoreLimits limits = { 100, 100, 20 };
  SatoriKadProvider provider = kad_test_provider (&provider_state);
  g_autoptr(GBytes) local = kad_test_peer_id (0);

  satori_kad_config_init (&config);
  config.refresh_interval_us = 48 * G_TIME_SPAN_HOUR;   /* no bucket refresh lookups here */
  f->session = satori_kad_session_new (local, &config,
                                       satori_kad_store_open (":memory:", &limits, NULL),
                                       &provider, T0);
  satori_kad_validator_add_namespace (satori_kad_session_get_validator (f->session), "test",
                                      kad_test_validate_versioned, kad_test_select_highest,
                                      NULL);
  f->request_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  f->asked = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 1; i <= n_peers; i++)
    {
      g_autoptr(SatoriKadPeer) peer = kad_test_peer (i);
      satori_kad_session_add_peer (f->session, peer, T0);
    }
}

static void
fixture_clear (Fixture *f)
{
  satori_kad_session_free (f->session);
  g_array_unref (f->request_ids);
  g_ptr_array_unref (f->asked);
}

/* Takes the requests handed out since the last call; returns how many. */
static guint
take_transmits (Fixture *f)
{
  SatoriKadTransmit transmit;
  guint n = 0;
  while (satori_kad_session_poll_transmit (f->session, &transmit))
    {
      g_array_append_val (f->request_ids, transmit.request_id);
      g_ptr_array_add (f->asked, g_bytes_ref (transmit.peer->id));
      satori_kad_transmit_clear (&transmit);
      n++;
    }
  return n;
}

/* Request number @request answered with a message of @type, no peers. */
static void
answer_type (Fixture *f, guint request, SatoriKadMessageType type, gint64 now_us)
{
  g_autoptr(SatoriKadMessage) message = satori_kad_message_new (type, NULL);
  g_autoptr(GBytes) bytes = satori_kad_message_encode (message);
  satori_kad_session_handle_response (f->session, g_array_index (f->request_ids, guint64, request),
                                      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      now_us);
}

/* FIND_NODE answered with no closer peers. */
static void
answer (Fixture *f, guint request, gint64 now_us)
{
  answer_type (f, request, SATORI_KAD_FIND_NODE, now_us);
}

static guint
table_size (Fixture *f)
{
  return satori_kad_routing_table_get_size (satori_kad_session_get_routing_table (f->session));
}

static guint
events_of_type (Fixture *f, SatoriKadEventType type)
{
  SatoriKadEvent event;
  guint n = 0;
  while (satori_kad_session_poll_event (f->session, &event))
    {
      n += event.type == type;
      satori_kad_event_clear (&event);
    }
  return n;
}

/* Three peers that never answer hold the three alpha slots: after the
 * slow threshold (1 s) the three others are asked, and their answers end
 * the lookup long before any timeout. The silent ones still fail at the
 * dial timeout (5 s) and leave the routing table. */
static void
test_slow_releases_slot (void)
{
  Fixture f;
  fixture_init (&f, 6);
  g_autoptr(GBytes) target = kad_test_peer_id (100);

  satori_kad_session_find_node (f.session, target, T0);
  g_assert_cmpuint (take_transmits (&f), ==, 3);
  g_assert_cmpint (satori_kad_session_next_deadline_us (f.session), ==, T0 + G_USEC_PER_SEC);

  /* Just before the threshold nothing moves. */
  satori_kad_session_handle_timeout (f.session, T0 + G_USEC_PER_SEC - 1);
  g_assert_cmpuint (take_transmits (&f), ==, 0);

  satori_kad_session_handle_timeout (f.session, T0 + G_USEC_PER_SEC);
  g_assert_cmpuint (take_transmits (&f), ==, 3);
  for (guint i = 3; i < 6; i++)
    answer (&f, i, T0 + MS (1200));
  g_assert_cmpuint (events_of_type (&f, SATORI_KAD_EVENT_CLOSEST_PEERS), ==, 1);
  g_assert_cmpuint (take_transmits (&f), ==, 0);
  g_assert_cmpuint (table_size (&f), ==, 6);

  /* The lookup is over, but its requests run out: the silent peers fail. */
  g_assert_cmpint (satori_kad_session_next_deadline_us (f.session), ==, T0 + 5 * G_USEC_PER_SEC);
  satori_kad_session_handle_timeout (f.session, T0 + 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (table_size (&f), ==, 3);
  fixture_clear (&f);
}

/* The lookup does not wait for a slow request: with nobody left to ask,
 * it ends with the peers that answered. */
static void
test_slow_not_waited_for (void)
{
  Fixture f;
  fixture_init (&f, 3);
  g_autoptr(GBytes) target = kad_test_peer_id (100);

  guint64 query = satori_kad_session_find_node (f.session, target, T0);
  g_assert_cmpuint (take_transmits (&f), ==, 3);
  answer (&f, 1, T0 + MS (200));
  answer (&f, 2, T0 + MS (200));
  g_assert_cmpuint (events_of_type (&f, SATORI_KAD_EVENT_CLOSEST_PEERS), ==, 0);
  satori_kad_session_handle_timeout (f.session, T0 + G_USEC_PER_SEC);
  SatoriKadEvent event;
  g_assert_true (satori_kad_session_poll_event (f.session, &event));
  g_assert_cmpuint (event.type, ==, SATORI_KAD_EVENT_CLOSEST_PEERS);
  g_assert_cmpuint (event.query_id, ==, query);
  g_assert_cmpuint (event.peers->len, ==, 2);
  satori_kad_event_clear (&event);
  fixture_clear (&f);
}

/* A slow request's late answer still counts: the peer it names is asked
 * and ends up among the results. */
static void
test_slow_answer_counts (void)
{
  Fixture f;
  fixture_init (&f, 4);
  g_autoptr(GBytes) target = kad_test_peer_id (100);

  satori_kad_session_find_node (f.session, target, T0);
  g_assert_cmpuint (take_transmits (&f), ==, 3);
  answer (&f, 1, T0 + MS (200));
  answer (&f, 2, T0 + MS (200));
  g_assert_cmpuint (take_transmits (&f), ==, 1);         /* the fourth peer */
  satori_kad_session_handle_timeout (f.session, T0 + G_USEC_PER_SEC);
  g_assert_cmpuint (take_transmits (&f), ==, 0);         /* nobody left to ask */

  g_autoptr(SatoriKadMessage) late = satori_kad_message_new (SATORI_KAD_FIND_NODE, NULL);
  g_ptr_array_add (late->closer_peers, kad_test_peer (7));
  g_autoptr(GBytes) bytes = satori_kad_message_encode (late);
  satori_kad_session_handle_response (f.session, g_array_index (f.request_ids, guint64, 0),
                                      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      T0 + MS (1100));
  g_assert_cmpuint (take_transmits (&f), ==, 1);
  g_autoptr(GBytes) seven = kad_test_peer_id (7);
  g_assert_true (g_bytes_equal (f.asked->pdata[4], seven));

  answer (&f, 3, T0 + MS (1150));
  answer (&f, 4, T0 + MS (1150));
  SatoriKadEvent event;
  g_assert_true (satori_kad_session_poll_event (f.session, &event));
  g_assert_cmpuint (event.peers->len, ==, 5);
  satori_kad_event_clear (&event);
  fixture_clear (&f);
}

/* Until its stream is open a request has the dial timeout (5 s); from
 * then on, the request timeout (10 s). */
static void
test_dial_and_request_timeouts (void)
{
  Fixture f;
  fixture_init (&f, 2);
  g_autoptr(GBytes) target = kad_test_peer_id (100);

  satori_kad_session_find_node (f.session, target, T0);
  g_assert_cmpuint (take_transmits (&f), ==, 2);
  satori_kad_session_handle_request_opened (f.session, g_array_index (f.request_ids, guint64, 0),
                                            T0 + MS (4000));
  satori_kad_session_handle_timeout (f.session, T0 + 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (table_size (&f), ==, 1);   /* the unopened one failed */
  g_assert_cmpint (satori_kad_session_next_deadline_us (f.session), ==, T0 + 14 * G_USEC_PER_SEC);
  satori_kad_session_handle_timeout (f.session, T0 + 14 * G_USEC_PER_SEC - 1);
  g_assert_cmpuint (table_size (&f), ==, 1);
  satori_kad_session_handle_timeout (f.session, T0 + 14 * G_USEC_PER_SEC);
  g_assert_cmpuint (table_size (&f), ==, 0);
  g_assert_cmpuint (events_of_type (&f, SATORI_KAD_EVENT_CLOSEST_PEERS), ==, 1);
  fixture_clear (&f);
}

/* The key of the one request handed out since the last call. */
static GBytes *
take_one_request_key (Fixture *f)
{
  SatoriKadTransmit transmit;
  g_assert_true (satori_kad_session_poll_transmit (f->session, &transmit));
  g_autoptr(SatoriKadMessage) message = satori_kad_message_decode (
    g_bytes_get_data (transmit.message, NULL), g_bytes_get_size (transmit.message), 1 << 16,
    NULL);
  g_assert_nonnull (message);
  satori_kad_transmit_clear (&transmit);
  g_assert_false (satori_kad_session_poll_transmit (f->session, &transmit));
  return g_bytes_ref (message->key);
}

/* Our records are put again after 22 h, unless a better record for the
 * key replaced ours in the store meanwhile. */
static void
test_republish_record (void)
{
  Fixture f;
  fixture_init (&f, 1);
  g_autoptr(GBytes) kept = g_bytes_new_static ("/test/kept", 10);
  g_autoptr(GBytes) replaced = g_bytes_new_static ("/test/replaced", 14);
  g_autoptr(GBytes) v1 = g_bytes_new_static ("v1", 2);
  g_autoptr(GBytes) v2 = g_bytes_new_static ("v2", 2);

  g_assert_cmpuint (satori_kad_session_put_value (f.session, kept, v1, T0, NULL), >, 0);
  g_assert_cmpuint (satori_kad_session_put_value (f.session, replaced, v1, T0, NULL), >, 0);
  g_assert_cmpuint (take_transmits (&f), ==, 2);
  answer (&f, 0, T0 + MS (100));
  answer (&f, 1, T0 + MS (100));
  g_assert_cmpuint (take_transmits (&f), ==, 2);      /* the PUT_VALUEs */
  answer_type (&f, 2, SATORI_KAD_PUT_VALUE, T0 + MS (200));
  answer_type (&f, 3, SATORI_KAD_PUT_VALUE, T0 + MS (200));
  g_assert_cmpuint (events_of_type (&f, SATORI_KAD_EVENT_PUT_DONE), ==, 2);

  /* A newer version of one of them arrives from a peer. */
  g_autoptr(SatoriKadMessage) put = satori_kad_message_new (SATORI_KAD_PUT_VALUE, replaced);
  put->record_key = g_bytes_ref (replaced);
  put->record_value = g_bytes_ref (v2);
  g_autoptr(GBytes) bytes = satori_kad_message_encode (put);
  g_autoptr(GBytes) from = kad_test_peer_id (1);
  g_autoptr(GBytes) echo = NULL;
  g_assert_true (satori_kad_session_handle_request (f.session, from, g_bytes_get_data (bytes, NULL),
                                                    g_bytes_get_size (bytes), T0 + MS (200),
                                                    &echo, NULL));

  gint64 due = T0 + 22 * G_TIME_SPAN_HOUR;
  satori_kad_session_handle_timeout (f.session, due - 1);
  g_assert_cmpuint (take_transmits (&f), ==, 0);
  satori_kad_session_handle_timeout (f.session, due);
  g_autoptr(GBytes) looked_up = take_one_request_key (&f);
  g_assert_true (g_bytes_equal (looked_up, kept));
  /* Our copy is fresh again: stored at the republish time. */
  g_autoptr(GBytes) ours = satori_kad_store_get_record (satori_kad_session_get_store (f.session),
                                                        kept, NULL);
  g_assert_true (g_bytes_equal (ours, v1));
  /* The superseded one is no longer ours in the store either. */
  g_autoptr(GPtrArray) own = satori_kad_store_list_own (satori_kad_session_get_store (f.session));
  g_assert_cmpuint (own->len, ==, 1);
  g_assert_true (g_bytes_equal (((SatoriKadOwnEntry *) own->pdata[0])->key, kept));
  fixture_clear (&f);
}

/* Request number @request (a GET_VALUE of @key) answered with @value. */
static void
answer_value (Fixture *f, guint request, GBytes *key, const char *value, gint64 now_us)
{
  g_autoptr(SatoriKadMessage) message = satori_kad_message_new (SATORI_KAD_GET_VALUE, key);
  message->record_key = g_bytes_ref (key);
  message->record_value = g_bytes_new (value, strlen (value));
  g_autoptr(GBytes) bytes = satori_kad_message_encode (message);
  satori_kad_session_handle_response (f->session, g_array_index (f->request_ids, guint64, request),
                                      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      now_us);
}

/* The next event: of @type, with @value (NULL: any) from the peer asked
 * by request @request (-1: none). */
static void
assert_event (Fixture *f, SatoriKadEventType type, const char *value, int request)
{
  SatoriKadEvent event;
  g_assert_true (satori_kad_session_poll_event (f->session, &event));
  g_assert_cmpint (event.type, ==, type);
  if (value != NULL)
    g_assert_cmpmem (g_bytes_get_data (event.value, NULL), g_bytes_get_size (event.value), value,
                     strlen (value));
  if (request >= 0)
    g_assert_true (g_bytes_equal (event.peer->id, f->asked->pdata[request]));
  satori_kad_event_clear (&event);
}

/* GET_VALUE reports the first valid value at once, then only values
 * strictly better than all before (go-libp2p's SearchValue): not an
 * invalid one, not a worse one; then the end with the best, once the
 * quorum (3 valid values) is in. */
static void
test_values_found_in_order (void)
{
  Fixture f;
  fixture_init (&f, 6);
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/k", 7);
  SatoriKadEvent none;

  satori_kad_session_get_value (f.session, key, T0);
  g_assert_cmpuint (take_transmits (&f), ==, 3);
  answer_value (&f, 0, key, "v2", T0 + MS (10));
  assert_event (&f, SATORI_KAD_EVENT_VALUE_FOUND, "v2", 0);
  answer_value (&f, 1, key, "x-invalid", T0 + MS (20));
  g_assert_cmpuint (take_transmits (&f), ==, 2);   /* one per answer: peers 4 and 5 */
  answer_value (&f, 2, key, "v1", T0 + MS (30));
  g_assert_false (satori_kad_session_poll_event (f.session, &none));
  g_assert_cmpuint (take_transmits (&f), ==, 1);
  answer_value (&f, 3, key, "v3", T0 + MS (40));
  assert_event (&f, SATORI_KAD_EVENT_VALUE_FOUND, "v3", 3);
  assert_event (&f, SATORI_KAD_EVENT_VALUE, "v3", -1);
  g_assert_false (satori_kad_session_poll_event (f.session, &none));
  fixture_clear (&f);
}

/* A key given up with satori_kad_session_unprovide() is not announced
 * again at the republish time; the one still provided is. */
static void
test_unprovide (void)
{
  Fixture f;
  fixture_init (&f, 1);
  g_autoptr(GBytes) kept = g_bytes_new_static ("/satori/sub/kept", 16);
  g_autoptr(GBytes) dropped = g_bytes_new_static ("/satori/sub/dropped", 19);

  g_assert_cmpuint (satori_kad_session_provide (f.session, kept, T0, NULL), >, 0);
  g_assert_cmpuint (satori_kad_session_provide (f.session, dropped, T0, NULL), >, 0);
  g_assert_cmpuint (take_transmits (&f), ==, 2);      /* the lookups */
  answer (&f, 0, T0 + MS (100));
  answer (&f, 1, T0 + MS (100));
  take_transmits (&f);                                /* the ADD_PROVIDERs */
  g_assert_cmpuint (events_of_type (&f, SATORI_KAD_EVENT_PROVIDE_DONE), ==, 2);

  g_assert_true (satori_kad_session_unprovide (f.session, dropped));
  g_assert_false (satori_kad_session_unprovide (f.session, dropped));
  /* Forgotten in the store too, so a restart does not provide it again. */
  g_autoptr(GPtrArray) own = satori_kad_store_list_own (satori_kad_session_get_store (f.session));
  g_assert_cmpuint (own->len, ==, 1);
  g_assert_true (g_bytes_equal (((SatoriKadOwnEntry *) own->pdata[0])->key, kept));
  /* And our store no longer answers that we provide it. */
  SatoriKadStore *store = satori_kad_session_get_store (f.session);
  g_autoptr(GPtrArray) kept_providers = satori_kad_store_get_providers (store, kept, T0, 20);
  g_autoptr(GPtrArray) dropped_providers = satori_kad_store_get_providers (store, dropped, T0, 20);
  g_assert_cmpuint (kept_providers->len, ==, 1);
  g_assert_cmpuint (dropped_providers->len, ==, 0);

  gint64 due = T0 + 22 * G_TIME_SPAN_HOUR;
  satori_kad_session_handle_timeout (f.session, due - 1);
  g_assert_cmpuint (take_transmits (&f), ==, 0);
  satori_kad_session_handle_timeout (f.session, due);
  g_autoptr(GBytes) looked_up = take_one_request_key (&f);
  g_assert_true (g_bytes_equal (looked_up, kept));
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("One DHT core on a fake clock: timeouts, slow requests, values as found, "
                  "republishing");

  g_test_add_func ("/kad/session/slow-releases-slot", test_slow_releases_slot);
  g_test_add_func ("/kad/session/slow-not-waited-for", test_slow_not_waited_for);
  g_test_add_func ("/kad/session/slow-answer-counts", test_slow_answer_counts);
  g_test_add_func ("/kad/session/dial-and-request-timeouts", test_dial_and_request_timeouts);
  g_test_add_func ("/kad/session/republish-record", test_republish_record);
  g_test_add_func ("/kad/session/values-found-in-order", test_values_found_in_order);
  g_test_add_func ("/kad/session/unprovide", test_unprovide);
  return g_test_run ();
}
