/* The AutoNAT client core on a fake clock: when peers are asked, what
 * their answers decide, and the server's throttle and dial targets.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-autonat-session.h"
#include "satori-autonat-targets.h"
#include "satori-autonat-throttle.h"
#include "satori-test-util.h"

#define S G_USEC_PER_SEC

typedef struct
{
  SatoriAutonatConfig config;
  SatoriAutonatSession *session;
  SatoriPeerId *peers[10];
  gint64 now;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  satori_autonat_config_init (&fixture->config);
  fixture->now = 1000 * S;
  fixture->session = satori_autonat_session_new (&fixture->config, fixture->now);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->peers); i++)
    {
      g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x40 + i);
      fixture->peers[i] = satori_peer_id_new_from_public_key (
        satori_private_key_get_public_key (key));
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_autonat_session_free (fixture->session);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->peers); i++)
    satori_peer_id_unref (fixture->peers[i]);
}

static guint
peer_index (Fixture *fixture, SatoriPeerId *peer)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixture->peers); i++)
    if (satori_peer_id_equal (fixture->peers[i], peer))
      return i;
  g_assert_not_reached ();
}

/* Runs the session at @now: the peers it probes (indices, as a bitmask)
 * and the last reachability it announced (or -1). */
static guint
run (Fixture *fixture, gint64 now, int *announced)
{
  SatoriAutonatEvent event;
  guint probed = 0;

  fixture->now = now;
  satori_autonat_session_handle_timeout (fixture->session, now);
  if (announced != NULL)
    *announced = -1;
  while (satori_autonat_session_poll_event (fixture->session, &event))
    {
      if (event.type == SATORI_AUTONAT_EVENT_PROBE)
        probed |= 1u << peer_index (fixture, event.peer);
      else if (announced != NULL)
        *announced = (int) event.reachability;
      satori_autonat_event_clear (&event);
    }
  return probed;
}

static int
answer (Fixture *fixture, guint peer, SatoriAutonatOutcome outcome)
{
  SatoriAutonatEvent event;
  int announced = -1;

  satori_autonat_session_probe_done (fixture->session, fixture->peers[peer], outcome,
                                     fixture->now);
  while (satori_autonat_session_poll_event (fixture->session, &event))
    {
      g_assert_cmpint (event.type, ==, SATORI_AUTONAT_EVENT_REACHABILITY);
      announced = (int) event.reachability;
      satori_autonat_event_clear (&event);
    }
  return announced;
}

static void
add_servers (Fixture *fixture, guint n)
{
  for (guint i = 0; i < n; i++)
    satori_autonat_session_add_server (fixture->session, fixture->peers[i], fixture->now);
}

static void
test_boot_delay (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Nobody is asked before the boot delay; then up to threshold peers at once, "
                  "in the order they came");
  add_servers (fixture, 6);
  g_assert_cmpint (satori_autonat_session_next_deadline_us (fixture->session), ==,
                   fixture->now + 15 * S);
  g_assert_cmpuint (run (fixture, fixture->now + 14 * S, NULL), ==, 0);
  g_assert_cmpuint (run (fixture, fixture->now + 1 * S, NULL), ==, 0x0f);
  /* While they are out, the next deadline is their timeout. */
  g_assert_cmpint (satori_autonat_session_next_deadline_us (fixture->session), ==,
                   fixture->now + 30 * S);
}

static void
test_public_after_threshold (Fixture *fixture, gconstpointer data)
{
  int announced;

  g_test_summary ("Four peers dialing back make the host public (the spec's \"more than 3\"); "
                  "three do not; a refused request is no evidence");
  add_servers (fixture, 6);
  g_assert_cmpuint (run (fixture, fixture->now + 15 * S, NULL), ==, 0x0f);
  g_assert_cmpint (answer (fixture, 0, SATORI_AUTONAT_OUTCOME_REACHABLE), ==, -1);
  g_assert_cmpint (answer (fixture, 1, SATORI_AUTONAT_OUTCOME_REACHABLE), ==, -1);
  g_assert_cmpint (answer (fixture, 2, SATORI_AUTONAT_OUTCOME_REACHABLE), ==, -1);
  g_assert_cmpint (answer (fixture, 3, SATORI_AUTONAT_OUTCOME_NONE), ==, -1);
  g_assert_cmpint (satori_autonat_session_get_reachability (fixture->session), ==,
                   SATORI_REACHABILITY_UNKNOWN);
  /* Undecided with peers not asked yet: the next round is now. */
  g_assert_cmpuint (run (fixture, fixture->now, &announced), ==, 0x30);
  g_assert_cmpint (answer (fixture, 4, SATORI_AUTONAT_OUTCOME_REACHABLE), ==,
                   SATORI_REACHABILITY_PUBLIC);
  g_assert_cmpint (answer (fixture, 5, SATORI_AUTONAT_OUTCOME_REACHABLE), ==, -1);
  /* Decided: the next round is a refresh. */
  g_assert_cmpint (satori_autonat_session_next_deadline_us (fixture->session), ==,
                   fixture->now + 15 * 60 * S);
}

