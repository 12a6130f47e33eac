/* satori-peers.c — the high-level Satori API over a SatoriHost
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers.h"

#include <glib/gi18n-lib.h>

#include "satori-connection.h"
#include "satori-evrmore-key.h"
#include "satori-host-discovery.h"
#include "satori-json.h"
#include "satori-multiaddr.h"
#include "satori-peer-info.h"
#include "satori-peers-adverts.h"
#include "satori-peers-find.h"
#include "satori-peers-map.h"
#include "satori-peers-messages.h"
#include "satori-peers-namespace.h"
#include "satori-peers-nat.h"
#include "satori-peers-payload.h"
#include "satori-peers-streams.h"
#include "satori-peerstore.h"
#include "satori-pinger.h"
#include "satori-pubsub-message.h"

/* The ping protocol whose handler implements #SatoriPinger. */
#define PING_PROTOCOL "/ipfs/ping/1.0.0"

/**
 * SatoriPeers:
 *
 * What a Satori node does with a #SatoriHost, in the terms of the
 * original Python `Peers` API (satori-protocols.md §1.1) without its bugs:
 *
 * - Streams: satori_peers_subscribe() joins the pubsub topic
 *   `satori/stream/<stream id>` of the host's router and advertises
 *   `satori/sub/<stream id>` on every discovery; satori_peers_publish_async()
 *   publishes a JSON value there and advertises `satori/pub/<stream id>`;
 *   satori_peers_broadcast_async() publishes without advertising, and
 *   satori_peers_publish_to_topic_async() publishes on an exact topic
 *   (`satori/data/<id>`). Advertisements are renewed before their TTL runs
 *   out; satori_peers_unsubscribe(), satori_peers_unpublish() and
 *   satori_peers_stop() withdraw them. A DHT discovery gets the namespace with a leading slash, as the
 *   Python nodes write provider keys (`/satori/sub/<id>`).
 * - Messages on subscribed streams arrive as #SatoriPeers::message, the
 *   payload parsed as JSON. Deduplication is the router's, by message id
 *   (author and sequence number by default): a payload repeated on purpose
 *   is a new message and is delivered again. SatoriPeers adds no second
 *   layer, since the router is the only path a stream message takes.
 * - Discovery: satori_peers_discover_peers_async() and
 *   satori_peers_discover_publishers_async() ask every discovery of the
 *   host (satori_host_get_discoveries()) and every one given with
 *   satori_peers_add_discovery(), and merge what they find.
 * - Peers: connect, disconnect, ping (through the #SatoriPinger the host
 *   has for `/ipfs/ping/1.0.0`), the connected and known peers, the
 *   Evrmore address of the host key, a NAT status (see #SatoriNatStatus),
 *   a network map, and the host's connection events again as
 *   #SatoriPeers::peer-connected and #SatoriPeers::peer-disconnected.
 *
 * - Direct messages and requests (Python's `send` and `request`):
 *   satori_peers_send_async() and satori_peers_request_async() pass JSON
 *   to the #SatoriMessenger the host serves for `/satori/1.0.0` (the
 *   `satori` plugin), which answers requests on its own signal.
 *   satori_peers_send_reliable_async() stores the message with the host's
 *   #SatoriOfflineStore (`/satori/store/1.0.0`) when the peer cannot be
 *   reached. Messages that come, live or held for us by an offline store
 *   (pushed by a holder or fetched from one, once each by message id),
 *   arrive as #SatoriPeers::direct-message.
 *
 * Everything runs in the thread-default main context of the caller of
 * satori_peers_new().
 */
struct _SatoriPeers
{
  GObject parent_instance;

  SatoriHost *host;
  char *evrmore_address;  /* "" when the host key is not secp256k1 */
  GPtrArray *discoveries;
  GPtrArray *subscriptions;  /* char * stream ids, in order subscribed */
  GPtrArray *publications;   /* char * stream ids, in order first published */
  SatoriPeersAdverts *adverts;
  SatoriPeersStreams *streams;
  SatoriPubsub *pubsub;      /* connected to while started */
  SatoriMessenger *messenger; /* connected to while started */
  gboolean started;
};

