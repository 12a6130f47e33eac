/* satori-bootstrap-session.c — the bootstrap policy, without I/O
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-bootstrap-session.h"

#include <string.h>

#include "satori-bootstrap-dnsaddr.h"
#include "satori-bootstrap-error.h"

G_DEFINE_QUARK (satori-bootstrap-error-quark, satori_bootstrap_error)

typedef struct {
  GBytes    *id;
  GPtrArray *addresses;  /* of SatoriMultiaddr */
  gboolean   connected;
  gboolean   dialing;
  guint      failures;   /* dials failed in a row */
  gint64     next_dial_us;
} Peer;

typedef enum {
  NAME_UNRESOLVED,
  NAME_RESOLVING,
  NAME_RESOLVED,
} NameState;

typedef struct {
  char     *query;   /* _dnsaddr.<name> */
  GBytes   *filter;  /* (nullable): only addresses of this peer count */
  guint     depth;   /* 0: configured */
  NameState state;
  guint     failures;
  gint64    next_us;
} Name;

struct _SatoriBootstrapSession {
  SatoriBootstrapConfig config;
  GPtrArray *peers;  /* of Peer, in the order they were learnt */
  GPtrArray *names;  /* of Name */
  GQueue     actions;
  guint      connections;  /* G_MAXUINT until the driver tells */
  gint64     next_check_us;
};

/**
 * satori_bootstrap_config_init:
 * @config: (out caller-allocates): the parameters to set to their defaults
 */
void
satori_bootstrap_config_init (SatoriBootstrapConfig *config)
{
  *config = (SatoriBootstrapConfig) {
    .min_connections = 4,
    .interval_us = 30 * G_USEC_PER_SEC,
    .backoff_initial_us = G_USEC_PER_SEC,
    .backoff_max_us = 10 * 60 * G_USEC_PER_SEC,
    .max_dnsaddr_depth = 4,
    .max_peers = 64,
  };
}

/**
 * satori_bootstrap_action_clear:
 * @action: an action from satori_bootstrap_session_poll_action()
 */
void
satori_bootstrap_action_clear (SatoriBootstrapAction *action)
{
  g_clear_pointer (&action->peer_id, g_bytes_unref);
  g_clear_pointer (&action->addresses, g_ptr_array_unref);
  g_clear_pointer (&action->name, g_free);
}

static void
peer_free (Peer *peer)
{
  g_bytes_unref (peer->id);
  g_ptr_array_unref (peer->addresses);
  g_free (peer);
}

static void
name_free (Name *name)
{
  g_free (name->query);
  g_clear_pointer (&name->filter, g_bytes_unref);
  g_free (name);
}

static void
action_free (SatoriBootstrapAction *action)
{
  satori_bootstrap_action_clear (action);
  g_free (action);
}

/**
 * satori_bootstrap_session_new:
 * @config: the parameters
 * @now_us: the current time (monotonic)
 *
 * Returns: (transfer full): a policy with no peers yet
 */
SatoriBootstrapSession *
satori_bootstrap_session_new (const SatoriBootstrapConfig *config, gint64 now_us)
{
  g_return_val_if_fail (config != NULL && config->interval_us > 0, NULL);
  SatoriBootstrapSession *session = g_new0 (SatoriBootstrapSession, 1);
  session->config = *config;
  session->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  session->names = g_ptr_array_new_with_free_func ((GDestroyNotify) name_free);
  g_queue_init (&session->actions);
  session->connections = G_MAXUINT;
  session->next_check_us = now_us;
  return session;
}

/**
 * satori_bootstrap_session_free:
 * @session: (transfer full) (nullable): a session
 */
void
satori_bootstrap_session_free (SatoriBootstrapSession *session)
{
  if (session == NULL)
    return;
  g_ptr_array_unref (session->peers);
  g_ptr_array_unref (session->names);
  g_queue_clear_full (&session->actions, (GDestroyNotify) action_free);
  g_free (session);
}

static Peer *
find_peer (SatoriBootstrapSession *session, GBytes *id)
{
  for (guint i = 0; i < session->peers->len; i++)
    {
      Peer *peer = session->peers->pdata[i];
      if (g_bytes_equal (peer->id, id))
        return peer;
    }
  return NULL;
}

