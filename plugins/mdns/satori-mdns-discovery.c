/* satori-mdns-discovery.c — the GIO adapter of the mDNS session: sockets,
 * the clock and the host in, datagrams, signals and dials out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-mdns-discovery.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "satori-mdns-session.h"
#include "satori-mdns-socket.h"

#define MDNS_PORT 5353
/* Datagrams read in one go before other sources get their turn. */
#define READ_BURST 32

/**
 * SatoriMdnsDiscovery:
 *
 * A #SatoriDiscovery that finds peers on the local network by multicast
 * DNS (libp2p/specs `discovery/mdns.md`): it queries `_p2p._udp.local`
 * on every multicast interface (IPv4 224.0.0.251, IPv6 ff02::fb), answers
 * such queries with the #SatoriMdnsDiscovery:host's addresses as
 * `dnsaddr=` TXT records, adds the peers it hears of to the host's
 * peerstore, emits #SatoriDiscovery::peer-discovered and, with
 * #SatoriMdnsDiscovery:dial, connects to them. Stopping says goodbye
 * (our record with TTL 0). Configured by the `[mdns]` group.
 */
struct _SatoriMdnsDiscovery
{
  GObject parent_instance;

  SatoriHost        *host;
  gboolean           dial;
  gboolean           broadcast;
  guint              interval_s;
  guint              ttl_s;
  char              *peer_name;
  guint              port;
  gboolean           ipv6;
  guint              max_peers;

  SatoriMdnsSession *session;
  SatoriMdnsSocket  *sockets[2];   /* IPv4, IPv6 (NULL when off or failed) */
  GSource           *readers[2];
  GSource           *timer;
  GCancellable      *cancellable;  /* of the running dials */
  GHashTable        *dialing;      /* SatoriPeerId */
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_DIAL,
  PROP_BROADCAST,
  PROP_INTERVAL,
  PROP_TTL,
  PROP_PEER_NAME,
  PROP_PORT,
  PROP_IPV6,
  PROP_MAX_PEERS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void discovery_iface_init (SatoriDiscoveryInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriMdnsDiscovery, satori_mdns_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SATORI_TYPE_DISCOVERY,
                                                      discovery_iface_init))

static void pump (SatoriMdnsDiscovery *self);

/* --- dialing discovered peers --- */

typedef struct {
  SatoriMdnsDiscovery *self;
  SatoriPeerId        *peer;
  GPtrArray           *addresses;  /* with /p2p/ */
  guint                next;
} Dial;

static void
dial_free (Dial *dial)
{
  g_hash_table_remove (dial->self->dialing, dial->peer);
  g_object_unref (dial->self);
  satori_peer_id_unref (dial->peer);
  g_ptr_array_unref (dial->addresses);
  g_free (dial);
}

static void dial_next (Dial *dial);

static void
dial_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Dial *dial = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection =
    satori_host_connect_finish (SATORI_HOST (source), result, &error);

  if (connection != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      dial_free (dial);
      return;
    }
  g_autofree char *text = satori_multiaddr_to_string (dial->addresses->pdata[dial->next - 1]);
  g_debug ("mdns: dial to %s failed: %s", text, error->message);
  dial_next (dial);
}

static void
dial_next (Dial *dial)
{
  if (dial->next == dial->addresses->len)
    {
      dial_free (dial);
      return;
    }
  satori_host_connect_async (dial->self->host, dial->addresses->pdata[dial->next++],
                             dial->self->cancellable, dial_cb, dial);
}

static void
start_dial (SatoriMdnsDiscovery *self, SatoriPeerId *peer, GPtrArray *addresses)
{
  if (satori_host_get_connection (self->host, peer) != NULL ||
      g_hash_table_contains (self->dialing, peer))
    return;
  g_autofree char *id = satori_peer_id_to_string (peer);
  g_autofree char *suffix = g_strconcat ("/p2p/", id, NULL);
  g_autoptr(SatoriMultiaddr) p2p = satori_multiaddr_new_from_string (suffix, NULL);
  Dial *dial = g_new0 (Dial, 1);
  dial->self = g_object_ref (self);
  dial->peer = satori_peer_id_ref (peer);
  dial->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (dial->addresses, satori_multiaddr_encapsulate (addresses->pdata[i], p2p));
  g_hash_table_add (self->dialing, satori_peer_id_ref (peer));
  dial_next (dial);
}

/* --- the session's output --- */

