/* satori-rendezvous-client.c — the client side of rendezvous (sans-I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-rendezvous-client.h"

#include <string.h>

#define SECOND 1000000

/* A registration is refreshed when this share of its TTL has passed
 * (per cent), so it never lapses while the point is reachable. */
#define REFRESH_AT_PERCENT 80

/* A registration that failed is tried again after this long. */
#define RETRY_DELAY (60 * SECOND)

/* A registration held, due at refresh_at; G_MAXINT64 while its refresh
 * is in flight (taken by take_due), so that one withdrawn meanwhile is
 * not held again by the refresh's answer. */
typedef struct
{
  gint64 refresh_at;
  guint ttl;
} Held;

struct _SatoriRendezvousClient
{
  GHashTable *held;   /* "point/namespace" (a peer id has no '/') → Held */
};

static GBytes *
pack_request (Satori__Rendezvous__Message__MessageType type, SatoriRendezvousMessage *message)
{
  message->has_type = TRUE;
  message->type = type;
  return satori_protobuf_pack (&message->base);
}

/**
 * satori_rendezvous_register_request:
 * @namespace_: the namespace to register in
 * @signed_record: this peer's signed peer record, an encoded envelope
 * @ttl: the TTL asked for, in seconds
 *
 * Returns: (transfer full): a REGISTER, without its length prefix
 */
GBytes *
satori_rendezvous_register_request (const char *namespace_, GBytes *signed_record, guint ttl)
{
  Satori__Rendezvous__Message__Register body = SATORI__RENDEZVOUS__MESSAGE__REGISTER__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;

  g_return_val_if_fail (namespace_ != NULL && signed_record != NULL, NULL);
  body.ns = (char *) namespace_;
  body.has_signedpeerrecord = TRUE;
  body.signedpeerrecord.data = (guint8 *) g_bytes_get_data (signed_record,
                                                             &body.signedpeerrecord.len);
  body.has_ttl = TRUE;
  body.ttl = ttl;
  message.register_ = &body;
  return pack_request (SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__REGISTER, &message);
}

/**
 * satori_rendezvous_unregister_request:
 * @namespace_: the namespace to leave
 * @self: this peer
 *
 * Returns: (transfer full): an UNREGISTER, without its length prefix
 */
GBytes *
satori_rendezvous_unregister_request (const char *namespace_, SatoriPeerId *self)
{
  Satori__Rendezvous__Message__Unregister body = SATORI__RENDEZVOUS__MESSAGE__UNREGISTER__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;
  GBytes *id = satori_peer_id_get_bytes (self);   /* transfer none */

  g_return_val_if_fail (namespace_ != NULL, NULL);
  body.ns = (char *) namespace_;
  body.has_id = TRUE;
  body.id.data = (guint8 *) g_bytes_get_data (id, &body.id.len);
  message.unregister = &body;
  return pack_request (SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__UNREGISTER, &message);
}

/**
 * satori_rendezvous_discover_request:
 * @namespace_: (nullable): the namespace, %NULL for all
 * @limit: registrations wanted at most, 0 for as many as the point gives
 * @cookie: (nullable): the cookie of the previous response, for only what
 *   is new since
 *
 * Returns: (transfer full): a DISCOVER, without its length prefix
 */
GBytes *
satori_rendezvous_discover_request (const char *namespace_, guint limit, GBytes *cookie)
{
  Satori__Rendezvous__Message__Discover body = SATORI__RENDEZVOUS__MESSAGE__DISCOVER__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;

  body.ns = (char *) namespace_;
  body.has_limit = limit > 0;
  body.limit = limit;
  if (cookie != NULL)
    {
      body.has_cookie = TRUE;
      body.cookie.data = (guint8 *) g_bytes_get_data (cookie, &body.cookie.len);
    }
  message.discover = &body;
  return pack_request (SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER, &message);
}

static SatoriRendezvousMessage *
decode_response (const guint8 *data, gsize len, Satori__Rendezvous__Message__MessageType type,
                 GError **error)
{
  g_autoptr(SatoriRendezvousMessage) message = satori_rendezvous_message_decode (
    data, len, SATORI_RENDEZVOUS_MAX_RESPONSE_SIZE, error);

  if (message == NULL)
    return NULL;
  if (message->type != type)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "A rendezvous message of type %d where %d was expected", message->type, type);
      return NULL;
    }
  return g_steal_pointer (&message);
}