enum { PROP_0, PROP_HOST, PROP_ADVERTISE_TTL, N_PROPS };
enum
{
  SIGNAL_MESSAGE,
  SIGNAL_DIRECT_MESSAGE,
  SIGNAL_PEER_CONNECTED,
  SIGNAL_PEER_DISCONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
/* The Python nodes' rendezvous TTL, in seconds. */
#define DEFAULT_ADVERTISE_TTL 7200

G_DEFINE_FINAL_TYPE (SatoriPeers, satori_peers, G_TYPE_OBJECT)

/* --- the object --- */

static void
satori_peers_dispose (GObject *object)
{
  SatoriPeers *self = SATORI_PEERS (object);

  if (self->host != NULL)
    satori_peers_stop (self);
  g_clear_object (&self->host);
  g_clear_pointer (&self->discoveries, g_ptr_array_unref);
  G_OBJECT_CLASS (satori_peers_parent_class)->dispose (object);
}

static void
satori_peers_finalize (GObject *object)
{
  SatoriPeers *self = SATORI_PEERS (object);

  g_free (self->evrmore_address);
  g_ptr_array_unref (self->subscriptions);
  g_ptr_array_unref (self->publications);
  satori_peers_adverts_free (self->adverts);
  satori_peers_streams_free (self->streams);
  G_OBJECT_CLASS (satori_peers_parent_class)->finalize (object);
}

/* The Evrmore address of a secp256k1 host key, "" for other keys. */
static char *
evrmore_address_of (SatoriHost *host)
{
  SatoriPrivateKey *key = satori_host_get_private_key (host);

  if (satori_private_key_get_key_type (key) != SATORI_KEY_TYPE_SECP256K1)
    return g_strdup ("");
  g_autoptr(SatoriEvrmoreKey) wallet_key = satori_evrmore_key_new_from_private_key (key, NULL);
  return wallet_key != NULL ? satori_evrmore_key_get_address (wallet_key) : g_strdup ("");
}

static void
satori_peers_constructed (GObject *object)
{
  SatoriPeers *self = SATORI_PEERS (object);

  G_OBJECT_CLASS (satori_peers_parent_class)->constructed (object);
  self->evrmore_address = evrmore_address_of (self->host);
  /* The discoveries the host runs ([host] discovery=) are the node's. */
  g_autoptr(GPtrArray) discoveries = satori_host_get_discoveries (self->host);
  for (guint i = 0; i < discoveries->len; i++)
    satori_peers_add_discovery (self, g_ptr_array_index (discoveries, i));
}

static void
satori_peers_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SatoriPeers *self = SATORI_PEERS (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_object (value, self->host);
      break;
    case PROP_ADVERTISE_TTL:
      g_value_set_uint (value, satori_peers_adverts_get_ttl (self->adverts));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_peers_set_property (GObject *object, guint prop_id, const GValue *value,
                           GParamSpec *pspec)
{
  SatoriPeers *self = SATORI_PEERS (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_object (value);
      break;
    case PROP_ADVERTISE_TTL:
      satori_peers_adverts_set_ttl (self->adverts, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
satori_peers_class_init (SatoriPeersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = satori_peers_constructed;
  object_class->dispose = satori_peers_dispose;
  object_class->finalize = satori_peers_finalize;
  object_class->get_property = satori_peers_get_property;
  object_class->set_property = satori_peers_set_property;

  /**
   * SatoriPeers:host:
   *
   * The host the node runs on.
   */
  properties[PROP_HOST] =
    g_param_spec_object ("host", NULL, NULL, SATORI_TYPE_HOST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SatoriPeers:advertise-ttl:
   *
   * The time-to-live asked for when advertising a stream's subscribers
   * and publishers, in seconds (the Python nodes' 7200). Each
   * advertisement is renewed at three quarters of the TTL granted.
   */
  properties[PROP_ADVERTISE_TTL] =
    g_param_spec_uint ("advertise-ttl", NULL, NULL, 1, G_MAXUINT32, DEFAULT_ADVERTISE_TTL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SatoriPeers::message:
   * @peers: the node
   * @stream_id: the stream
   * @from: (nullable): the author, %NULL for an anonymous message
   * @data: the payload, parsed as JSON
   *
   * A message arrived on a subscribed stream. The signal detail is the
   * stream id: connect to `message::<stream id>` for one stream. A payload
   * that is not JSON is dropped with a logged reason.
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, SATORI_TYPE_PEER_ID,
                  JSON_TYPE_NODE);

  /**
   * SatoriPeers::direct-message:
   * @peers: the node
   * @from: the peer that sent it
   * @message: the message, parsed as JSON
   * @encrypted: whether it came encrypted end to end
   *
   * A peer sent this node a direct message (`/satori/1.0.0`, not a request
   * or an answer), live or held for this node by an offline store while it
   * was away: then @from is the source as the holder says (proven when
   * @encrypted), and the message comes once however many holders had it.
   * A message that is not JSON is dropped with a logged reason.
   */
  signals[SIGNAL_DIRECT_MESSAGE] =
    g_signal_new ("direct-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, SATORI_TYPE_PEER_ID, JSON_TYPE_NODE, G_TYPE_BOOLEAN);

  /**
   * SatoriPeers::peer-connected:
   * @peers: the node
   * @peer: the peer
   * @address: the remote address of the connection
   *
   * A connection to @peer was secured and multiplexed, inbound or outbound
   * (one emission per connection, as the host's).
   */
  signals[SIGNAL_PEER_CONNECTED] =
    g_signal_new ("peer-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, SATORI_TYPE_PEER_ID, SATORI_TYPE_MULTIADDR);

  /**
   * SatoriPeers::peer-disconnected:
   * @peers: the node
   * @peer: the peer
   *
   * A connection to @peer closed, from either side.
   */
  signals[SIGNAL_PEER_DISCONNECTED] =
    g_signal_new ("peer-disconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, SATORI_TYPE_PEER_ID);
}

static void
satori_peers_init (SatoriPeers *self)
{
  self->discoveries = g_ptr_array_new_with_free_func (g_object_unref);
  self->subscriptions = g_ptr_array_new_with_free_func (g_free);
  self->publications = g_ptr_array_new_with_free_func (g_free);
  self->adverts = satori_peers_adverts_new (DEFAULT_ADVERTISE_TTL);
  self->streams = satori_peers_streams_new ();
}

/**
 * satori_peers_new:
 * @host: the host
 *
 * Makes the node's API over @host. Nothing happens on the network until
 * satori_peers_start().
 *
 * Returns: (transfer full): a new #SatoriPeers
 */
SatoriPeers *
satori_peers_new (SatoriHost *host)
{
  g_return_val_if_fail (SATORI_IS_HOST (host), NULL);
  return g_object_new (SATORI_TYPE_PEERS, "host", host, NULL);
}

/**
 * satori_peers_get_host:
 * @peers: a #SatoriPeers
 *
 * Returns: (transfer none): the host
 */
SatoriHost *
satori_peers_get_host (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  return peers->host;
}

/**
 * satori_peers_add_discovery:
 * @peers: a #SatoriPeers
 * @discovery: a discovery working on the same host (kad, rendezvous
 *   client, bootstrap, mDNS)
 *
 * Uses @discovery for advertising streams and finding their peers. The
 * caller starts it (satori_discovery_start_async()); the streams already
 * subscribed or published are advertised on it at once if @peers is
 * started.
 */
void
satori_peers_add_discovery (SatoriPeers *peers, SatoriDiscovery *discovery)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (SATORI_IS_DISCOVERY (discovery));

  if (g_ptr_array_find (peers->discoveries, discovery, NULL))
    return;
  g_ptr_array_add (peers->discoveries, g_object_ref (discovery));
  satori_peers_adverts_add_discovery (peers->adverts, discovery);
}

/**
 * satori_peers_get_pubsub:
 * @peers: a #SatoriPeers
 * @error: return location for a #GError: %G_IO_ERROR_NOT_SUPPORTED when
 *   the host has no router
 *
 * Returns: (transfer none) (nullable): the host's pubsub router
 */
SatoriPubsub *
satori_peers_get_pubsub (SatoriPeers *peers, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);

  SatoriPubsub *pubsub = satori_host_get_pubsub (peers->host);
  if (pubsub == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("No pubsub router is configured ([host] pubsub= in satorip2p.conf)"));
  return pubsub;
}

/* --- events --- */

static void
on_pubsub_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, SatoriPeers *self)
{
  const char *stream_id = satori_peers_stream_of_topic (satori_pubsub_message_get_topic (message));
  SatoriPeerId *from = satori_pubsub_message_get_from (message);
  g_autoptr(GError) error = NULL;

  if (stream_id == NULL ||
      !g_ptr_array_find_with_equal_func (self->subscriptions, stream_id, g_str_equal, NULL))
    return;
  g_autoptr(JsonNode) data = satori_peers_payload_decode (satori_pubsub_message_get_data (message),
                                                          &error);
  if (data == NULL)
    {
      g_autofree char *author = from ? satori_peer_id_to_string (from) : g_strdup ("anonymous");
      g_message (_("Dropping a message on stream %s from %s: %s"), stream_id, author,
                 error->message);
      return;
    }
  if (from != NULL)
    satori_peers_streams_add (self->streams, stream_id, SATORI_PEERS_ROLE_PUBLISHER, from);
  g_signal_emit (self, signals[SIGNAL_MESSAGE], g_quark_from_string (stream_id), stream_id, from,
                 data);
}

static void
on_direct_message (SatoriMessenger *messenger, SatoriPeerId *from, GBytes *message,
                   gboolean encrypted, SatoriPeers *self)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (message, &len);
  g_autoptr(JsonNode) data = satori_json_parse (bytes, len, &error);

  if (data == NULL)
    {
      g_autofree char *text = satori_peer_id_to_string (from);
      g_message (_("Dropping a direct message from %s: %s"), text, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_DIRECT_MESSAGE], 0, from, data, encrypted);
}

static void
on_peer_connected (SatoriHost *host, SatoriConnection *connection, SatoriPeers *self)
{
  g_signal_emit (self, signals[SIGNAL_PEER_CONNECTED], 0,
                 satori_connection_get_remote_peer (connection),
                 satori_connection_get_remote_address (connection));
}

static void
on_peer_disconnected (SatoriHost *host, SatoriConnection *connection, SatoriPeers *self)
{
  g_signal_emit (self, signals[SIGNAL_PEER_DISCONNECTED], 0,
                 satori_connection_get_remote_peer (connection));
}

static void
advertise_stream (SatoriPeers *self, const char *prefix, const char *stream_id)
{
  g_autofree char *namespace_ = g_strconcat (prefix, stream_id, NULL);
  satori_peers_adverts_add (self->adverts, namespace_);
}

/* Takes @stream_id out of @ids and withdraws its advertisement under
 * @prefix; %FALSE if it was not in @ids. */
static gboolean
drop_stream (SatoriPeers *self, GPtrArray *ids, const char *prefix, const char *stream_id)
{
  guint index;

  if (!g_ptr_array_find_with_equal_func (ids, stream_id, g_str_equal, &index))
    return FALSE;
  g_ptr_array_remove_index (ids, index);
  g_autofree char *namespace_ = g_strconcat (prefix, stream_id, NULL);
  satori_peers_adverts_remove (self->adverts, namespace_);
  return TRUE;
}

/**
 * satori_peers_start:
 * @peers: a #SatoriPeers
 *
 * Starts: joins the streams subscribed so far, advertises them and the
 * streams published, and relays the host's connection events and direct
 * messages. Starting twice is starting once.
 */
void
satori_peers_start (SatoriPeers *peers)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));

  if (peers->started)
    return;
  peers->started = TRUE;
  g_signal_connect_object (peers->host, "peer-connected", G_CALLBACK (on_peer_connected), peers,
                           0);
  g_signal_connect_object (peers->host, "peer-disconnected", G_CALLBACK (on_peer_disconnected),
                           peers, 0);
  SatoriPubsub *pubsub = satori_host_get_pubsub (peers->host);
  peers->pubsub = pubsub != NULL ? g_object_ref (pubsub) : NULL;
  if (peers->pubsub != NULL)
    g_signal_connect_object (peers->pubsub, "message", G_CALLBACK (on_pubsub_message), peers, 0);
  SatoriMessenger *messenger = satori_peers_messages_find_messenger (peers->host);
  peers->messenger = messenger != NULL ? g_object_ref (messenger) : NULL;
  if (peers->messenger != NULL)
    g_signal_connect_object (peers->messenger, "message-received",
                             G_CALLBACK (on_direct_message), peers, 0);
  for (guint i = 0; i < peers->subscriptions->len; i++)
    {
      const char *stream_id = g_ptr_array_index (peers->subscriptions, i);
      g_autofree char *topic = satori_peers_stream_topic (stream_id);
      g_autoptr(GError) error = NULL;
      if (peers->pubsub != NULL && !satori_pubsub_subscribe (peers->pubsub, topic, &error))
        g_warning (_("Cannot join stream %s: %s"), stream_id, error->message);
      advertise_stream (peers, SATORI_PEERS_SUBSCRIBERS_PREFIX, stream_id);
    }
  for (guint i = 0; i < peers->publications->len; i++)
    advertise_stream (peers, SATORI_PEERS_PUBLISHERS_PREFIX,
                      g_ptr_array_index (peers->publications, i));
}

/**
 * satori_peers_stop:
 * @peers: a #SatoriPeers
 *
 * Stops: leaves the pubsub topics of the subscribed streams (they stay
 * recorded, for the next satori_peers_start()), withdraws the
 * advertisements of subscribed and published streams (as
 * satori_peers_unsubscribe() does) and stops relaying events. Idempotent.
 */
void
satori_peers_stop (SatoriPeers *peers)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));

