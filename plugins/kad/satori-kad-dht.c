/* satori-kad-dht.c — the Kademlia DHT on a host: the GIO driver of
 * SatoriKadSession
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-kad-dht-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>


/**
 * SatoriKadDht:
 *
 * The Kademlia DHT (libp2p/specs `kad-dht/README.md`) on a host. It drives
 * a #SatoriKadSession: each request the session sends goes on a stream of
 * its own (#SatoriKadDht:protocol-id, `/ipfs/kad/1.0.0` by default), each
 * inbound stream is answered message by message, and one main-context
 * source follows the session's next deadline.
 *
 * Peers enter the routing table when identify shows they serve the DHT
 * (#SatoriPeerstore::protocols-changed lists the protocol id for a
 * connected peer). `/pk/` records are answered from the peerstore when the
 * store has none.
 *
 * In %SATORI_KAD_MODE_CLIENT the host neither advertises nor answers the
 * protocol. In %SATORI_KAD_MODE_AUTO (the default) it follows
 * #SatoriHost:reachability, which AutoNAT sets: client until the host is
 * found publicly reachable, server while it is, client again if it is
 * found private. Each switch adds or removes the protocol handler, which
 * identify push announces to connected peers.
 */

typedef struct
{
  GTask *task;
  SatoriKadDhtComplete complete;
  SatoriKadDhtFound found;     /* nullable */
  gpointer found_data;
} Op;

#define HOST_DATA_KEY "satori-kad-dht"

enum
{
  PROP_0,
  PROP_PROTOCOL_ID,
  PROP_MODE,
  PROP_K,
  PROP_ALPHA,
  PROP_STORE_PATH,
  PROP_PROVIDER_TTL,
  PROP_PROVIDER_REPUBLISH,
  PROP_DIAL_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_ROUTING_TABLE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void satori_kad_dht_handler_iface_init (SatoriProtocolHandlerInterface *iface);

G_DEFINE_ENUM_TYPE (SatoriKadMode, satori_kad_mode,
  G_DEFINE_ENUM_VALUE (SATORI_KAD_MODE_CLIENT, "client"),
  G_DEFINE_ENUM_VALUE (SATORI_KAD_MODE_SERVER, "server"),
  G_DEFINE_ENUM_VALUE (SATORI_KAD_MODE_AUTO, "auto"))

G_DEFINE_FINAL_TYPE_WITH_CODE (SatoriKadDht, satori_kad_dht, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_PROTOCOL_HANDLER, satori_kad_dht_handler_iface_init)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_DISCOVERY, _satori_kad_dht_discovery_iface_init)
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_ROUTING, _satori_kad_dht_routing_iface_init))

static void
op_free (Op *op)
{
  g_object_unref (op->task);
  g_free (op);
}

static guint32
random_u32 (gpointer user_data)
{
  return g_random_int ();
}

static char *
peer_text (GBytes *id)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (id, &len);
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_bytes (data, len, NULL);
  return peer ? satori_peer_id_to_string (peer) : g_strdup ("(bad peer id)");
}

/* --- driving the session --- */

static void drive (SatoriKadDht *self);

static gboolean
on_deadline (gpointer user_data)
{
  SatoriKadDht *self = user_data;

  self->deadline_source = 0;
  satori_kad_session_handle_timeout (self->session, g_get_real_time ());
  drive (self);
  return G_SOURCE_REMOVE;
}

static void
arm_deadline (SatoriKadDht *self)
{
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  gint64 deadline = satori_kad_session_next_deadline_us (self->session);
  if (deadline == G_MAXINT64)
    return;
  gint64 delay_ms = (deadline - g_get_real_time () + 999) / 1000;
  self->deadline_source = g_timeout_add ((guint) CLAMP (delay_ms, 0, G_MAXUINT), on_deadline,
                                         self);
}

