/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-host.h"
#include "satori-host-discovery-private.h"
#include "satori-host-reachability.h"

#include <glib/gi18n-lib.h>

#include "satori-conn-manager.h"
#include "satori-connection-private.h"
#include "satori-errors.h"
#include "satori-interface-addresses.h"
#include "satori-multiaddr.h"
#include "satori-multistream-io.h"
#include "satori-peer-id.h"
#include "satori-private-key.h"
#include "satori-pubsub.h"
#include "satori-stream-counts.h"
#include "satori-upgrader.h"

/**
 * SatoriHost:
 *
 * A libp2p host. It listens and dials through its transports, upgrades
 * every connection (security, then muxer), keeps one table of connections
 * by peer and a #SatoriPeerstore, and hands each inbound stream, once its
 * protocol is negotiated, to the #SatoriProtocolHandler registered for it.
 *
 * All work runs on the thread-default #GMainContext of the thread that
 * created the host.
 *
 * Emits #SatoriHost::peer-connected and #SatoriHost::peer-disconnected
 * for every connection opened or closed, in either direction.
 *
 * When two peers dial each other at once, or a second connection to a
 * connected peer comes up, both connections stay open and keep serving
 * their streams; new streams go to the one both ends agree on (see
 * satori_host_get_connection()). A connection manager closes the least
 * valuable connections, redundant ones first, once there are more than
 * #SatoriHost:high-water (go-libp2p's model).
 */
struct _SatoriHost
{
  GObject parent_instance;

  SatoriPrivateKey *key;
  SatoriPeerId *peer_id;
  SatoriPeerstore *peerstore;
  SatoriUpgrader *upgrader;
  GPtrArray *transports;     /* SatoriTransport */
  GPtrArray *listeners;      /* SatoriListener */
  GHashTable *handlers;      /* protocol id → SatoriProtocolHandler */
  SatoriRouting *routing;    /* the first handler attached that routes */
  GHashTable *connections;   /* SatoriPeerId → GPtrArray of SatoriConnection */
  GCancellable *cancellable; /* cancelled by satori_host_close () */
  guint upgrade_timeout;     /* seconds an upgrade may take */
  guint max_connections;     /* open and upgrading, all peers */
  guint upgrading;           /* connections being upgraded */
  SatoriConnManager *conn_manager;
  guint low_water;
  guint high_water;
  guint grace_period;        /* seconds */
  guint trim_timer;          /* the conn manager's next deadline */
  SatoriStreamCounts *stream_counts;
  SatoriReachability reachability;
};

enum
{
  PROP_0,
  PROP_UPGRADE_TIMEOUT,
  PROP_MAX_CONNECTIONS,
  PROP_LOW_WATER,
  PROP_HIGH_WATER,
  PROP_GRACE_PERIOD,
  PROP_REACHABILITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_PEER_CONNECTED,
  SIGNAL_PEER_DISCONNECTED,
  SIGNAL_PROTOCOLS_CHANGED,
  SIGNAL_ADDRESSES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SatoriHost, satori_host, G_TYPE_OBJECT)

static void
satori_host_dispose (GObject *object)
{
  SatoriHost *self = SATORI_HOST (object);

  satori_host_close (self);
  G_OBJECT_CLASS (satori_host_parent_class)->dispose (object);
}

static void
satori_host_finalize (GObject *object)
{
  SatoriHost *self = SATORI_HOST (object);

  g_object_unref (self->key);
  satori_peer_id_unref (self->peer_id);
  g_object_unref (self->peerstore);
  g_object_unref (self->upgrader);
  g_ptr_array_unref (self->transports);
  g_ptr_array_unref (self->listeners);
  g_hash_table_unref (self->handlers);
  g_hash_table_unref (self->connections);
  g_object_unref (self->cancellable);
  satori_conn_manager_free (self->conn_manager);
  satori_stream_counts_unref (self->stream_counts);
  G_OBJECT_CLASS (satori_host_parent_class)->finalize (object);
}