  if (!peers->started)
    return;
  peers->started = FALSE;
  g_signal_handlers_disconnect_by_data (peers->host, peers);
  if (peers->pubsub != NULL)
    {
      for (guint i = 0; i < peers->subscriptions->len; i++)
        {
          g_autofree char *topic = satori_peers_stream_topic (g_ptr_array_index (
                                                                peers->subscriptions, i));
          satori_pubsub_unsubscribe (peers->pubsub, topic, NULL);
        }
      g_signal_handlers_disconnect_by_data (peers->pubsub, peers);
      g_clear_object (&peers->pubsub);
    }
  if (peers->messenger != NULL)
    {
      g_signal_handlers_disconnect_by_data (peers->messenger, peers);
      g_clear_object (&peers->messenger);
    }
  satori_peers_adverts_remove_all (peers->adverts);
}

/* --- streams --- */

/**
 * satori_peers_subscribe:
 * @peers: a #SatoriPeers
 * @stream_id: the stream
 * @error: return location for a #GError: %G_IO_ERROR_INVALID_ARGUMENT for
 *   a malformed stream id, %G_IO_ERROR_NOT_SUPPORTED without a router, or
 *   the router's error
 *
 * Subscribes to @stream_id: its messages arrive as #SatoriPeers::message,
 * and this node is advertised as a subscriber (`satori/sub/<stream id>`).
 * Subscribing twice is not an error. Before satori_peers_start() the
 * subscription is only recorded.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_peers_subscribe (SatoriPeers *peers, const char *stream_id, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), FALSE);

  if (!satori_peers_check_stream_id (stream_id, error))
    return FALSE;
  if (satori_peers_get_pubsub (peers, error) == NULL)
    return FALSE;
  if (g_ptr_array_find_with_equal_func (peers->subscriptions, stream_id, g_str_equal, NULL))
    return TRUE;
  if (peers->started)
    {
      g_autofree char *topic = satori_peers_stream_topic (stream_id);
      if (!satori_pubsub_subscribe (peers->pubsub, topic, error))
        return FALSE;
      advertise_stream (peers, SATORI_PEERS_SUBSCRIBERS_PREFIX, stream_id);
    }
  g_ptr_array_add (peers->subscriptions, g_strdup (stream_id));
  return TRUE;
}

/**
 * satori_peers_unsubscribe:
 * @peers: a #SatoriPeers
 * @stream_id: a subscribed stream
 * @error: return location for a #GError: %G_IO_ERROR_NOT_FOUND when not
 *   subscribed
 *
 * Leaves @stream_id and withdraws this node's advertisement as its
 * subscriber (`satori/sub/<stream id>`) from every discovery: it is no
 * longer renewed, and taken back where the discovery can (see
 * satori_discovery_withdraw_async()).
 *
 * Returns: %TRUE on success
 */
