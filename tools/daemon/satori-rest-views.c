/* satori-rest-views.c — the JSON documents of the REST API, shaped as
 * the original PeersAPI's (src/satorip2p/api.py), from the daemon's model
 * and its SatoriPeers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-rest-views.h"

#include <string.h>

#include "satori-rest-route.h"

static void
add_strv (JsonBuilder *builder, const char *name, const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_bool (JsonBuilder *builder, const char *name, gboolean value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_int (JsonBuilder *builder, const char *name, gint64 value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_double (JsonBuilder *builder, const char *name, double value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

/**
 * satori_rest_view_index:
 *
 * Returns: (transfer full): `GET /`: name, version and endpoints
 */
JsonNode *
satori_rest_view_index (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) endpoints = satori_rest_route_list ();

  json_builder_begin_object (builder);
  add_string (builder, "name", "satorip2p");
  add_string (builder, "version", PACKAGE_VERSION);
  add_strv (builder, "endpoints", (const char * const *) endpoints);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * satori_rest_view_health:
 * @model: the node
 * @healthy: (out): whether it has at least one connection
 *
 * Returns: (transfer full): `GET /health`
 */
JsonNode *
satori_rest_view_health (SatoriDaemonModel *model, gboolean *healthy)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint connected = satori_daemon_model_count_peers (model);
  gint64 uptime_us = g_get_real_time () - satori_daemon_model_get_started (model);

  *healthy = connected > 0;
  json_builder_begin_object (builder);
  add_string (builder, "status", *healthy ? "healthy" : "unhealthy");
  add_bool (builder, "started", TRUE);
  add_int (builder, "connected", connected);
  add_double (builder, "uptime_seconds", MAX (uptime_us, 0) / (double) G_USEC_PER_SEC);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The stream ids that are subscribed (or published) among @streams. */
static GStrv
stream_ids (GPtrArray *streams, gboolean published)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  for (guint i = 0; i < streams->len; i++)
    {
      SatoriDaemonStream *stream = g_ptr_array_index (streams, i);
      if (published ? stream->published : stream->subscribed)
        g_strv_builder_add (ids, stream->stream_id);
    }
  return g_strv_builder_end (ids);
}

static void
add_features (JsonBuilder *builder, SatoriDaemonModel *model, GStrv addresses)
{
  g_autofree char *all = g_strjoinv (" ", addresses);

  json_builder_set_member_name (builder, "features");
  json_builder_begin_object (builder);
  add_bool (builder, "dht", satori_daemon_model_serves (model, "/ipfs/kad/"));
  add_bool (builder, "pubsub",
            satori_peers_get_pubsub (satori_daemon_model_get_peers (model), NULL) != NULL);
  add_bool (builder, "relay", satori_daemon_model_serves (model, "/libp2p/circuit/relay/"));
  add_bool (builder, "rendezvous", satori_daemon_model_serves (model, "/rendezvous/"));
  /* Not a stream protocol, and no mDNS plugin yet. */
  add_bool (builder, "mdns", FALSE);
  add_bool (builder, "ping", satori_daemon_model_serves (model, "/ipfs/ping/"));
  add_bool (builder, "autonat", satori_daemon_model_serves (model, "/libp2p/autonat/"));
  add_bool (builder, "identify", satori_daemon_model_serves (model, "/ipfs/id/"));
  add_bool (builder, "quic", strstr (all, "/quic") != NULL);
  add_bool (builder, "websocket", strstr (all, "/ws") != NULL);
  json_builder_end_object (builder);
}

/**
 * satori_rest_view_status:
 * @model: the node
 *
 * Returns: (transfer full): `GET /status`
 */
