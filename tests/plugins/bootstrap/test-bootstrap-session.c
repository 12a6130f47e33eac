/* The bootstrap policy on a fake clock: which peers it dials when, its
 * backoff, re-dials after a disconnect, /dnsaddr/ expansion from fixed
 * TXT answers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-bootstrap-error.h"
#include "satori-peer-id.h"
#include "satori-bootstrap-session.h"

#define PEER_A "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC"
#define PEER_B "12D3KooWCryG7Mon9orvQxcS1rYZjotPgpwoJNHHKcLLfE4Hf5mV"
#define PEER_C "QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb"
#define SECOND G_GINT64_CONSTANT (1000000)

/* The defaults but @min_connections, and dnsaddr depth 2. */
static SatoriBootstrapSession *
session_new (guint min_connections)
{
  SatoriBootstrapConfig config;
  satori_bootstrap_config_init (&config);
  config.min_connections = min_connections;
  config.max_dnsaddr_depth = 2;
  return satori_bootstrap_session_new (&config, 0);
}

static void
add (SatoriBootstrapSession *session, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (satori_bootstrap_session_add_address (session, address, &error));
  g_assert_no_error (error);
}

static GBytes *
peer_bytes (const char *text)
{
  g_autoptr(SatoriPeerId) id = satori_peer_id_new_from_string (text, NULL);
  g_assert_nonnull (id);
  return g_bytes_ref (satori_peer_id_get_bytes (id));
}

/* The next action must be a dial of @peer; returns its addresses as text,
 * space-separated. */
static char *
expect_dial_addresses (SatoriBootstrapSession *session, const char *peer)
{
  SatoriBootstrapAction action = { 0 };
  g_autoptr(GBytes) id = peer_bytes (peer);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_true (satori_bootstrap_session_poll_action (session, &action));
  g_assert_cmpint (action.type, ==, SATORI_BOOTSTRAP_DIAL);
  g_assert_true (g_bytes_equal (action.peer_id, id));
  for (guint i = 0; i < action.addresses->len; i++)
    {
      g_autofree char *one = satori_multiaddr_to_string (action.addresses->pdata[i]);
      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", one);
    }
  satori_bootstrap_action_clear (&action);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
expect_dial (SatoriBootstrapSession *session, const char *peer)
{
  g_free (expect_dial_addresses (session, peer));
}

static void
expect_resolve (SatoriBootstrapSession *session, const char *name)
{
  SatoriBootstrapAction action = { 0 };
  g_assert_true (satori_bootstrap_session_poll_action (session, &action));
  g_assert_cmpint (action.type, ==, SATORI_BOOTSTRAP_RESOLVE);
  g_assert_cmpstr (action.name, ==, name);
  satori_bootstrap_action_clear (&action);
}

static void
expect_nothing (SatoriBootstrapSession *session)
{
  SatoriBootstrapAction action = { 0 };
  g_assert_false (satori_bootstrap_session_poll_action (session, &action));
}

static void
dial_done (SatoriBootstrapSession *session, const char *peer, gboolean ok, gint64 now)
{
  g_autoptr(GBytes) id = peer_bytes (peer);
  satori_bootstrap_session_dial_done (session, id, ok, now);
}

static void
test_dials_missing (void)
{
  g_autoptr(SatoriBootstrapSession) session = session_new (2);
  add (session, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A);
  add (session, "/ip4/10.0.0.2/tcp/4001/p2p/" PEER_B);
  add (session, "/ip4/10.0.0.3/tcp/4001/p2p/" PEER_C);
  add (session, "/ip6/::1/tcp/4001/p2p/" PEER_A);

  /* Nothing before the connection count is known to be low. */
  expect_nothing (session);
  g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session), ==, G_MAXINT64);

  /* Two connections missing: two peers, in the configured order, each
   * with every address configured for it. */
  satori_bootstrap_session_set_connection_count (session, 0, 0);
  g_autofree char *a = expect_dial_addresses (session, PEER_A);
  g_assert_cmpstr (a, ==, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A " /ip6/::1/tcp/4001/p2p/" PEER_A);
  expect_dial (session, PEER_B);
  expect_nothing (session);

  /* A fails: C is dialed in its place. */
  dial_done (session, PEER_A, FALSE, 0);
  expect_dial (session, PEER_C);
  expect_nothing (session);

  /* B and C connect: enough, nothing more and no deadline. */
  dial_done (session, PEER_B, TRUE, 0);
  dial_done (session, PEER_C, TRUE, 0);
  satori_bootstrap_session_set_connection_count (session, 2, 0);
  expect_nothing (session);
  g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session), ==, G_MAXINT64);
}