gboolean
satori_peers_unsubscribe (SatoriPeers *peers, const char *stream_id, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), FALSE);
  g_return_val_if_fail (stream_id != NULL, FALSE);

  if (!drop_stream (peers, peers->subscriptions, SATORI_PEERS_SUBSCRIBERS_PREFIX, stream_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Not subscribed to stream %s"),
                   stream_id);
      return FALSE;
    }
  if (!peers->started)
    return TRUE;
  g_autofree char *topic = satori_peers_stream_topic (stream_id);
  return satori_pubsub_unsubscribe (peers->pubsub, topic, error);
}

/**
 * satori_peers_unpublish:
 * @peers: a #SatoriPeers
 * @stream_id: a stream published with satori_peers_publish_async()
 * @error: return location for a #GError: %G_IO_ERROR_NOT_FOUND when not
 *   published
 *
 * Stops publishing @stream_id: it leaves satori_peers_get_publications(),
 * and this node's advertisement as its publisher (`satori/pub/<stream
 * id>`) is withdrawn as satori_peers_unsubscribe() withdraws a
 * subscriber's. Publishing on the stream again advertises it again.
 *
 * Returns: %TRUE on success
 */
gboolean
satori_peers_unpublish (SatoriPeers *peers, const char *stream_id, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), FALSE);
  g_return_val_if_fail (stream_id != NULL, FALSE);

  if (!drop_stream (peers, peers->publications, SATORI_PEERS_PUBLISHERS_PREFIX, stream_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Not publishing stream %s"),
                   stream_id);
      return FALSE;
    }
  return TRUE;
}