static void
satori_host_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SatoriHost *self = SATORI_HOST (object);

  switch (prop_id)
    {
    case PROP_UPGRADE_TIMEOUT:
      g_value_set_uint (value, self->upgrade_timeout);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_LOW_WATER:
      g_value_set_uint (value, self->low_water);
      break;
    case PROP_HIGH_WATER:
      g_value_set_uint (value, self->high_water);
      break;
    case PROP_GRACE_PERIOD:
      g_value_set_uint (value, self->grace_period);
      break;
    case PROP_REACHABILITY:
      g_value_set_enum (value, self->reachability);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_host_set_property (GObject *object, guint prop_id, const GValue *value,
                          GParamSpec *pspec)
{
  SatoriHost *self = SATORI_HOST (object);

  switch (prop_id)
    {
    case PROP_UPGRADE_TIMEOUT:
      self->upgrade_timeout = g_value_get_uint (value);
      break;
    case PROP_MAX_CONNECTIONS:
      self->max_connections = g_value_get_uint (value);
      break;
    case PROP_LOW_WATER:
      self->low_water = g_value_get_uint (value);
      break;
    case PROP_HIGH_WATER:
      self->high_water = g_value_get_uint (value);
      break;
    case PROP_GRACE_PERIOD:
      self->grace_period = g_value_get_uint (value);
      break;
    case PROP_REACHABILITY:
      if (self->reachability != (SatoriReachability) g_value_get_enum (value))
        {
          self->reachability = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      return;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
  satori_conn_manager_set_limits (self->conn_manager, self->low_water, self->high_water,
                                  self->grace_period * G_USEC_PER_SEC);
}

static void
satori_host_class_init (SatoriHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = satori_host_dispose;
  object_class->finalize = satori_host_finalize;
  object_class->get_property = satori_host_get_property;
  object_class->set_property = satori_host_set_property;

  /**
   * SatoriHost:upgrade-timeout:
   *
   * Seconds a connection, inbound or outbound, may take to finish its
   * security and muxer negotiation before it is dropped (a dial then
   * fails with %G_IO_ERROR_TIMED_OUT).
   */
  properties[PROP_UPGRADE_TIMEOUT] =
    g_param_spec_uint ("upgrade-timeout", NULL, NULL, 1, 600, 15,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriHost:max-connections:
   *
   * The most connections, open or being upgraded, the host keeps; inbound
   * connections beyond it are closed at once.
   */
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 1, G_MAXUINT, 1024,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriHost:low-water:
   *
   * The connection manager trims down to this many connections.
   */
  properties[PROP_LOW_WATER] =
    g_param_spec_uint ("low-water", NULL, NULL, 0, G_MAXUINT, 160,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriHost:high-water:
   *
   * With more open connections than this, the connection manager closes
   * the least valuable ones (never those of protected peers, see
   * satori_host_protect_peer()) down to #SatoriHost:low-water.
   */
  properties[PROP_HIGH_WATER] =
    g_param_spec_uint ("high-water", NULL, NULL, 0, G_MAXUINT, 192,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriHost:grace-period:
   *
   * Seconds a new connection is safe from the connection manager.
   */
  properties[PROP_GRACE_PERIOD] =
    g_param_spec_uint ("grace-period", NULL, NULL, 0, 24 * 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriHost:reachability:
   *
   * Whether other peers can dial the host (#SatoriReachability), as a
   * reachability source (the autonat plugin) found it; notified only when
   * it changes. satori_host_set_reachability() sets it.
   */
  properties[PROP_REACHABILITY] =
    g_param_spec_enum ("reachability", NULL, NULL, SATORI_TYPE_REACHABILITY,
                       SATORI_REACHABILITY_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SatoriHost::peer-connected:
   * @host: the host
   * @connection: the new #SatoriConnection
   *
   * A connection was upgraded, inbound or outbound.
   */
  signals[SIGNAL_PEER_CONNECTED] =
    g_signal_new ("peer-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SATORI_TYPE_CONNECTION);

  /**
   * SatoriHost::peer-disconnected:
   * @host: the host
   * @connection: the #SatoriConnection that closed
   *
   * A connection closed, from either side.
   */
  signals[SIGNAL_PEER_DISCONNECTED] =
    g_signal_new ("peer-disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SATORI_TYPE_CONNECTION);

  /**
   * SatoriHost::protocols-changed:
   * @host: the host
   *
   * A stream protocol handler was added or removed (identify pushes it).
   */
  signals[SIGNAL_PROTOCOLS_CHANGED] =
    g_signal_new ("protocols-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * SatoriHost::addresses-changed:
   * @host: the host
   *
   * The host listens at a new address (identify pushes it).
   */
  signals[SIGNAL_ADDRESSES_CHANGED] =
    g_signal_new ("addresses-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
satori_host_init (SatoriHost *self)
{
  self->peerstore = satori_peerstore_new ();
  self->transports = g_ptr_array_new_with_free_func (g_object_unref);
  self->listeners = g_ptr_array_new_with_free_func (g_object_unref);
  self->handlers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->connections = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                             (GDestroyNotify) satori_peer_id_unref,
                                             (GDestroyNotify) g_ptr_array_unref);
  self->cancellable = g_cancellable_new ();
  self->upgrade_timeout = 15;
  self->max_connections = 1024;
  self->low_water = 160;
  self->high_water = 192;
  self->grace_period = 60;
  self->conn_manager = satori_conn_manager_new (self->low_water, self->high_water,
                                                self->grace_period * G_USEC_PER_SEC);
  self->stream_counts = satori_stream_counts_new ();
}

/**
 * satori_host_new:
 * @key: the host's identity key
 *
 * Creates a host with no transports, security protocols, muxers or
 * handlers; add them before listening or dialing. Listeners and
 * connections keep the host alive: call satori_host_close() when done.
 *
 * Returns: (transfer full): a new #SatoriHost
 */
SatoriHost *
satori_host_new (SatoriPrivateKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  SatoriHost *self = g_object_new (SATORI_TYPE_HOST, NULL);
  self->key = g_object_ref (key);
  self->peer_id = satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
  self->upgrader = satori_upgrader_new (key);
  return self;
}

/**
 * satori_host_get_private_key:
 * @host: a #SatoriHost
 *
 * Returns: (transfer none): the identity key
 */
SatoriPrivateKey *
satori_host_get_private_key (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  return host->key;
}

/**
 * satori_host_get_peer_id:
 * @host: a #SatoriHost
 *
 * Returns: (transfer none): the host's peer id
 */
SatoriPeerId *
satori_host_get_peer_id (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  return host->peer_id;
}

/**
 * satori_host_get_peerstore:
 * @host: a #SatoriHost
 *
 * Returns: (transfer none): what the host knows of other peers
 */
SatoriPeerstore *
satori_host_get_peerstore (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  return host->peerstore;
}

/**
 * satori_host_add_transport:
 * @host: a #SatoriHost
 * @transport: a transport
 *
 * Adds @transport; for a dial or listen address the first transport that
 * takes it is used.
 */
void
satori_host_add_transport (SatoriHost *host, SatoriTransport *transport)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (SATORI_IS_TRANSPORT (transport));
  g_ptr_array_add (host->transports, g_object_ref (transport));
}

/**
 * satori_host_add_security:
 * @host: a #SatoriHost
 * @protocol_id: the protocol id, such as `/noise`
 * @security: the implementation
 *
 * Offers @security on new connections, after those added before.
 */
void
satori_host_add_security (SatoriHost *host, const char *protocol_id, SatoriSecurity *security)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  satori_upgrader_add_security (host->upgrader, protocol_id, security);
}

/**
 * satori_host_add_muxer:
 * @host: a #SatoriHost
 * @protocol_id: the protocol id, such as `/yamux/1.0.0`
 * @muxer: the implementation
 *
 * Offers @muxer on new connections, after those added before.
 */
void
satori_host_add_muxer (SatoriHost *host, const char *protocol_id, SatoriMuxer *muxer)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  satori_upgrader_add_muxer (host->upgrader, protocol_id, muxer);
}

static gboolean remove_handler (SatoriHost *host, const char *protocol_id);

/**
 * satori_host_set_handler:
 * @host: a #SatoriHost
 * @protocol_id: a stream protocol id, such as `/ipfs/ping/1.0.0`
 * @handler: what handles its inbound streams
 *
 * Routes inbound streams negotiated to @protocol_id to @handler, attaching
 * it to the host the first time. Replaces an earlier handler of the id.
 */
void
satori_host_set_handler (SatoriHost *host, const char *protocol_id,
                         SatoriProtocolHandler *handler)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (protocol_id != NULL);
  g_return_if_fail (SATORI_IS_PROTOCOL_HANDLER (handler));

  gboolean attached = FALSE;
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, host->handlers);
  while (!attached && g_hash_table_iter_next (&iter, NULL, &value))
    attached = value == (gpointer) handler;
  if (!attached)
    satori_protocol_handler_attach (handler, host);
  if (host->routing == NULL && SATORI_IS_ROUTING (handler))
    host->routing = g_object_ref (SATORI_ROUTING (handler));
  gboolean is_new = !g_hash_table_contains (host->handlers, protocol_id);
  if (!is_new)
    remove_handler (host, protocol_id);
  g_hash_table_insert (host->handlers, g_strdup (protocol_id), g_object_ref (handler));
  if (is_new)
    g_signal_emit (host, signals[SIGNAL_PROTOCOLS_CHANGED], 0);
}

/**
 * satori_host_remove_handler:
 * @host: a #SatoriHost
 * @protocol_id: a stream protocol id
 *
 * Stops routing @protocol_id; its handler is detached when it handles no
 * other protocol.
 */
void
satori_host_remove_handler (SatoriHost *host, const char *protocol_id)
{
  g_return_if_fail (SATORI_IS_HOST (host));

  if (remove_handler (host, protocol_id) && !g_cancellable_is_cancelled (host->cancellable))
    g_signal_emit (host, signals[SIGNAL_PROTOCOLS_CHANGED], 0);
}

/* Returns whether @protocol_id had a handler. */
static gboolean
remove_handler (SatoriHost *host, const char *protocol_id)
{
  gpointer key, value;
  if (!g_hash_table_steal_extended (host->handlers, protocol_id, &key, &value))
    return FALSE;
  g_free (key);
  g_autoptr(SatoriProtocolHandler) handler = value;

  GHashTableIter iter;
  gpointer other;
  g_hash_table_iter_init (&iter, host->handlers);
  while (g_hash_table_iter_next (&iter, NULL, &other))
    if (other == (gpointer) handler)
      return TRUE;
  satori_protocol_handler_detach (handler, host);
  return TRUE;
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * satori_host_get_protocols:
 * @host: a #SatoriHost
 *
 * Returns: (transfer full): the stream protocol ids the host handles,
 *   sorted
 */
GStrv
satori_host_get_protocols (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);

  GPtrArray *ids = g_ptr_array_new_null_terminated (g_hash_table_size (host->handlers), g_free,
                                                    TRUE);
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, host->handlers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  g_ptr_array_sort (ids, compare_ids);
  return (GStrv) g_ptr_array_free (ids, FALSE);
}

/**
 * satori_host_get_handler:
 * @host: a #SatoriHost
 * @protocol_id: a stream protocol id
 *
 * Returns: (transfer none) (nullable): the handler serving @protocol_id,
 *   or %NULL
 */
SatoriProtocolHandler *
satori_host_get_handler (SatoriHost *host, const char *protocol_id)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  g_return_val_if_fail (protocol_id != NULL, NULL);

  return g_hash_table_lookup (host->handlers, protocol_id);
}

/**
 * satori_host_get_pubsub:
 * @host: a #SatoriHost
 *
 * The publish/subscribe router the host serves: the handler set with
 * satori_host_set_handler() that implements #SatoriPubsub (a host built
 * from a configuration serves the one `[host] pubsub=` names).
 *
 * Returns: (transfer none) (nullable): the router, or %NULL when the host
 *   serves none
 */
SatoriPubsub *
satori_host_get_pubsub (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);

  GHashTableIter iter;
  gpointer handler;
  g_hash_table_iter_init (&iter, host->handlers);
  while (g_hash_table_iter_next (&iter, NULL, &handler))
    if (SATORI_IS_PUBSUB (handler))
      return handler;
  return NULL;
}

/**
 * satori_host_get_routing:
 * @host: a #SatoriHost
 *
 * The peer and content routing the host uses: the first handler given to
 * satori_host_set_handler() that implements #SatoriRouting (the `kad`
 * plugin's DHT). It stays the host's routing while it is out of the
 * handler table, as a DHT in client mode is, until the host closes.
 *
 * Returns: (transfer none) (nullable): the routing, or %NULL when the host
 *   has none
 */
SatoriRouting *
satori_host_get_routing (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  return host->routing;
}

/* --- connections --- */

static void on_connection_closed (SatoriMuxedConnection *muxed, GError *error,
                                  SatoriConnection *connection);
static void on_stream_accepted (SatoriMuxedConnection *muxed, GIOStream *stream,
                                SatoriConnection *connection);
static void trim_connections (SatoriHost *host);

static void
add_connection (SatoriHost *host, SatoriConnection *connection)
{
  SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
  GPtrArray *list = g_hash_table_lookup (host->connections, peer);

  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (host->connections, satori_peer_id_ref (peer), list);
    }
  g_ptr_array_add (list, g_object_ref (connection));
  if (satori_connection_get_remote_address (connection) != NULL &&
      satori_connection_get_direction (connection) == SATORI_DIRECTION_OUTBOUND)
    satori_peerstore_add_address (host->peerstore, peer,
                                  satori_connection_get_remote_address (connection));

  SatoriMuxedConnection *muxed = satori_connection_get_muxed (connection);
  g_object_set_data (G_OBJECT (connection), "satori-host", host);
  g_signal_connect_object (muxed, "stream-accepted", G_CALLBACK (on_stream_accepted),
                           connection, 0);
  g_signal_connect_object (muxed, "closed", G_CALLBACK (on_connection_closed), connection, 0);
  _satori_connection_set_stream_counts (connection, host->stream_counts);

  satori_conn_manager_add (host->conn_manager, connection, peer, g_get_monotonic_time ());

  g_autofree char *peer_text = satori_peer_id_to_string (peer);
  g_debug ("Connected to %s (%s)", peer_text,
           satori_connection_get_direction (connection) == SATORI_DIRECTION_INBOUND
           ? "inbound" : "outbound");
  g_signal_emit (host, signals[SIGNAL_PEER_CONNECTED], 0, connection);
  trim_connections (host);
}

static void
on_connection_closed (SatoriMuxedConnection *muxed, GError *error, SatoriConnection *connection)
{
  SatoriHost *host = g_object_get_data (G_OBJECT (connection), "satori-host");
  SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
  GPtrArray *list = host ? g_hash_table_lookup (host->connections, peer) : NULL;

  if (list == NULL)
    return;
  g_autoptr(SatoriConnection) kept = g_object_ref (connection);
  if (!g_ptr_array_remove (list, connection))
    return;
  satori_conn_manager_remove (host->conn_manager, connection);
  if (list->len == 0)
    g_hash_table_remove (host->connections, peer);

  g_autofree char *peer_text = satori_peer_id_to_string (peer);
  g_debug ("Disconnected from %s%s%s", peer_text, error ? ": " : "", error ? error->message : "");
  g_signal_emit (host, signals[SIGNAL_PEER_DISCONNECTED], 0, kept);
}

/* Whether the peer with the lower id dialed @connection. Both ends see
 * the same answer for the same connection, which is what lets them agree
 * on one connection after a simultaneous dial without talking about it. */
static gboolean
dialed_by_lower_id (SatoriHost *host, SatoriConnection *connection)
{
  gboolean we_are_lower = satori_peer_id_compare (host->peer_id,
                                                  satori_connection_get_remote_peer (connection)) < 0;
  return we_are_lower == (satori_connection_get_direction (connection) ==
                          SATORI_DIRECTION_OUTBOUND);
}

/**
 * satori_host_get_connection:
 * @host: a #SatoriHost
 * @peer: a peer
 *
 * Picks the connection new streams to @peer use. With several open (a
 * simultaneous dial, or a redial), it is the first one dialed by the
 * peer with the lower id (by satori_peer_id_compare()), so that both
 * ends pick the same connection: unlike rust-libp2p, which uses whichever
 * connection it has first, this keeps each protocol's streams on one
 * connection, which the other end may then close when idle. The other
 * connections keep serving the streams they carry until they close.
 *
 * Returns: (transfer none) (nullable): an open connection to @peer
 */
SatoriConnection *
satori_host_get_connection (SatoriHost *host, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  GPtrArray *list = g_hash_table_lookup (host->connections, peer);
  SatoriConnection *best = NULL;

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (list, i);
      if (satori_connection_is_closed (connection))
        continue;
      if (best == NULL ||
          (dialed_by_lower_id (host, connection) && !dialed_by_lower_id (host, best)))
        best = connection;
    }
  return best;
}

/* --- the connection manager --- */

static gboolean
on_trim_timer (gpointer user_data)
{
  SatoriHost *host = user_data;

  host->trim_timer = 0;
  trim_connections (host);
  return G_SOURCE_REMOVE;
}

/* Tells the manager how each connection is used, closes what it picks,
 * and comes back when connections in their grace period could go. */
static void
trim_connections (SatoriHost *host)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key, value;

  if (satori_conn_manager_get_count (host->conn_manager) <= host->high_water)
    return;
  g_hash_table_iter_init (&iter, host->connections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SatoriConnection *preferred = satori_host_get_connection (host, key);
      for (guint i = 0; i < ((GPtrArray *) value)->len; i++)
        {
          SatoriConnection *connection = g_ptr_array_index ((GPtrArray *) value, i);
          guint n_streams =
            satori_muxed_connection_get_n_streams (satori_connection_get_muxed (connection));
          satori_conn_manager_update (host->conn_manager, connection, n_streams,
                                      connection != preferred, now);
        }
    }

  g_autoptr(GPtrArray) victims = satori_conn_manager_trim (host->conn_manager, now);
  if (victims->len > 0)
    g_message ("Closing %u connections: more than %u open (trimming to %u)", victims->len,
               host->high_water, host->low_water);
  for (guint i = 0; i < victims->len; i++)
    satori_connection_close_async (g_ptr_array_index (victims, i), NULL, NULL, NULL);

  gint64 deadline = satori_conn_manager_next_deadline_us (host->conn_manager);
  g_clear_handle_id (&host->trim_timer, g_source_remove);
  if (deadline != G_MAXINT64)
    host->trim_timer = g_timeout_add ((guint) MAX ((deadline - now) / 1000 + 1, 1), on_trim_timer,
                                      host);
}

/**
 * satori_host_protect_peer:
 * @host: a #SatoriHost
 * @peer: a peer
 * @tag: who protects it, such as `relay`
 *
 * Keeps the connection manager from closing @peer's connections until
 * every tag that protects it is removed with satori_host_unprotect_peer().
 */
void
satori_host_protect_peer (SatoriHost *host, SatoriPeerId *peer, const char *tag)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (peer != NULL && tag != NULL);
  satori_conn_manager_protect (host->conn_manager, peer, tag);
}

/**
 * satori_host_unprotect_peer:
 * @host: a #SatoriHost
 * @peer: a peer
 * @tag: the tag given to satori_host_protect_peer()
 *
 * Removes one protection of @peer.
 *
 * Returns: whether another tag still protects @peer
 */
gboolean
satori_host_unprotect_peer (SatoriHost *host, SatoriPeerId *peer, const char *tag)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), FALSE);
  g_return_val_if_fail (peer != NULL && tag != NULL, FALSE);
  return satori_conn_manager_unprotect (host->conn_manager, peer, tag);
}

