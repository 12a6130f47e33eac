/* satori-autonat-session.c — the sans-I/O AutoNAT v1 client: which peers
 * to ask when, and what their answers say about our reachability
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-autonat-session.h"

#define NEVER G_MININT64

typedef struct
{
  SatoriPeerId *peer;
  gint64 asked_us;      /* NEVER until asked (again after our addresses change) */
  gint64 deadline_us;   /* while in flight */
  guint epoch;          /* of our addresses when asked */
  guint order;          /* arrival, to ask in a stable order */
  gboolean in_flight;
} Server;

typedef struct
{
  SatoriPeerId *peer;
  gboolean reachable;
} Answer;

struct _SatoriAutonatSession
{
  SatoriAutonatConfig config;
  GHashTable *servers;     /* SatoriPeerId → Server */
  GQueue answers;          /* Answer, newest first, one per peer */
  GQueue events;           /* SatoriAutonatEvent */
  SatoriReachability reachability;
  gint64 boot_end_us;
  gint64 next_round_us;    /* when no probe is in flight */
  guint in_flight;
  guint epoch;             /* bumped when our addresses change */
  guint next_order;
};

/**
 * satori_autonat_config_init:
 * @config: the configuration to fill
 *
 * Sets the defaults #SatoriAutonatConfig lists.
 */
void
satori_autonat_config_init (SatoriAutonatConfig *config)
{
  g_return_if_fail (config != NULL);
  config->threshold = 4;
  config->probes_per_round = 4;
  config->boot_delay_us = 15 * G_USEC_PER_SEC;
  config->retry_interval_us = 90 * G_USEC_PER_SEC;
  config->refresh_interval_us = 15 * 60 * G_USEC_PER_SEC;
  config->peer_cooldown_us = config->refresh_interval_us;
  config->request_timeout_us = 30 * G_USEC_PER_SEC;
}

static void
server_free (Server *server)
{
  satori_peer_id_unref (server->peer);
  g_free (server);
}

static void
answer_free (Answer *answer)
{
  satori_peer_id_unref (answer->peer);
  g_free (answer);
}

static void
event_free (SatoriAutonatEvent *event)
{
  satori_autonat_event_clear (event);
  g_free (event);
}

/**
 * satori_autonat_session_new:
 * @config: the parameters (copied)
 * @now_us: the time now, for the boot delay
 *
 * Returns: (transfer full): a client that knows no server yet
 */
SatoriAutonatSession *
satori_autonat_session_new (const SatoriAutonatConfig *config, gint64 now_us)
{
  g_return_val_if_fail (config != NULL && config->threshold > 0, NULL);
  g_return_val_if_fail (config->probes_per_round > 0, NULL);

  SatoriAutonatSession *session = g_new0 (SatoriAutonatSession, 1);
  session->config = *config;
  session->servers = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal, NULL,
                                            (GDestroyNotify) server_free);
  g_queue_init (&session->answers);
  g_queue_init (&session->events);
  session->boot_end_us = now_us + config->boot_delay_us;
  session->next_round_us = session->boot_end_us;
  return session;
}

/**
 * satori_autonat_session_free:
 * @session: (transfer full): a session
 */
void
satori_autonat_session_free (SatoriAutonatSession *session)
{
  if (session == NULL)
    return;
  g_hash_table_unref (session->servers);
  g_queue_clear_full (&session->answers, (GDestroyNotify) answer_free);
  g_queue_clear_full (&session->events, (GDestroyNotify) event_free);
  g_free (session);
}

static void
push_event (SatoriAutonatSession *session, SatoriAutonatEventType type, SatoriPeerId *peer)
{
  SatoriAutonatEvent *event = g_new0 (SatoriAutonatEvent, 1);

  event->type = type;
  event->peer = peer != NULL ? satori_peer_id_ref (peer) : NULL;
  event->reachability = session->reachability;
  g_queue_push_tail (&session->events, event);
}

/* While undecided, a new server is asked soon (not before the boot delay). */
static void
hurry_if_undecided (SatoriAutonatSession *session, gint64 now_us)
{
  if (session->reachability == SATORI_REACHABILITY_UNKNOWN && session->in_flight == 0)
    session->next_round_us = MIN (session->next_round_us, MAX (now_us, session->boot_end_us));
}

/**
 * satori_autonat_session_add_server:
 * @session: a session
 * @peer: a connected peer that serves `/libp2p/autonat/1.0.0`
 * @now_us: the time now
 *
 * Makes @peer one of the peers asked. Nothing happens if it already is.
 */
void
satori_autonat_session_add_server (SatoriAutonatSession *session, SatoriPeerId *peer,
                                   gint64 now_us)
{
  g_return_if_fail (session != NULL && peer != NULL);

  if (g_hash_table_contains (session->servers, peer))
    return;
  Server *server = g_new0 (Server, 1);
  server->peer = satori_peer_id_ref (peer);
  server->asked_us = NEVER;
  server->order = session->next_order++;
  g_hash_table_insert (session->servers, server->peer, server);
  hurry_if_undecided (session, now_us);
}