static void
handle_event (SatoriMdnsDiscovery *self, SatoriMdnsEvent *event)
{
  g_autofree char *id = satori_peer_id_to_string (event->peer);

  if (event->type == SATORI_MDNS_PEER_EXPIRED)
    {
      g_debug ("mdns: %s is gone", id);
      return;
    }
  g_debug ("mdns: found %s with %u addresses", id, event->addresses->len);
  SatoriPeerstore *peerstore = satori_host_get_peerstore (self->host);
  for (guint i = 0; i < event->addresses->len; i++)
    satori_peerstore_add_address (peerstore, event->peer, event->addresses->pdata[i]);
  g_autoptr(SatoriPeerInfo) info = satori_peer_info_new (event->peer, event->addresses);
  g_signal_emit_by_name (self, "peer-discovered", info);
  if (self->dial && self->session != NULL)
    start_dial (self, event->peer, event->addresses);
}

static gboolean timer_cb (gpointer user_data);

/* Sends what the session queued, hands its events on, and sets the timer
 * to its next deadline. */
static void
pump (SatoriMdnsDiscovery *self)
{
  GBytes *datagram;
  SatoriMdnsEvent event;

  while (self->session != NULL && (datagram = satori_mdns_session_poll_transmit (self->session)))
    {
      for (guint i = 0; i < G_N_ELEMENTS (self->sockets); i++)
        if (self->sockets[i] != NULL)
          satori_mdns_socket_send (self->sockets[i], datagram);
      g_bytes_unref (datagram);
    }
  while (self->session != NULL && satori_mdns_session_poll_event (self->session, &event))
    {
      handle_event (self, &event);
      satori_mdns_event_clear (&event);
    }
  if (self->session == NULL)
    return;   /* stopped by a signal handler */

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  gint64 wait_ms = MAX (satori_mdns_session_next_deadline_us (self->session) -
                        g_get_monotonic_time (), 0) / 1000;
  self->timer = g_timeout_source_new ((guint) MIN (wait_ms, G_MAXUINT));
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

/* The host's addresses may change at any time (a listener added): the
 * session gets them before it answers anything. */
static void
refresh_addresses (SatoriMdnsDiscovery *self)
{
  g_autoptr(GPtrArray) addresses = satori_host_get_addresses (self->host);
  satori_mdns_session_set_addresses (self->session, addresses, g_get_monotonic_time ());
}

static gboolean
timer_cb (gpointer user_data)
{
  SatoriMdnsDiscovery *self = user_data;
  gboolean joined = FALSE;

  g_clear_pointer (&self->timer, g_source_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->sockets); i++)
    if (self->sockets[i] != NULL)
      joined |= satori_mdns_socket_update_interfaces (self->sockets[i]);
  refresh_addresses (self);
  /* A new interface is a new network: query it at once. */
  if (joined)
    satori_mdns_session_restart_queries (self->session, g_get_monotonic_time ());
  satori_mdns_session_handle_timeout (self->session, g_get_monotonic_time ());
  pump (self);
  return G_SOURCE_REMOVE;
}

static gboolean
readable_cb (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  SatoriMdnsDiscovery *self = user_data;
  guint8 buffer[9000];

  refresh_addresses (self);
  for (guint i = 0; i < READ_BURST && self->session != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize len = g_socket_receive_from (socket, NULL, (char *) buffer, sizeof buffer, NULL,
                                          &error);
      if (len < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_debug ("mdns: receive failed: %s", error->message);
          break;
        }
      if (!satori_mdns_session_handle_datagram (self->session, buffer, (gsize) len,
                                                g_get_monotonic_time (), &error))
        g_debug ("mdns: ignoring a datagram: %s", error->message);
      pump (self);
    }
  return G_SOURCE_CONTINUE;
}

/* --- SatoriDiscovery --- */

static char *
random_peer_name (void)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  gint32 len = g_random_int_range (SATORI_MDNS_PEER_NAME_MIN, SATORI_MDNS_PEER_NAME_MAX + 1);
  char *name = g_malloc (len + 1);
  for (gint32 i = 0; i < len; i++)
    name[i] = alphabet[g_random_int_range (0, sizeof alphabet - 1)];
  name[len] = '\0';
  return name;
}

static gboolean
open_sockets (SatoriMdnsDiscovery *self, GError **error)
{
  self->sockets[0] = satori_mdns_socket_new (G_SOCKET_FAMILY_IPV4, (guint16) self->port, error);
  if (self->sockets[0] == NULL)
    return FALSE;
  if (self->ipv6)
    {
      g_autoptr(GError) local = NULL;
      self->sockets[1] = satori_mdns_socket_new (G_SOCKET_FAMILY_IPV6, (guint16) self->port, &local);
      if (self->sockets[1] == NULL)
        g_debug ("mdns: no IPv6: %s", local->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->sockets); i++)
    {
      if (self->sockets[i] == NULL)
        continue;
      satori_mdns_socket_update_interfaces (self->sockets[i]);
      GSocket *socket = satori_mdns_socket_get_socket (self->sockets[i]);
      self->readers[i] = g_socket_create_source (socket, G_IO_IN, NULL);
      g_source_set_callback (self->readers[i], G_SOURCE_FUNC (readable_cb), self, NULL);
      g_source_attach (self->readers[i], g_main_context_get_thread_default ());
    }
  return TRUE;
}