static void
dispatch (SatoriKadDht *self, SatoriKadEvent *event)
{
  if (event->type == SATORI_KAD_EVENT_CHECK_PEER)
    {
      _satori_kad_dht_check_peer (self, event->peer);
      return;
    }
  if (event->type == SATORI_KAD_EVENT_VALUE_FOUND
      || event->type == SATORI_KAD_EVENT_PROVIDER_FOUND)
    {
      Op *op = g_hash_table_lookup (self->ops, &event->query_id);
      if (op != NULL && op->found != NULL && !g_cancellable_is_cancelled (
                                               g_task_get_cancellable (op->task)))
        op->found (self, event, op->found_data);
      return;
    }
  gpointer key, value;
  if (!g_hash_table_steal_extended (self->ops, &event->query_id, &key, &value))
    return;   /* A refresh or republish of the session's own. */
  g_free (key);
  Op *op = value;
  if (!g_task_return_error_if_cancelled (op->task))
    op->complete (self, op->task, event);
  op_free (op);
}

/* Sends what the session wants sent, reports what it has to report and
 * follows its next deadline. Task callbacks may come back in here. */
static void
drive (SatoriKadDht *self)
{
  SatoriKadTransmit transmit;
  SatoriKadEvent event;

  if (self->session == NULL)
    return;
  if (self->driving)
    {
      self->drive_again = TRUE;
      return;
    }
  self->driving = TRUE;
  do
    {
      self->drive_again = FALSE;
      while (satori_kad_session_poll_transmit (self->session, &transmit))
        {
          _satori_kad_dht_send_request (self, &transmit);
          satori_kad_transmit_clear (&transmit);
        }
      while (satori_kad_session_poll_event (self->session, &event))
        {
          dispatch (self, &event);
          satori_kad_event_clear (&event);
        }
    }
  while (self->drive_again);
  self->driving = FALSE;
  arm_deadline (self);
}

/* --- the routing table, fed by identify --- */

static gboolean
add_new_peers (gpointer user_data)
{
  SatoriKadDht *self = user_data;
  GHashTableIter iter;
  gpointer key;

  self->new_peers_source = 0;
  if (self->host == NULL || self->session == NULL)
    return G_SOURCE_REMOVE;
  SatoriPeerstore *store = satori_host_get_peerstore (self->host);
  g_hash_table_iter_init (&iter, self->new_peers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      SatoriPeerId *peer = key;
      g_autoptr(GPtrArray) addresses = satori_peerstore_get_addresses (store, peer);
      g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_bytes_unref);
      for (guint i = 0; addresses != NULL && i < addresses->len; i++)
        g_ptr_array_add (addrs, g_bytes_ref (satori_multiaddr_get_bytes (
        g_ptr_array_index (addresses, i))));
      GBytes *id = satori_peer_id_get_bytes (peer);
      g_autoptr(SatoriKadPeer) entry = satori_kad_peer_new (id, addrs, SATORI_KAD_CONNECTED);
      satori_kad_session_add_peer (self->session, entry, g_get_real_time ());
    }
  g_hash_table_remove_all (self->new_peers);
  drive (self);
  return G_SOURCE_REMOVE;
}

/* Identify sets a peer's protocols before its addresses: the peer is
 * added once the whole message is in. */
static void
on_protocols_changed (SatoriPeerstore *store, SatoriPeerId *peer, gpointer user_data)
{
  SatoriKadDht *self = user_data;
  g_auto(GStrv) protocols = satori_peerstore_get_protocols (store, peer);

  if (protocols == NULL || !g_strv_contains ((const char * const *) protocols,
                                             self->protocol_id))
    return;
  g_hash_table_add (self->new_peers, satori_peer_id_ref (peer));
  if (self->new_peers_source == 0)
    self->new_peers_source = g_idle_add (add_new_peers, self);
}

static void
update_local_addresses (SatoriKadDht *self)
{
  g_autoptr(GPtrArray) addresses = satori_host_get_addresses (self->host);
  g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (addrs, g_bytes_ref (satori_multiaddr_get_bytes (
        g_ptr_array_index (addresses, i))));
  satori_kad_session_set_local_addrs (self->session, addrs);
}