/**
 * satori_autonat_session_remove_server:
 * @session: a session
 * @peer: a peer that disconnected or stopped serving AutoNAT
 *
 * Stops asking @peer; a probe of it in flight no longer counts. Its last
 * answer still does.
 */
void
satori_autonat_session_remove_server (SatoriAutonatSession *session, SatoriPeerId *peer)
{
  g_return_if_fail (session != NULL && peer != NULL);

  Server *server = g_hash_table_lookup (session->servers, peer);
  if (server == NULL)
    return;
  if (server->in_flight)
    session->in_flight--;
  g_hash_table_remove (session->servers, peer);
}

/**
 * satori_autonat_session_addresses_changed:
 * @session: a session
 * @now_us: the time now
 *
 * Our addresses changed: answers about the old ones no longer count,
 * every server may be asked again, and a round starts soon. The verdict
 * stays until the new answers overturn it.
 */
void
satori_autonat_session_addresses_changed (SatoriAutonatSession *session, gint64 now_us)
{
  GHashTableIter iter;
  Server *server;

  g_return_if_fail (session != NULL);
  session->epoch++;
  g_queue_clear_full (&session->answers, (GDestroyNotify) answer_free);
  g_hash_table_iter_init (&iter, session->servers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &server))
    server->asked_us = NEVER;
  if (session->in_flight == 0)
    session->next_round_us = MAX (now_us, session->boot_end_us);
}

static guint
window_size (SatoriAutonatSession *session)
{
  return 2 * session->config.threshold - 1;
}

static void
decide (SatoriAutonatSession *session)
{
  guint reachable = 0, unreachable = 0;
  SatoriReachability verdict = session->reachability;

  satori_autonat_session_get_counts (session, &reachable, &unreachable);
  if (reachable >= session->config.threshold)
    verdict = SATORI_REACHABILITY_PUBLIC;
  else if (unreachable >= session->config.threshold)
    verdict = SATORI_REACHABILITY_PRIVATE;
  if (verdict == session->reachability)
    return;
  session->reachability = verdict;
  push_event (session, SATORI_AUTONAT_EVENT_REACHABILITY, NULL);
}

static void
record_answer (SatoriAutonatSession *session, SatoriPeerId *peer, gboolean reachable)
{
  for (GList *l = session->answers.head; l != NULL; l = l->next)
    {
      Answer *old = l->data;
      if (satori_peer_id_equal (old->peer, peer))
        {
          answer_free (old);
          g_queue_delete_link (&session->answers, l);
          break;
        }
    }
  Answer *answer = g_new0 (Answer, 1);
  answer->peer = satori_peer_id_ref (peer);
  answer->reachable = reachable;
  g_queue_push_head (&session->answers, answer);
  while (session->answers.length > window_size (session))
    answer_free (g_queue_pop_tail (&session->answers));
  decide (session);
}

static gboolean
can_ask (SatoriAutonatSession *session, Server *server, gint64 now_us)
{
  return !server->in_flight &&
         (server->asked_us == NEVER ||
          now_us - server->asked_us >= session->config.peer_cooldown_us);
}

/* Settled: a verdict that enough answers about our current addresses
 * back. Until then rounds follow each other while there are peers to ask. */
static void
schedule_next_round (SatoriAutonatSession *session, gint64 now_us)
{
  GHashTableIter iter;
  Server *server;
  gboolean more = FALSE;

  if (session->reachability != SATORI_REACHABILITY_UNKNOWN &&
      session->answers.length >= session->config.threshold)
    {
      session->next_round_us = now_us + session->config.refresh_interval_us;
      return;
    }
  g_hash_table_iter_init (&iter, session->servers);
  while (!more && g_hash_table_iter_next (&iter, NULL, (gpointer *) &server))
    more = can_ask (session, server, now_us);
  session->next_round_us = now_us + (more ? 0 : session->config.retry_interval_us);
}

/**
 * satori_autonat_session_probe_done:
 * @session: a session
 * @peer: the peer a %SATORI_AUTONAT_EVENT_PROBE named
 * @outcome: what its answer said
 * @now_us: the time now
 *
 * Reports a probe's end. Answers to probes that timed out, were
 * withdrawn, or asked about addresses we no longer have are ignored.
 */
void
satori_autonat_session_probe_done (SatoriAutonatSession *session, SatoriPeerId *peer,
                                   SatoriAutonatOutcome outcome, gint64 now_us)
{
  g_return_if_fail (session != NULL && peer != NULL);

  Server *server = g_hash_table_lookup (session->servers, peer);
  if (server == NULL || !server->in_flight)
    return;
  server->in_flight = FALSE;
  session->in_flight--;
  if (server->epoch == session->epoch && outcome != SATORI_AUTONAT_OUTCOME_NONE)
    record_answer (session, peer, outcome == SATORI_AUTONAT_OUTCOME_REACHABLE);
  if (session->in_flight == 0)
    schedule_next_round (session, now_us);
}