static GStrv
strv_of (GPtrArray *ids)
{
  GStrv result = g_new0 (char *, ids->len + 1);

  for (guint i = 0; i < ids->len; i++)
    result[i] = g_strdup (g_ptr_array_index (ids, i));
  return result;
}

/**
 * satori_peers_get_subscriptions:
 * @peers: a #SatoriPeers
 *
 * Returns: (transfer full): the subscribed stream ids, in the order
 *   subscribed
 */
GStrv
satori_peers_get_subscriptions (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  return strv_of (peers->subscriptions);
}

/**
 * satori_peers_get_publications:
 * @peers: a #SatoriPeers
 *
 * Returns: (transfer full): the stream ids published with
 *   satori_peers_publish_async(), in the order first published
 */
GStrv
satori_peers_get_publications (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  return strv_of (peers->publications);
}

static void
on_published (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (satori_pubsub_publish_finish (SATORI_PUBSUB (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Publishes @data on @topic for @task, which it takes. */
static void
publish (SatoriPeers *self, GTask *task, const char *topic, JsonNode *data)
{
  GError *error = NULL;
  SatoriPubsub *pubsub = satori_peers_get_pubsub (self, &error);

  if (pubsub == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_autoptr(GBytes) payload = satori_peers_payload_encode (data);
  GCancellable *cancellable = g_task_get_cancellable (task);
  satori_pubsub_publish_async (pubsub, topic, payload, cancellable, on_published, task);
}

/* Publishes @data on @stream_id's topic, or fails @task for a bad id. */
static void
publish_on_stream (SatoriPeers *self, GTask *task, const char *stream_id, JsonNode *data)
{
  GError *error = NULL;

  if (!satori_peers_check_stream_id (stream_id, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_autofree char *topic = satori_peers_stream_topic (stream_id);
  publish (self, task, topic, data);
}

/**
 * satori_peers_publish_async:
 * @peers: a #SatoriPeers
 * @stream_id: the stream
 * @data: the value to publish, sent as JSON
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the router has the message
 * @user_data: data for @callback
 *
 * Publishes @data on @stream_id and, from the first time on, advertises
 * this node as a publisher of the stream (`satori/pub/<stream id>`).
 */
void
satori_peers_publish_async (SatoriPeers *peers, const char *stream_id, JsonNode *data,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (data != NULL);

  GTask *task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_publish_async);
  if (satori_peers_check_stream_id (stream_id, NULL) &&
      !g_ptr_array_find_with_equal_func (peers->publications, stream_id, g_str_equal, NULL))
    {
      g_ptr_array_add (peers->publications, g_strdup (stream_id));
      if (peers->started)
        advertise_stream (peers, SATORI_PEERS_PUBLISHERS_PREFIX, stream_id);
    }
  publish_on_stream (peers, task, stream_id, data);
}

/**
 * satori_peers_publish_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the router took the message
 */
gboolean
satori_peers_publish_finish (SatoriPeers *peers, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * satori_peers_broadcast_async:
 * @peers: a #SatoriPeers
 * @stream_id: the stream
 * @data: the value to publish, sent as JSON
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the router has the message
 * @user_data: data for @callback
 *
 * Publishes @data on @stream_id without advertising this node as its
 * publisher.
 */
void
satori_peers_broadcast_async (SatoriPeers *peers, const char *stream_id, JsonNode *data,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (data != NULL);

  GTask *task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_broadcast_async);
  publish_on_stream (peers, task, stream_id, data);
}

/**
 * satori_peers_broadcast_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the router took the message
 */
gboolean
satori_peers_broadcast_finish (SatoriPeers *peers, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * satori_peers_publish_to_topic_async:
 * @peers: a #SatoriPeers
 * @topic: the exact pubsub topic, such as `satori/data/<id>`
 * @data: the value to publish, sent as JSON
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the router has the message
 * @user_data: data for @callback
 *
 * Publishes @data on @topic as it is, with no `satori/stream/` prefix
 * (the oracle network's topics). The router publishes without being
 * subscribed.
 */
void
satori_peers_publish_to_topic_async (SatoriPeers *peers, const char *topic, JsonNode *data,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (topic != NULL);
  g_return_if_fail (data != NULL);

  GTask *task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_publish_to_topic_async);
  publish (peers, task, topic, data);
}

/**
 * satori_peers_publish_to_topic_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the router took the message
 */
gboolean
satori_peers_publish_to_topic_finish (SatoriPeers *peers, GAsyncResult *result,
                                      GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- discovery --- */

typedef struct
{
  char *stream_id;
  SatoriPeersRole role;
} Discover;

static void
discover_free (Discover *discover)
{
  g_free (discover->stream_id);
  g_free (discover);
}

static void
on_discovered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SatoriPeers *self = g_task_get_source_object (task);
  Discover *discover = g_task_get_task_data (task);
  GError *error = NULL;
  GPtrArray *found = satori_peers_find_finish (result, &error);

  if (found == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; discover->stream_id != NULL && i < found->len; i++)
    satori_peers_streams_add (self->streams, discover->stream_id, discover->role,
                              satori_peer_info_get_peer_id (g_ptr_array_index (found, i)));
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
discover (SatoriPeers *self, const char *prefix, const char *stream_id, SatoriPeersRole role,
          gpointer source_tag, GCancellable *cancellable, GAsyncReadyCallback callback,
          gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Discover *data = g_new0 (Discover, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  data->stream_id = g_strdup (stream_id);
  data->role = role;
  g_task_set_task_data (task, data, (GDestroyNotify) discover_free);
  if (stream_id != NULL && !satori_peers_check_stream_id (stream_id, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_autofree char *namespace_ = stream_id ? g_strconcat (prefix, stream_id, NULL) : NULL;
  satori_peers_find_async (G_OBJECT (self), self->discoveries, namespace_,
                           satori_host_get_peer_id (self->host), source_tag, cancellable,
                           on_discovered, task);
}

static GPtrArray *
discover_finish (SatoriPeers *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * satori_peers_discover_peers_async:
 * @peers: a #SatoriPeers
 * @stream_id: (nullable): a stream, or %NULL for any peers
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the peers found
 * @user_data: data for @callback
 *
 * Looks for the subscribers of @stream_id (`satori/sub/<stream id>`) on
 * every discovery, or for any peers the discoveries know of.
 */
void
satori_peers_discover_peers_async (SatoriPeers *peers, const char *stream_id,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  discover (peers, SATORI_PEERS_SUBSCRIBERS_PREFIX, stream_id, SATORI_PEERS_ROLE_SUBSCRIBER,
            satori_peers_discover_peers_async, cancellable, callback, user_data);
}

/**
 * satori_peers_discover_peers_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: return location for a #GError: set only when every discovery
 *   failed
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo): the peers found,
 *   one entry per peer, this node left out
 */
GPtrArray *
satori_peers_discover_peers_finish (SatoriPeers *peers, GAsyncResult *result, GError **error)
{
  return discover_finish (peers, result, satori_peers_discover_peers_async, error);
}

/**
 * satori_peers_discover_publishers_async:
 * @peers: a #SatoriPeers
 * @stream_id: the stream
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the publishers found
 * @user_data: data for @callback
 *
 * Looks for the publishers of @stream_id (`satori/pub/<stream id>`) on
 * every discovery.
 */
void
satori_peers_discover_publishers_async (SatoriPeers *peers, const char *stream_id,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (stream_id != NULL);
  discover (peers, SATORI_PEERS_PUBLISHERS_PREFIX, stream_id, SATORI_PEERS_ROLE_PUBLISHER,
            satori_peers_discover_publishers_async, cancellable, callback, user_data);
}

/**
 * satori_peers_discover_publishers_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: return location for a #GError: set only when every discovery
 *   failed
 *
 * Returns: (transfer full) (element-type SatoriPeerInfo): the publishers
 *   found, one entry per peer, this node left out
 */
GPtrArray *
satori_peers_discover_publishers_finish (SatoriPeers *peers, GAsyncResult *result,
                                         GError **error)
{
  return discover_finish (peers, result, satori_peers_discover_publishers_async, error);
}

/* --- peers --- */

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(SatoriConnection) connection = satori_host_connect_finish (SATORI_HOST (source),
                                                                       result, &error);

  if (connection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task,
                           satori_peer_id_ref (satori_connection_get_remote_peer (connection)),
                           (GDestroyNotify) satori_peer_id_unref);
}

/**
 * satori_peers_connect_async:
 * @peers: a #SatoriPeers
 * @address: where to dial; a trailing `/p2p/<peer id>` has the remote's
 *   identity checked
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the connection is secured and multiplexed
 * @user_data: data for @callback
 *
 * Dials @address.
 */
void
satori_peers_connect_async (SatoriPeers *peers, SatoriMultiaddr *address,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (address != NULL);

  GTask *task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_connect_async);
  satori_host_connect_async (peers->host, address, cancellable, on_connected, task);
}

/**
 * satori_peers_connect_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the peer that answered
 */
SatoriPeerId *
satori_peers_connect_finish (SatoriPeers *peers, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * satori_peers_get_peer_connections:
 * @peers: a #SatoriPeers
 * @peer: a peer
 *
 * Returns: (transfer container) (element-type SatoriConnection): the open
 *   connections to @peer, oldest first
 */
GPtrArray *
satori_peers_get_peer_connections (SatoriPeers *peers, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  g_return_val_if_fail (peer != NULL, NULL);

  g_autoptr(GPtrArray) all = satori_host_get_connections (peers->host);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < all->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (all, i);
      if (!satori_connection_is_closed (connection) &&
          satori_peer_id_equal (satori_connection_get_remote_peer (connection), peer))
        g_ptr_array_add (result, g_object_ref (connection));
    }
  return result;
}

/**
 * satori_peers_disconnect:
 * @peers: a #SatoriPeers
 * @peer: a connected peer
 * @error: return location for a #GError: %G_IO_ERROR_NOT_FOUND when not
 *   connected to @peer
 *
 * Closes every connection to @peer (with a GoAway where the muxer has
 * one); #SatoriPeers::peer-disconnected follows for each.
 *
 * Returns: %TRUE if there was a connection to close
 */
gboolean
satori_peers_disconnect (SatoriPeers *peers, SatoriPeerId *peer, GError **error)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), FALSE);
  g_return_val_if_fail (peer != NULL, FALSE);

  g_autoptr(GPtrArray) connections = satori_peers_get_peer_connections (peers, peer);
  if (connections->len == 0)
    {
      g_autofree char *text = satori_peer_id_to_string (peer);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Not connected to %s"), text);
      return FALSE;
    }
  for (guint i = 0; i < connections->len; i++)
    satori_connection_close_async (g_ptr_array_index (connections, i), NULL, NULL, NULL);
  return TRUE;
}

static void
on_pinged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GArray *rtts = satori_pinger_ping_finish (SATORI_PINGER (source), result, &error);

  if (rtts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rtts, (GDestroyNotify) g_array_unref);
}

/**
 * satori_peers_ping_async:
 * @peers: a #SatoriPeers
 * @peer: the peer
 * @count: how many round trips to measure, at least 1
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the round trip times
 * @user_data: data for @callback
 *
 * Pings @peer @count times with `/ipfs/ping/1.0.0`, dialing it if it is
 * not connected but has known addresses.
 */
void
satori_peers_ping_async (SatoriPeers *peers, SatoriPeerId *peer, guint count,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_return_if_fail (SATORI_IS_PEERS (peers));
  g_return_if_fail (peer != NULL);
  g_return_if_fail (count > 0);

  g_autoptr(GTask) task = g_task_new (peers, cancellable, callback, user_data);
  g_task_set_source_tag (task, satori_peers_ping_async);
  SatoriProtocolHandler *handler = satori_host_get_handler (peers->host, PING_PROTOCOL);
  if (handler == NULL || !SATORI_IS_PINGER (handler))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("The ping plugin is not loaded"));
      return;
    }
  g_autoptr(GPtrArray) connections = satori_peers_get_peer_connections (peers, peer);
  g_autoptr(GPtrArray) addresses =
    satori_peerstore_get_addresses (satori_host_get_peerstore (peers->host), peer);
  if (connections->len == 0 && (addresses == NULL || addresses->len == 0))
    {
      g_autofree char *text = satori_peer_id_to_string (peer);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("Unknown peer %s: not connected, and no address known"), text);
      return;
    }
  satori_pinger_ping_async (SATORI_PINGER (handler), peer, count, cancellable, on_pinged,
                            g_steal_pointer (&task));
}

/**
 * satori_peers_ping_finish:
 * @peers: a #SatoriPeers
 * @result: the #GAsyncResult
 * @error: return location for a #GError: %G_IO_ERROR_NOT_FOUND for a peer
 *   with no connection and no known address, %G_IO_ERROR_NOT_SUPPORTED
 *   without the ping plugin, or why the ping failed
 *
 * Returns: (transfer full) (element-type gint64): the round trip times,
 *   in microseconds
 */
GArray *
satori_peers_ping_finish (SatoriPeers *peers, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, peers), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * satori_peers_get_connected_peers:
 * @peers: a #SatoriPeers
 *
 * Returns: (transfer container) (element-type SatoriPeerId): the peers
 *   with an open connection, each once
 */
GPtrArray *
satori_peers_get_connected_peers (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);

  g_autoptr(GPtrArray) connections = satori_host_get_connections (peers->host);
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_id_unref);
  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
      if (!satori_connection_is_closed (connection) &&
          !g_ptr_array_find_with_equal_func (result, peer, satori_peer_id_equal, NULL))
        g_ptr_array_add (result, satori_peer_id_ref (peer));
    }
  return result;
}