/* --- attaching, and the mode --- */

static char *
default_store_path (SatoriHost *host)
{
  g_autofree char *id = satori_peer_id_to_string (satori_host_get_peer_id (host));
  g_autofree char *name = g_strdup_printf ("kad-%s.sqlite", id);
  return g_build_filename (g_get_user_data_dir (), "satorip2p", name, NULL);
}

static gboolean
create_session (SatoriKadDht *self, SatoriHost *host, GError **error)
{
  SatoriKadConfig config;
  /* Bounds on what other peers can make us store (64 KiB values at most:
   * a few GiB in the worst case, typically far less). */
  SatoriKadStoreLimits limits = {
    .max_records = 65536, .max_provider_keys = 65536, .max_providers_per_key = 64,
  };
  SatoriKadProvider provider = { random_u32, NULL };
  g_autofree char *path = NULL;

  satori_kad_config_init (&config);
  config.k = self->k;
  config.alpha = self->alpha;
  config.replacement_size = self->k;
  config.max_peers_per_answer = self->k;
  config.max_candidates = MAX (config.max_candidates, self->k);
  config.dial_timeout_us = (gint64) self->dial_timeout * 1000;
  config.request_timeout_us = (gint64) self->request_timeout * 1000;
  config.provider_ttl_us = (gint64) self->provider_ttl * G_USEC_PER_SEC;
  config.provider_republish_us = (gint64) self->provider_republish * G_USEC_PER_SEC;
  config.server_mode = self->mode == SATORI_KAD_MODE_SERVER;

  if (self->store_path != NULL && self->store_path[0] != '\0')
    path = g_strdup (self->store_path);
  else
    path = default_store_path (host);
  if (g_strcmp0 (path, ":memory:") != 0)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Cannot create %s: %s"), dir, g_strerror (saved));
          return FALSE;
        }
    }
  SatoriKadStore *store = satori_kad_store_open (path, &limits, error);
  if (store == NULL)
    return FALSE;
  GBytes *id = satori_peer_id_get_bytes (satori_host_get_peer_id (host));
  self->store = store;
  self->session = satori_kad_session_new (id, &config, store, &provider, g_get_real_time ());
  return TRUE;
}

/* Puts the handler table in line with the mode and protocol id: the
 * configuration registers the feature's default id before the handler
 * knows either. */
static gboolean
apply_mode (gpointer user_data)
{
  SatoriKadDht *self = user_data;

  self->apply_mode_source = 0;
  if (self->host == NULL)
    return G_SOURCE_REMOVE;
  gboolean serve = satori_kad_dht_is_serving (self);
  g_auto(GStrv) served = satori_host_get_protocols (self->host);
  /* Replacing or removing our own entry detaches us: not this time. */
  self->withdrawing = TRUE;
  if (serve && !g_strv_contains ((const char * const *) served, self->protocol_id))
    satori_host_set_handler (self->host, self->protocol_id, SATORI_PROTOCOL_HANDLER (self));
  if (!serve)
    satori_host_remove_handler (self->host, self->protocol_id);
  if (g_strcmp0 (self->protocol_id, SATORI_KAD_PROTOCOL_ID) != 0)
    satori_host_remove_handler (self->host, SATORI_KAD_PROTOCOL_ID);
  self->withdrawing = FALSE;
  if (self->session != NULL)
    satori_kad_session_set_server_mode (self->session, serve);
  return G_SOURCE_REMOVE;
}

static void
schedule_apply_mode (SatoriKadDht *self)
{
  if (self->host != NULL && self->apply_mode_source == 0)
    self->apply_mode_source = g_idle_add (apply_mode, self);
}