static void
test_private_and_back (Fixture *fixture, gconstpointer data)
{
  guint reachable, unreachable;

  g_test_summary ("Four failed dials make the host private; it turns public again only when "
                  "a majority of the last seven peers dial back");
  add_servers (fixture, 8);
  g_assert_cmpuint (run (fixture, fixture->now + 15 * S, NULL), ==, 0x0f);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (answer (fixture, i, SATORI_AUTONAT_OUTCOME_UNREACHABLE), ==, -1);
  g_assert_cmpint (answer (fixture, 3, SATORI_AUTONAT_OUTCOME_UNREACHABLE), ==,
                   SATORI_REACHABILITY_PRIVATE);

  /* A refresh: peers 4..7 dial back. Three of them are not enough. */
  g_assert_cmpuint (run (fixture, fixture->now + 15 * 60 * S, NULL), ==, 0xf0);
  for (guint i = 4; i < 7; i++)
    g_assert_cmpint (answer (fixture, i, SATORI_AUTONAT_OUTCOME_REACHABLE), ==, -1);
  satori_autonat_session_get_counts (fixture->session, &reachable, &unreachable);
  g_assert_cmpuint (reachable, ==, 3);
  g_assert_cmpuint (unreachable, ==, 4);
  /* The fourth pushes the oldest failure out of the window of seven. */
  g_assert_cmpint (answer (fixture, 7, SATORI_AUTONAT_OUTCOME_REACHABLE), ==,
                   SATORI_REACHABILITY_PUBLIC);
  satori_autonat_session_get_counts (fixture->session, &reachable, &unreachable);
  g_assert_cmpuint (reachable, ==, 4);
  g_assert_cmpuint (unreachable, ==, 3);
}

static void
test_one_answer_per_peer (Fixture *fixture, gconstpointer data)
{
  guint reachable;

  g_test_summary ("A peer's new answer replaces its old one: one peer cannot decide alone");
  fixture->config.threshold = 2;
  fixture->config.peer_cooldown_us = 1 * S;
  satori_autonat_session_free (fixture->session);
  fixture->session = satori_autonat_session_new (&fixture->config, fixture->now);
  add_servers (fixture, 1);
  g_assert_cmpuint (run (fixture, fixture->now + 15 * S, NULL), ==, 0x01);
  g_assert_cmpint (answer (fixture, 0, SATORI_AUTONAT_OUTCOME_REACHABLE), ==, -1);
  /* Nobody else to ask: retry later, and the same peer again after its cooldown. */
  g_assert_cmpint (satori_autonat_session_next_deadline_us (fixture->session), ==,
                   fixture->now + 90 * S);
  g_assert_cmpuint (run (fixture, fixture->now + 90 * S, NULL), ==, 0x01);
  g_assert_cmpint (answer (fixture, 0, SATORI_AUTONAT_OUTCOME_REACHABLE), ==, -1);
  satori_autonat_session_get_counts (fixture->session, &reachable, NULL);
  g_assert_cmpuint (reachable, ==, 1);
}

static void
test_timeout_and_removal (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A probe unanswered after the request timeout counts as no answer, and a "
                  "late answer is ignored; a removed peer's probe no longer holds the round");
  add_servers (fixture, 2);
  g_assert_cmpuint (run (fixture, fixture->now + 15 * S, NULL), ==, 0x03);
  satori_autonat_session_remove_server (fixture->session, fixture->peers[1]);
  g_assert_cmpuint (run (fixture, fixture->now + 30 * S, NULL), ==, 0);
  g_assert_cmpint (answer (fixture, 0, SATORI_AUTONAT_OUTCOME_UNREACHABLE), ==, -1);
  guint unreachable = 99;
  satori_autonat_session_get_counts (fixture->session, NULL, &unreachable);
  g_assert_cmpuint (unreachable, ==, 0);
  /* Peer 0 is in its cooldown, peer 1 gone: a retry later. */
  g_assert_cmpint (satori_autonat_session_next_deadline_us (fixture->session), ==,
                   fixture->now + 90 * S);
}