static gint
compare_servers (gconstpointer a, gconstpointer b)
{
  const Server *x = *(Server * const *) a;
  const Server *y = *(Server * const *) b;

  if (x->asked_us != y->asked_us)
    return x->asked_us < y->asked_us ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Asks the servers asked longest ago (never first), probes_per_round at most. */
static void
start_round (SatoriAutonatSession *session, gint64 now_us)
{
  g_autoptr(GPtrArray) eligible = g_ptr_array_new ();
  GHashTableIter iter;
  Server *server;

  g_hash_table_iter_init (&iter, session->servers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &server))
    if (can_ask (session, server, now_us))
      g_ptr_array_add (eligible, server);
  if (eligible->len == 0)
    {
      session->next_round_us = now_us + session->config.retry_interval_us;
      return;
    }
  g_ptr_array_sort (eligible, compare_servers);
  for (guint i = 0; i < eligible->len && i < session->config.probes_per_round; i++)
    {
      server = g_ptr_array_index (eligible, i);
      server->in_flight = TRUE;
      server->asked_us = now_us;
      server->deadline_us = now_us + session->config.request_timeout_us;
      server->epoch = session->epoch;
      session->in_flight++;
      push_event (session, SATORI_AUTONAT_EVENT_PROBE, server->peer);
    }
}

/**
 * satori_autonat_session_handle_timeout:
 * @session: a session
 * @now_us: the time now
 *
 * Ends probes that took too long (no answer) and starts a round when one
 * is due.
 */
void
satori_autonat_session_handle_timeout (SatoriAutonatSession *session, gint64 now_us)
{
  g_autoptr(GPtrArray) overdue = g_ptr_array_new ();
  GHashTableIter iter;
  Server *server;

  g_return_if_fail (session != NULL);
  g_hash_table_iter_init (&iter, session->servers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &server))
    if (server->in_flight && server->deadline_us <= now_us)
      g_ptr_array_add (overdue, server->peer);
  for (guint i = 0; i < overdue->len; i++)
    satori_autonat_session_probe_done (session, g_ptr_array_index (overdue, i),
                                       SATORI_AUTONAT_OUTCOME_NONE, now_us);
  if (session->in_flight == 0 && session->next_round_us <= now_us)
    start_round (session, now_us);
}

/**
 * satori_autonat_session_next_deadline_us:
 * @session: a session
 *
 * Returns: when satori_autonat_session_handle_timeout() should run next
 */
gint64
satori_autonat_session_next_deadline_us (SatoriAutonatSession *session)
{
  GHashTableIter iter;
  Server *server;

  g_return_val_if_fail (session != NULL, G_MAXINT64);
  if (session->in_flight == 0)
    return session->next_round_us;
  gint64 deadline = G_MAXINT64;
  g_hash_table_iter_init (&iter, session->servers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &server))
    if (server->in_flight)
      deadline = MIN (deadline, server->deadline_us);
  return deadline;
}

/**
 * satori_autonat_session_poll_event:
 * @session: a session
 * @event: (out caller-allocates): the next event; release it with
 *   satori_autonat_event_clear()
 *
 * Returns: whether there was one
 */
gboolean
satori_autonat_session_poll_event (SatoriAutonatSession *session, SatoriAutonatEvent *event)
{
  g_return_val_if_fail (session != NULL && event != NULL, FALSE);

  SatoriAutonatEvent *next = g_queue_pop_head (&session->events);
  if (next == NULL)
    return FALSE;
  *event = *next;
  g_free (next);
  return TRUE;
}

/**
 * satori_autonat_event_clear:
 * @event: an event from satori_autonat_session_poll_event()
 */
void
satori_autonat_event_clear (SatoriAutonatEvent *event)
{
  g_clear_pointer (&event->peer, satori_peer_id_unref);
}

/**
 * satori_autonat_session_get_reachability:
 * @session: a session
 *
 * Returns: the verdict so far
 */
SatoriReachability
satori_autonat_session_get_reachability (SatoriAutonatSession *session)
{
  g_return_val_if_fail (session != NULL, SATORI_REACHABILITY_UNKNOWN);
  return session->reachability;
}

/**
 * satori_autonat_session_get_counts:
 * @session: a session
 * @reachable: (out) (optional): recent answers that dialed us back
 * @unreachable: (out) (optional): recent answers whose dials failed
 *
 * The answers the verdict rests on (one per peer, the most recent
 * `2 × threshold − 1`).
 */
void
satori_autonat_session_get_counts (SatoriAutonatSession *session, guint *reachable,
                                   guint *unreachable)
{
  guint yes = 0, no = 0;

  g_return_if_fail (session != NULL);
  for (GList *l = session->answers.head; l != NULL; l = l->next)
    {
      Answer *answer = l->data;
      if (answer->reachable)
        yes++;
      else
        no++;
    }
  if (reachable != NULL)
    *reachable = yes;
  if (unreachable != NULL)
    *unreachable = no;
}