/**
 * satori_peers_get_known_peers:
 * @peers: a #SatoriPeers
 *
 * Returns: (transfer container) (element-type SatoriPeerId): the peers the
 *   peerstore knows anything about, this node left out
 */
GPtrArray *
satori_peers_get_known_peers (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);

  GPtrArray *known = satori_peerstore_get_peers (satori_host_get_peerstore (peers->host));
  guint index;
  if (g_ptr_array_find_with_equal_func (known, satori_host_get_peer_id (peers->host),
                                        satori_peer_id_equal, &index))
    g_ptr_array_remove_index (known, index);
  return known;
}

/**
 * satori_peers_get_evrmore_address:
 * @peers: a #SatoriPeers
 *
 * Returns: the Evrmore address of the host key (the same key as the
 *   wallet's when it was imported), or "" when the key is not secp256k1
 */
const char *
satori_peers_get_evrmore_address (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  return peers->evrmore_address;
}

/**
 * satori_peers_get_nat_status:
 * @peers: a #SatoriPeers
 *
 * Returns: the status #SatoriNatStatus describes: the host's
 *   #SatoriHost:reachability when known, else from its addresses now
 */
SatoriNatStatus
satori_peers_get_nat_status (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), SATORI_NAT_STATUS_UNKNOWN);
  return satori_nat_status_of_host (peers->host);
}