static void
mdns_start_async (SatoriDiscovery *discovery, GCancellable *cancellable,
                  GAsyncReadyCallback callback, gpointer user_data)
{
  SatoriMdnsDiscovery *self = SATORI_MDNS_DISCOVERY (discovery);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, mdns_start_async);
  if (self->host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The mDNS discovery has no host"));
      return;
    }
  if (self->session != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->peer_name == NULL)
    self->peer_name = random_peer_name ();
  else if (strlen (self->peer_name) == 0 || strlen (self->peer_name) > SATORI_MDNS_PEER_NAME_MAX ||
           strchr (self->peer_name, '.') != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The mDNS peer name “%s” is not one DNS label"), self->peer_name);
      return;
    }
  if (!open_sockets (self, &error))
    {
      g_prefix_error (&error, _("Cannot open the mDNS socket: "));
      g_task_return_error (task, error);
      return;
    }

  SatoriMdnsConfig config;
  satori_mdns_config_init (&config);
  config.query_interval_max_us = MAX ((gint64) self->interval_s * G_USEC_PER_SEC,
                                      config.query_interval_initial_us);
  config.ttl_s = self->ttl_s;
  config.answer = self->broadcast;
  config.max_peers = self->max_peers;
  self->session = satori_mdns_session_new (&config, satori_host_get_peer_id (self->host),
                                           self->peer_name, g_get_monotonic_time ());
  self->cancellable = g_cancellable_new ();
  refresh_addresses (self);
  pump (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
mdns_start_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
mdns_stop (SatoriDiscovery *discovery)
{
  SatoriMdnsDiscovery *self = SATORI_MDNS_DISCOVERY (discovery);

  if (self->session == NULL)
    return;
  g_autoptr(GBytes) goodbye = satori_mdns_session_goodbye (self->session);
  for (guint i = 0; goodbye != NULL && i < G_N_ELEMENTS (self->sockets); i++)
    if (self->sockets[i] != NULL)
      satori_mdns_socket_send (self->sockets[i], goodbye);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (self->sockets); i++)
    {
      if (self->readers[i] != NULL)
        g_source_destroy (self->readers[i]);
      g_clear_pointer (&self->readers[i], g_source_unref);
      g_clear_pointer (&self->sockets[i], satori_mdns_socket_free);
    }
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
  g_clear_pointer (&self->session, satori_mdns_session_free);
}

