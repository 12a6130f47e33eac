/* satori-mdns-session.c — libp2p mDNS discovery without I/O
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-mdns-session.h"

#include <string.h>

#include "satori-mdns-message.h"
#include "satori-peer-info.h"

#define DNSADDR_PREFIX "dnsaddr="
/* The DNS-SD meta-query's name: which services are there (RFC 6763 §9). */
#define SERVICES_NAME "_services._dns-sd._udp.local"
/* RFC 6762 §6: a record is multicast at most once a second. */
#define RESPONSE_SPACING_US G_USEC_PER_SEC
/* Datagrams and events waiting for the adapter, at most. */
#define MAX_QUEUED 64

typedef struct {
  SatoriPeerId *peer;
  char         *name;       /* its peer-name label */
  GPtrArray    *addresses;  /* SatoriMultiaddr, without /p2p/ */
  gint64        expires_us;
} Peer;

struct _SatoriMdnsSession
{
  SatoriMdnsConfig config;
  SatoriPeerId    *local;
  char            *local_text;  /* the local peer id, base58 */
  char            *peer_name;
  char            *instance;    /* <peer-name>._p2p._udp.local */
  char            *host_name;   /* <peer-name>.local */
  GPtrArray       *addresses;   /* ours, without /p2p/ */
  GPtrArray       *peers;
  GQueue           transmits;
  GQueue           events;
  gint64           next_query_us;
  gint64           query_interval_us;
  gint64           response_due_us;
  gint64           last_response_us;
  gboolean         services_asked;  /* the next response names our service type */
};

/**
 * satori_mdns_config_init:
 * @config: (out caller-allocates): the config to fill with the defaults
 */
void
satori_mdns_config_init (SatoriMdnsConfig *config)
{
  config->query_interval_initial_us = G_USEC_PER_SEC;
  config->query_interval_max_us = 60 * G_USEC_PER_SEC;
  config->ttl_s = 120;
  config->answer = TRUE;
  config->max_peers = 64;
  config->max_addresses = 16;
  config->max_message = 1400;
}

/**
 * satori_mdns_event_clear:
 * @event: an event from satori_mdns_session_poll_event()
 */
void
satori_mdns_event_clear (SatoriMdnsEvent *event)
{
  g_clear_pointer (&event->peer, satori_peer_id_unref);
  g_clear_pointer (&event->addresses, g_ptr_array_unref);
}

static void
event_free (SatoriMdnsEvent *event)
{
  satori_mdns_event_clear (event);
  g_free (event);
}

static void
peer_free (Peer *peer)
{
  satori_peer_id_unref (peer->peer);
  g_free (peer->name);
  g_ptr_array_unref (peer->addresses);
  g_free (peer);
}

static GPtrArray *
address_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
}

/**
 * satori_mdns_session_new:
 * @config: the parameters
 * @local_peer: this host's peer id
 * @peer_name: this host's peer name, one DNS label of letters and digits
 *   (%SATORI_MDNS_PEER_NAME_MIN to %SATORI_MDNS_PEER_NAME_MAX long)
 * @now_us: the current time; the first query is due now
 *
 * Returns: (transfer full): a session; set its addresses with
 *   satori_mdns_session_set_addresses() before it can answer
 */
SatoriMdnsSession *
satori_mdns_session_new (const SatoriMdnsConfig *config, SatoriPeerId *local_peer,
                         const char *peer_name, gint64 now_us)
{
  g_return_val_if_fail (strlen (peer_name) >= 1 && strlen (peer_name) <= 63 &&
                        strchr (peer_name, '.') == NULL, NULL);

  SatoriMdnsSession *session = g_new0 (SatoriMdnsSession, 1);
  session->config = *config;
  session->local = satori_peer_id_ref (local_peer);
  session->local_text = satori_peer_id_to_string (local_peer);
  session->peer_name = g_strdup (peer_name);
  session->instance = g_strconcat (peer_name, ".", SATORI_MDNS_SERVICE, NULL);
  session->host_name = g_strconcat (peer_name, ".local", NULL);
  session->addresses = address_array_new ();
  session->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_queue_init (&session->transmits);
  g_queue_init (&session->events);
  session->next_query_us = now_us;
  session->query_interval_us = config->query_interval_initial_us;
  session->response_due_us = G_MAXINT64;
  session->last_response_us = G_MININT64 / 2;
  return session;
}

/**
 * satori_mdns_session_free:
 * @session: (transfer full): a session
 */