static void
satori_kad_dht_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriKadDht *self = SATORI_KAD_DHT (handler);
  g_autoptr(GError) error = NULL;

  if (self->host == host)
    return;   /* Back in the handler table after a mode switch. */
  g_return_if_fail (self->host == NULL);
  if (self->session == NULL && !create_session (self, host, &error))
    {
      g_warning ("The DHT cannot start: %s", error->message);
      return;
    }
  self->host = host;
  g_object_add_weak_pointer (G_OBJECT (host), (gpointer *) &self->host);
  /* The host keeps us alive even while we are out of its handler table
   * (client mode), and tools find us there. */
  g_object_set_data_full (G_OBJECT (host), HOST_DATA_KEY, g_object_ref (self), g_object_unref);
  self->protocols_changed_id = g_signal_connect_object (satori_host_get_peerstore (host),
                                                        "protocols-changed",
                                                        G_CALLBACK (on_protocols_changed),
                                                        self, 0);
  self->addresses_changed_id = g_signal_connect_object (host, "addresses-changed",
                                                        G_CALLBACK (update_local_addresses),
                                                        self, G_CONNECT_SWAPPED);
  self->reachability_id = g_signal_connect_object (host, "notify::reachability",
                                                   G_CALLBACK (schedule_apply_mode), self,
                                                   G_CONNECT_SWAPPED);
  update_local_addresses (self);
  schedule_apply_mode (self);
}

static void
satori_kad_dht_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  SatoriKadDht *self = SATORI_KAD_DHT (handler);

  if (self->withdrawing || self->host != host)
    return;
  g_clear_signal_handler (&self->protocols_changed_id, satori_host_get_peerstore (host));
  g_clear_signal_handler (&self->addresses_changed_id, host);
  g_clear_signal_handler (&self->reachability_id, host);
  g_clear_handle_id (&self->apply_mode_source, g_source_remove);
  g_clear_handle_id (&self->new_peers_source, g_source_remove);
  g_object_remove_weak_pointer (G_OBJECT (host), (gpointer *) &self->host);
  self->host = NULL;
  _satori_kad_dht_fail_ops (self, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The DHT was detached"));
  g_object_set_data (G_OBJECT (host), HOST_DATA_KEY, NULL);
}

static void
satori_kad_dht_handler_iface_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_kad_dht_attach;
  iface->detach = satori_kad_dht_detach;
  iface->handle_stream = _satori_kad_dht_handle_stream;
}

/* --- what the operations share --- */

/* Addresses the session knows go to the peerstore, where dials find
 * them; binary addresses that do not parse are dropped. */
SatoriPeerId *
_satori_kad_dht_remember_peer (SatoriKadDht *self, SatoriKadPeer *peer, GPtrArray *addresses_out)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (peer->id, &len);
  SatoriPeerId *id = satori_peer_id_new_from_bytes (data, len, NULL);

  if (id == NULL || self->host == NULL)
    return id;
  SatoriPeerstore *store = satori_host_get_peerstore (self->host);
  for (guint i = 0; i < peer->addrs->len; i++)
    {
      data = g_bytes_get_data (g_ptr_array_index (peer->addrs, i), &len);
      g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_bytes (data, len, NULL);
      if (address == NULL)
        continue;
      satori_peerstore_add_address (store, id, address);
      if (addresses_out != NULL)
        g_ptr_array_add (addresses_out, satori_multiaddr_ref (address));
    }
  return id;
}

SatoriKadSession *
_satori_kad_dht_get_session (SatoriKadDht *self, GError **error)
{
  if (self->session == NULL || self->host == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                         _("The DHT is not attached to a host"));
  return self->host != NULL ? self->session : NULL;
}

void
_satori_kad_dht_drive (SatoriKadDht *self)
{
  drive (self);
}

SatoriHost *
_satori_kad_dht_get_host (SatoriKadDht *self)
{
  return self->host;
}

gint64
_satori_kad_dht_get_provider_ttl (SatoriKadDht *self)
{
  return self->provider_ttl;
}

/* Takes @task; @query_id's last event completes it, @found (if any)
 * gets what the lookup finds on its way. */
