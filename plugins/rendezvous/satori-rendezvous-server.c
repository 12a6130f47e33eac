/* satori-rendezvous-server.c — a rendezvous point's registrations
 * (sans-I/O)
 *
 * Registrations sit in one queue in the order they were made (a refresh
 * moves one to the end), each with a serial number. A cookie is the last
 * serial a client was given and the namespace it asked about, so the next
 * discover returns only what was registered since.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-rendezvous-server.h"

#include <string.h>

#define SECOND 1000000

/* A cookie: the serial, big-endian, then the namespace's bytes. */
#define COOKIE_SERIAL_SIZE 8

typedef struct
{
  char *key;   /* peer id, '/', namespace (a peer id has no '/') */
  char *peer;
  char *namespace_;
  GBytes *record;   /* the signed peer record, as received */
  gint64 expires_us;
  guint64 serial;
  GList link;   /* in SatoriRendezvousServer.registrations; data = this */
} Registration;

struct _SatoriRendezvousServer
{
  SatoriRendezvousLimits limits;
  GQueue registrations;   /* by serial, oldest first */
  GHashTable *by_key;     /* key → Registration */
  GHashTable *per_peer;   /* peer → count */
  GHashTable *per_namespace;   /* namespace → count */
  guint64 last_serial;
  gboolean available;
};

/**
 * satori_rendezvous_limits_init:
 * @limits: (out caller-allocates): limits to fill
 *
 * The spec's recommendations: TTL between 2 h and 72 h, 1000
 * registrations per peer, 1000 per discover; 10 000 per namespace and
 * 100 000 in all, to bound memory.
 */
void
satori_rendezvous_limits_init (SatoriRendezvousLimits *limits)
{
  *limits = (SatoriRendezvousLimits) {
    .min_ttl = 2 * 60 * 60,
    .max_ttl = 72 * 60 * 60,
    .max_per_peer = 1000,
    .max_per_namespace = 10000,
    .max_total = 100000,
    .max_discover = 1000,
  };
}

static void
registration_free (Registration *registration)
{
  g_free (registration->key);
  g_free (registration->peer);
  g_free (registration->namespace_);
  g_bytes_unref (registration->record);
  g_free (registration);
}

/**
 * satori_rendezvous_server_new:
 * @limits: what the point admits (with @min_ttl above @max_ttl, no TTL is)
 *
 * Returns: (transfer full): a point without registrations
 */
SatoriRendezvousServer *
satori_rendezvous_server_new (const SatoriRendezvousLimits *limits)
{
  g_return_val_if_fail (limits != NULL, NULL);
  SatoriRendezvousServer *server = g_new0 (SatoriRendezvousServer, 1);

  server->limits = *limits;
  server->available = TRUE;
  g_queue_init (&server->registrations);
  server->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) registration_free);
  server->per_peer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->per_namespace = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return server;
}

/**
 * satori_rendezvous_server_free:
 * @server: (nullable): a point
 */
void
satori_rendezvous_server_free (SatoriRendezvousServer *server)
{
  if (server == NULL)
    return;
  g_hash_table_unref (server->by_key);
  g_hash_table_unref (server->per_peer);
  g_hash_table_unref (server->per_namespace);
  g_free (server);
}

static guint
count_of (GHashTable *counts, const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
}

static void
count_add (GHashTable *counts, const char *key, int delta)
{
  guint count = count_of (counts, key) + delta;

  if (count == 0)
    g_hash_table_remove (counts, key);
  else
    g_hash_table_insert (counts, g_strdup (key), GUINT_TO_POINTER (count));
}

static void
remove_registration (SatoriRendezvousServer *server, Registration *registration)
{
  g_queue_unlink (&server->registrations, &registration->link);
  count_add (server->per_peer, registration->peer, -1);
  count_add (server->per_namespace, registration->namespace_, -1);
  g_hash_table_remove (server->by_key, registration->key);
}

/**
 * satori_rendezvous_server_expire:
 * @server: a point
 * @now_us: the time, in microseconds
 *
 * Drops the registrations whose TTL has run out by @now_us.
 * satori_rendezvous_server_handle() does so before every request.
 */
