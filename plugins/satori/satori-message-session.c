/* The requests of /satori/1.0.0 waiting for their answer: matched by id
 * and by the peer asked (no other peer can answer them), expired at their
 * deadline. No I/O, no clock: time comes in as arguments.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-message-session.h"

typedef struct
{
  SatoriPeerId *peer;
  gint64 deadline_us;
  gpointer token;
} Pending;

struct _SatoriMessageSession
{
  GHashTable *pending;   /* request id → Pending */
  GDestroyNotify token_free;
};

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  satori_peer_id_unref (pending->peer);
  g_free (pending);
}

/**
 * satori_message_session_new:
 * @token_free: (nullable): frees the tokens still pending when the session is
 *
 * Returns: (transfer full): an empty session
 */
SatoriMessageSession *
satori_message_session_new (GDestroyNotify token_free)
{
  SatoriMessageSession *session = g_new0 (SatoriMessageSession, 1);

  session->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_free);
  session->token_free = token_free;
  return session;
}

/**
 * satori_message_session_free:
 * @session: (nullable): a session
 */
void
satori_message_session_free (SatoriMessageSession *session)
{
  if (session == NULL)
    return;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, session->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (session->token_free != NULL)
      session->token_free (((Pending *) value)->token);
  g_hash_table_unref (session->pending);
  g_free (session);
}

/**
 * satori_message_session_add:
 * @session: a session
 * @request_id: the request's id
 * @peer: the peer asked
 * @deadline_us: when to give up, on the caller's clock
 * @token: what satori_message_session_take() or
 *   satori_message_session_poll_expired() give back
 *
 * Returns: %FALSE if @request_id is already pending (nothing added)
 */
gboolean
satori_message_session_add (SatoriMessageSession *session, const char *request_id,
                            SatoriPeerId *peer, gint64 deadline_us, gpointer token)
{
  g_return_val_if_fail (session != NULL, FALSE);
  g_return_val_if_fail (request_id != NULL && peer != NULL, FALSE);

  if (g_hash_table_contains (session->pending, request_id))
    return FALSE;
  Pending *pending = g_new0 (Pending, 1);
  pending->peer = satori_peer_id_ref (peer);
  pending->deadline_us = deadline_us;
  pending->token = token;
  g_hash_table_insert (session->pending, g_strdup (request_id), pending);
  return TRUE;
}

/**
 * satori_message_session_take:
 * @session: a session
 * @request_id: the id an answer names
 * @peer: (nullable): the peer the answer came from; %NULL to take the
 *   request whoever was asked (when the caller gives up on it)
 *
 * Returns: (transfer full) (nullable): the token of the pending request,
 *   now forgotten; %NULL when no request of @peer has that id
 */
gpointer
satori_message_session_take (SatoriMessageSession *session, const char *request_id,
                             SatoriPeerId *peer)
{
  g_return_val_if_fail (session != NULL, NULL);
  g_return_val_if_fail (request_id != NULL, NULL);

  Pending *pending = g_hash_table_lookup (session->pending, request_id);
  if (pending == NULL || (peer != NULL && !satori_peer_id_equal (pending->peer, peer)))
    return NULL;
  gpointer token = pending->token;
  g_hash_table_remove (session->pending, request_id);
  return token;
}

/**
 * satori_message_session_get_pending:
 * @session: a session
 *
 * Returns: how many requests wait for an answer
 */
guint
satori_message_session_get_pending (SatoriMessageSession *session)
{
  g_return_val_if_fail (session != NULL, 0);
  return g_hash_table_size (session->pending);
}

/**
 * satori_message_session_next_deadline_us:
 * @session: a session
 *
 * Returns: the earliest deadline, or -1 when nothing is pending
 */
gint64
satori_message_session_next_deadline_us (SatoriMessageSession *session)
{
  g_return_val_if_fail (session != NULL, -1);

  gint64 next = -1;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, session->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 deadline = ((Pending *) value)->deadline_us;
      if (next < 0 || deadline < next)
        next = deadline;
    }
  return next;
}

/**
 * satori_message_session_poll_expired:
 * @session: a session
 * @now_us: the time now, on the clock of the deadlines
 *
 * Call until it returns %NULL.
 *
 * Returns: (transfer full) (nullable): the token of one request whose
 *   deadline passed, now forgotten
 */
gpointer
satori_message_session_poll_expired (SatoriMessageSession *session, gint64 now_us)
{
  g_return_val_if_fail (session != NULL, NULL);

  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, session->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Pending *pending = value;
      if (pending->deadline_us <= now_us)
        {
          gpointer token = pending->token;
          g_hash_table_iter_remove (&iter);
          return token;
        }
    }
  return NULL;
}