/**
 * satori_host_get_connections:
 * @host: a #SatoriHost
 *
 * Returns: (transfer container) (element-type SatoriConnection): every
 *   open connection
 */
GPtrArray *
satori_host_get_connections (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, host->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    for (guint i = 0; i < ((GPtrArray *) value)->len; i++)
      g_ptr_array_add (result, g_object_ref (g_ptr_array_index ((GPtrArray *) value, i)));
  return result;
}

/* --- streams --- */

/**
 * satori_host_get_stream_counts:
 * @host: a #SatoriHost
 *
 * How many streams were negotiated over the host's connections since it
 * started, by protocol id and direction (inbound: the remote opened it).
 *
 * Returns: (transfer floating): an `a{s(tt)}` dictionary, protocol id →
 *   (inbound, outbound)
 */
GVariant *
satori_host_get_stream_counts (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);

  return satori_stream_counts_to_variant (host->stream_counts);
}

/**
 * satori_host_get_protocol_traffic:
 * @host: a #SatoriHost
 *
 * The application bytes and messages that went through the streams of
 * satori_host_get_stream_counts(), by protocol id, since the host
 * started. Negotiation bytes and muxer framing are not counted; messages
 * are counted for protocols whose framing is registered with
 * satori_message_framing_register().
 *
 * Returns: (transfer floating): an `a{s(tttt)}` dictionary, protocol id →
 *   (bytes received, bytes sent, messages received, messages sent)
 */
