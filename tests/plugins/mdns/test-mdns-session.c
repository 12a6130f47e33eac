/* The mDNS session on a fake clock: its query backoff, what it answers
 * and when, two sessions finding each other over an in-memory LAN, its
 * own answers ignored, expiry, goodbyes and bounds, and responses as
 * js-libp2p and go-libp2p write them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-mdns-message.h"
#include "satori-mdns-session.h"
#include "satori-peer-info.h"
#include "satori-test-util.h"

#define SECOND G_GINT64_CONSTANT (1000000)
#define NAME_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define NAME_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static SatoriPeerId *
peer_id (guint8 fill)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (fill);
  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

static GPtrArray *
addresses_of (const char *first, ...)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  va_list args;
  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    {
      SatoriMultiaddr *address = satori_multiaddr_new_from_string (text, NULL);
      g_assert_nonnull (address);
      g_ptr_array_add (result, address);
    }
  va_end (args);
  return result;
}

static SatoriMdnsSession *
session_new (SatoriMdnsConfig *config, guint8 fill, const char *name)
{
  g_autoptr(SatoriPeerId) id = peer_id (fill);
  SatoriMdnsConfig defaults;
  if (config == NULL)
    {
      satori_mdns_config_init (&defaults);
      config = &defaults;
    }
  return satori_mdns_session_new (config, id, name, 0);
}

static SatoriMdnsMessage *
next_message (SatoriMdnsSession *session)
{
  g_autoptr(GBytes) datagram = satori_mdns_session_poll_transmit (session);
  if (datagram == NULL)
    return NULL;
  g_autoptr(GError) error = NULL;
  SatoriMdnsMessage *message = satori_mdns_message_decode (g_bytes_get_data (datagram, NULL),
                                                           g_bytes_get_size (datagram), &error);
  g_assert_no_error (error);
  return message;
}

static void
drain (SatoriMdnsSession *session)
{
  GBytes *datagram;
  while ((datagram = satori_mdns_session_poll_transmit (session)) != NULL)
    g_bytes_unref (datagram);
}

static void
expect_query (SatoriMdnsSession *session)
{
  g_autoptr(SatoriMdnsMessage) query = next_message (session);
  g_assert_nonnull (query);
  g_assert_false (satori_mdns_message_is_response (query));
  g_assert_cmpuint (query->questions->len, ==, 1);
  SatoriMdnsQuestion *question = query->questions->pdata[0];
  g_assert_cmpstr (question->name, ==, SATORI_MDNS_SERVICE);
  g_assert_cmpuint (question->type, ==, SATORI_MDNS_TYPE_PTR);
  g_assert_false (question->unicast);
}

static GBytes *
encode (SatoriMdnsMessage *message)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = satori_mdns_message_encode (message, SATORI_MDNS_MAX_MESSAGE, &error);
  g_assert_no_error (error);
  return bytes;
}

static void
feed (SatoriMdnsSession *session, GBytes *datagram, gint64 now_us)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (satori_mdns_session_handle_datagram (session, g_bytes_get_data (datagram, NULL),
                                                      g_bytes_get_size (datagram), now_us,
                                                      &error));
  g_assert_no_error (error);
}

static void
feed_message (SatoriMdnsSession *session, SatoriMdnsMessage *message, gint64 now_us)
{
  g_autoptr(GBytes) bytes = encode (message);
  feed (session, bytes, now_us);
}

static void
feed_query (SatoriMdnsSession *session, gint64 now_us)
{
  g_autoptr(SatoriMdnsMessage) query = satori_mdns_message_new (0);
  satori_mdns_message_add_question (query, SATORI_MDNS_SERVICE, SATORI_MDNS_TYPE_PTR);
  feed_message (session, query, now_us);
}

/* The addresses of the next event, which must be @type for @peer, as
 * text joined by spaces. */