static gboolean
has_address (Peer *peer, const SatoriMultiaddr *address)
{
  for (guint i = 0; i < peer->addresses->len; i++)
    if (satori_multiaddr_equal (peer->addresses->pdata[i], address))
      return TRUE;
  return FALSE;
}

/* Learns a dialable address (one with /p2p/); FALSE when the peer table
 * is full. */
static gboolean
learn_address (SatoriBootstrapSession *session, GBytes *id, const SatoriMultiaddr *address,
               gint64 now_us)
{
  Peer *peer = find_peer (session, id);
  if (peer == NULL)
    {
      if (session->peers->len >= session->config.max_peers)
        return FALSE;
      peer = g_new0 (Peer, 1);
      peer->id = g_bytes_ref (id);
      peer->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
      peer->next_dial_us = now_us;
      g_ptr_array_add (session->peers, peer);
    }
  if (!has_address (peer, address))
    g_ptr_array_add (peer->addresses, satori_multiaddr_ref ((SatoriMultiaddr *) address));
  return TRUE;
}

static gboolean
learn_name (SatoriBootstrapSession *session, const char *name, GBytes *filter, guint depth,
            gint64 now_us)
{
  g_autofree char *query = satori_bootstrap_dnsaddr_query (name);
  for (guint i = 0; i < session->names->len; i++)
    {
      Name *known = session->names->pdata[i];
      if (g_str_equal (known->query, query))
        return TRUE;
    }
  if (session->names->len >= session->config.max_peers)
    return FALSE;
  Name *entry = g_new0 (Name, 1);
  entry->query = g_steal_pointer (&query);
  entry->filter = filter != NULL ? g_bytes_ref (filter) : NULL;
  entry->depth = depth;
  entry->next_us = now_us;
  g_ptr_array_add (session->names, entry);
  return TRUE;
}

static gint64
backoff_us (SatoriBootstrapSession *session, guint failures)
{
  gint64 wait = session->config.backoff_initial_us;
  for (guint i = 1; i < failures && wait < session->config.backoff_max_us; i++)
    wait *= 2;
  return MIN (wait, session->config.backoff_max_us);
}

static gboolean
is_low (SatoriBootstrapSession *session)
{
  return session->connections < session->config.min_connections;
}

/* While connections are few: resolve the names not resolved yet and dial
 * the peers not connected, as many as are missing, each after its backoff. */
static void
step (SatoriBootstrapSession *session, gint64 now_us)
{
  if (!is_low (session))
    return;
  if (session->next_check_us <= now_us)
    session->next_check_us = now_us + session->config.interval_us;

  for (guint i = 0; i < session->names->len; i++)
    {
      Name *name = session->names->pdata[i];
      if (name->state != NAME_UNRESOLVED || name->next_us > now_us)
        continue;
      name->state = NAME_RESOLVING;
      SatoriBootstrapAction *action = g_new0 (SatoriBootstrapAction, 1);
      action->type = SATORI_BOOTSTRAP_RESOLVE;
      action->name = g_strdup (name->query);
      g_queue_push_tail (&session->actions, action);
    }

  guint missing = session->config.min_connections - session->connections;
  guint dialing = 0;
  for (guint i = 0; i < session->peers->len; i++)
    dialing += ((Peer *) session->peers->pdata[i])->dialing;
  for (guint i = 0; i < session->peers->len && dialing < missing; i++)
    {
      Peer *peer = session->peers->pdata[i];
      if (peer->connected || peer->dialing || peer->next_dial_us > now_us)
        continue;
      peer->dialing = TRUE;
      dialing++;
      SatoriBootstrapAction *action = g_new0 (SatoriBootstrapAction, 1);
      action->type = SATORI_BOOTSTRAP_DIAL;
      action->peer_id = g_bytes_ref (peer->id);
      action->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
      for (guint j = 0; j < peer->addresses->len; j++)
        g_ptr_array_add (action->addresses, satori_multiaddr_ref (peer->addresses->pdata[j]));
      g_queue_push_tail (&session->actions, action);
    }
}