static void
mdns_find_peers_async (SatoriDiscovery *discovery, const char *namespace_, guint limit,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  SatoriMdnsDiscovery *self = SATORI_MDNS_DISCOVERY (discovery);
  g_autoptr(GTask) task = g_task_new (discovery, cancellable, callback, user_data);

  g_task_set_source_tag (task, mdns_find_peers_async);
  if (namespace_ != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("mDNS has no namespaces"));
  else if (self->session == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                             _("The mDNS discovery is not started"));
  else
    g_task_return_pointer (task, satori_mdns_session_get_peers (self->session, limit),
                           (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
mdns_find_peers_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
mdns_advertise_async (SatoriDiscovery *discovery, const char *namespace_, guint ttl_seconds,
                      GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (discovery, cancellable, callback, user_data);
  g_task_set_source_tag (task, mdns_advertise_async);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("mDNS answers queries while it runs (see the broadcast property)"));
}

static guint
mdns_advertise_finish (SatoriDiscovery *discovery, GAsyncResult *result, GError **error)
{
  return (guint) MAX (g_task_propagate_int (G_TASK (result), error), 0);
}

static void
discovery_iface_init (SatoriDiscoveryInterface *iface)
{
  iface->start_async = mdns_start_async;
  iface->start_finish = mdns_start_finish;
  iface->stop = mdns_stop;
  iface->find_peers_async = mdns_find_peers_async;
  iface->find_peers_finish = mdns_find_peers_finish;
  iface->advertise_async = mdns_advertise_async;
  iface->advertise_finish = mdns_advertise_finish;
}

/* --- GObject --- */

static void
satori_mdns_discovery_dispose (GObject *object)
{
  SatoriMdnsDiscovery *self = SATORI_MDNS_DISCOVERY (object);
  mdns_stop (SATORI_DISCOVERY (self));
  g_clear_object (&self->host);
  G_OBJECT_CLASS (satori_mdns_discovery_parent_class)->dispose (object);
}

static void
satori_mdns_discovery_finalize (GObject *object)
{
  SatoriMdnsDiscovery *self = SATORI_MDNS_DISCOVERY (object);
  g_free (self->peer_name);
  g_hash_table_unref (self->dialing);
  G_OBJECT_CLASS (satori_mdns_discovery_parent_class)->finalize (object);
}

static void
satori_mdns_discovery_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  SatoriMdnsDiscovery *self = SATORI_MDNS_DISCOVERY (object);
  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;
    case PROP_DIAL:
      g_value_set_boolean (value, self->dial);
      break;
    case PROP_BROADCAST:
      g_value_set_boolean (value, self->broadcast);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_s);
      break;
    case PROP_TTL:
      g_value_set_uint (value, self->ttl_s);
      break;
    case PROP_PEER_NAME:
      g_value_set_string (value, self->peer_name);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_IPV6:
      g_value_set_boolean (value, self->ipv6);
      break;
    case PROP_MAX_PEERS:
      g_value_set_uint (value, self->max_peers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_mdns_discovery_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  SatoriMdnsDiscovery *self = SATORI_MDNS_DISCOVERY (object);
  switch (prop_id)
    {
    case PROP_HOST:
      g_set_object (&self->host, g_value_get_object (value));
      break;
    case PROP_DIAL:
      self->dial = g_value_get_boolean (value);
      break;
    case PROP_BROADCAST:
      self->broadcast = g_value_get_boolean (value);
      break;
    case PROP_INTERVAL:
      self->interval_s = g_value_get_uint (value);
      break;
    case PROP_TTL:
      self->ttl_s = g_value_get_uint (value);
      break;
    case PROP_PEER_NAME:
      g_free (self->peer_name);
      self->peer_name = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_IPV6:
      self->ipv6 = g_value_get_boolean (value);
      break;
    case PROP_MAX_PEERS:
      self->max_peers = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_mdns_discovery_class_init (SatoriMdnsDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = satori_mdns_discovery_dispose;
  object_class->finalize = satori_mdns_discovery_finalize;
  object_class->get_property = satori_mdns_discovery_get_property;
  object_class->set_property = satori_mdns_discovery_set_property;

  /**
   * SatoriMdnsDiscovery:host:
   *
   * The host whose addresses are announced and whose peerstore learns the
   * peers found.
   */
  props[PROP_HOST] = g_param_spec_object ("host", NULL, NULL, SATORI_TYPE_HOST, flags);
  /**
   * SatoriMdnsDiscovery:dial:
   *
   * Whether to connect to the peers found (js-libp2p 3 does not: it only
   * adds them to its peer store).
   */
  props[PROP_DIAL] = g_param_spec_boolean ("dial", NULL, NULL, FALSE, flags);
  /**
   * SatoriMdnsDiscovery:broadcast:
   *
   * Whether to answer queries, making this host known (js-libp2p's
   * `broadcast`).
   */
  props[PROP_BROADCAST] = g_param_spec_boolean ("broadcast", NULL, NULL, TRUE, flags);
  /**
   * SatoriMdnsDiscovery:interval:
   *
   * The longest wait between queries, in seconds: the first waits are 1 s,
   * doubled after each query up to this.
   */
  props[PROP_INTERVAL] = g_param_spec_uint ("interval", NULL, NULL, 1, 3600, 60, flags);
  /**
   * SatoriMdnsDiscovery:ttl:
   *
   * The TTL of our records, in seconds: how long peers remember us.
   */
  props[PROP_TTL] = g_param_spec_uint ("ttl", NULL, NULL, 1, 86400, 120, flags);
  /**
   * SatoriMdnsDiscovery:peer-name:
   *
   * The DNS label naming this peer (`<peer-name>._p2p._udp.local`); a
   * random one of 32 to 63 letters and digits when unset.
   */
  props[PROP_PEER_NAME] = g_param_spec_string ("peer-name", NULL, NULL, NULL, flags);
  /**
   * SatoriMdnsDiscovery:port:
   *
   * The UDP port (5353, the mDNS port).
   */
  props[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 1, 65535, MDNS_PORT, flags);
  /**
   * SatoriMdnsDiscovery:ipv6:
   *
   * Whether to use IPv6 (ff02::fb) besides IPv4 (224.0.0.251).
   */
  props[PROP_IPV6] = g_param_spec_boolean ("ipv6", NULL, NULL, TRUE, flags);
  /**
   * SatoriMdnsDiscovery:max-peers:
   *
   * Peers remembered at most; more are ignored until some expire.
   */
  props[PROP_MAX_PEERS] = g_param_spec_uint ("max-peers", NULL, NULL, 1, 65536, 64, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
satori_mdns_discovery_init (SatoriMdnsDiscovery *self)
{
  self->broadcast = TRUE;
  self->interval_s = 60;
  self->ttl_s = 120;
  self->port = MDNS_PORT;
  self->ipv6 = TRUE;
  self->max_peers = 64;
  self->dialing = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                         (GDestroyNotify) satori_peer_id_unref, NULL);
}