void
satori_mdns_session_free (SatoriMdnsSession *session)
{
  satori_peer_id_unref (session->local);
  g_free (session->local_text);
  g_free (session->peer_name);
  g_free (session->instance);
  g_free (session->host_name);
  g_ptr_array_unref (session->addresses);
  g_ptr_array_unref (session->peers);
  g_queue_clear_full (&session->transmits, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&session->events, (GDestroyNotify) event_free);
  g_free (session);
}

static void
push_bounded (GQueue *queue, gpointer item, GDestroyNotify free_func)
{
  g_queue_push_tail (queue, item);
  if (queue->length > MAX_QUEUED)
    free_func (g_queue_pop_head (queue));
}

static void
emit (SatoriMdnsSession *session, SatoriMdnsEventType type, Peer *peer)
{
  SatoriMdnsEvent *event = g_new0 (SatoriMdnsEvent, 1);
  event->type = type;
  event->peer = satori_peer_id_ref (peer->peer);
  event->addresses = type == SATORI_MDNS_PEER_DISCOVERED ? g_ptr_array_ref (peer->addresses)
                                                         : address_array_new ();
  push_bounded (&session->events, event, (GDestroyNotify) event_free);
}

static void
transmit (SatoriMdnsSession *session, SatoriMdnsMessage *message)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = satori_mdns_message_encode (message, session->config.max_message, &error);
  if (bytes == NULL)
    {
      g_debug ("mdns: not sent: %s", error->message);
      return;
    }
  push_bounded (&session->transmits, bytes, (GDestroyNotify) g_bytes_unref);
}

/* --- what we send --- */

static void
send_query (SatoriMdnsSession *session)
{
  g_autoptr(SatoriMdnsMessage) query = satori_mdns_message_new (0);
  satori_mdns_message_add_question (query, SATORI_MDNS_SERVICE, SATORI_MDNS_TYPE_PTR);
  transmit (session, query);
}

static SatoriMdnsRecord *
unique_record (SatoriMdnsSession *session, const char *name, guint16 type)
{
  SatoriMdnsRecord *record = satori_mdns_record_new (name, type, session->config.ttl_s);
  record->cache_flush = TRUE;
  return record;
}

/* The IP of an /ip4/ or /ip6/ address as an A or AAAA record, and its
 * TCP port if it has one. */
static SatoriMdnsRecord *
address_record (SatoriMdnsSession *session, SatoriMultiaddr *address, guint16 *port)
{
  guint32 code;
  const guint8 *value;
  gsize len;

  if (satori_multiaddr_get_component (address, 1, &code, &value, &len) &&
      code == SATORI_PROTO_TCP && len == 2)
    *port = (guint16) (value[0] << 8 | value[1]);
  satori_multiaddr_get_component (address, 0, &code, &value, &len);
  SatoriMdnsRecord *record = unique_record (session, session->host_name,
                                            code == SATORI_PROTO_IP4 ? SATORI_MDNS_TYPE_A
                                                                     : SATORI_MDNS_TYPE_AAAA);
  memcpy (record->address, value, len);
  return record;
}

