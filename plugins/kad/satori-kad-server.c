/* satori-kad-server.c — answering DHT requests (server mode)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-kad-session-private.h"

static GBytes *
answer (SatoriKadMessage *message)
{
  return satori_kad_message_encode (message);
}

static void
add_closer_peers (SatoriKadSession *session, SatoriKadMessage *reply, GBytes *key, GBytes *from)
{
  SatoriKadKey target;
  satori_kad_key_init_from_bytes (&target, key);
  g_autoptr(GPtrArray) closest = satori_kad_routing_table_closest (
    session->table, &target, session->config.max_peers_per_answer, from);
  g_ptr_array_extend_and_steal (reply->closer_peers, g_steal_pointer (&closest));
}

static gboolean
require_key (SatoriKadMessage *request, GError **error)
{
  if (request->key != NULL)
    return TRUE;
  g_set_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_BAD_REQUEST, "%s request without a key",
               satori_kad_message_type_to_string (request->type));
  return FALSE;
}

static gboolean
require_provider_key (SatoriKadMessage *request, GError **error)
{
  if (!require_key (request, error))
    return FALSE;
  if (satori_kad_provider_key_is_valid (request->key))
    return TRUE;
  g_set_error (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_BAD_REQUEST,
               "%s key is neither a multihash nor a /-prefixed UTF-8 key",
               satori_kad_message_type_to_string (request->type));
  return FALSE;
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static GBytes *
answer_get_value (SatoriKadSession *session, SatoriKadMessage *request, GBytes *from,
                  gint64 now_us)
{
  g_autoptr(SatoriKadMessage) reply = satori_kad_message_new (SATORI_KAD_GET_VALUE, request->key);
  gint64 received_us = 0;
  g_autoptr(GBytes) value = satori_kad_store_get_record (session->store, request->key,
                                                         &received_us);
  if (value != NULL && received_us >= now_us - session->config.record_max_age_us)
    {
      reply->record_key = g_bytes_ref (request->key);
      reply->record_value = g_steal_pointer (&value);
      reply->time_received = format_time (received_us);
    }
  add_closer_peers (session, reply, request->key, from);
  return answer (reply);
}

static gboolean
store_put_value (SatoriKadSession *session, SatoriKadMessage *request, gint64 now_us,
                 GError **error)
{
  if (request->record_value == NULL || request->record_key == NULL
      || !g_bytes_equal (request->record_key, request->key))
    {
      g_set_error_literal (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_BAD_REQUEST,
                           "PUT_VALUE without a record for its key");
      return FALSE;
    }
  return satori_kad_session_accept_record (session, request->key, request->record_value, error)
         && satori_kad_store_put_record (session->store, request->key, request->record_value,
                                         now_us, error);
}

/* Only the sender may announce itself (go-libp2p's behaviour). */
static void
store_providers (SatoriKadSession *session, SatoriKadMessage *request, GBytes *from,
                 gint64 now_us)
{
  g_autoptr(GPtrArray) providers = satori_kad_session_sanitize_peers (session,
                                                                      request->provider_peers);
  for (guint i = 0; i < providers->len; i++)
    {
      SatoriKadPeer *provider = providers->pdata[i];
      g_autoptr(GError) error = NULL;
      if (g_bytes_equal (provider->id, from)
          && !satori_kad_store_add_provider (session->store, request->key, provider,
                                             now_us + session->config.provider_ttl_us, &error))
        g_debug ("ADD_PROVIDER not stored: %s", error->message);
    }
}

static GBytes *
answer_get_providers (SatoriKadSession *session, SatoriKadMessage *request, GBytes *from,
                      gint64 now_us)
{
  g_autoptr(SatoriKadMessage) reply = satori_kad_message_new (SATORI_KAD_GET_PROVIDERS,
                                                              request->key);
  g_autoptr(GPtrArray) providers = satori_kad_store_get_providers (
    session->store, request->key, now_us, session->config.max_peers_per_answer);
  g_ptr_array_extend_and_steal (reply->provider_peers, g_steal_pointer (&providers));
  add_closer_peers (session, reply, request->key, from);
  return answer (reply);
}

/**
 * satori_kad_session_handle_request:
 * @session: a session
 * @from: the binary peer id of the peer that opened the stream
 * @data: (array length=len): one request, without its length prefix
 * @len: its size
 * @now_us: the current (wall clock) time
 * @response_out: (out) (transfer full) (nullable): the answer to write
 *   back, or %NULL when the request takes none (ADD_PROVIDER)
 * @error: %SATORI_KAD_ERROR_CLIENT_MODE, a %SATORI_CODEC_ERROR for bytes
 *   that do not decode, or a %SATORI_KAD_ERROR for a request refused
 *
 * Answers one request from a remote peer.
 *
 * Returns: %FALSE with @error when the stream must be reset
 */
gboolean
satori_kad_session_handle_request (SatoriKadSession *session, GBytes *from, const guint8 *data,
                                   gsize len, gint64 now_us, GBytes **response_out,
                                   GError **error)
{
  g_return_val_if_fail (session != NULL && from != NULL && response_out != NULL, FALSE);

  *response_out = NULL;
  if (!session->config.server_mode)
    {
      g_set_error_literal (error, SATORI_KAD_ERROR, SATORI_KAD_ERROR_CLIENT_MODE,
                           "the DHT is in client mode and answers no requests");
      return FALSE;
    }
  g_autoptr(SatoriKadMessage) request = satori_kad_message_decode (
    data, len, session->config.max_message_size, error);
  if (request == NULL)
    return FALSE;

  switch (request->type)
    {
    case SATORI_KAD_FIND_NODE:
      {
        if (!require_key (request, error))
          return FALSE;
        g_autoptr(SatoriKadMessage) reply = satori_kad_message_new (SATORI_KAD_FIND_NODE,
                                                                    request->key);
        add_closer_peers (session, reply, request->key, from);
        *response_out = answer (reply);
        return TRUE;
      }
    case SATORI_KAD_GET_VALUE:
      if (!require_key (request, error))
        return FALSE;
      *response_out = answer_get_value (session, request, from, now_us);
      return TRUE;
    case SATORI_KAD_PUT_VALUE:
      if (!require_key (request, error) || !store_put_value (session, request, now_us, error))
        return FALSE;
      *response_out = g_bytes_new (data, len);   /* the request, echoed */
      return TRUE;
    case SATORI_KAD_ADD_PROVIDER:
      if (!require_provider_key (request, error))
        return FALSE;
      store_providers (session, request, from, now_us);
      return TRUE;
    case SATORI_KAD_GET_PROVIDERS:
      if (!require_provider_key (request, error))
        return FALSE;
      *response_out = answer_get_providers (session, request, from, now_us);
      return TRUE;
    case SATORI_KAD_PING:
    default:
      {
        g_autoptr(SatoriKadMessage) reply = satori_kad_message_new (SATORI_KAD_PING, NULL);
        *response_out = answer (reply);
        return TRUE;
      }
    }
}