static void
test_addresses_changed (Fixture *fixture, gconstpointer data)
{
  guint reachable, unreachable;

  g_test_summary ("New addresses: old answers are dropped, answers about the old addresses "
                  "ignored, every peer asked again at once; the verdict stays until overturned");
  add_servers (fixture, 5);
  g_assert_cmpuint (run (fixture, fixture->now + 15 * S, NULL), ==, 0x0f);
  for (guint i = 0; i < 4; i++)
    answer (fixture, i, SATORI_AUTONAT_OUTCOME_REACHABLE);
  g_assert_cmpint (satori_autonat_session_get_reachability (fixture->session), ==,
                   SATORI_REACHABILITY_PUBLIC);
  fixture->now += 60 * S;
  g_assert_cmpuint (run (fixture, fixture->now, NULL), ==, 0);
  satori_autonat_session_addresses_changed (fixture->session, fixture->now);
  satori_autonat_session_get_counts (fixture->session, &reachable, &unreachable);
  g_assert_cmpuint (reachable + unreachable, ==, 0);
  g_assert_cmpint (satori_autonat_session_get_reachability (fixture->session), ==,
                   SATORI_REACHABILITY_PUBLIC);
  g_assert_cmpuint (run (fixture, fixture->now, NULL), ==, 0x0f);
  /* A change while they are out: their answers are about the old addresses. */
  satori_autonat_session_addresses_changed (fixture->session, fixture->now);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (answer (fixture, i, SATORI_AUTONAT_OUTCOME_UNREACHABLE), ==, -1);
  satori_autonat_session_get_counts (fixture->session, &reachable, &unreachable);
  g_assert_cmpuint (unreachable, ==, 0);
  g_assert_cmpuint (run (fixture, fixture->now, NULL), ==, 0x0f);
  for (guint i = 0; i < 4; i++)
    answer (fixture, i, SATORI_AUTONAT_OUTCOME_UNREACHABLE);
  g_assert_cmpint (satori_autonat_session_get_reachability (fixture->session), ==,
                   SATORI_REACHABILITY_PRIVATE);
}

static void
test_new_server_hurries (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("While undecided and idle, a new peer is asked at once instead of at the "
                  "next retry");
  g_assert_cmpuint (run (fixture, fixture->now + 15 * S, NULL), ==, 0);
  g_assert_cmpint (satori_autonat_session_next_deadline_us (fixture->session), ==,
                   fixture->now + 90 * S);
  fixture->now += 5 * S;
  add_servers (fixture, 1);
  g_assert_cmpint (satori_autonat_session_next_deadline_us (fixture->session), ==,
                   fixture->now);
  g_assert_cmpuint (run (fixture, fixture->now, NULL), ==, 0x01);
}

static void
test_throttle (void)
{
  g_autoptr(SatoriAutonatThrottle) throttle = satori_autonat_throttle_new (3, 5, 60 * S);
  g_autoptr(SatoriPrivateKey) key_a = satori_test_secp256k1_key_filled (0x51);
  g_autoptr(SatoriPrivateKey) key_b = satori_test_secp256k1_key_filled (0x52);
  SatoriPeerId *a = satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key_a));
  SatoriPeerId *b = satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key_b));

  g_test_summary ("Server limits: three requests per peer and five in all per minute, then "
                  "refused until the minute is over");
  for (guint i = 0; i < 3; i++)
    g_assert_true (satori_autonat_throttle_admit (throttle, a, 10 * S + i));
  g_assert_false (satori_autonat_throttle_admit (throttle, a, 20 * S));
  g_assert_true (satori_autonat_throttle_admit (throttle, b, 20 * S));
  g_assert_true (satori_autonat_throttle_admit (throttle, b, 21 * S));
  g_assert_false (satori_autonat_throttle_admit (throttle, b, 22 * S));
  g_assert_true (satori_autonat_throttle_admit (throttle, a, 70 * S));
  satori_peer_id_unref (a);
  satori_peer_id_unref (b);
}

static GPtrArray *
addresses (const char * const *texts)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_ptr_array_add (array, satori_multiaddr_new_from_string (texts[i], &error));
      g_assert_no_error (error);
    }
  return array;
}

