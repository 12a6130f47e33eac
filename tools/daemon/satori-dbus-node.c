/* satori-dbus-node.c — io.satorinet.P2P1.Node over SatoriPeers: the
 * node's identity, addresses and peers as properties, its connection
 * events as signals, dialing, hanging up and pinging as methods.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-dbus-node.h"

#include <glib/gi18n.h>

#include "satori-dbus-error.h"

static GStrv
addresses_to_strv (GPtrArray *addresses)
{
  GStrv result = g_new0 (char *, addresses->len + 1);

  for (guint i = 0; i < addresses->len; i++)
    result[i] = satori_multiaddr_to_string (g_ptr_array_index (addresses, i));
  return result;
}

/* Sets every property at once and sends one PropertiesChanged now. */
static void
update_properties (SatoriDBusNode *node, SatoriPeers *peers)
{
  SatoriHost *host = satori_peers_get_host (peers);
  g_autoptr(GPtrArray) listen = satori_host_get_listen_addresses (host);
  g_auto(GStrv) listen_text = addresses_to_strv (listen);
  g_autoptr(GPtrArray) connected = satori_peers_get_connected_peers (peers);

  g_object_freeze_notify (G_OBJECT (node));
  satori_dbus_node_set_listen_addresses (node, (const char * const *) listen_text);
  satori_dbus_node_set_connected_peers (node, connected->len);
  satori_dbus_node_set_mode (node, listen->len > 0 ? "server" : "client");
  satori_dbus_node_set_nat_status (node,
                                   satori_nat_status_to_string (satori_peers_get_nat_status (peers)));
  g_object_thaw_notify (G_OBJECT (node));
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (node));
}

static void
on_peer_connected (SatoriPeers *peers, SatoriPeerId *peer_id, SatoriMultiaddr *remote,
                   SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (peer_id);
  g_autofree char *address = satori_multiaddr_to_string (remote);

  update_properties (node, peers);
  satori_dbus_node_emit_peer_connected (node, peer, address);
}

static void
on_peer_disconnected (SatoriPeers *peers, SatoriPeerId *peer_id, SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (peer_id);

  update_properties (node, peers);
  satori_dbus_node_emit_peer_disconnected (node, peer);
}

static void
on_addresses_changed (SatoriHost *host, SatoriDBusNode *node)
{
  update_properties (node, g_object_get_data (G_OBJECT (node), "satori-peers"));
}

/* The D-Bus error for a failure of the node. */
static SatoriDBusError
dbus_error_of (const GError *error)
{
  if (error->domain != G_IO_ERROR)
    return SATORI_DBUS_ERROR_FAILED;
  switch (error->code)
    {
    case G_IO_ERROR_NOT_FOUND:
      return SATORI_DBUS_ERROR_NOT_FOUND;
    case G_IO_ERROR_NOT_SUPPORTED:
      return SATORI_DBUS_ERROR_NOT_SUPPORTED;
    case G_IO_ERROR_INVALID_ARGUMENT:
      return SATORI_DBUS_ERROR_INVALID_ARGUMENT;
    default:
      return SATORI_DBUS_ERROR_FAILED;
    }
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerId) peer_id = satori_peers_connect_finish (SATORI_PEERS (source), result,
                                                                 &error);

  if (peer_id == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                             SATORI_DBUS_ERROR_FAILED,
                                             _("Cannot connect: %s"), error->message);
      return;
    }
  g_autofree char *peer = satori_peer_id_to_string (peer_id);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", peer));
}

static gboolean
handle_connect (SatoriDBusNode *node, GDBusMethodInvocation *invocation,
                const char *text, SatoriPeers *peers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (text, &error);

  if (address == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                             SATORI_DBUS_ERROR_INVALID_ARGUMENT,
                                             _("“%s” is not a multiaddr: %s"), text,
                                             error->message);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  satori_peers_connect_async (peers, address, NULL, on_connected, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Parses @text as a peer id, or answers @invocation with why not. */
static SatoriPeerId *
parse_peer (GDBusMethodInvocation *invocation, const char *text)
{
  g_autoptr(GError) error = NULL;
  SatoriPeerId *peer = satori_peer_id_new_from_string (text, &error);

  if (peer == NULL)
    g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                           SATORI_DBUS_ERROR_INVALID_ARGUMENT,
                                           _("“%s” is not a peer id: %s"), text, error->message);
  return peer;
}

static gboolean
handle_disconnect (SatoriDBusNode *node, GDBusMethodInvocation *invocation,
                   const char *text, SatoriPeers *peers)
{
  g_autoptr(SatoriPeerId) peer = parse_peer (invocation, text);
  g_autoptr(GError) error = NULL;

  if (peer == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (satori_peers_disconnect (peers, peer, &error))
    satori_dbus_node_complete_disconnect (node, invocation);
  else
    g_dbus_method_invocation_return_error_literal (invocation, SATORI_DBUS_ERROR,
                                                   dbus_error_of (error), error->message);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Pings per call, at most: a round trip can take seconds. */
#define MAX_PING_COUNT 100

static void
on_pinged (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rtts = satori_peers_ping_finish (SATORI_PEERS (source), result, &error);

  if (rtts == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                             dbus_error_of (error), _("Cannot ping: %s"),
                                             error->message);
      return;
    }
  GVariantBuilder builder;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("ad"));
  for (guint i = 0; i < rtts->len; i++)
    g_variant_builder_add (&builder, "d",
                           g_array_index (rtts, gint64, i) / (double) G_USEC_PER_SEC);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ad)", &builder));
}

