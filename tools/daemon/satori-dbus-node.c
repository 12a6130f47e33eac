/* satori-dbus-node.c — io.satorinet.P2P1.Node over the daemon's model and
 * its SatoriPeers: the node's identity, addresses and peers as
 * properties, its connection events as signals, dialing, hanging up and
 * pinging as methods.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-dbus-node.h"

#include <glib/gi18n.h>

#include "satori-dbus-error.h"

/* Sets every property at once and sends one PropertiesChanged now. */
static void
update_properties (SatoriDBusNode *node, SatoriDaemonModel *model)
{
  SatoriPeers *peers = satori_daemon_model_get_peers (model);
  g_auto(GStrv) listen = satori_daemon_model_get_addresses (model);

  g_object_freeze_notify (G_OBJECT (node));
  satori_dbus_node_set_listen_addresses (node, (const char * const *) listen);
  satori_dbus_node_set_connected_peers (node, satori_daemon_model_count_peers (model));
  satori_dbus_node_set_mode (node, listen[0] != NULL ? "server" : "client");
  satori_dbus_node_set_nat_status (node,
                                   satori_nat_status_to_string (satori_peers_get_nat_status (peers)));
  g_object_thaw_notify (G_OBJECT (node));
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (node));
}

static SatoriDaemonModel *
model_of (SatoriDBusNode *node)
{
  return g_object_get_data (G_OBJECT (node), "satori-model");
}

static void
on_peer_connected (SatoriPeers *peers, SatoriPeerId *peer_id, SatoriMultiaddr *remote,
                   SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (peer_id);
  g_autofree char *address = satori_multiaddr_to_string (remote);

  update_properties (node, model_of (node));
  satori_dbus_node_emit_peer_connected (node, peer, address);
}

static void
on_peer_disconnected (SatoriPeers *peers, SatoriPeerId *peer_id, SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (peer_id);

  update_properties (node, model_of (node));
  satori_dbus_node_emit_peer_disconnected (node, peer);
}

static void
on_addresses_changed (SatoriHost *host, SatoriDBusNode *node)
{
  update_properties (node, model_of (node));
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
                                                   satori_dbus_error_from_gerror (error), error->message);
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
                                             satori_dbus_error_from_gerror (error), _("Cannot ping: %s"),
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
describe_peer (SatoriDaemonPeer *peer)
{
  return g_variant_new ("(s^ass^asd)", peer->peer_id, peer->addresses,
                        peer->agent ? peer->agent : "", peer->protocols,
                        peer->latency_us > 0 ? peer->latency_us / (double) G_USEC_PER_SEC : -1.0);
}

static gboolean
handle_list_peers (SatoriDBusNode *node, GDBusMethodInvocation *invocation,
                   SatoriDaemonModel *model)
{
  g_autoptr(GPtrArray) peers = satori_daemon_model_list_peers (model);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sassasd)"));
  for (guint i = 0; i < peers->len; i++)
    g_variant_builder_add_value (&builder, describe_peer (g_ptr_array_index (peers, i)));
  satori_dbus_node_complete_list_peers (node, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * satori_dbus_node_new:
 * @model: the node to expose
 *
 * Makes the io.satorinet.P2P1.Node skeleton of @model, to export with
 * g_dbus_interface_skeleton_export(). It keeps a reference on @model.
 *
 * Returns: (transfer full): the skeleton
 */
SatoriDBusNode *
satori_dbus_node_new (SatoriDaemonModel *model)
{
  SatoriDBusNode *node = satori_dbus_node_skeleton_new ();
  SatoriPeers *peers = satori_daemon_model_get_peers (model);
  SatoriHost *host = satori_peers_get_host (peers);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (host));

  g_object_set_data_full (G_OBJECT (node), "satori-model", g_object_ref (model), g_object_unref);
  satori_dbus_node_set_peer_id (node, peer);
  satori_dbus_node_set_evrmore_address (node, satori_peers_get_evrmore_address (peers));
  update_properties (node, model);

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
  g_signal_connect_object (node, "handle-list-peers", G_CALLBACK (handle_list_peers), model, 0);
  return node;
}