/**
 * satori_bootstrap_session_add_address:
 * @session: a session
 * @address: a configured bootstrap address: with `/p2p/<id>`, or with
 *   `/dnsaddr/<name>` (and then optionally `/p2p/<id>`, which keeps only
 *   that peer's resolved addresses)
 * @error: why it is refused
 *
 * Returns: whether the address was taken
 */
gboolean
satori_bootstrap_session_add_address (SatoriBootstrapSession *session,
                                      const SatoriMultiaddr *address, GError **error)
{
  g_autofree char *name = satori_bootstrap_dnsaddr_name (address);
  g_autoptr(GBytes) id = satori_multiaddr_get_peer_id_bytes (address);
  gboolean taken;

  if (name != NULL)
    taken = learn_name (session, name, id, 0, session->next_check_us);
  else if (id != NULL)
    taken = learn_address (session, id, address, session->next_check_us);
  else
    {
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_set_error (error, SATORI_BOOTSTRAP_ERROR, SATORI_BOOTSTRAP_ERROR_BAD_ADDRESS,
                   "bootstrap address %s has neither /p2p/ nor /dnsaddr/", text);
      return FALSE;
    }
  if (!taken)
    g_set_error (error, SATORI_BOOTSTRAP_ERROR, SATORI_BOOTSTRAP_ERROR_BAD_ADDRESS,
                 "more than %u bootstrap peers", session->config.max_peers);
  return taken;
}

/**
 * satori_bootstrap_session_get_n_peers:
 * @session: a session
 *
 * Returns: the bootstrap peers known, configured or resolved
 */
guint
satori_bootstrap_session_get_n_peers (SatoriBootstrapSession *session)
{
  return session->peers->len;
}

/**
 * satori_bootstrap_session_set_connection_count:
 * @session: a session
 * @count: the host's connections now
 * @now_us: the current time
 */
void
satori_bootstrap_session_set_connection_count (SatoriBootstrapSession *session, guint count,
                                               gint64 now_us)
{
  gboolean was_low = is_low (session);
  session->connections = count;
  if (!was_low && is_low (session))
    session->next_check_us = now_us;
  step (session, now_us);
}

/**
 * satori_bootstrap_session_peer_connected:
 * @session: a session
 * @peer_id: a peer the host is now connected to (any, bootstrap or not)
 * @now_us: the current time
 */
void
satori_bootstrap_session_peer_connected (SatoriBootstrapSession *session, GBytes *peer_id,
                                         gint64 now_us)
{
  Peer *peer = find_peer (session, peer_id);
  if (peer == NULL)
    return;
  peer->connected = TRUE;
  peer->failures = 0;
}

/**
 * satori_bootstrap_session_peer_disconnected:
 * @session: a session
 * @peer_id: a peer the host has no connection to any more
 * @now_us: the current time
 *
 * A bootstrap peer that was connected may be dialed again at once.
 */
void
satori_bootstrap_session_peer_disconnected (SatoriBootstrapSession *session, GBytes *peer_id,
                                            gint64 now_us)
{
  Peer *peer = find_peer (session, peer_id);
  if (peer == NULL || !peer->connected)
    return;
  peer->connected = FALSE;
  peer->next_dial_us = now_us;
  step (session, now_us);
}

/**
 * satori_bootstrap_session_dial_done:
 * @session: a session
 * @peer_id: the peer of a %SATORI_BOOTSTRAP_DIAL
 * @connected: whether one of its addresses worked
 * @now_us: the current time
 *
 * A failed dial puts the peer off for the backoff, doubled each time.
 */
void
satori_bootstrap_session_dial_done (SatoriBootstrapSession *session, GBytes *peer_id,
                                    gboolean connected, gint64 now_us)
{
  Peer *peer = find_peer (session, peer_id);
  if (peer == NULL || !peer->dialing)
    return;
  peer->dialing = FALSE;
  if (connected)
    satori_bootstrap_session_peer_connected (session, peer_id, now_us);
  else
    {
      peer->failures++;
      peer->next_dial_us = now_us + backoff_us (session, peer->failures);
    }
  step (session, now_us);
}