void
_satori_kad_dht_start_op (SatoriKadDht *self, GTask *task, guint64 query_id,
                          SatoriKadDhtComplete complete, SatoriKadDhtFound found,
                          gpointer found_data)
{
  Op *op = g_new0 (Op, 1);

  op->task = task;
  op->complete = complete;
  op->found = found;
  op->found_data = found_data;
  g_hash_table_insert (self->ops, g_memdup2 (&query_id, sizeof query_id), op);
  drive (self);
}

void
_satori_kad_dht_fail_ops (SatoriKadDht *self, GQuark domain, int code, const char *message)
{
  g_autoptr(GHashTable) ops = g_steal_pointer (&self->ops);
  GHashTableIter iter;
  gpointer value;

  self->ops = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) op_free);
  g_hash_table_iter_init (&iter, ops);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_task_return_new_error (((Op *) value)->task, domain, code, "%s", message);
}

/* The peer as a #SatoriPeerInfo, its addresses kept in the peerstore. */
SatoriPeerInfo *
_satori_kad_dht_learn_peer (SatoriKadDht *self, SatoriKadPeer *peer)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_multiaddr_unref);
  g_autoptr(SatoriPeerId) id = _satori_kad_dht_remember_peer (self, peer, addresses);

  if (id == NULL)
    {
      g_autofree char *text = peer_text (peer->id);
      g_debug ("Dropping DHT peer %s", text);
      return NULL;
    }
  return satori_peer_info_new (id, addresses);
}

/* --- the object --- */

/**
 * satori_kad_dht_new:
 *
 * Returns: (transfer full): a DHT in %SATORI_KAD_MODE_AUTO, to attach to a
 *   host
 */
SatoriKadDht *
satori_kad_dht_new (void)
{
  return g_object_new (SATORI_TYPE_KAD_DHT, NULL);
}

/**
 * satori_kad_dht_get_for_host:
 * @host: a #SatoriHost
 *
 * Returns: (transfer none) (nullable): the DHT attached to @host, if any
 */
SatoriKadDht *
satori_kad_dht_get_for_host (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  return g_object_get_data (G_OBJECT (host), HOST_DATA_KEY);
}

/**
 * satori_kad_dht_set_mode:
 * @dht: a #SatoriKadDht
 * @mode: client, server, or auto (server while the host is reachable)
 *
 * Switches between answering and advertising the DHT protocol, or not.
 */
void
satori_kad_dht_set_mode (SatoriKadDht *dht, SatoriKadMode mode)
{
  g_return_if_fail (SATORI_IS_KAD_DHT (dht));
  g_object_set (dht, "mode", mode, NULL);
}

/**
 * satori_kad_dht_get_mode:
 * @dht: a #SatoriKadDht
 *
 * Returns: the mode
 */
SatoriKadMode
satori_kad_dht_get_mode (SatoriKadDht *dht)
{
  g_return_val_if_fail (SATORI_IS_KAD_DHT (dht), SATORI_KAD_MODE_CLIENT);
  return dht->mode;
}

/**
 * satori_kad_dht_is_serving:
 * @dht: a #SatoriKadDht
 *
 * Returns: whether the DHT answers and advertises the protocol now (or
 *   will, once the main loop runs): in server mode, or in auto mode while
 *   its host is publicly reachable
 */
gboolean
satori_kad_dht_is_serving (SatoriKadDht *dht)
{
  g_return_val_if_fail (SATORI_IS_KAD_DHT (dht), FALSE);
  if (dht->mode == SATORI_KAD_MODE_AUTO)
    return dht->host != NULL &&
           satori_host_get_reachability (dht->host) == SATORI_REACHABILITY_PUBLIC;
  return dht->mode == SATORI_KAD_MODE_SERVER;
}

/**
 * satori_kad_dht_get_protocol_id:
 * @dht: a #SatoriKadDht
 *
 * Returns: the protocol id spoken
 */
const char *
satori_kad_dht_get_protocol_id (SatoriKadDht *dht)
{
  g_return_val_if_fail (SATORI_IS_KAD_DHT (dht), NULL);
  return dht->protocol_id;
}

