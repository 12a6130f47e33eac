/* satori-peers-map.c — the network map (Python's get_network_map, with
 * peer ids listed rather than counted): see satori_peers_get_network_map().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-peers-map.h"

#include "satori-multiaddr.h"

static void
add_string_take (JsonArray *array, char *text)
{
  json_array_add_string_element (array, text);
  g_free (text);
}

static JsonArray *
peers_to_array (GPtrArray *peers)
{
  JsonArray *array = json_array_sized_new (peers->len);

  for (guint i = 0; i < peers->len; i++)
    add_string_take (array, satori_peer_id_to_string (g_ptr_array_index (peers, i)));
  return array;
}

static JsonArray *
strv_to_array (const char * const *strings)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strings[i] != NULL; i++)
    json_array_add_string_element (array, strings[i]);
  return array;
}

static JsonObject *
describe_self (SatoriPeers *peers)
{
  SatoriHost *host = satori_peers_get_host (peers);
  JsonObject *self = json_object_new ();
  g_autofree char *peer_id = satori_peer_id_to_string (satori_host_get_peer_id (host));
  g_autoptr(GPtrArray) addresses = satori_host_get_addresses (host);
  JsonArray *address_array = json_array_sized_new (addresses->len);

  for (guint i = 0; i < addresses->len; i++)
    add_string_take (address_array,
                     satori_multiaddr_to_string (g_ptr_array_index (addresses, i)));
  json_object_set_string_member (self, "peer_id", peer_id);
  json_object_set_string_member (self, "evrmore_address", satori_peers_get_evrmore_address (peers));
  json_object_set_array_member (self, "addresses", address_array);
  json_object_set_string_member (self, "nat_status",
                                 satori_nat_status_to_string (satori_peers_get_nat_status (peers)));
  return self;
}

JsonNode *
satori_peers_map_build (SatoriPeers *peers, SatoriPeersStreams *streams)
{
  JsonObject *map = json_object_new ();
  g_autoptr(GPtrArray) connected = satori_peers_get_connected_peers (peers);
  g_autoptr(GPtrArray) known = satori_peers_get_known_peers (peers);
  g_auto(GStrv) subscriptions = satori_peers_get_subscriptions (peers);
  g_auto(GStrv) publications = satori_peers_get_publications (peers);
  g_auto(GStrv) stream_ids = satori_peers_streams_get_ids (streams);
  JsonObject *stream_map = json_object_new ();

  json_object_set_object_member (map, "self", describe_self (peers));
  json_object_set_array_member (map, "connected_peers", peers_to_array (connected));
  json_object_set_array_member (map, "known_peers", peers_to_array (known));
  json_object_set_array_member (map, "my_subscriptions",
                                strv_to_array ((const char * const *) subscriptions));
  json_object_set_array_member (map, "my_publications",
                                strv_to_array ((const char * const *) publications));
  for (guint i = 0; stream_ids[i] != NULL; i++)
    json_object_set_member (stream_map, stream_ids[i],
                            satori_peers_streams_to_json (streams, stream_ids[i]));
  json_object_set_object_member (map, "streams", stream_map);

  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, map);
  return node;
}