static void
test_backoff (void)
{
  SatoriBootstrapConfig config;
  satori_bootstrap_config_init (&config);
  config.min_connections = 1;
  config.interval_us = 3600 * SECOND;  /* out of the way */
  g_autoptr(SatoriBootstrapSession) session = satori_bootstrap_session_new (&config, 0);
  add (session, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A);
  satori_bootstrap_session_set_connection_count (session, 0, 0);

  /* Each failure doubles the wait: 1 s, 2 s, 4 s… */
  gint64 now = 0, expected_wait = SECOND;
  for (guint round = 0; round < 5; round++)
    {
      expect_dial (session, PEER_A);
      dial_done (session, PEER_A, FALSE, now);
      expect_nothing (session);
      g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session), ==,
                       now + expected_wait);
      satori_bootstrap_session_handle_timeout (session, now + expected_wait - 1);
      expect_nothing (session);
      now += expected_wait;
      satori_bootstrap_session_handle_timeout (session, now);
      expected_wait *= 2;
    }
  /* A success starts the backoff over. */
  expect_dial (session, PEER_A);
  dial_done (session, PEER_A, TRUE, now);
  satori_bootstrap_session_set_connection_count (session, 0, now);
  g_autoptr(GBytes) id = peer_bytes (PEER_A);
  satori_bootstrap_session_peer_disconnected (session, id, now);
  expect_dial (session, PEER_A);
  dial_done (session, PEER_A, FALSE, now);
  g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session), ==, now + SECOND);
}

static void
test_backoff_capped (void)
{
  SatoriBootstrapConfig config;
  satori_bootstrap_config_init (&config);
  config.min_connections = 1;
  config.interval_us = 24 * 3600 * SECOND;  /* out of the way */
  g_autoptr(SatoriBootstrapSession) session = satori_bootstrap_session_new (&config, 0);
  add (session, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A);
  satori_bootstrap_session_set_connection_count (session, 0, 0);

  gint64 now = 0;
  for (guint round = 0; round < 20; round++)
    {
      expect_dial (session, PEER_A);
      dial_done (session, PEER_A, FALSE, now);
      gint64 deadline = satori_bootstrap_session_next_deadline_us (session);
      g_assert_cmpint (deadline - now, <=, config.backoff_max_us);
      now = deadline;
      satori_bootstrap_session_handle_timeout (session, now);
    }
  expect_dial (session, PEER_A);
  dial_done (session, PEER_A, FALSE, now);
  g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session) - now, ==,
                   config.backoff_max_us);
}

static void
test_redial_after_disconnect (void)
{
  g_autoptr(SatoriBootstrapSession) session = session_new (1);
  g_autoptr(GBytes) a_id = peer_bytes (PEER_A);
  g_autoptr(GBytes) other = peer_bytes (PEER_C);
  add (session, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A);

  /* Connected by someone else first: not dialed. */
  satori_bootstrap_session_peer_connected (session, a_id, 0);
  satori_bootstrap_session_set_connection_count (session, 1, 0);
  expect_nothing (session);

  /* Another peer going away means nothing to us while the count holds. */
  satori_bootstrap_session_peer_disconnected (session, other, SECOND);
  expect_nothing (session);

  /* A goes, the count falls: A is dialed again at once. */
  satori_bootstrap_session_set_connection_count (session, 0, 2 * SECOND);
  satori_bootstrap_session_peer_disconnected (session, a_id, 2 * SECOND);
  expect_dial (session, PEER_A);
  expect_nothing (session);
}