/**
 * satori_kad_dht_add_namespace:
 * @dht: a #SatoriKadDht attached to a host
 * @name: the namespace, such as `satori` for keys `/satori/...`
 * @validate: checks a record of the namespace
 * @select: picks the best of several valid records
 * @user_data: for both
 *
 * Lets the DHT store and fetch records of @name (`/pk/` is built in).
 *
 * Returns: %FALSE when @dht is not attached yet
 */
gboolean
satori_kad_dht_add_namespace (SatoriKadDht *dht, const char *name,
                              SatoriKadValidateFunc validate, SatoriKadSelectFunc select,
                              gpointer user_data)
{
  g_return_val_if_fail (SATORI_IS_KAD_DHT (dht), FALSE);
  if (dht->session == NULL)
    return FALSE;
  satori_kad_validator_add_namespace (satori_kad_session_get_validator (dht->session), name,
                                      validate, select, user_data);
  return TRUE;
}

/**
 * satori_kad_dht_get_routing_table_size:
 * @dht: a #SatoriKadDht
 *
 * Returns: how many peers the routing table holds
 */
guint
satori_kad_dht_get_routing_table_size (SatoriKadDht *dht)
{
  g_return_val_if_fail (SATORI_IS_KAD_DHT (dht), 0);
  if (dht->session == NULL)
    return 0;
  return satori_kad_routing_table_get_size (satori_kad_session_get_routing_table (dht->session));
}