/* Records the router's subscribers of every subscribed stream as the
 * stream's subscribers (the memory keeps them after they leave). */
static void
note_router_subscribers (SatoriPeers *peers)
{
  SatoriPubsub *pubsub = satori_host_get_pubsub (peers->host);

  for (guint i = 0; pubsub != NULL && i < peers->subscriptions->len; i++)
    {
      const char *stream_id = g_ptr_array_index (peers->subscriptions, i);
      g_autofree char *topic = satori_peers_stream_topic (stream_id);
      g_autoptr(GPtrArray) subscribers = satori_pubsub_get_topic_peers (pubsub, topic);
      for (guint j = 0; subscribers != NULL && j < subscribers->len; j++)
        satori_peers_streams_add (peers->streams, stream_id, SATORI_PEERS_ROLE_SUBSCRIBER,
                                  g_ptr_array_index (subscribers, j));
    }
}

/**
 * satori_peers_get_subscribers:
 * @peers: a #SatoriPeers
 * @stream_id: a stream
 *
 * The peers seen subscribing to @stream_id (Python's `get_subscribers`):
 * through the router while this node subscribes too, or found by
 * discovery. A peer stays listed after it leaves; the latest 1000 are
 * remembered.
 *
 * Returns: (transfer container) (element-type SatoriPeerId): the
 *   subscribers, first seen first; empty for a stream never seen
 */