static gboolean
check_status (gboolean has_status, int status, const char *text, GError **error)
{
  if (!has_status || status == 0)
    return TRUE;
  g_set_error (error, SATORI_RENDEZVOUS_ERROR, status, "The rendezvous point refused (%d): %s",
               status, text != NULL && g_utf8_validate (text, -1, NULL) ? text : "");
  return FALSE;
}

/**
 * satori_rendezvous_read_register_response:
 * @data: (array length=len): the response, without its length prefix
 * @len: its size
 * @ttl: (out): the TTL granted, in seconds
 * @error: a %SATORI_RENDEZVOUS_ERROR with the point's status, or a
 *   %SATORI_CODEC_ERROR for bytes that are not a REGISTER_RESPONSE
 *
 * Returns: whether the point registered us
 */
gboolean
satori_rendezvous_read_register_response (const guint8 *data, gsize len, guint *ttl,
                                          GError **error)
{
  g_autoptr(SatoriRendezvousMessage) message = decode_response (
    data, len, SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__REGISTER_RESPONSE, error);

  if (message == NULL)
    return FALSE;
  Satori__Rendezvous__Message__RegisterResponse *body = message->registerresponse;
  if (!check_status (body->has_status, body->status, body->statustext, error))
    return FALSE;
  /* No TTL, or a nonsensical one: the default, as rust-libp2p assumes. */
  *ttl = body->has_ttl && body->ttl > 0 && body->ttl <= G_MAXUINT
    ? (guint) body->ttl : SATORI_RENDEZVOUS_DEFAULT_TTL;
  return TRUE;
}

/**
 * satori_rendezvous_read_discover_response:
 * @data: (array length=len): the response, without its length prefix
 * @len: its size
 * @namespace_: (nullable): the namespace asked about, %NULL for all
 * @cookie: (out) (transfer full) (nullable): the cookie for the next
 *   request, %NULL if the point gave none
 * @error: a %SATORI_RENDEZVOUS_ERROR with the point's status, or a
 *   %SATORI_CODEC_ERROR for bytes that are not a DISCOVER_RESPONSE
 *
 * Reads the registrations of a discover response. Only those whose signed
 * peer record verifies, in the namespace asked about, are kept: a point
 * cannot make up peers or addresses.
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo) (nullable): the
 *   peers found, or %NULL
 */
GPtrArray *
satori_rendezvous_read_discover_response (const guint8 *data, gsize len, const char *namespace_,
                                          GBytes **cookie, GError **error)
{
  g_autoptr(SatoriRendezvousMessage) message = decode_response (
    data, len, SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER_RESPONSE, error);

  if (message == NULL)
    return NULL;
  Satori__Rendezvous__Message__DiscoverResponse *body = message->discoverresponse;
  if (!check_status (body->has_status, body->status, body->statustext, error))
    return NULL;

  GPtrArray *peers = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_info_unref);
  for (gsize i = 0; i < body->n_registrations; i++)
    {
      const Satori__Rendezvous__Message__Register *registration = body->registrations[i];
      if (!registration->has_signedpeerrecord ||
          (namespace_ != NULL && g_strcmp0 (registration->ns, namespace_) != 0))
        continue;
      g_autoptr(SatoriPeerRecord) record = satori_peer_record_open (
        registration->signedpeerrecord.data, registration->signedpeerrecord.len, NULL);
      if (record != NULL)
        g_ptr_array_add (peers, satori_peer_info_new (record->peer_id, record->addresses));
    }
  *cookie = body->has_cookie ? g_bytes_new (body->cookie.data, body->cookie.len) : NULL;
  return peers;
}

/**
 * satori_rendezvous_refresh_free:
 * @refresh: (nullable): a refresh from satori_rendezvous_client_take_due()
 */
void
satori_rendezvous_refresh_free (SatoriRendezvousRefresh *refresh)
{
  if (refresh == NULL)
    return;
  g_free (refresh->point);
  g_free (refresh->namespace_);
  g_free (refresh);
}

/**
 * satori_rendezvous_client_new:
 *
 * Returns: (transfer full): a client that holds no registrations
 */
SatoriRendezvousClient *
satori_rendezvous_client_new (void)
{
  SatoriRendezvousClient *client = g_new0 (SatoriRendezvousClient, 1);

  client->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return client;
}

/**
 * satori_rendezvous_client_free:
 * @client: (nullable): a client
 */