static void
satori_kad_dht_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  SatoriKadDht *self = SATORI_KAD_DHT (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL_ID:
      g_free (self->protocol_id);
      self->protocol_id = g_value_dup_string (value);
      break;
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      schedule_apply_mode (self);
      break;
    case PROP_K:
      self->k = g_value_get_uint (value);
      break;
    case PROP_ALPHA:
      self->alpha = g_value_get_uint (value);
      break;
    case PROP_STORE_PATH:
      g_free (self->store_path);
      self->store_path = g_value_dup_string (value);
      break;
    case PROP_PROVIDER_TTL:
      self->provider_ttl = g_value_get_uint (value);
      break;
    case PROP_PROVIDER_REPUBLISH:
      self->provider_republish = g_value_get_uint (value);
      break;
    case PROP_DIAL_TIMEOUT:
      self->dial_timeout = g_value_get_uint (value);
      break;
    case PROP_REQUEST_TIMEOUT:
      self->request_timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_kad_dht_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SatoriKadDht *self = SATORI_KAD_DHT (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL_ID:
      g_value_set_string (value, self->protocol_id);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_K:
      g_value_set_uint (value, self->k);
      break;
    case PROP_ALPHA:
      g_value_set_uint (value, self->alpha);
      break;
    case PROP_STORE_PATH:
      g_value_set_string (value, self->store_path);
      break;
    case PROP_PROVIDER_TTL:
      g_value_set_uint (value, self->provider_ttl);
      break;
    case PROP_PROVIDER_REPUBLISH:
      g_value_set_uint (value, self->provider_republish);
      break;
    case PROP_DIAL_TIMEOUT:
      g_value_set_uint (value, self->dial_timeout);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_ROUTING_TABLE_SIZE:
      g_value_set_uint (value, satori_kad_dht_get_routing_table_size (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_kad_dht_dispose (GObject *object)
{
  SatoriKadDht *self = SATORI_KAD_DHT (object);

  g_cancellable_cancel (self->cancellable);
  if (self->host != NULL)
    satori_kad_dht_detach (SATORI_PROTOCOL_HANDLER (self), self->host);
  g_clear_handle_id (&self->deadline_source, g_source_remove);
  g_clear_handle_id (&self->apply_mode_source, g_source_remove);
  g_clear_handle_id (&self->new_peers_source, g_source_remove);
  G_OBJECT_CLASS (satori_kad_dht_parent_class)->dispose (object);
}

static void
satori_kad_dht_finalize (GObject *object)
{
  SatoriKadDht *self = SATORI_KAD_DHT (object);

  g_hash_table_unref (self->ops);
  g_hash_table_unref (self->new_peers);
  g_clear_pointer (&self->session, satori_kad_session_free);
  g_object_unref (self->cancellable);
  g_free (self->protocol_id);
  g_free (self->store_path);
  G_OBJECT_CLASS (satori_kad_dht_parent_class)->finalize (object);
}

static void
satori_kad_dht_class_init (SatoriKadDhtClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = flags | G_PARAM_CONSTRUCT;

  object_class->set_property = satori_kad_dht_set_property;
  object_class->get_property = satori_kad_dht_get_property;
  object_class->dispose = satori_kad_dht_dispose;
  object_class->finalize = satori_kad_dht_finalize;

  /**
   * SatoriKadDht:protocol-id:
   *
   * The protocol id spoken, `/ipfs/kad/1.0.0` for the public DHT; a
   * private network picks its own. Set before the DHT is attached.
   */
  properties[PROP_PROTOCOL_ID] =
    g_param_spec_string ("protocol-id", NULL, NULL, SATORI_KAD_PROTOCOL_ID, construct);
  /**
   * SatoriKadDht:mode:
   *
   * Client (ask only), server (also answer and advertise), or auto:
   * server while #SatoriHost:reachability is public (AutoNAT), else client.
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, SATORI_TYPE_KAD_MODE, SATORI_KAD_MODE_AUTO,
                       construct | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * SatoriKadDht:k:
   *
   * The bucket size and replication factor. Set before attaching.
   */
  properties[PROP_K] = g_param_spec_uint ("k", NULL, NULL, 1, 100, 20, construct);
  /**
   * SatoriKadDht:alpha:
   *
   * Requests in flight per lookup. Set before attaching.
   */
  properties[PROP_ALPHA] = g_param_spec_uint ("alpha", NULL, NULL, 1, 20, 3, construct);
  /**
   * SatoriKadDht:store-path:
   *
   * The SQLite file of records and provider records; `:memory:` keeps
   * them in memory only. Empty: `$XDG_DATA_HOME/satorip2p/kad-<peer id>.sqlite`.
   * Set before attaching.
   */
  properties[PROP_STORE_PATH] = g_param_spec_string ("store-path", NULL, NULL, "", construct);
  /**
   * SatoriKadDht:provider-ttl:
   *
   * Seconds provider records live (48 h).
   */
  properties[PROP_PROVIDER_TTL] =
    g_param_spec_uint ("provider-ttl", NULL, NULL, 1, G_MAXUINT, 48 * 3600, construct);
  /**
   * SatoriKadDht:provider-republish:
   *
   * Seconds between re-announcements of what we provide (22 h).
   */
  properties[PROP_PROVIDER_REPUBLISH] =
    g_param_spec_uint ("provider-republish", NULL, NULL, 1, G_MAXUINT, 22 * 3600, construct);
  /**
   * SatoriKadDht:dial-timeout:
   *
   * Milliseconds a request's stream may take to open, dial included (5 s).
   */
  properties[PROP_DIAL_TIMEOUT] =
    g_param_spec_uint ("dial-timeout", NULL, NULL, 1, G_MAXUINT, 5000, construct);
  /**
   * SatoriKadDht:request-timeout:
   *
   * Milliseconds the answer may take once the request's stream is open
   * (10 s).
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL, 1, G_MAXUINT, 10000, construct);
  /**
   * SatoriKadDht:routing-table-size:
   *
   * How many peers the routing table holds (read-only, for metrics:
   * satori_kad_dht_get_routing_table_size() without linking the plugin).
   */
  properties[PROP_ROUTING_TABLE_SIZE] =
    g_param_spec_uint ("routing-table-size", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
satori_kad_dht_init (SatoriKadDht *self)
{
  self->cancellable = g_cancellable_new ();
  self->ops = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) op_free);
  self->new_peers = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                           (GDestroyNotify) satori_peer_id_unref, NULL);
}