static gboolean
handle_ping (SatoriDBusNode *node, GDBusMethodInvocation *invocation, const char *text,
             guint count, SatoriPeers *peers)
{
  g_autoptr(SatoriPeerId) peer = parse_peer (invocation, text);

  if (peer == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (count == 0 || count > MAX_PING_COUNT)
    {
      g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                             SATORI_DBUS_ERROR_INVALID_ARGUMENT,
                                             _("Ping count %u is not between 1 and %u"), count,
                                             MAX_PING_COUNT);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  satori_peers_ping_async (peers, peer, count, NULL, on_pinged, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static GVariant *
describe_peer (SatoriPeers *peers, SatoriPeerId *peer)
{
  SatoriPeerstore *store = satori_host_get_peerstore (satori_peers_get_host (peers));
  g_autofree char *id = satori_peer_id_to_string (peer);
  g_autoptr(GPtrArray) connections = satori_peers_get_peer_connections (peers, peer);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  const char *agent = satori_peerstore_get_agent (store, peer);
  g_auto(GStrv) protocols = satori_peerstore_get_protocols (store, peer);
  gint64 latency_us = satori_peerstore_get_latency (store, peer);

  for (guint i = 0; i < connections->len; i++)
    g_ptr_array_add (addresses,
                     satori_connection_get_remote_address (g_ptr_array_index (connections, i)));
  g_auto(GStrv) address_text = addresses_to_strv (addresses);
  static const char * const none[] = { NULL };

  return g_variant_new ("(s^ass^asd)", id, address_text, agent ? agent : "",
                        protocols ? (const char * const *) protocols : none,
                        latency_us > 0 ? latency_us / (double) G_USEC_PER_SEC : -1.0);
}

static gboolean
handle_list_peers (SatoriDBusNode *node, GDBusMethodInvocation *invocation, SatoriPeers *peers)
{
  g_autoptr(GPtrArray) connected = satori_peers_get_connected_peers (peers);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sassasd)"));
  for (guint i = 0; i < connected->len; i++)
    g_variant_builder_add_value (&builder, describe_peer (peers, g_ptr_array_index (connected, i)));
  satori_dbus_node_complete_list_peers (node, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * satori_dbus_node_new:
 * @peers: the node to expose
 *
 * Makes the io.satorinet.P2P1.Node skeleton of @peers, to export with
 * g_dbus_interface_skeleton_export(). It keeps a reference on @peers.
 *
 * Returns: (transfer full): the skeleton
 */
SatoriDBusNode *
satori_dbus_node_new (SatoriPeers *peers)
{
  SatoriDBusNode *node = satori_dbus_node_skeleton_new ();
  SatoriHost *host = satori_peers_get_host (peers);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (host));

  g_object_set_data_full (G_OBJECT (node), "satori-peers", g_object_ref (peers), g_object_unref);
  satori_dbus_node_set_peer_id (node, peer);
  satori_dbus_node_set_evrmore_address (node, satori_peers_get_evrmore_address (peers));
  update_properties (node, peers);

  g_signal_connect_object (peers, "peer-connected", G_CALLBACK (on_peer_connected), node, 0);
  g_signal_connect_object (peers, "peer-disconnected", G_CALLBACK (on_peer_disconnected), node,
                           0);
  g_signal_connect_object (host, "addresses-changed", G_CALLBACK (on_addresses_changed), node, 0);
  /* NatStatus follows AutoNAT's verdict. */
  g_signal_connect_object (host, "notify::reachability", G_CALLBACK (on_addresses_changed), node,
                           0);
  g_signal_connect_object (node, "handle-connect", G_CALLBACK (handle_connect), peers, 0);
  g_signal_connect_object (node, "handle-disconnect", G_CALLBACK (handle_disconnect), peers, 0);
  g_signal_connect_object (node, "handle-ping", G_CALLBACK (handle_ping), peers, 0);
  g_signal_connect_object (node, "handle-list-peers", G_CALLBACK (handle_list_peers), peers, 0);
  return node;
}
