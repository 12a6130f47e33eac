/* satori-store-server.c — a holder's answers to store and retrieve
 *
 * Two checks the Python holder lacks: a store request's source_peer must
 * be the peer that sends it, and only the target itself may retrieve its
 * messages (otherwise anyone could drain anyone's queue).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-store-server.h"

#include <glib/gi18n-lib.h>
#include <string.h>

void
satori_store_reply_free (SatoriStoreReply *reply)
{
  if (reply == NULL)
    return;
  g_bytes_unref (reply->response);
  g_free (reply->stored_for);
  g_clear_pointer (&reply->retrieved, g_ptr_array_unref);
  g_free (reply);
}

static GBytes *
answer_error (const char *remote_peer, const GError *error)
{
  g_message (_("Store request of %s refused: %s"), remote_peer, error->message);
  return satori_store_response_encode_error (error->message);
}

/**
 * satori_store_server_handle:
 * @db: the holder's store
 * @limits: what envelopes may say
 * @remote_peer: the peer id (base58) of the requester
 * @request: the request's bytes (one JSON object)
 * @len: their length
 * @now_us: the wall clock
 *
 * Stores the envelope of a store request, durably, before answering
 * `{"status":"ok"}` (unless the holder is full); answers a retrieve request with the messages held
 * for the requester (oldest first, at most a quarter of
 * %SATORI_STORE_MAX_RESPONSE_SIZE), which stay stored until the adapter
 * removes them once the response was delivered. Anything wrong gets
 * `{"status":"error","message":…}` and changes nothing.
 *
 * Returns: (transfer full): what to write and do
 */
SatoriStoreReply *
satori_store_server_handle (SatoriStoreDb *db, const SatoriStoreLimits *limits,
                            const char *remote_peer, const guint8 *request, gsize len,
                            gint64 now_us)
{
  SatoriStoreReply *reply = g_new0 (SatoriStoreReply, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriStoreRequest) decoded = satori_store_request_decode (request, len, limits,
                                                                       now_us, &error);
  if (decoded == NULL)
    {
      reply->response = answer_error (remote_peer, error);
      return reply;
    }

  if (decoded->action == SATORI_STORE_ACTION_STORE)
    {
      const SatoriStoreEnvelope *envelope = decoded->envelope;
      if (strcmp (envelope->source_peer, remote_peer) != 0)
        g_set_error (&error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_INVALID,
                     _("source_peer: not the sender"));
      else if (satori_store_db_count (db, NULL) >= limits->max_messages)
        g_set_error (&error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_TOO_LARGE,
                     _("The holder is full (%u messages)"), limits->max_messages);
      else if (satori_store_db_add (db, envelope, &error))
        {
          reply->response = satori_store_response_encode_ok ();
          reply->stored_for = g_strdup (envelope->target_peer);
          return reply;
        }
    }
  else if (strcmp (decoded->target, remote_peer) != 0)
    g_set_error (&error, SATORI_STORE_ERROR, SATORI_STORE_ERROR_INVALID,
                 _("target: only the target itself may retrieve its messages"));
  else
    {
      reply->retrieved = satori_store_db_get (db, decoded->target, now_us,
                                              SATORI_STORE_MAX_RESPONSE_SIZE / 4, &error);
      if (reply->retrieved != NULL)
        {
          reply->response = satori_store_response_encode_messages (reply->retrieved);
          return reply;
        }
    }
  reply->response = answer_error (remote_peer, error);
  return reply;
}