GVariant *
satori_host_get_protocol_traffic (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);

  return satori_stream_counts_traffic_to_variant (host->stream_counts);
}

static void
on_inbound_negotiated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SatoriConnection) connection = user_data;
  SatoriHost *host = g_object_get_data (G_OBJECT (connection), "satori-host");
  GIOStream *stream = G_IO_STREAM (source);
  g_autoptr(GError) error = NULL;

  g_autofree char *protocol = satori_multistream_handle_finish (stream, result, &error);
  if (protocol == NULL || host == NULL)
    {
      if (error != NULL)
        g_debug ("Inbound stream dropped: %s", error->message);
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  SatoriProtocolHandler *handler = g_hash_table_lookup (host->handlers, protocol);
  if (handler == NULL)
    {
      /* Removed while negotiating. */
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  g_autoptr(GIOStream) counted = satori_stream_counts_track (host->stream_counts, stream, protocol,
                                                             SATORI_DIRECTION_INBOUND);
  satori_protocol_handler_handle_stream (handler, counted, protocol,
                                         satori_connection_get_remote_peer (connection),
                                         satori_connection_get_remote_address (connection));
}

static void
on_stream_accepted (SatoriMuxedConnection *muxed, GIOStream *stream, SatoriConnection *connection)
{
  SatoriHost *host = g_object_get_data (G_OBJECT (connection), "satori-host");

  if (host == NULL)
    {
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  g_auto(GStrv) protocols = satori_host_get_protocols (host);

  /* The negotiation holds the stream; each step keeps the connection. */
  satori_multistream_handle_async (stream, (const char * const *) protocols, host->cancellable,
                                   on_inbound_negotiated, g_object_ref (connection));
}

/* --- listening --- */

static void accept_next (SatoriHost *host, SatoriListener *listener);

/* A connection being upgraded, either way. It must finish within the
 * upgrade timeout, so a peer that connects and stays silent holds nothing
 * for long; a failed one is closed, with the reason logged (inbound) or
 * returned to the dialer (outbound, @task). */
typedef struct
{
  SatoriHost *host;
  GObject *raw;
  GTask *task;                      /* outbound only */
  GCancellable *cancellable;        /* cancelled by the timer, host close, the caller */
  GCancellable *caller_cancellable; /* outbound only */
  gulong caller_cancelled;
  gulong host_closed;
  guint timer;
  gboolean timed_out;
} Upgrade;

static gboolean
on_upgrade_timeout (gpointer user_data)
{
  Upgrade *upgrade = user_data;

  upgrade->timer = 0;
  upgrade->timed_out = TRUE;
  g_cancellable_cancel (upgrade->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancelled, GCancellable *upgrade_cancellable)
{
  g_cancellable_cancel (upgrade_cancellable);
}

static void
close_raw (GObject *raw)
{
  if (G_IS_IO_STREAM (raw))
    g_io_stream_close_async (G_IO_STREAM (raw), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  else if (SATORI_IS_MUXED_CONNECTION (raw))
    satori_muxed_connection_close_async (SATORI_MUXED_CONNECTION (raw), NULL, NULL, NULL);
}

static void
upgrade_free (Upgrade *upgrade)
{
  g_clear_handle_id (&upgrade->timer, g_source_remove);
  g_cancellable_disconnect (upgrade->host->cancellable, upgrade->host_closed);
  if (upgrade->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (upgrade->caller_cancellable, upgrade->caller_cancelled);
      g_object_unref (upgrade->caller_cancellable);
    }
  upgrade->host->upgrading--;
  g_object_unref (upgrade->raw);
  g_object_unref (upgrade->cancellable);
  g_object_unref (upgrade->host);
  g_free (upgrade);
}

static void
on_upgraded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Upgrade *upgrade = user_data;
  SatoriHost *host = upgrade->host;
  GError *error = NULL;
  SatoriConnection *connection = satori_upgrader_upgrade_finish (SATORI_UPGRADER (source), result,
                                                                 &error);
  GTask *task = upgrade->task;

  if (connection == NULL)
    {
      close_raw (upgrade->raw);
      if (upgrade->timed_out)
        {
          g_clear_error (&error);
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("The connection was not secured and multiplexed within %u s"),
                       host->upgrade_timeout);
        }
    }
  else
    add_connection (host, connection);

  if (task != NULL)
    {
      if (connection != NULL)
        g_task_return_pointer (task, connection, g_object_unref);
      else
        g_task_return_error (task, error);
      g_object_unref (task);
    }
  else
    {
      if (connection == NULL && !g_cancellable_is_cancelled (host->cancellable))
        g_message ("Inbound connection refused: %s", error->message);
      g_clear_error (&error);
      g_clear_object (&connection);
    }
  upgrade_free (upgrade);
}

/* Upgrades @raw; an outbound @task gets the connection. */
static void
start_upgrade (SatoriHost *host, GObject *raw, SatoriMultiaddr *remote, SatoriPeerId *expected,
         GTask *task)
{
  Upgrade *upgrade = g_new0 (Upgrade, 1);
  SatoriDirection direction = task != NULL ? SATORI_DIRECTION_OUTBOUND : SATORI_DIRECTION_INBOUND;

  upgrade->host = g_object_ref (host);
  upgrade->raw = g_object_ref (raw);
  upgrade->task = task;
  upgrade->cancellable = g_cancellable_new ();
  upgrade->timer = g_timeout_add_seconds (host->upgrade_timeout, on_upgrade_timeout, upgrade);
  upgrade->host_closed = g_cancellable_connect (host->cancellable, G_CALLBACK (on_cancelled),
                                                upgrade->cancellable, NULL);
  if (task != NULL && g_task_get_cancellable (task) != NULL)
    {
      upgrade->caller_cancellable = g_object_ref (g_task_get_cancellable (task));
      upgrade->caller_cancelled = g_cancellable_connect (upgrade->caller_cancellable,
                                                         G_CALLBACK (on_cancelled),
                                                         upgrade->cancellable, NULL);
    }
  host->upgrading++;
  satori_upgrader_upgrade_async (host->upgrader, raw, remote, direction, expected,
                                 upgrade->cancellable, on_upgraded, upgrade);
}

static guint
count_connections (SatoriHost *host)
{
  guint n = host->upgrading;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, host->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += ((GPtrArray *) value)->len;
  return n;
}

static void
upgrade_inbound (SatoriHost *host, GObject *raw, SatoriMultiaddr *remote)
{
  if (count_connections (host) >= host->max_connections)
    {
      g_message ("Inbound connection closed: the limit of %u connections is reached",
                 host->max_connections);
      close_raw (raw);
      return;
    }

  start_upgrade (host, raw, remote, NULL, NULL);
}

static void
on_accepted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SatoriHost) host = user_data;
  SatoriListener *listener = SATORI_LISTENER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) remote = NULL;

  g_autoptr(GObject) raw = satori_listener_accept_finish (listener, result, &remote, &error);
  if (raw == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Accepting failed: %s", error->message);
      return;
    }
  upgrade_inbound (host, raw, remote);
  accept_next (host, listener);
}