static void
take_record (SatoriBootstrapSession *session, Name *name, const char *record, gint64 now_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) address =
    satori_bootstrap_dnsaddr_parse_txt (record, strlen (record), &error);
  if (address == NULL)
    {
      if (error != NULL)
        g_debug ("%s: %s", name->query, error->message);
      return;
    }

  g_autofree char *inner = satori_bootstrap_dnsaddr_name (address);
  g_autoptr(GBytes) id = satori_multiaddr_get_peer_id_bytes (address);
  if (id != NULL && name->filter != NULL && !g_bytes_equal (id, name->filter))
    return;
  if (inner != NULL)
    {
      if (name->depth + 1 > session->config.max_dnsaddr_depth)
        g_debug ("%s: /dnsaddr/%s is nested too deep", name->query, inner);
      else
        learn_name (session, inner, id != NULL ? id : name->filter, name->depth + 1, now_us);
    }
  else if (id == NULL)
    g_debug ("%s: an address without /p2p/", name->query);
  else if (!learn_address (session, id, address, now_us))
    g_debug ("%s: bootstrap peer table full", name->query);
}

/**
 * satori_bootstrap_session_handle_txt:
 * @session: a session
 * @name: the name of a %SATORI_BOOTSTRAP_RESOLVE
 * @records: (element-type utf8) (nullable): its TXT records, the strings
 *   of each joined; %NULL when the lookup failed (retried after a backoff)
 * @now_us: the current time
 *
 * `dnsaddr=` records add peers or further names to resolve; others are
 * ignored.
 */
void
satori_bootstrap_session_handle_txt (SatoriBootstrapSession *session, const char *name,
                                     GPtrArray *records, gint64 now_us)
{
  for (guint i = 0; i < session->names->len; i++)
    {
      Name *entry = session->names->pdata[i];
      if (entry->state != NAME_RESOLVING || !g_str_equal (entry->query, name))
        continue;
      if (records == NULL)
        {
          entry->state = NAME_UNRESOLVED;
          entry->failures++;
          entry->next_us = now_us + backoff_us (session, entry->failures);
        }
      else
        {
          entry->state = NAME_RESOLVED;
          for (guint r = 0; r < records->len; r++)
            take_record (session, entry, records->pdata[r], now_us);
        }
      break;
    }
  step (session, now_us);
}

/**
 * satori_bootstrap_session_poll_action:
 * @session: a session
 * @action: (out caller-allocates): the next action; clear it with
 *   satori_bootstrap_action_clear()
 *
 * Returns: whether there was one
 */
gboolean
satori_bootstrap_session_poll_action (SatoriBootstrapSession *session,
                                      SatoriBootstrapAction *action)
{
  g_autofree SatoriBootstrapAction *next = g_queue_pop_head (&session->actions);
  if (next == NULL)
    return FALSE;
  *action = *next;
  return TRUE;
}

/**
 * satori_bootstrap_session_next_deadline_us:
 * @session: a session
 *
 * Returns: when satori_bootstrap_session_handle_timeout() is due, or
 *   %G_MAXINT64 while the host has enough connections
 */
gint64
satori_bootstrap_session_next_deadline_us (SatoriBootstrapSession *session)
{
  if (!is_low (session))
    return G_MAXINT64;
  gint64 deadline = session->next_check_us;
  for (guint i = 0; i < session->peers->len; i++)
    {
      Peer *peer = session->peers->pdata[i];
      if (!peer->connected && !peer->dialing)
        deadline = MIN (deadline, peer->next_dial_us);
    }
  for (guint i = 0; i < session->names->len; i++)
    {
      Name *name = session->names->pdata[i];
      if (name->state == NAME_UNRESOLVED)
        deadline = MIN (deadline, name->next_us);
    }
  return deadline;
}

/**
 * satori_bootstrap_session_handle_timeout:
 * @session: a session
 * @now_us: the current time
 */
void
satori_bootstrap_session_handle_timeout (SatoriBootstrapSession *session, gint64 now_us)
{
  step (session, now_us);
}