void
satori_rendezvous_client_free (SatoriRendezvousClient *client)
{
  if (client == NULL)
    return;
  g_hash_table_unref (client->held);
  g_free (client);
}

static void
hold (SatoriRendezvousClient *client, const char *point, const char *namespace_, guint ttl,
      gint64 refresh_at)
{
  Held *held = g_new (Held, 1);

  held->refresh_at = refresh_at;
  held->ttl = ttl;
  g_hash_table_insert (client->held, g_strconcat (point, "/", namespace_, NULL), held);
}

/**
 * satori_rendezvous_client_registered:
 * @client: a client
 * @point: the point's peer id, as a string
 * @namespace_: the namespace
 * @ttl: the TTL the point granted, in seconds
 * @now_us: the time, in microseconds
 *
 * Holds a registration, to be refreshed with the same TTL when 80 % of it
 * has passed.
 */
void
satori_rendezvous_client_registered (SatoriRendezvousClient *client, const char *point,
                                     const char *namespace_, guint ttl, gint64 now_us)
{
  hold (client, point, namespace_, ttl, now_us + (gint64) ttl * SECOND / 100 * REFRESH_AT_PERCENT);
}

/**
 * satori_rendezvous_client_retry:
 * @client: a client
 * @point: the point's peer id, as a string
 * @namespace_: the namespace
 * @ttl: the TTL to ask for, in seconds
 * @now_us: the time, in microseconds
 *
 * Holds a registration that failed, to be tried again in a minute.
 */
void
satori_rendezvous_client_retry (SatoriRendezvousClient *client, const char *point,
                                const char *namespace_, guint ttl, gint64 now_us)
{
  hold (client, point, namespace_, ttl, now_us + RETRY_DELAY);
}

/**
 * satori_rendezvous_client_unregistered:
 * @client: a client
 * @point: the point's peer id, as a string
 * @namespace_: the namespace
 *
 * Forgets a registration: it is no longer refreshed.
 */
void
satori_rendezvous_client_unregistered (SatoriRendezvousClient *client, const char *point,
                                       const char *namespace_)
{
  g_autofree char *key = g_strconcat (point, "/", namespace_, NULL);

  g_hash_table_remove (client->held, key);
}

/**
 * satori_rendezvous_client_is_held:
 * @client: a client
 * @point: the point's peer id, as a string
 * @namespace_: the namespace
 *
 * Whether the registration is held, due or with its refresh in flight: a
 * refresh's answer holds it again only then, so an unregistration while
 * it was in flight stands.
 *
 * Returns: %TRUE if held
 */
gboolean
satori_rendezvous_client_is_held (SatoriRendezvousClient *client, const char *point,
                                  const char *namespace_)
{
  g_autofree char *key = g_strconcat (point, "/", namespace_, NULL);

  return g_hash_table_contains (client->held, key);
}

/**
 * satori_rendezvous_client_next_deadline:
 * @client: a client
 *
 * Returns: when the next registration is due for a refresh, in
 *   microseconds, or %G_MAXINT64 if none is held
 */
gint64
satori_rendezvous_client_next_deadline (SatoriRendezvousClient *client)
{
  gint64 next = G_MAXINT64;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, client->held);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    next = MIN (next, ((Held *) value)->refresh_at);
  return next;
}

/**
 * satori_rendezvous_client_take_due:
 * @client: a client
 * @now_us: the time, in microseconds
 *
 * Takes the registrations due for a refresh by @now_us: they stay held
 * (satori_rendezvous_client_is_held()) but are not due again until
 * satori_rendezvous_client_registered() or satori_rendezvous_client_retry()
 * holds them anew.
 *
 * Returns: (transfer full) (element-type SatoriRendezvousRefresh): the due
 *   registrations
 */
GPtrArray *
satori_rendezvous_client_take_due (SatoriRendezvousClient *client, gint64 now_us)
{
  GPtrArray *due = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_rendezvous_refresh_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, client->held);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Held *held = value;
      if (held->refresh_at > now_us || held->refresh_at == G_MAXINT64)
        continue;
      const char *slash = strchr (key, '/');   /* a peer id has none */
      SatoriRendezvousRefresh *refresh = g_new (SatoriRendezvousRefresh, 1);
      refresh->point = g_strndup (key, slash - (const char *) key);
      refresh->namespace_ = g_strdup (slash + 1);
      refresh->ttl = held->ttl;
      g_ptr_array_add (due, refresh);
      held->refresh_at = G_MAXINT64;
    }
  return due;
}