static void
accept_next (SatoriHost *host, SatoriListener *listener)
{
  satori_listener_accept_async (listener, host->cancellable, on_accepted, g_object_ref (host));
}

static SatoriTransport *
find_transport (SatoriHost *host, SatoriMultiaddr *address, gboolean for_listen)
{
  for (guint i = 0; i < host->transports->len; i++)
    {
      SatoriTransport *transport = g_ptr_array_index (host->transports, i);
      if (for_listen ? satori_transport_can_listen (transport, address)
                     : satori_transport_can_dial (transport, address))
        return transport;
    }
  return NULL;
}

static void
on_listening (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriHost *host = g_task_get_source_object (task);
  GError *error = NULL;

  SatoriListener *listener = satori_transport_listen_finish (SATORI_TRANSPORT (source), result,
                                                             &error);
  if (listener == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_add (host->listeners, listener);
  accept_next (host, listener);
  g_signal_emit (host, signals[SIGNAL_ADDRESSES_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * satori_host_listen_async:
 * @host: a #SatoriHost
 * @address: where to listen, such as `/ip4/0.0.0.0/tcp/24600`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when listening or failed
 * @user_data: data for @callback
 *
 * Listens on @address with the first transport that can, and accepts,
 * upgrades and serves every inbound connection from then on.
 */
void
satori_host_listen_async (SatoriHost *host, SatoriMultiaddr *address, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (address != NULL);

  GTask *task = g_task_new (host, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_host_listen_async);
  SatoriTransport *transport = find_transport (host, address, TRUE);
  if (transport == NULL)
    {
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "no transport listens on %s", text);
      g_object_unref (task);
      return;
    }
  satori_transport_listen_async (transport, address, cancellable, on_listening, task);
}

/**
 * satori_host_listen_finish:
 * @host: a #SatoriHost
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when listening
 */
gboolean
satori_host_listen_finish (SatoriHost *host, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * satori_host_get_listen_addresses:
 * @host: a #SatoriHost
 *
 * Returns: (transfer container) (element-type SatoriMultiaddr): the
 *   addresses the host's listeners are reachable at
 */
GPtrArray *
satori_host_get_listen_addresses (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);

  for (guint i = 0; i < host->listeners->len; i++)
    {
      g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (g_ptr_array_index (host->listeners, i));
      for (guint j = 0; j < addresses->len; j++)
        g_ptr_array_add (result, satori_multiaddr_ref (g_ptr_array_index (addresses, j)));
    }
  return result;
}

/**
 * satori_host_get_addresses:
 * @host: a #SatoriHost
 *
 * The addresses to tell peers about: the listen addresses, with an
 * unspecified IP (`/ip4/0.0.0.0`, `/ip6/::`) replaced by the machine's
 * interface addresses of that family, loopback included, IPv6
 * link-local addresses left out.
 *
 * Returns: (transfer container) (element-type SatoriMultiaddr): the
 *   addresses, without duplicates
 */
GPtrArray *
satori_host_get_addresses (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  g_autoptr(GPtrArray) listening = satori_host_get_listen_addresses (host);
  g_autoptr(GPtrArray) interfaces = satori_interface_addresses_get ();
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);

  for (guint i = 0; i < listening->len; i++)
    {
      g_autoptr(GPtrArray) expanded =
        satori_multiaddr_expand_unspecified (g_ptr_array_index (listening, i), interfaces);
      for (guint j = 0; j < expanded->len; j++)
        if (!g_ptr_array_find_with_equal_func (result, g_ptr_array_index (expanded, j),
                                               satori_multiaddr_equal, NULL))
          g_ptr_array_add (result, satori_multiaddr_ref (g_ptr_array_index (expanded, j)));
    }
  return result;
}

/* --- dialing --- */

static void
on_dialed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  SatoriHost *host = g_task_get_source_object (task);
  SatoriPeerId *expected = g_task_get_task_data (task);
  g_autoptr(SatoriMultiaddr) remote = NULL;
  GError *error = NULL;

  g_autoptr(GObject) raw = satori_transport_dial_finish (SATORI_TRANSPORT (source), result,
                                                         &remote, &error);
  if (raw == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  start_upgrade (host, raw, remote, expected, task);
}

/**
 * satori_host_connect_async:
 * @host: a #SatoriHost
 * @address: where to dial; when it ends in `/p2p/ID` the remote must prove
 *   to be that peer, and an open connection to it is reused
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the connection
 * @user_data: data for @callback
 *
 * Connects to a peer and upgrades the connection.
 */
void
satori_host_connect_async (SatoriHost *host, SatoriMultiaddr *address, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (address != NULL);

  GTask *task = g_task_new (host, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_host_connect_async);

  SatoriPeerId *expected = NULL;
  g_autoptr(GBytes) id_bytes = satori_multiaddr_get_peer_id_bytes (address);
  if (id_bytes != NULL)
    {
      GError *error = NULL;
      expected = satori_peer_id_new_from_bytes (g_bytes_get_data (id_bytes, NULL),
                                                g_bytes_get_size (id_bytes), &error);
      if (expected == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      g_task_set_task_data (task, expected, (GDestroyNotify) satori_peer_id_unref);
      SatoriConnection *existing = satori_host_get_connection (host, expected);
      if (existing != NULL)
        {
          g_task_return_pointer (task, g_object_ref (existing), g_object_unref);
          g_object_unref (task);
          return;
        }
    }

  SatoriTransport *transport = find_transport (host, address, FALSE);
  if (transport == NULL)
    {
      g_autofree char *text = satori_multiaddr_to_string (address);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "no transport dials %s", text);
      g_object_unref (task);
      return;
    }
  satori_transport_dial_async (transport, address, cancellable, on_dialed, task);
}

/**
 * satori_host_connect_finish:
 * @host: a #SatoriHost
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL on error
 */
SatoriConnection *
satori_host_connect_finish (SatoriHost *host, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- outbound streams --- */

typedef struct
{
  GStrv protocols;
  SatoriPeerId *peer;
  GPtrArray *addresses;   /* left to try when no connection is open */
} NewStream;

static void
new_stream_free (NewStream *new_stream)
{
  g_strfreev (new_stream->protocols);
  satori_peer_id_unref (new_stream->peer);
  g_clear_pointer (&new_stream->addresses, g_ptr_array_unref);
  g_free (new_stream);
}

static void
on_stream_opened (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *protocol = NULL;

  GIOStream *stream = satori_connection_open_stream_finish (SATORI_CONNECTION (source), result,
                                                            &protocol, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "protocol", protocol, g_free);
  g_task_return_pointer (task, stream, g_object_unref);
}

static void try_next_address (GTask *task, GError *last_error);

static void
on_stream_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  NewStream *new_stream = g_task_get_task_data (task);
  GError *error = NULL;

  g_autoptr(SatoriConnection) connection = satori_host_connect_finish (SATORI_HOST (source),
                                                                       result, &error);
  if (connection == NULL)
    {
      try_next_address (task, error);
      return;
    }
  satori_connection_open_stream_async (connection, (const char * const *) new_stream->protocols,
                                       g_task_get_cancellable (task), on_stream_opened, task);
}

/* Dials @task's peer at its next known address. */
static void
try_next_address (GTask *task, GError *last_error)
{
  SatoriHost *host = g_task_get_source_object (task);
  NewStream *new_stream = g_task_get_task_data (task);

  if (new_stream->addresses->len == 0)
    {
      if (last_error == NULL)
        g_set_error (&last_error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE,
                     "no known address for the peer");
      g_task_return_error (task, last_error);
      g_object_unref (task);
      return;
    }
  g_clear_error (&last_error);

  g_autoptr(SatoriMultiaddr) address = g_ptr_array_steal_index (new_stream->addresses, 0);
  g_autoptr(SatoriMultiaddr) with_peer = NULL;
  if (!satori_multiaddr_has_protocol (address, SATORI_PROTO_P2P))
    {
      GBytes *id = satori_peer_id_get_bytes (new_stream->peer);
      g_autoptr(SatoriMultiaddr) p2p = satori_multiaddr_new_p2p (g_bytes_get_data (id, NULL),
                                                                 g_bytes_get_size (id), NULL);
      with_peer = satori_multiaddr_encapsulate (address, p2p);
    }
  satori_host_connect_async (host, with_peer ? with_peer : address, g_task_get_cancellable (task),
                             on_stream_connected, task);
}

/**
 * satori_host_new_stream_async:
 * @host: a #SatoriHost
 * @peer: the peer
 * @protocols: (array zero-terminated=1): protocol ids to propose, preferred first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the stream
 * @user_data: data for @callback
 *
 * Opens a stream to @peer over an open connection, or over a new one
 * dialed at the addresses the peerstore knows, and negotiates one of
 * @protocols on it (a single protocol lazily: see
 * satori_connection_open_stream_async()).
 */
void
satori_host_new_stream_async (SatoriHost *host, SatoriPeerId *peer, const char * const *protocols,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (SATORI_IS_HOST (host));
  g_return_if_fail (peer != NULL);
  g_return_if_fail (protocols != NULL && protocols[0] != NULL);

  GTask *task = g_task_new (host, cancellable, callback, user_data);
  NewStream *new_stream = g_new0 (NewStream, 1);
  new_stream->protocols = g_strdupv ((char **) protocols);
  new_stream->peer = satori_peer_id_ref (peer);
  g_task_set_source_tag (task, satori_host_new_stream_async);
  g_task_set_task_data (task, new_stream, (GDestroyNotify) new_stream_free);

  SatoriConnection *connection = satori_host_get_connection (host, peer);
  if (connection != NULL)
    {
      satori_connection_open_stream_async (connection, protocols, cancellable, on_stream_opened,
                                           task);
      return;
    }
  new_stream->addresses = satori_peerstore_get_addresses (host->peerstore, peer);
  try_next_address (task, NULL);
}

/**
 * satori_host_new_stream_finish:
 * @host: a #SatoriHost
 * @result: the #GAsyncResult
 * @protocol: (out) (optional) (transfer full): the protocol agreed
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the stream, or %NULL on error
 */
GIOStream *
satori_host_new_stream_finish (SatoriHost *host, GAsyncResult *result, char **protocol,
                               GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), NULL);

  GIOStream *stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream != NULL && protocol != NULL)
    *protocol = g_strdup (g_object_get_data (G_OBJECT (result), "protocol"));
  return stream;
}

/**
 * satori_host_close:
 * @host: a #SatoriHost
 *
 * Stops listening, cancels what is under way and closes every connection
 * gracefully. Idempotent.
 */
void
satori_host_close (SatoriHost *host)
{
  g_return_if_fail (SATORI_IS_HOST (host));

  g_cancellable_cancel (host->cancellable);
  g_clear_handle_id (&host->trim_timer, g_source_remove);
  _satori_host_stop_discoveries (host);
  for (guint i = 0; i < host->listeners->len; i++)
    satori_listener_close (g_ptr_array_index (host->listeners, i));
  g_ptr_array_set_size (host->listeners, 0);

  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);
  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      g_object_set_data (G_OBJECT (connection), "satori-host", NULL);
      satori_conn_manager_remove (host->conn_manager, connection);
      satori_connection_close_async (connection, NULL, NULL, NULL);
    }
  g_hash_table_remove_all (host->connections);

  g_auto(GStrv) protocols = satori_host_get_protocols (host);
  for (guint i = 0; protocols[i] != NULL; i++)
    satori_host_remove_handler (host, protocols[i]);
  g_clear_object (&host->routing);
}