static gboolean
has_address_record (GPtrArray *records, const SatoriMdnsRecord *record)
{
  for (guint i = 0; i < records->len; i++)
    {
      const SatoriMdnsRecord *other = records->pdata[i];
      if (other->type == record->type && memcmp (other->address, record->address, 16) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The answer of libp2p/specs discovery/mdns.md: a PTR to our instance;
 * additional records: a TXT `dnsaddr=<multiaddr>/p2p/<id>` an address (as
 * js-libp2p sends them), and the SRV and A/AAAA records DNS-SD browsers
 * such as go-libp2p's zeroconf need before they take an instance. What
 * does not fit in max_message is left out, TXT records last. */
static void
send_response (SatoriMdnsSession *session)
{
  g_autoptr(SatoriMdnsMessage) response =
    satori_mdns_message_new (SATORI_MDNS_FLAG_RESPONSE | SATORI_MDNS_FLAG_AUTHORITATIVE);
  g_autoptr(GPtrArray) hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_mdns_record_free);
  guint16 port = 0;

  SatoriMdnsRecord *ptr = satori_mdns_record_new (SATORI_MDNS_SERVICE, SATORI_MDNS_TYPE_PTR,
                                                  session->config.ttl_s);
  ptr->target = g_strdup (session->instance);
  g_ptr_array_add (response->answers, ptr);
  if (session->services_asked)
    {
      SatoriMdnsRecord *type = satori_mdns_record_new (SERVICES_NAME, SATORI_MDNS_TYPE_PTR,
                                                       session->config.ttl_s);
      type->target = g_strdup (SATORI_MDNS_SERVICE);
      g_ptr_array_add (response->answers, type);
      session->services_asked = FALSE;
    }

  for (guint i = 0; i < session->addresses->len; i++)
    {
      SatoriMultiaddr *address = session->addresses->pdata[i];
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_autofree char *entry = g_strconcat (DNSADDR_PREFIX, text, "/p2p/", session->local_text, NULL);
      if (strlen (entry) > 255)
        {
          g_debug ("mdns: %s is too long for a TXT string", text);
          continue;
        }
      SatoriMdnsRecord *txt = unique_record (session, session->instance, SATORI_MDNS_TYPE_TXT);
      satori_mdns_record_add_string (txt, entry);
      g_ptr_array_add (response->additionals, txt);

      SatoriMdnsRecord *host = address_record (session, address, &port);
      if (has_address_record (hosts, host))
        satori_mdns_record_free (host);
      else
        g_ptr_array_add (hosts, host);
    }
  if (port != 0)
    {
      SatoriMdnsRecord *srv = unique_record (session, session->instance, SATORI_MDNS_TYPE_SRV);
      srv->port = port;
      srv->target = g_strdup (session->host_name);
      g_ptr_array_add (response->additionals, srv);
    }
  g_ptr_array_extend_and_steal (response->additionals, g_steal_pointer (&hosts));

  /* Leave records out from the end until the response fits. */
  for (;;)
    {
      g_autoptr(GBytes) bytes =
        satori_mdns_message_encode (response, session->config.max_message, NULL);
      if (bytes != NULL || response->additionals->len == 0)
        break;
      g_ptr_array_remove_index (response->additionals, response->additionals->len - 1);
    }
  transmit (session, response);
}

static void
schedule_response (SatoriMdnsSession *session, gint64 now_us)
{
  if (!session->config.answer || session->addresses->len == 0)
    return;
  gint64 due = MAX (now_us, session->last_response_us + RESPONSE_SPACING_US);
  session->response_due_us = MIN (session->response_due_us, due);
}

static void
step (SatoriMdnsSession *session, gint64 now_us)
{
  if (now_us >= session->next_query_us)
    {
      send_query (session);
      session->next_query_us = now_us + session->query_interval_us;
      session->query_interval_us = MIN (session->query_interval_us * 2,
                                        session->config.query_interval_max_us);
    }
  if (now_us >= session->response_due_us)
    {
      send_response (session);
      session->last_response_us = now_us;
      session->response_due_us = G_MAXINT64;
    }
  for (guint i = session->peers->len; i-- > 0;)
    {
      Peer *peer = session->peers->pdata[i];
      if (now_us < peer->expires_us)
        continue;
      emit (session, SATORI_MDNS_PEER_EXPIRED, peer);
      g_ptr_array_remove_index (session->peers, i);
    }
}

/**
 * satori_mdns_session_set_addresses:
 * @session: a session
 * @addresses: (element-type SatoriMultiaddr): this host's addresses; those
 *   not starting with `/ip4/` or `/ip6/` are left out, `/p2p/` is dropped
 * @now_us: the current time
 *
 * When they changed, they are announced (an unsolicited response).
 */
void
satori_mdns_session_set_addresses (SatoriMdnsSession *session, GPtrArray *addresses,
                                   gint64 now_us)
{
  g_autoptr(GPtrArray) kept = address_array_new ();

  for (guint i = 0; i < addresses->len; i++)
    {
      guint32 code;
      if (!satori_multiaddr_get_component (addresses->pdata[i], 0, &code, NULL, NULL) ||
          (code != SATORI_PROTO_IP4 && code != SATORI_PROTO_IP6) ||
          satori_multiaddr_has_protocol (addresses->pdata[i], SATORI_PROTO_P2P_CIRCUIT))
        continue;
      SatoriMultiaddr *address = satori_multiaddr_decapsulate (addresses->pdata[i], SATORI_PROTO_P2P);
      if (satori_multiaddr_get_n_components (address) == 0 ||
          g_ptr_array_find_with_equal_func (kept, address, satori_multiaddr_equal, NULL))
        satori_multiaddr_unref (address);
      else
        g_ptr_array_add (kept, address);
    }
  gboolean same = kept->len == session->addresses->len;
  for (guint i = 0; same && i < kept->len; i++)
    same = satori_multiaddr_equal (kept->pdata[i], session->addresses->pdata[i]);
  if (same)
    return;
  g_ptr_array_unref (session->addresses);
  session->addresses = g_steal_pointer (&kept);
  schedule_response (session, now_us);
  step (session, now_us);
}

/**
 * satori_mdns_session_restart_queries:
 * @session: a session
 * @now_us: the current time
 *
 * Queries now and then at the initial interval again, as after a change
 * of the network (an interface came up).
 */
void
satori_mdns_session_restart_queries (SatoriMdnsSession *session, gint64 now_us)
{
  session->next_query_us = now_us;
  session->query_interval_us = session->config.query_interval_initial_us;
  step (session, now_us);
}

/* --- what we receive --- */

/* Whether we answer @question; a meta-query also marks the response to
 * name our service type. */
static gboolean
question_is_ours (SatoriMdnsSession *session, const SatoriMdnsQuestion *question)
{
  gboolean any = question->type == SATORI_MDNS_TYPE_ANY;

  if (question->klass != SATORI_MDNS_CLASS_IN && question->klass != SATORI_MDNS_CLASS_ANY)
    return FALSE;
  if (satori_mdns_name_equal (question->name, SATORI_MDNS_SERVICE))
    return any || question->type == SATORI_MDNS_TYPE_PTR;
  if (satori_mdns_name_equal (question->name, SERVICES_NAME) &&
      (any || question->type == SATORI_MDNS_TYPE_PTR))
    {
      session->services_asked = TRUE;
      return TRUE;
    }
  if (satori_mdns_name_equal (question->name, session->instance))
    return any || question->type == SATORI_MDNS_TYPE_TXT || question->type == SATORI_MDNS_TYPE_SRV;
  if (satori_mdns_name_equal (question->name, session->host_name))
    return any || question->type == SATORI_MDNS_TYPE_A || question->type == SATORI_MDNS_TYPE_AAAA;
  return FALSE;
}

static void
handle_query (SatoriMdnsSession *session, const SatoriMdnsMessage *query, gint64 now_us)
{
  gboolean ours = FALSE;
  for (guint i = 0; i < query->questions->len; i++)
    ours |= question_is_ours (session, query->questions->pdata[i]);
  if (ours)
    schedule_response (session, now_us);
}

/* The peer-name label of a PTR target `<label>._p2p._udp.local`, or NULL. */
static char *
instance_label (const char *target)
{
  gsize len = strlen (target), suffix = strlen ("." SATORI_MDNS_SERVICE);
  if (len <= suffix || !satori_mdns_name_equal (target + len - suffix, "." SATORI_MDNS_SERVICE))
    return NULL;
  char *label = g_strndup (target, len - suffix);
  if (strchr (label, '.') != NULL)
    g_clear_pointer (&label, g_free);
  return label;
}

static void
take_dnsaddr (SatoriMdnsSession *session, GBytes *string, SatoriPeerId **peer, GPtrArray *addresses)
{
  gsize len;
  const char *data = g_bytes_get_data (string, &len);
  gsize prefix = strlen (DNSADDR_PREFIX);

  if (len <= prefix || g_ascii_strncasecmp (data, DNSADDR_PREFIX, prefix) != 0 ||
      memchr (data, '\0', len) != NULL || addresses->len >= session->config.max_addresses)
    return;
  g_autofree char *text = g_strndup (data + prefix, len - prefix);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (text, &error);
  g_autoptr(GBytes) id = address != NULL ? satori_multiaddr_get_peer_id_bytes (address) : NULL;
  if (id == NULL)
    {
      g_debug ("mdns: ignoring “%s”: %s", text,
               error != NULL ? error->message : "it has no /p2p/");
      return;
    }
  g_autoptr(SatoriPeerId) from =
    satori_peer_id_new_from_bytes (g_bytes_get_data (id, NULL), g_bytes_get_size (id), NULL);
  if (from == NULL || (*peer != NULL && !satori_peer_id_equal (from, *peer)))
    return;
  if (*peer == NULL)
    *peer = g_steal_pointer (&from);
  SatoriMultiaddr *bare = satori_multiaddr_decapsulate (address, SATORI_PROTO_P2P);
  if (satori_multiaddr_get_n_components (bare) == 0 ||
      g_ptr_array_find_with_equal_func (addresses, bare, satori_multiaddr_equal, NULL))
    satori_multiaddr_unref (bare);
  else
    g_ptr_array_add (addresses, bare);
}

static void
collect_txt (SatoriMdnsSession *session, GPtrArray *records, const char *instance,
             SatoriPeerId **peer, GPtrArray *addresses)
{
  for (guint i = 0; i < records->len; i++)
    {
      const SatoriMdnsRecord *record = records->pdata[i];
      if (record->type != SATORI_MDNS_TYPE_TXT || !satori_mdns_name_equal (record->name, instance))
        continue;
      for (guint s = 0; s < record->strings->len; s++)
        take_dnsaddr (session, record->strings->pdata[s], peer, addresses);
    }
}

static Peer *
find_peer (SatoriMdnsSession *session, SatoriPeerId *id, const char *name)
{
  for (guint i = 0; i < session->peers->len; i++)
    {
      Peer *peer = session->peers->pdata[i];
      if (id != NULL ? satori_peer_id_equal (peer->peer, id) : satori_mdns_name_equal (peer->name, name))
        return peer;
    }
  return NULL;
}

static gboolean
same_addresses (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_ptr_array_find_with_equal_func (b, a->pdata[i], satori_multiaddr_equal, NULL))
      return FALSE;
  return TRUE;
}

static void
learn (SatoriMdnsSession *session, SatoriPeerId *id, const char *name, GPtrArray *addresses,
       guint32 ttl, gint64 now_us)
{
  Peer *peer = find_peer (session, id, NULL);
  if (peer == NULL)
    {
      if (session->peers->len >= session->config.max_peers)
        {
          g_debug ("mdns: peer table full (%u)", session->config.max_peers);
          return;
        }
      peer = g_new0 (Peer, 1);
      peer->peer = satori_peer_id_ref (id);
      peer->addresses = address_array_new ();
      g_ptr_array_add (session->peers, peer);
    }
  g_free (peer->name);
  peer->name = g_strdup (name);
  peer->expires_us = now_us + (gint64) ttl * G_USEC_PER_SEC;
  if (peer->addresses->len > 0 && same_addresses (peer->addresses, addresses))
    return;
  g_ptr_array_unref (peer->addresses);
  peer->addresses = g_ptr_array_ref (addresses);
  emit (session, SATORI_MDNS_PEER_DISCOVERED, peer);
}

static void
forget (SatoriMdnsSession *session, const char *name)
{
  Peer *peer = find_peer (session, NULL, name);
  if (peer == NULL)
    return;
  emit (session, SATORI_MDNS_PEER_EXPIRED, peer);
  g_ptr_array_remove_fast (session->peers, peer);
}

static void
handle_ptr (SatoriMdnsSession *session, const SatoriMdnsMessage *response,
            const SatoriMdnsRecord *ptr, gint64 now_us)
{
  g_autofree char *name = instance_label (ptr->target);
  if (name == NULL || satori_mdns_name_equal (name, session->peer_name))
    return;   /* not a peer's, or our own answer */
  if (ptr->ttl == 0)
    {
      forget (session, name);
      return;
    }

  g_autoptr(SatoriPeerId) peer = NULL;
  g_autoptr(GPtrArray) addresses = address_array_new ();
  collect_txt (session, response->answers, ptr->target, &peer, addresses);
  collect_txt (session, response->additionals, ptr->target, &peer, addresses);
  if (peer == NULL || satori_peer_id_equal (peer, session->local))
    return;
  learn (session, peer, name, addresses, ptr->ttl, now_us);
}

static void
handle_response (SatoriMdnsSession *session, const SatoriMdnsMessage *response, gint64 now_us)
{
  guint taken = 0;

  /* PTRs are answers (the spec, js); go-libp2p reads every section. */
  for (guint s = 0; s < 2; s++)
    {
      GPtrArray *records = s == 0 ? response->answers : response->additionals;
      for (guint i = 0; i < records->len && taken < session->config.max_peers; i++)
        {
          const SatoriMdnsRecord *record = records->pdata[i];
          if (record->type != SATORI_MDNS_TYPE_PTR ||
              !satori_mdns_name_equal (record->name, SATORI_MDNS_SERVICE))
            continue;
          taken++;
          handle_ptr (session, response, record, now_us);
        }
    }
}

/**
 * satori_mdns_session_handle_datagram:
 * @session: a session
 * @data: (array length=len): a datagram received on the mDNS port
 * @len: its length
 * @now_us: the current time
 * @error: %SATORI_MDNS_ERROR_MALFORMED
 *
 * A query for `_p2p._udp.local` (or our instance or host name, or the
 * DNS-SD meta-query `_services._dns-sd._udp.local`) is answered, at most
 * once a second; a response's peers are remembered.
 * Answers naming our own peer name or id are ignored.
 *
 * Returns: whether @data was a DNS message
 */
gboolean
satori_mdns_session_handle_datagram (SatoriMdnsSession *session, const guint8 *data, gsize len,
                                     gint64 now_us, GError **error)
{
  g_autoptr(SatoriMdnsMessage) message = satori_mdns_message_decode (data, len, error);
  if (message == NULL)
    return FALSE;
  if (satori_mdns_message_is_response (message))
    handle_response (session, message, now_us);
  else
    handle_query (session, message, now_us);
  step (session, now_us);
  return TRUE;
}

/**
 * satori_mdns_session_handle_timeout:
 * @session: a session
 * @now_us: the current time
 */
void
satori_mdns_session_handle_timeout (SatoriMdnsSession *session, gint64 now_us)
{
  step (session, now_us);
}

/**
 * satori_mdns_session_next_deadline_us:
 * @session: a session
 *
 * Returns: when satori_mdns_session_handle_timeout() is due: the next
 *   query, a held-back response or a peer's expiry
 */
gint64
satori_mdns_session_next_deadline_us (SatoriMdnsSession *session)
{
  gint64 deadline = MIN (session->next_query_us, session->response_due_us);
  for (guint i = 0; i < session->peers->len; i++)
    deadline = MIN (deadline, ((Peer *) session->peers->pdata[i])->expires_us);
  return deadline;
}

/**
 * satori_mdns_session_poll_transmit:
 * @session: a session
 *
 * Returns: (transfer full) (nullable): the next datagram to multicast on
 *   every interface, or %NULL
 */
GBytes *
satori_mdns_session_poll_transmit (SatoriMdnsSession *session)
{
  return g_queue_pop_head (&session->transmits);
}

/**
 * satori_mdns_session_goodbye:
 * @session: a session
 *
 * What to send when stopping: our PTR with TTL 0, so that peers forget us
 * at once (RFC 6762 §10.1) rather than when our records run out.
 *
 * Returns: (transfer full) (nullable): the datagram to multicast, or
 *   %NULL when we never answered
 */
GBytes *
satori_mdns_session_goodbye (SatoriMdnsSession *session)
{
  if (session->last_response_us == G_MININT64 / 2)
    return NULL;
  g_autoptr(SatoriMdnsMessage) goodbye =
    satori_mdns_message_new (SATORI_MDNS_FLAG_RESPONSE | SATORI_MDNS_FLAG_AUTHORITATIVE);
  SatoriMdnsRecord *ptr = satori_mdns_record_new (SATORI_MDNS_SERVICE, SATORI_MDNS_TYPE_PTR, 0);
  ptr->target = g_strdup (session->instance);
  g_ptr_array_add (goodbye->answers, ptr);
  return satori_mdns_message_encode (goodbye, session->config.max_message, NULL);
}

/**
 * satori_mdns_session_poll_event:
 * @session: a session
 * @event: (out caller-allocates): the next event; clear it with
 *   satori_mdns_event_clear()
 *
 * Returns: whether there was one
 */
gboolean
satori_mdns_session_poll_event (SatoriMdnsSession *session, SatoriMdnsEvent *event)
{
  g_autofree SatoriMdnsEvent *next = g_queue_pop_head (&session->events);
  if (next == NULL)
    return FALSE;
  *event = *next;
  return TRUE;
}

/**
 * satori_mdns_session_get_n_peers:
 * @session: a session
 *
 * Returns: the peers remembered (not expired)
 */
guint
satori_mdns_session_get_n_peers (SatoriMdnsSession *session)
{
  return session->peers->len;
}

/**
 * satori_mdns_session_get_peers:
 * @session: a session
 * @limit: how many at most; 0 for all
 *
 * Returns: (transfer container) (element-type SatoriPeerInfo): the peers
 *   remembered, with their addresses
 */
GPtrArray *
satori_mdns_session_get_peers (SatoriMdnsSession *session, guint limit)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_info_unref);
  for (guint i = 0; i < session->peers->len && (limit == 0 || i < limit); i++)
    {
      Peer *peer = session->peers->pdata[i];
      g_ptr_array_add (result, satori_peer_info_new (peer->peer, peer->addresses));
    }
  return result;
}