static char *
expect_event (SatoriMdnsSession *session, SatoriMdnsEventType type, SatoriPeerId *peer)
{
  SatoriMdnsEvent event;
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_true (satori_mdns_session_poll_event (session, &event));
  g_assert_cmpint (event.type, ==, type);
  g_assert_true (satori_peer_id_equal (event.peer, peer));
  for (guint i = 0; i < event.addresses->len; i++)
    {
      g_autofree char *one = satori_multiaddr_to_string (event.addresses->pdata[i]);
      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", one);
    }
  satori_mdns_event_clear (&event);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
expect_no_event (SatoriMdnsSession *session)
{
  SatoriMdnsEvent event;
  g_assert_false (satori_mdns_session_poll_event (session, &event));
}

static void
test_query_backoff (void)
{
  SatoriMdnsConfig config;
  satori_mdns_config_init (&config);
  config.query_interval_max_us = 10 * SECOND;
  g_autoptr(SatoriMdnsSession) session = session_new (&config, 1, NAME_A);
  gint64 expected[] = { 1, 3, 7, 15, 25, 35 };   /* 1 s, doubling, at most 10 s */

  g_assert_cmpint (satori_mdns_session_next_deadline_us (session), ==, 0);
  satori_mdns_session_handle_timeout (session, 0);
  expect_query (session);
  g_assert_null (satori_mdns_session_poll_transmit (session));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gint64 deadline = satori_mdns_session_next_deadline_us (session);
      g_assert_cmpint (deadline, ==, expected[i] * SECOND);
      satori_mdns_session_handle_timeout (session, deadline - 1);
      g_assert_null (satori_mdns_session_poll_transmit (session));
      satori_mdns_session_handle_timeout (session, deadline);
      expect_query (session);
    }

  /* A new network: query at once, then after 1 s again. */
  satori_mdns_session_restart_queries (session, 40 * SECOND);
  expect_query (session);
  g_assert_cmpint (satori_mdns_session_next_deadline_us (session), ==, 41 * SECOND);
}

static void
test_response_contents (void)
{
  g_autoptr(SatoriMdnsSession) session = session_new (NULL, 1, NAME_A);
  g_autoptr(SatoriPeerId) id = peer_id (1);
  g_autofree char *id_text = satori_peer_id_to_string (id);
  g_autoptr(GPtrArray) addresses =
    addresses_of ("/ip4/10.0.0.1/tcp/4001", "/ip6/fd00::1/tcp/4001", "/ip4/10.0.0.1/udp/4001/quic-v1",
                  "/memory/7", "/dns4/example.com/tcp/1", NULL);

  satori_mdns_session_handle_timeout (session, 0);
  drain (session);
  /* No addresses yet: nothing to answer. */
  feed_query (session, 0);
  g_assert_null (satori_mdns_session_poll_transmit (session));

  /* Addresses set: announced at once (an unsolicited response). */
  satori_mdns_session_set_addresses (session, addresses, 0);
  g_autoptr(SatoriMdnsMessage) response = next_message (session);
  g_assert_true (satori_mdns_message_is_response (response));
  g_assert_cmpuint (response->answers->len, ==, 1);
  SatoriMdnsRecord *ptr = response->answers->pdata[0];
  g_assert_cmpstr (ptr->name, ==, SATORI_MDNS_SERVICE);
  g_assert_cmpstr (ptr->target, ==, NAME_A "." SATORI_MDNS_SERVICE);
  g_assert_cmpuint (ptr->ttl, ==, 120);

  g_autoptr(GString) txt = g_string_new (NULL);
  guint a = 0, aaaa = 0, srv = 0;
  for (guint i = 0; i < response->additionals->len; i++)
    {
      SatoriMdnsRecord *record = response->additionals->pdata[i];
      if (record->type == SATORI_MDNS_TYPE_TXT)
        {
          g_assert_cmpstr (record->name, ==, NAME_A "." SATORI_MDNS_SERVICE);
          g_assert_cmpuint (record->strings->len, ==, 1);
          g_string_append_len (txt, g_bytes_get_data (record->strings->pdata[0], NULL),
                               g_bytes_get_size (record->strings->pdata[0]));
          g_string_append_c (txt, '\n');
        }
      else if (record->type == SATORI_MDNS_TYPE_SRV)
        {
          srv++;
          g_assert_cmpuint (record->port, ==, 4001);
          g_assert_cmpstr (record->target, ==, NAME_A ".local");
        }
      else if (record->type == SATORI_MDNS_TYPE_A)
        {
          a++;
          g_assert_cmpmem (record->address, 4, ((guint8[]) { 10, 0, 0, 1 }), 4);
        }
      else if (record->type == SATORI_MDNS_TYPE_AAAA)
        aaaa++;
    }
  g_autofree char *expected =
    g_strdup_printf ("dnsaddr=/ip4/10.0.0.1/tcp/4001/p2p/%s\n"
                     "dnsaddr=/ip6/fd00::1/tcp/4001/p2p/%s\n"
                     "dnsaddr=/ip4/10.0.0.1/udp/4001/quic-v1/p2p/%s\n",
                     id_text, id_text, id_text);
  g_assert_cmpstr (txt->str, ==, expected);
  g_assert_cmpuint (srv, ==, 1);
  g_assert_cmpuint (a, ==, 1);   /* one per distinct IP */
  g_assert_cmpuint (aaaa, ==, 1);

  /* The same addresses again: no new announcement. */
  satori_mdns_session_set_addresses (session, addresses, 5 * SECOND);
  g_assert_null (satori_mdns_session_poll_transmit (session));
}