void
satori_rendezvous_server_expire (SatoriRendezvousServer *server, gint64 now_us)
{
  GList *next;

  for (GList *l = server->registrations.head; l != NULL; l = next)
    {
      Registration *registration = l->data;
      next = l->next;
      if (registration->expires_us <= now_us)
        remove_registration (server, registration);
    }
}

/**
 * satori_rendezvous_server_set_limits:
 * @server: a point
 * @limits: what it admits from now on
 *
 * Changes the limits. Registrations already held stay until they expire
 * or are dropped.
 */
void
satori_rendezvous_server_set_limits (SatoriRendezvousServer *server,
                                     const SatoriRendezvousLimits *limits)
{
  server->limits = *limits;
}

/**
 * satori_rendezvous_server_set_available:
 * @server: a point
 * @available: whether it serves
 *
 * A point that does not serve answers every register and discover with
 * %SATORI_RENDEZVOUS_ERROR_UNAVAILABLE (a host that is only a client).
 */
void
satori_rendezvous_server_set_available (SatoriRendezvousServer *server, gboolean available)
{
  server->available = available;
}

/**
 * satori_rendezvous_server_get_count:
 * @server: a point
 *
 * Returns: the registrations it holds, expired ones not yet dropped included
 */
guint
satori_rendezvous_server_get_count (SatoriRendezvousServer *server)
{
  return server->registrations.length;
}

static GBytes *
pack (const SatoriRendezvousMessage *message)
{
  return satori_protobuf_pack (&message->base);
}

static GBytes *
register_response (SatoriRendezvousError status, const char *text, gint64 ttl)
{
  Satori__Rendezvous__Message__RegisterResponse body =
    SATORI__RENDEZVOUS__MESSAGE__REGISTER_RESPONSE__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;

  body.has_status = TRUE;
  body.status = (Satori__Rendezvous__Message__ResponseStatus) status;
  body.statustext = (char *) text;
  body.has_ttl = status == 0;
  body.ttl = ttl;
  message.has_type = TRUE;
  message.type = SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__REGISTER_RESPONSE;
  message.registerresponse = &body;
  return pack (&message);
}