GPtrArray *
satori_peers_get_subscribers (SatoriPeers *peers, const char *stream_id)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  g_return_val_if_fail (stream_id != NULL, NULL);

  note_router_subscribers (peers);
  return satori_peers_streams_get_peers (peers->streams, stream_id, SATORI_PEERS_ROLE_SUBSCRIBER);
}

/**
 * satori_peers_get_publishers:
 * @peers: a #SatoriPeers
 * @stream_id: a stream
 *
 * The peers seen publishing on @stream_id (Python's `get_publishers`):
 * authors of its messages, or found by discovery. Remembered as the
 * subscribers are (satori_peers_get_subscribers()).
 *
 * Returns: (transfer container) (element-type SatoriPeerId): the
 *   publishers, first seen first; empty for a stream never seen
 */
GPtrArray *
satori_peers_get_publishers (SatoriPeers *peers, const char *stream_id)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  g_return_val_if_fail (stream_id != NULL, NULL);

  return satori_peers_streams_get_peers (peers->streams, stream_id, SATORI_PEERS_ROLE_PUBLISHER);
}

/**
 * satori_peers_get_peer_subscriptions:
 * @peers: a #SatoriPeers
 * @peer: a peer
 *
 * The streams @peer was seen subscribing to (Python's
 * `get_peer_subscriptions`), as satori_peers_get_subscribers() sees them.
 *
 * Returns: (transfer full): the stream ids, least recently seen first
 */
GStrv
satori_peers_get_peer_subscriptions (SatoriPeers *peers, SatoriPeerId *peer)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);
  g_return_val_if_fail (peer != NULL, NULL);

  note_router_subscribers (peers);
  return satori_peers_streams_get_peer_streams (peers->streams, SATORI_PEERS_ROLE_SUBSCRIBER,
                                                peer);
}

/**
 * satori_peers_get_network_map:
 * @peers: a #SatoriPeers
 *
 * What this node knows of the network, as a JSON object:
 * `self` (`peer_id`, `evrmore_address`, `addresses`, `nat_status`),
 * `connected_peers` and `known_peers` (peer ids), `my_subscriptions` and
 * `my_publications` (stream ids), and `streams`: for every stream seen,
 * its `subscribers` and `publishers` (satori_peers_get_subscribers(),
 * satori_peers_get_publishers()).
 *
 * Returns: (transfer full): the map
 */
JsonNode *
satori_peers_get_network_map (SatoriPeers *peers)
{
  g_return_val_if_fail (SATORI_IS_PEERS (peers), NULL);

  note_router_subscribers (peers);
  return satori_peers_map_build (peers, peers->streams);
}