static void
test_interval_while_low (void)
{
  g_autoptr(SatoriBootstrapSession) session = session_new (3);
  add (session, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A);
  satori_bootstrap_session_set_connection_count (session, 0, 0);
  expect_dial (session, PEER_A);
  dial_done (session, PEER_A, TRUE, 0);
  satori_bootstrap_session_set_connection_count (session, 1, 0);

  /* Still low with every bootstrap peer connected: looked at again every
   * interval (30 s by default), which finds nothing to do. */
  g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session), ==, 30 * SECOND);
  satori_bootstrap_session_handle_timeout (session, 30 * SECOND);
  expect_nothing (session);
  g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session), ==, 60 * SECOND);
}

static GPtrArray *
records (const char *first, ...)
{
  GPtrArray *out = g_ptr_array_new ();
  va_list args;
  va_start (args, first);
  for (const char *r = first; r != NULL; r = va_arg (args, const char *))
    g_ptr_array_add (out, (gpointer) r);
  va_end (args);
  return out;
}

static void
test_dnsaddr_expansion (void)
{
  g_autoptr(SatoriBootstrapSession) session = session_new (4);
  add (session, "/dnsaddr/boot.example/p2p/" PEER_A);
  add (session, "/dnsaddr/all.example");
  satori_bootstrap_session_set_connection_count (session, 0, 0);
  expect_resolve (session, "_dnsaddr.boot.example");
  expect_resolve (session, "_dnsaddr.all.example");
  expect_nothing (session);

  /* Only A's addresses count for the first name; other TXT strings and
   * malformed entries are skipped; a nested name keeps the filter. */
  g_autoptr(GPtrArray) boot = records (
    "v=spf1 -all",
    "dnsaddr=/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A,
    "dnsaddr=/ip4/10.0.0.2/tcp/4001/p2p/" PEER_B,
    "dnsaddr=not a multiaddr",
    "dnsaddr=/ip4/10.0.0.9/tcp/4001",
    "dnsaddr=/dnsaddr/nested.example/p2p/" PEER_A,
    NULL);
  satori_bootstrap_session_handle_txt (session, "_dnsaddr.boot.example", boot, 0);
  expect_resolve (session, "_dnsaddr.nested.example");
  g_autofree char *a = expect_dial_addresses (session, PEER_A);
  g_assert_cmpstr (a, ==, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A);
  expect_nothing (session);

  g_autoptr(GPtrArray) all = records ("dnsaddr=/ip4/10.0.0.2/tcp/4001/p2p/" PEER_B,
                                      "dnsaddr=/ip4/10.0.0.3/tcp/4001/p2p/" PEER_C, NULL);
  satori_bootstrap_session_handle_txt (session, "_dnsaddr.all.example", all, 0);
  expect_dial (session, PEER_B);
  expect_dial (session, PEER_C);
  expect_nothing (session);
  g_assert_cmpuint (satori_bootstrap_session_get_n_peers (session), ==, 3);

  g_autoptr(GPtrArray) nested = records ("dnsaddr=/ip6/::2/tcp/4001/p2p/" PEER_A,
                                         "dnsaddr=/ip6/::3/tcp/4001/p2p/" PEER_C, NULL);
  satori_bootstrap_session_handle_txt (session, "_dnsaddr.nested.example", nested, 0);
  expect_nothing (session);  /* A is being dialed already */
  dial_done (session, PEER_A, FALSE, 0);
  satori_bootstrap_session_handle_timeout (session, SECOND);
  g_autofree char *a2 = expect_dial_addresses (session, PEER_A);
  g_assert_cmpstr (a2, ==, "/ip4/10.0.0.1/tcp/4001/p2p/" PEER_A " /ip6/::2/tcp/4001/p2p/" PEER_A);
  expect_nothing (session);
  g_assert_cmpuint (satori_bootstrap_session_get_n_peers (session), ==, 3);
}