static char *
targets_text (const char * const *requested, const char *observed, gboolean allow_private,
              const char **refusal)
{
  g_autoptr(GPtrArray) request = addresses (requested);
  g_autoptr(SatoriMultiaddr) from = satori_multiaddr_new_from_string (observed, NULL);
  g_autoptr(GPtrArray) targets = satori_autonat_dial_targets (request, from, allow_private,
                                                              refusal);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < targets->len; i++)
    {
      g_autofree char *one = satori_multiaddr_to_string (g_ptr_array_index (targets, i));
      g_string_append_printf (text, "%s%s", i ? " " : "", one);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_targets (void)
{
  const char *refusal = NULL;
  char *text;

  g_test_summary ("Dial-back targets: only the observed IP (other IPs' ports tried on it, "
                  "the observed address last), no /p2p/, no relays, no duplicates, no "
                  "private requester unless allowed");
  text = targets_text ((const char *[]) {
      "/ip4/8.8.4.4/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
      "/ip4/10.0.0.5/tcp/4002", "/ip6/2001:4860::1/tcp/4003", "/dns4/example.org/tcp/1",
      "/ip4/8.8.4.4/tcp/4001",
      "/ip4/8.8.4.4/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit",
      NULL }, "/ip4/8.8.4.4/tcp/51000", FALSE, &refusal);
  g_assert_null (refusal);
  g_assert_cmpstr (text, ==, "/ip4/8.8.4.4/tcp/4001 /ip4/8.8.4.4/tcp/4002 /ip4/8.8.4.4/tcp/51000");
  g_free (text);

  text = targets_text ((const char *[]) { "/ip4/127.0.0.1/tcp/4001", NULL },
                       "/ip4/127.0.0.1/tcp/4001", FALSE, &refusal);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (refusal, ==, "requester's IP address is not public");
  g_free (text);

  text = targets_text ((const char *[]) { "/ip4/127.0.0.1/tcp/4001", NULL },
                       "/ip4/127.0.0.1/tcp/4001", TRUE, &refusal);
  g_assert_null (refusal);
  g_assert_cmpstr (text, ==, "/ip4/127.0.0.1/tcp/4001");
  g_free (text);

  text = targets_text ((const char *[]) { "/ip4/8.8.4.4/tcp/4001", NULL },
                       "/ip4/8.8.4.4/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA/p2p-circuit",
                       TRUE, &refusal);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (refusal, ==, "request not made over a direct IP connection");
  g_free (text);

  text = targets_text ((const char *[]) { "/ip4/8.8.4.4/tcp/1", NULL }, "/memory/7", TRUE,
                       &refusal);
  g_assert_cmpstr (refusal, ==, "request not made over a direct IP connection");
  g_free (text);

  /* At most four dials, however many addresses were sent. */
  text = targets_text ((const char *[]) { "/ip4/9.9.9.9/tcp/1", "/ip4/9.9.9.9/tcp/2",
                                          "/ip4/9.9.9.9/tcp/3", "/ip4/9.9.9.9/tcp/4",
                                          "/ip4/9.9.9.9/tcp/5", NULL },
                       "/ip4/9.9.9.9/tcp/6", FALSE, &refusal);
  g_assert_cmpstr (text, ==, "/ip4/9.9.9.9/tcp/1 /ip4/9.9.9.9/tcp/2 /ip4/9.9.9.9/tcp/3 "
                             "/ip4/9.9.9.9/tcp/4");
  g_free (text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/autonat/session/boot-delay", Fixture, NULL, fixture_set_up, test_boot_delay,
              fixture_tear_down);
  g_test_add ("/autonat/session/public-after-threshold", Fixture, NULL, fixture_set_up,
              test_public_after_threshold, fixture_tear_down);
  g_test_add ("/autonat/session/private-and-back", Fixture, NULL, fixture_set_up,
              test_private_and_back, fixture_tear_down);
  g_test_add ("/autonat/session/one-answer-per-peer", Fixture, NULL, fixture_set_up,
              test_one_answer_per_peer, fixture_tear_down);
  g_test_add ("/autonat/session/timeout-and-removal", Fixture, NULL, fixture_set_up,
              test_timeout_and_removal, fixture_tear_down);
  g_test_add ("/autonat/session/addresses-changed", Fixture, NULL, fixture_set_up,
              test_addresses_changed, fixture_tear_down);
  g_test_add ("/autonat/session/new-server-hurries", Fixture, NULL, fixture_set_up,
              test_new_server_hurries, fixture_tear_down);
  g_test_add_func ("/autonat/throttle/limits", test_throttle);
  g_test_add_func ("/autonat/targets/observed-ip-only", test_targets);
  return g_test_run ();
}