static GBytes *
handle_register (SatoriRendezvousServer *server, SatoriPeerId *remote,
                 const Satori__Rendezvous__Message__Register *request, gint64 now_us)
{
  const SatoriRendezvousLimits *limits = &server->limits;

  if (!server->available)
    return register_response (SATORI_RENDEZVOUS_ERROR_UNAVAILABLE,
                              "This host is not a rendezvous point", 0);
  if (!satori_rendezvous_namespace_is_valid (request->ns, FALSE))
    return register_response (SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE,
                              "The namespace is empty, longer than 255 bytes or not UTF-8", 0);
  gint64 ttl = request->has_ttl ? request->ttl : SATORI_RENDEZVOUS_DEFAULT_TTL;
  if (ttl < limits->min_ttl || ttl > limits->max_ttl)
    return register_response (SATORI_RENDEZVOUS_ERROR_INVALID_TTL,
                              "The TTL is outside what this point admits", 0);
  if (!request->has_signedpeerrecord)
    return register_response (SATORI_RENDEZVOUS_ERROR_INVALID_SIGNED_PEER_RECORD,
                              "The registration has no signed peer record", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_open (
    request->signedpeerrecord.data, request->signedpeerrecord.len, &error);
  if (record == NULL)
    return register_response (SATORI_RENDEZVOUS_ERROR_INVALID_SIGNED_PEER_RECORD,
                              error->message, 0);
  if (!satori_peer_id_equal (record->peer_id, remote))
    return register_response (SATORI_RENDEZVOUS_ERROR_NOT_AUTHORIZED,
                              "A peer may only register itself", 0);

  g_autofree char *peer = satori_peer_id_to_string (remote);
  g_autofree char *key = g_strconcat (peer, "/", request->ns, NULL);
  Registration *old = g_hash_table_lookup (server->by_key, key);
  if (old != NULL)
    remove_registration (server, old);   /* the refresh supersedes it */
  else if (count_of (server->per_peer, peer) >= limits->max_per_peer)
    return register_response (SATORI_RENDEZVOUS_ERROR_NOT_AUTHORIZED,
                              "Too many registrations of this peer", 0);
  else if (count_of (server->per_namespace, request->ns) >= limits->max_per_namespace ||
           server->registrations.length >= limits->max_total)
    return register_response (SATORI_RENDEZVOUS_ERROR_UNAVAILABLE,
                              "This point holds all the registrations it can", 0);

  Registration *registration = g_new0 (Registration, 1);
  registration->key = g_steal_pointer (&key);
  registration->peer = g_steal_pointer (&peer);
  registration->namespace_ = g_strdup (request->ns);
  registration->record = g_bytes_new (request->signedpeerrecord.data,
                                      request->signedpeerrecord.len);
  registration->expires_us = now_us + ttl * SECOND;
  registration->serial = ++server->last_serial;
  registration->link.data = registration;
  g_queue_push_tail_link (&server->registrations, &registration->link);
  g_hash_table_insert (server->by_key, registration->key, registration);
  count_add (server->per_peer, registration->peer, 1);
  count_add (server->per_namespace, registration->namespace_, 1);
  return register_response (0, NULL, ttl);
}

static void
handle_unregister (SatoriRendezvousServer *server, SatoriPeerId *remote,
                   const Satori__Rendezvous__Message__Unregister *request)
{
  if (request->ns == NULL)
    return;
  g_autofree char *peer = satori_peer_id_to_string (remote);
  g_autofree char *key = g_strconcat (peer, "/", request->ns, NULL);
  Registration *registration = g_hash_table_lookup (server->by_key, key);
  if (registration != NULL)
    remove_registration (server, registration);
}

static GBytes *
discover_error (SatoriRendezvousError status, const char *text)
{
  Satori__Rendezvous__Message__DiscoverResponse body =
    SATORI__RENDEZVOUS__MESSAGE__DISCOVER_RESPONSE__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;

  body.has_status = TRUE;
  body.status = (Satori__Rendezvous__Message__ResponseStatus) status;
  body.statustext = (char *) text;
  message.has_type = TRUE;
  message.type = SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER_RESPONSE;
  message.discoverresponse = &body;
  return pack (&message);
}

/* Reads a cookie of ours for @namespace_ ("" for all): FALSE if it is not. */
static gboolean
cookie_parse (SatoriRendezvousServer *server, const ProtobufCBinaryData *cookie,
              const char *namespace_, guint64 *serial)
{
  gsize ns_len = strlen (namespace_);

  if (cookie->len != COOKIE_SERIAL_SIZE + ns_len ||
      memcmp (cookie->data + COOKIE_SERIAL_SIZE, namespace_, ns_len) != 0)
    return FALSE;
  *serial = 0;
  for (guint i = 0; i < COOKIE_SERIAL_SIZE; i++)
    *serial = (*serial << 8) | cookie->data[i];
  return *serial <= server->last_serial;
}

static void
cookie_make (guint64 serial, const char *namespace_, GByteArray *out)
{
  for (int i = COOKIE_SERIAL_SIZE - 1; i >= 0; i--)
    {
      guint8 byte = serial >> (8 * i);
      g_byte_array_append (out, &byte, 1);
    }
  g_byte_array_append (out, (const guint8 *) namespace_, strlen (namespace_));
}

static GBytes *
handle_discover (SatoriRendezvousServer *server,
                 const Satori__Rendezvous__Message__Discover *request, gint64 now_us)
{
  const char *namespace_ = request->ns != NULL ? request->ns : "";
  guint64 after = 0;

  if (!server->available)
    return discover_error (SATORI_RENDEZVOUS_ERROR_UNAVAILABLE,
                           "This host is not a rendezvous point");
  if (!satori_rendezvous_namespace_is_valid (namespace_, TRUE))
    return discover_error (SATORI_RENDEZVOUS_ERROR_INVALID_NAMESPACE,
                           "The namespace is longer than 255 bytes or not UTF-8");
  if (request->has_cookie && !cookie_parse (server, &request->cookie, namespace_, &after))
    return discover_error (SATORI_RENDEZVOUS_ERROR_INVALID_COOKIE,
                           "The cookie is not one of this point's for this namespace");
  guint limit = server->limits.max_discover;
  if (request->has_limit && request->limit > 0 && request->limit < limit)
    limit = request->limit;

  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  gsize size = 0;
  guint64 last = after;
  for (GList *l = server->registrations.head; l != NULL && bodies->len < limit; l = l->next)
    {
      Registration *registration = l->data;
      if (registration->serial <= after || registration->expires_us <= now_us ||
          (namespace_[0] != '\0' && strcmp (registration->namespace_, namespace_) != 0))
        continue;
      Satori__Rendezvous__Message__Register *body = g_new (Satori__Rendezvous__Message__Register, 1);
      satori__rendezvous__message__register__init (body);
      body->ns = registration->namespace_;
      body->has_signedpeerrecord = TRUE;
      body->signedpeerrecord.data = (guint8 *) g_bytes_get_data (registration->record,
                                                                  &body->signedpeerrecord.len);
      body->has_ttl = TRUE;
      body->ttl = (registration->expires_us - now_us + SECOND - 1) / SECOND;
      /* Field tag, length and the body itself, with room for the cookie. */
      size += protobuf_c_message_get_packed_size (&body->base) + 16;
      if (size > SATORI_RENDEZVOUS_MAX_RESPONSE_SIZE - 512)
        {
          g_free (body);
          break;
        }
      g_ptr_array_add (bodies, body);
      last = registration->serial;
    }

  Satori__Rendezvous__Message__DiscoverResponse response =
    SATORI__RENDEZVOUS__MESSAGE__DISCOVER_RESPONSE__INIT;
  SatoriRendezvousMessage message = SATORI__RENDEZVOUS__MESSAGE__INIT;
  g_autoptr(GByteArray) cookie = g_byte_array_new ();
  cookie_make (last, namespace_, cookie);
  response.n_registrations = bodies->len;
  response.registrations = (Satori__Rendezvous__Message__Register **) bodies->pdata;
  response.has_cookie = TRUE;
  response.cookie.data = cookie->data;
  response.cookie.len = cookie->len;
  response.has_status = TRUE;
  response.status = SATORI__RENDEZVOUS__MESSAGE__RESPONSE_STATUS__OK;
  message.has_type = TRUE;
  message.type = SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER_RESPONSE;
  message.discoverresponse = &response;
  return pack (&message);
}

/**
 * satori_rendezvous_server_handle:
 * @server: a point
 * @remote: the peer that sent the request (the stream's remote)
 * @data: (array length=len): one request, without its length prefix
 * @len: its size
 * @now_us: the time, in microseconds
 * @response: (out) (transfer full) (optional) (nullable): the encoded
 *   response, %NULL for an unregister (which has none)
 * @error: a %SATORI_CODEC_ERROR for a request that is not one
 *
 * Handles one request. A request the point refuses gets a response with
 * the status; only bytes that are not a request are an error, after which
 * the caller closes the stream.
 *
 * Returns: %TRUE if @data was a request
 */
gboolean
satori_rendezvous_server_handle (SatoriRendezvousServer *server, SatoriPeerId *remote,
                                 const guint8 *data, gsize len, gint64 now_us,
                                 GBytes **response, GError **error)
{
  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (remote != NULL, FALSE);
  g_autoptr(SatoriRendezvousMessage) request = satori_rendezvous_message_decode (
    data, len, SATORI_RENDEZVOUS_MAX_REQUEST_SIZE, error);
  GBytes *reply = NULL;

  if (request == NULL)
    return FALSE;
  satori_rendezvous_server_expire (server, now_us);
  switch (request->type)
    {
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__REGISTER:
      reply = handle_register (server, remote, request->register_, now_us);
      break;
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__UNREGISTER:
      handle_unregister (server, remote, request->unregister);
      break;
    case SATORI__RENDEZVOUS__MESSAGE__MESSAGE_TYPE__DISCOVER:
      reply = handle_discover (server, request->discover, now_us);
      break;
    default:
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "A rendezvous response (type %d) sent as a request", request->type);
      return FALSE;
    }
  if (response != NULL)
    *response = reply;
  else if (reply != NULL)
    g_bytes_unref (reply);
  return TRUE;
}