JsonNode *
satori_rest_view_status (SatoriDaemonModel *model)
{
  SatoriPeers *peers = satori_daemon_model_get_peers (model);
  SatoriHost *host = satori_peers_get_host (peers);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *peer_id = satori_peer_id_to_string (satori_host_get_peer_id (host));
  const char *evrmore_address = satori_peers_get_evrmore_address (peers);
  SatoriPublicKey *public_key =
    satori_private_key_get_public_key (satori_host_get_private_key (host));
  g_autoptr(GBytes) key_bytes = satori_public_key_to_protobuf (public_key);
  gsize key_length;
  const guint8 *key_data = g_bytes_get_data (key_bytes, &key_length);
  g_autoptr(GString) key_hex = g_string_new (NULL);
  g_auto(GStrv) addresses = satori_daemon_model_get_addresses (model);
  g_autoptr(GPtrArray) streams = satori_daemon_model_list_streams (model);
  g_auto(GStrv) subscriptions = stream_ids (streams, FALSE);
  g_auto(GStrv) publications = stream_ids (streams, TRUE);

  for (gsize i = 0; i < key_length; i++)
    g_string_append_printf (key_hex, "%02x", key_data[i]);
  json_builder_begin_object (builder);
  add_string (builder, "peer_id", peer_id);
  /* null when the host key is no wallet key (not secp256k1) */
  add_string (builder, "evrmore_address", evrmore_address[0] != '\0' ? evrmore_address : NULL);
  add_string (builder, "public_key", key_hex->str);
  add_strv (builder, "addresses", (const char * const *) addresses);
  add_string (builder, "nat_type",
              satori_nat_status_to_string (satori_peers_get_nat_status (peers)));
  add_bool (builder, "is_relay", satori_daemon_model_serves (model, "/libp2p/circuit/relay/"));
  add_int (builder, "connected_peers", satori_daemon_model_count_peers (model));
  add_strv (builder, "subscriptions", (const char * const *) subscriptions);
  add_strv (builder, "publications", (const char * const *) publications);
  add_features (builder, model, addresses);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * satori_rest_view_peers:
 * @model: the node
 *
 * Returns: (transfer full): `GET /peers`
 */
JsonNode *
satori_rest_view_peers (SatoriDaemonModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) peers = satori_daemon_model_list_peers (model);

  json_builder_begin_object (builder);
  add_int (builder, "count", peers->len);
  json_builder_set_member_name (builder, "peers");
  json_builder_begin_array (builder);
  for (guint i = 0; i < peers->len; i++)
    {
      SatoriDaemonPeer *peer = g_ptr_array_index (peers, i);
      json_builder_begin_object (builder);
      add_string (builder, "peer_id", peer->peer_id);
      add_strv (builder, "addresses", (const char * const *) peer->addresses);
      add_string (builder, "agent", peer->agent);
      add_strv (builder, "protocols", (const char * const *) peer->protocols);
      json_builder_set_member_name (builder, "latency_ms");
      if (peer->latency_us > 0)
        json_builder_add_double_value (builder, peer->latency_us / 1000.0);
      else
        json_builder_add_null_value (builder);
      add_strv (builder, "subscriptions", (const char * const *) peer->streams);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
describe_connections (SatoriDaemonModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  SatoriHost *host = satori_daemon_model_get_host (model);
  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);

  json_builder_begin_array (builder);
  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      if (satori_connection_is_closed (connection))
        continue;
      g_autofree char *remote =
        satori_peer_id_to_string (satori_connection_get_remote_peer (connection));
      SatoriMultiaddr *address = satori_connection_get_remote_address (connection);
      g_autofree char *address_text = address ? satori_multiaddr_to_string (address) : NULL;
      g_autofree char *transport = satori_daemon_model_get_transport (connection);
      json_builder_begin_object (builder);
      add_string (builder, "peer_id", remote);
      add_string (builder, "address", address_text);
      add_string (builder, "direction",
                  satori_connection_get_direction (connection) == SATORI_DIRECTION_INBOUND
                  ? "inbound" : "outbound");
      add_string (builder, "transport", transport);
      add_string (builder, "security", satori_connection_get_security_protocol (connection));
      add_string (builder, "muxer", satori_connection_get_muxer_protocol (connection));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/**
 * satori_rest_view_network:
 * @model: the node
 *
 * Returns: (transfer full): `GET /network`: the network map
 *   (satori_peers_get_network_map()) and, under `connections`, each open
 *   connection
 */
JsonNode *
satori_rest_view_network (SatoriDaemonModel *model)
{
  JsonNode *map = satori_peers_get_network_map (satori_daemon_model_get_peers (model));

  json_object_set_member (json_node_get_object (map), "connections",
                          describe_connections (model));
  return map;
}

/**
 * satori_rest_view_subscriptions:
 * @model: the node
 *
 * Returns: (transfer full): `GET /subscriptions`
 */
JsonNode *
satori_rest_view_subscriptions (SatoriDaemonModel *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) streams = satori_daemon_model_list_streams (model);

  json_builder_begin_object (builder);
  for (guint published = 0; published < 2; published++)
    {
      json_builder_set_member_name (builder, published ? "publications" : "subscriptions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < streams->len; i++)
        {
          SatoriDaemonStream *stream = g_ptr_array_index (streams, i);
          if (!(published ? stream->published : stream->subscribed))
            continue;
          json_builder_begin_object (builder);
          add_string (builder, "stream_id", stream->stream_id);
          add_int (builder, "subscribers", stream->peers);
          if (!published)
            add_int (builder, "publishers", stream->publishers);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * satori_rest_view_ping:
 * @peer_id: the peer pinged
 * @rtts_us: (element-type gint64): the round-trip times, at least one
 *
 * Returns: (transfer full): a successful `POST /peers/{peer_id}/ping`
 */
JsonNode *
satori_rest_view_ping (const char *peer_id, GArray *rtts_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  double sum = 0, min = G_MAXDOUBLE, max = 0;

  json_builder_begin_object (builder);
  add_string (builder, "peer_id", peer_id);
  add_bool (builder, "success", TRUE);
  add_int (builder, "count", rtts_us->len);
  json_builder_set_member_name (builder, "latencies_ms");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rtts_us->len; i++)
    {
      double ms = g_array_index (rtts_us, gint64, i) / 1000.0;
      json_builder_add_double_value (builder, ms);
      sum += ms;
      min = MIN (min, ms);
      max = MAX (max, ms);
    }
  json_builder_end_array (builder);
  add_double (builder, "avg_ms", rtts_us->len ? sum / rtts_us->len : 0);
  add_double (builder, "min_ms", rtts_us->len ? min : 0);
  add_double (builder, "max_ms", max);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * satori_rest_view_done:
 * @stream_id: the stream acted on
 * @message: what was done
 *
 * Returns: (transfer full): `{success, stream_id, message}`
 */
JsonNode *
satori_rest_view_done (const char *stream_id, const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_bool (builder, "success", TRUE);
  add_string (builder, "stream_id", stream_id);
  add_string (builder, "message", message);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