static void
test_response_spacing (void)
{
  SatoriMdnsConfig config;
  satori_mdns_config_init (&config);
  config.query_interval_initial_us = 100 * SECOND;   /* no queries in the way */
  g_autoptr(SatoriMdnsSession) session = session_new (&config, 1, NAME_A);
  g_autoptr(GPtrArray) addresses = addresses_of ("/ip4/10.0.0.1/tcp/4001", NULL);
  satori_mdns_session_set_addresses (session, addresses, 0);
  drain (session);   /* the first query and the announcement */

  /* Queries within the second after a response get one response, held
   * back to the end of that second. */
  feed_query (session, SECOND / 2);
  feed_query (session, SECOND / 2 + 10);
  g_assert_null (satori_mdns_session_poll_transmit (session));
  g_assert_cmpint (satori_mdns_session_next_deadline_us (session), ==, SECOND);
  satori_mdns_session_handle_timeout (session, SECOND);
  g_autoptr(SatoriMdnsMessage) first = next_message (session);
  g_assert_true (satori_mdns_message_is_response (first));
  g_assert_null (satori_mdns_session_poll_transmit (session));

  /* A query later is answered at once. */
  feed_query (session, 5 * SECOND);
  g_autoptr(SatoriMdnsMessage) second = next_message (session);
  g_assert_true (satori_mdns_message_is_response (second));
  g_assert_null (satori_mdns_session_poll_transmit (session));

  /* Questions for our instance and host names are answered; others not. */
  const struct { const char *name; guint16 type; gboolean answered; } questions[] = {
    { NAME_A "._p2p._udp.local", SATORI_MDNS_TYPE_TXT, TRUE },
    { NAME_A ".local", SATORI_MDNS_TYPE_A, TRUE },
    { NAME_B "._p2p._udp.local", SATORI_MDNS_TYPE_TXT, FALSE },
    { "_http._tcp.local", SATORI_MDNS_TYPE_PTR, FALSE },
    { SATORI_MDNS_SERVICE, SATORI_MDNS_TYPE_A, FALSE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (questions); i++)
    {
      g_autoptr(SatoriMdnsMessage) query = satori_mdns_message_new (0);
      satori_mdns_message_add_question (query, questions[i].name, questions[i].type);
      feed_message (session, query, (10 + 2 * i) * SECOND);
      g_autoptr(SatoriMdnsMessage) reply = next_message (session);
      g_assert_cmpint (reply != NULL, ==, questions[i].answered);
    }

  /* The DNS-SD meta-query: the response also names our service type. */
  g_autoptr(SatoriMdnsMessage) meta = satori_mdns_message_new (0);
  satori_mdns_message_add_question (meta, "_services._dns-sd._udp.local", SATORI_MDNS_TYPE_PTR);
  feed_message (session, meta, 30 * SECOND);
  g_autoptr(SatoriMdnsMessage) types = next_message (session);
  g_assert_cmpuint (types->answers->len, ==, 2);
  SatoriMdnsRecord *type = types->answers->pdata[1];
  g_assert_cmpstr (type->name, ==, "_services._dns-sd._udp.local");
  g_assert_cmpstr (type->target, ==, SATORI_MDNS_SERVICE);
  feed_query (session, 32 * SECOND);
  g_autoptr(SatoriMdnsMessage) plain = next_message (session);
  g_assert_cmpuint (plain->answers->len, ==, 1);
}

static void
test_no_answer_without_broadcast (void)
{
  SatoriMdnsConfig config;
  satori_mdns_config_init (&config);
  config.answer = FALSE;
  g_autoptr(SatoriMdnsSession) session = session_new (&config, 1, NAME_A);
  g_autoptr(GPtrArray) addresses = addresses_of ("/ip4/10.0.0.1/tcp/4001", NULL);
  satori_mdns_session_set_addresses (session, addresses, 0);
  expect_query (session);
  feed_query (session, SECOND / 2);
  g_assert_null (satori_mdns_session_poll_transmit (session));
}

/* Delivers every datagram either session sends to both (multicast with
 * loopback), until none is left. */
static void
exchange (SatoriMdnsSession *a, SatoriMdnsSession *b, gint64 now_us)
{
  SatoriMdnsSession *sessions[] = { a, b };
  gboolean sent;
  do
    {
      sent = FALSE;
      for (guint s = 0; s < 2; s++)
        {
          GBytes *datagram = satori_mdns_session_poll_transmit (sessions[s]);
          if (datagram == NULL)
            continue;
          sent = TRUE;
          feed (a, datagram, now_us);
          feed (b, datagram, now_us);
          g_bytes_unref (datagram);
        }
    }
  while (sent);
}

static void
test_two_peers (void)
{
  g_autoptr(SatoriMdnsSession) a = session_new (NULL, 1, NAME_A);
  g_autoptr(SatoriMdnsSession) b = session_new (NULL, 2, NAME_B);
  g_autoptr(SatoriPeerId) id_a = peer_id (1);
  g_autoptr(SatoriPeerId) id_b = peer_id (2);
  g_autoptr(GPtrArray) addresses_a = addresses_of ("/ip4/10.0.0.1/tcp/4001", NULL);
  g_autoptr(GPtrArray) addresses_b = addresses_of ("/ip4/10.0.0.2/tcp/4002", "/ip6/fd00::2/tcp/4002", NULL);

  /* Both start (a query each) before either knows its addresses. */
  satori_mdns_session_handle_timeout (a, 0);
  satori_mdns_session_handle_timeout (b, 0);
  exchange (a, b, 0);
  expect_no_event (a);
  expect_no_event (b);

  satori_mdns_session_set_addresses (a, addresses_a, 100);
  satori_mdns_session_set_addresses (b, addresses_b, 100);
  exchange (a, b, 100);
  g_autofree char *seen_by_a = expect_event (a, SATORI_MDNS_PEER_DISCOVERED, id_b);
  g_assert_cmpstr (seen_by_a, ==, "/ip4/10.0.0.2/tcp/4002 /ip6/fd00::2/tcp/4002");
  g_autofree char *seen_by_b = expect_event (b, SATORI_MDNS_PEER_DISCOVERED, id_a);
  g_assert_cmpstr (seen_by_b, ==, "/ip4/10.0.0.1/tcp/4001");
  /* Each heard its own answer too, and ignored it. */
  expect_no_event (a);
  expect_no_event (b);
  g_assert_cmpuint (satori_mdns_session_get_n_peers (a), ==, 1);

  /* Later queries refresh the records without new events. */
  satori_mdns_session_handle_timeout (a, SECOND);
  exchange (a, b, SECOND);
  satori_mdns_session_handle_timeout (b, 3 * SECOND);
  exchange (a, b, 3 * SECOND);
  expect_no_event (a);
  expect_no_event (b);

  /* b moves: a hears the new addresses. */
  g_autoptr(GPtrArray) moved = addresses_of ("/ip4/10.0.0.3/tcp/4002", NULL);
  satori_mdns_session_set_addresses (b, moved, 4 * SECOND);
  exchange (a, b, 4 * SECOND);
  g_autofree char *moved_seen = expect_event (a, SATORI_MDNS_PEER_DISCOVERED, id_b);
  g_assert_cmpstr (moved_seen, ==, "/ip4/10.0.0.3/tcp/4002");

  g_autoptr(GPtrArray) peers = satori_mdns_session_get_peers (a, 0);
  g_assert_cmpuint (peers->len, ==, 1);
}

static void
test_own_identity_ignored (void)
{
  /* Another instance with our peer id but its own peer name (a second
   * interface of ours, a copy of our key): not a peer. */
  g_autoptr(SatoriMdnsSession) a = session_new (NULL, 1, NAME_A);
  g_autoptr(SatoriMdnsSession) twin = session_new (NULL, 1, NAME_B);
  g_autoptr(GPtrArray) addresses = addresses_of ("/ip4/10.0.0.1/tcp/4001", NULL);
  satori_mdns_session_set_addresses (a, addresses, 0);
  satori_mdns_session_set_addresses (twin, addresses, 0);
  exchange (a, twin, 0);
  expect_no_event (a);
  expect_no_event (twin);
  g_assert_cmpuint (satori_mdns_session_get_n_peers (a), ==, 0);
}

static void
test_expiry_and_goodbye (void)
{
  SatoriMdnsConfig config;
  satori_mdns_config_init (&config);
  config.ttl_s = 5;
  config.query_interval_initial_us = 100 * SECOND;
  config.query_interval_max_us = 100 * SECOND;
  g_autoptr(SatoriMdnsSession) a = session_new (NULL, 1, NAME_A);
  g_autoptr(SatoriMdnsSession) b = session_new (&config, 2, NAME_B);
  g_autoptr(SatoriPeerId) id_b = peer_id (2);
  g_autoptr(GPtrArray) addresses = addresses_of ("/ip4/10.0.0.2/tcp/4002", NULL);

  satori_mdns_session_set_addresses (b, addresses, 0);
  exchange (a, b, 0);
  g_free (expect_event (a, SATORI_MDNS_PEER_DISCOVERED, id_b));

  /* b's records (TTL 5 s) run out: a forgets b when they do. */
  drain (a);
  g_assert_cmpint (satori_mdns_session_next_deadline_us (a), ==, 1 * SECOND);
  satori_mdns_session_handle_timeout (a, 1 * SECOND);
  drain (a);   /* a's second query, unanswered: b is gone */
  satori_mdns_session_handle_timeout (a, 5 * SECOND - 1);
  expect_no_event (a);
  satori_mdns_session_handle_timeout (a, 5 * SECOND);
  g_autofree char *gone = expect_event (a, SATORI_MDNS_PEER_EXPIRED, id_b);
  g_assert_cmpstr (gone, ==, "");
  g_assert_cmpuint (satori_mdns_session_get_n_peers (a), ==, 0);

  /* b comes back, then says goodbye (TTL 0). */
  feed_query (b, 6 * SECOND);
  exchange (a, b, 6 * SECOND);
  g_free (expect_event (a, SATORI_MDNS_PEER_DISCOVERED, id_b));
  g_autoptr(SatoriMdnsMessage) goodbye = satori_mdns_message_new (SATORI_MDNS_FLAG_RESPONSE);
  SatoriMdnsRecord *ptr = satori_mdns_record_new (SATORI_MDNS_SERVICE, SATORI_MDNS_TYPE_PTR, 0);
  ptr->target = g_strdup (NAME_B "._p2p._udp.local");
  g_ptr_array_add (goodbye->answers, ptr);
  feed_message (a, goodbye, 7 * SECOND);
  g_free (expect_event (a, SATORI_MDNS_PEER_EXPIRED, id_b));
  g_assert_cmpuint (satori_mdns_session_get_n_peers (a), ==, 0);

  /* b comes back and stops: its own goodbye says the same. */
  feed_query (b, 8 * SECOND);
  exchange (a, b, 8 * SECOND);
  g_free (expect_event (a, SATORI_MDNS_PEER_DISCOVERED, id_b));
  g_autoptr(GBytes) farewell = satori_mdns_session_goodbye (b);
  feed (a, farewell, 9 * SECOND);
  g_free (expect_event (a, SATORI_MDNS_PEER_EXPIRED, id_b));
  /* A session that never answered has nothing to take back. */
  g_assert_null (satori_mdns_session_goodbye (a));
}

/* A response as another implementation writes it: a PTR to @name, TXT
 * records with @strings (each string its own record when @split, else
 * one record, as go-libp2p), in @section. */
static SatoriMdnsMessage *
foreign_response (const char *name, const char * const *strings, gboolean split,
                  gboolean in_answers)
{
  SatoriMdnsMessage *message = satori_mdns_message_new (SATORI_MDNS_FLAG_RESPONSE);
  g_autofree char *instance = g_strconcat (name, "._p2p._udp.local", NULL);
  SatoriMdnsRecord *ptr = satori_mdns_record_new ("_p2p._udp.local", SATORI_MDNS_TYPE_PTR, 120);
  ptr->target = g_strdup (instance);
  g_ptr_array_add (message->answers, ptr);
  SatoriMdnsRecord *txt = NULL;
  for (guint i = 0; strings[i] != NULL; i++)
    {
      if (txt == NULL || split)
        {
          txt = satori_mdns_record_new (instance, SATORI_MDNS_TYPE_TXT, 120);
          g_ptr_array_add (in_answers ? message->answers : message->additionals, txt);
        }
      satori_mdns_record_add_string (txt, strings[i]);
    }
  return message;
}

static void
test_foreign_responses (void)
{
  g_autoptr(SatoriMdnsSession) session = session_new (NULL, 1, NAME_A);
  g_autoptr(SatoriPeerId) id_b = peer_id (2);
  g_autoptr(SatoriPeerId) id_c = peer_id (3);
  g_autofree char *b = satori_peer_id_to_string (id_b);
  g_autofree char *c = satori_peer_id_to_string (id_c);
  g_autofree char *b1 = g_strdup_printf ("dnsaddr=/ip4/192.168.1.2/tcp/4001/p2p/%s", b);
  g_autofree char *b2 = g_strdup_printf ("dnsaddr=/ip4/192.168.1.2/udp/4001/quic-v1/p2p/%s", b);
  g_autofree char *c1 = g_strdup_printf ("dnsaddr=/ip4/192.168.1.3/tcp/1/p2p/%s", c);
  g_autofree char *c2 = g_strdup_printf ("dnsaddr=/ip4/192.168.1.3/tcp/2/p2p/%s", c);

  /* js-libp2p: one TXT record an address, in the answers. */
  const char *js[] = { b1, b2, NULL };
  g_autoptr(SatoriMdnsMessage) from_js = foreign_response ("jsjsjs", js, TRUE, TRUE);
  feed_message (session, from_js, 0);
  g_autofree char *seen_b = expect_event (session, SATORI_MDNS_PEER_DISCOVERED, id_b);
  g_assert_cmpstr (seen_b, ==, "/ip4/192.168.1.2/tcp/4001 /ip4/192.168.1.2/udp/4001/quic-v1");

  /* go-libp2p: one TXT record of several strings, in the additionals,
   * among strings that are not dnsaddr, not valid, of another peer, or
   * without /p2p/; the first peer named wins. */
  const char *go[] = { c1, "ver=1", "dnsaddr=/ip4/nonsense", b1,
                       "dnsaddr=/ip4/192.168.1.3/tcp/9", c2, c1, NULL };
  g_autoptr(SatoriMdnsMessage) from_go = foreign_response ("gogogo", go, FALSE, FALSE);
  feed_message (session, from_go, 0);
  g_autofree char *seen_c = expect_event (session, SATORI_MDNS_PEER_DISCOVERED, id_c);
  g_assert_cmpstr (seen_c, ==, "/ip4/192.168.1.3/tcp/1 /ip4/192.168.1.3/tcp/2");

  /* A PTR without TXT, and one for another service: nothing. */
  const char *none[] = { NULL };
  g_autoptr(SatoriMdnsMessage) bare = foreign_response ("bare", none, TRUE, TRUE);
  feed_message (session, bare, 0);
  g_autoptr(SatoriMdnsMessage) other = foreign_response ("x", js, TRUE, TRUE);
  SatoriMdnsRecord *ptr = other->answers->pdata[0];
  g_free (ptr->name);
  ptr->name = g_strdup ("_http._tcp.local");
  feed_message (session, other, 0);
  expect_no_event (session);
  g_assert_cmpuint (satori_mdns_session_get_n_peers (session), ==, 2);
}

static void
test_bounds (void)
{
  SatoriMdnsConfig config;
  satori_mdns_config_init (&config);
  config.max_peers = 2;
  config.max_addresses = 3;
  config.max_message = 600;
  g_autoptr(SatoriMdnsSession) session = session_new (&config, 1, NAME_A);

  for (guint8 fill = 2; fill < 6; fill++)
    {
      g_autoptr(SatoriPeerId) id = peer_id (fill);
      g_autofree char *text = satori_peer_id_to_string (id);
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
      for (guint port = 1; port <= 5; port++)
        g_ptr_array_add (strings, g_strdup_printf ("dnsaddr=/ip4/10.0.0.%u/tcp/%u/p2p/%s",
                                                   fill, port, text));
      g_ptr_array_add (strings, NULL);
      g_autofree char *name = g_strdup_printf ("peer%u", fill);
      g_autoptr(SatoriMdnsMessage) response =
        foreign_response (name, (const char * const *) strings->pdata, TRUE, TRUE);
      feed_message (session, response, 0);
    }
  /* Two peers kept, three addresses each. */
  g_assert_cmpuint (satori_mdns_session_get_n_peers (session), ==, 2);
  g_autoptr(GPtrArray) peers = satori_mdns_session_get_peers (session, 0);
  for (guint i = 0; i < peers->len; i++)
    g_assert_cmpuint (satori_peer_info_get_addresses (peers->pdata[i])->len, ==, 3);

  /* Our own response fits max_message: addresses that do not are left out. */
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  for (guint i = 1; i <= 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("/ip4/10.1.0.%u/tcp/4001", i);
      g_ptr_array_add (many, satori_multiaddr_new_from_string (text, NULL));
    }
  satori_mdns_session_handle_timeout (session, 0);
  drain (session);
  satori_mdns_session_set_addresses (session, many, 0);
  g_autoptr(GBytes) datagram = satori_mdns_session_poll_transmit (session);
  g_assert_cmpuint (g_bytes_get_size (datagram), <=, 600);
  g_autoptr(SatoriMdnsMessage) response =
    satori_mdns_message_decode (g_bytes_get_data (datagram, NULL), g_bytes_get_size (datagram),
                                NULL);
  g_assert_cmpuint (response->answers->len, ==, 1);
  g_assert_cmpuint (response->additionals->len, >, 0);
  g_assert_cmpuint (((SatoriMdnsRecord *) response->additionals->pdata[0])->type, ==,
                    SATORI_MDNS_TYPE_TXT);
}

static void
test_malformed_ignored (void)
{
  g_autoptr(SatoriMdnsSession) session = session_new (NULL, 1, NAME_A);
  static const guint8 garbage[] = { 1, 2, 3 };
  g_autoptr(GError) error = NULL;
  g_assert_false (satori_mdns_session_handle_datagram (session, garbage, sizeof garbage, 0, &error));
  g_assert_error (error, SATORI_MDNS_ERROR, SATORI_MDNS_ERROR_MALFORMED);
  expect_no_event (session);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mdns/session/query-backoff", test_query_backoff);
  g_test_add_func ("/mdns/session/response-contents", test_response_contents);
  g_test_add_func ("/mdns/session/response-spacing", test_response_spacing);
  g_test_add_func ("/mdns/session/no-answer-without-broadcast", test_no_answer_without_broadcast);
  g_test_add_func ("/mdns/session/two-peers", test_two_peers);
  g_test_add_func ("/mdns/session/own-identity-ignored", test_own_identity_ignored);
  g_test_add_func ("/mdns/session/expiry-and-goodbye", test_expiry_and_goodbye);
  g_test_add_func ("/mdns/session/foreign-responses", test_foreign_responses);
  g_test_add_func ("/mdns/session/bounds", test_bounds);
  g_test_add_func ("/mdns/session/malformed-ignored", test_malformed_ignored);
  return g_test_run ();
}