static void
test_dnsaddr_depth_limit (void)
{
  g_autoptr(SatoriBootstrapSession) session = session_new (1);  /* depth 2 */
  add (session, "/dnsaddr/d0.example");
  satori_bootstrap_session_set_connection_count (session, 0, 0);

  for (guint depth = 0; depth <= 2; depth++)
    {
      g_autofree char *name = g_strdup_printf ("_dnsaddr.d%u.example", depth);
      g_autofree char *next = g_strdup_printf ("dnsaddr=/dnsaddr/d%u.example", depth + 1);
      g_autoptr(GPtrArray) answer = records (next, NULL);
      expect_resolve (session, name);
      satori_bootstrap_session_handle_txt (session, name, answer, 0);
    }
  /* d3 is one level too deep. */
  expect_nothing (session);
}

static void
test_dnsaddr_failure_retried (void)
{
  g_autoptr(SatoriBootstrapSession) session = session_new (1);
  add (session, "/dnsaddr/boot.example");
  satori_bootstrap_session_set_connection_count (session, 0, 0);
  expect_resolve (session, "_dnsaddr.boot.example");
  satori_bootstrap_session_handle_txt (session, "_dnsaddr.boot.example", NULL, 0);
  expect_nothing (session);
  g_assert_cmpint (satori_bootstrap_session_next_deadline_us (session), ==, SECOND);
  satori_bootstrap_session_handle_timeout (session, SECOND);
  expect_resolve (session, "_dnsaddr.boot.example");
  /* An answer to a name not asked for is ignored. */
  g_autoptr(GPtrArray) answer = records ("dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/" PEER_A, NULL);
  satori_bootstrap_session_handle_txt (session, "_dnsaddr.other.example", answer, SECOND);
  expect_nothing (session);
  g_assert_cmpuint (satori_bootstrap_session_get_n_peers (session), ==, 0);
}

static void
test_refuses_bad_addresses (void)
{
  g_autoptr(SatoriBootstrapSession) session = session_new (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string ("/ip4/10.0.0.1/tcp/1",
                                                                         NULL);
  g_assert_false (satori_bootstrap_session_add_address (session, address, &error));
  g_assert_error (error, SATORI_BOOTSTRAP_ERROR, SATORI_BOOTSTRAP_ERROR_BAD_ADDRESS);
}

static void
test_peer_table_bounded (void)
{
  SatoriBootstrapConfig config;
  satori_bootstrap_config_init (&config);
  config.max_peers = 2;
  g_autoptr(SatoriBootstrapSession) session = satori_bootstrap_session_new (&config, 0);
  add (session, "/dnsaddr/boot.example");
  satori_bootstrap_session_set_connection_count (session, 0, 0);
  expect_resolve (session, "_dnsaddr.boot.example");
  g_autoptr(GPtrArray) answer = records ("dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/" PEER_A,
                                         "dnsaddr=/ip4/10.0.0.2/tcp/1/p2p/" PEER_B,
                                         "dnsaddr=/ip4/10.0.0.3/tcp/1/p2p/" PEER_C, NULL);
  satori_bootstrap_session_handle_txt (session, "_dnsaddr.boot.example", answer, 0);
  g_assert_cmpuint (satori_bootstrap_session_get_n_peers (session), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bootstrap/session/dials-missing-connections", test_dials_missing);
  g_test_add_func ("/bootstrap/session/backoff-doubles", test_backoff);
  g_test_add_func ("/bootstrap/session/backoff-capped", test_backoff_capped);
  g_test_add_func ("/bootstrap/session/redial-after-disconnect", test_redial_after_disconnect);
  g_test_add_func ("/bootstrap/session/interval-while-low", test_interval_while_low);
  g_test_add_func ("/bootstrap/session/dnsaddr/expansion", test_dnsaddr_expansion);
  g_test_add_func ("/bootstrap/session/dnsaddr/depth-limit", test_dnsaddr_depth_limit);
  g_test_add_func ("/bootstrap/session/dnsaddr/failure-retried", test_dnsaddr_failure_retried);
  g_test_add_func ("/bootstrap/session/refuses-address-without-p2p", test_refuses_bad_addresses);
  g_test_add_func ("/bootstrap/session/peer-table-bounded", test_peer_table_bounded);
  return g_test_run ();
}
