/* satori-dbus-node.c — io.satorinet.P2P1.Node over a SatoriHost: the
 * host's identity, addresses and peers as properties, its connection
 * events as signals, dialing and hanging up as methods.
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
  g_auto(GStrv) listen = satori_daemon_model_get_addresses (model);

  g_object_freeze_notify (G_OBJECT (node));
  satori_dbus_node_set_listen_addresses (node, (const char * const *) listen);
  satori_dbus_node_set_connected_peers (node, satori_daemon_model_count_peers (model));
  satori_dbus_node_set_mode (node, listen[0] != NULL ? "server" : "client");
  g_object_thaw_notify (G_OBJECT (node));
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (node));
}

static SatoriDaemonModel *
get_model (SatoriDBusNode *node)
{
  return g_object_get_data (G_OBJECT (node), "satori-model");
}

static void
on_peer_connected (SatoriHost *host, SatoriConnection *connection, SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (satori_connection_get_remote_peer (connection));
  g_autofree char *address =
    satori_multiaddr_to_string (satori_connection_get_remote_address (connection));

  update_properties (node, get_model (node));
  satori_dbus_node_emit_peer_connected (node, peer, address);
}

static void
on_peer_disconnected (SatoriHost *host, SatoriConnection *connection, SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (satori_connection_get_remote_peer (connection));

  update_properties (node, get_model (node));
  satori_dbus_node_emit_peer_disconnected (node, peer);
}

static void
on_addresses_changed (SatoriHost *host, SatoriDBusNode *node)
{
  update_properties (node, get_model (node));
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection =
    satori_host_connect_finish (SATORI_HOST (source), result, &error);

  if (connection == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                             SATORI_DBUS_ERROR_FAILED,
                                             _("Cannot connect: %s"), error->message);
      return;
    }
  g_autofree char *peer = satori_peer_id_to_string (satori_connection_get_remote_peer (connection));
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", peer));
}

static gboolean
handle_connect (SatoriDBusNode *node, GDBusMethodInvocation *invocation,
                const char *text, SatoriHost *host)
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
  satori_host_connect_async (host, address, NULL, on_connected, invocation);
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
                   const char *text, SatoriDaemonModel *model)
{
  g_autoptr(SatoriPeerId) peer = parse_peer (invocation, text);
  if (peer == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  g_autoptr(GHashTable) peers = satori_daemon_model_get_connections_by_peer (model);
  GPtrArray *connections = g_hash_table_lookup (peers, peer);
  if (connections == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                             SATORI_DBUS_ERROR_NOT_FOUND,
                                             _("Not connected to %s"), text);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }
  for (guint i = 0; i < connections->len; i++)
    satori_connection_close_async (g_ptr_array_index (connections, i), NULL, NULL, NULL);
  satori_dbus_node_complete_disconnect (node, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_peers (SatoriDBusNode *node, GDBusMethodInvocation *invocation,
                   SatoriDaemonModel *model)
{
  g_autoptr(GPtrArray) peers = satori_daemon_model_list_peers (model);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sassasd)"));
  for (guint i = 0; i < peers->len; i++)
    {
      SatoriDaemonPeer *peer = g_ptr_array_index (peers, i);
      g_variant_builder_add (&builder, "(s^ass^asd)", peer->peer_id, peer->addresses,
                             peer->agent ? peer->agent : "", peer->protocols,
                             peer->latency_us > 0
                             ? peer->latency_us / (double) G_USEC_PER_SEC : -1.0);
    }
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
  SatoriHost *host = satori_daemon_model_get_host (model);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (host));

  g_object_set_data_full (G_OBJECT (node), "satori-model", g_object_ref (model), g_object_unref);
  satori_dbus_node_set_peer_id (node, peer);
  /* Until the Evrmore identity and AutoNAT exist. */
  satori_dbus_node_set_evrmore_address (node, "");
  satori_dbus_node_set_nat_status (node, "unknown");
  update_properties (node, model);

  g_signal_connect_object (host, "peer-connected", G_CALLBACK (on_peer_connected), node, 0);
  g_signal_connect_object (host, "peer-disconnected", G_CALLBACK (on_peer_disconnected), node, 0);
  g_signal_connect_object (host, "addresses-changed", G_CALLBACK (on_addresses_changed), node, 0);
  g_signal_connect_object (node, "handle-connect", G_CALLBACK (handle_connect), host, 0);
  g_signal_connect_object (node, "handle-disconnect", G_CALLBACK (handle_disconnect), model, 0);
  g_signal_connect_object (node, "handle-list-peers", G_CALLBACK (handle_list_peers), model, 0);
  return node;
}
