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

static GStrv
addresses_to_strv (GPtrArray *addresses)
{
  GStrv result = g_new0 (char *, addresses->len + 1);

  for (guint i = 0; i < addresses->len; i++)
    result[i] = satori_multiaddr_to_string (g_ptr_array_index (addresses, i));
  return result;
}

/* Connected peer → GPtrArray of its open connections. */
static GHashTable *
connections_by_peer (SatoriHost *host)
{
  GHashTable *peers = g_hash_table_new_full (satori_peer_id_hash, satori_peer_id_equal,
                                             (GDestroyNotify) satori_peer_id_unref,
                                             (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);

  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      SatoriPeerId *peer = satori_connection_get_remote_peer (connection);
      GPtrArray *list = g_hash_table_lookup (peers, peer);
      if (satori_connection_is_closed (connection))
        continue;
      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (peers, satori_peer_id_ref (peer), list);
        }
      g_ptr_array_add (list, g_object_ref (connection));
    }
  return peers;
}

/* Sets every property at once and sends one PropertiesChanged now. */
static void
update_properties (SatoriDBusNode *node, SatoriHost *host)
{
  g_autoptr(GPtrArray) listen = satori_host_get_listen_addresses (host);
  g_auto(GStrv) listen_text = addresses_to_strv (listen);
  g_autoptr(GHashTable) peers = connections_by_peer (host);

  g_object_freeze_notify (G_OBJECT (node));
  satori_dbus_node_set_listen_addresses (node, (const char * const *) listen_text);
  satori_dbus_node_set_connected_peers (node, g_hash_table_size (peers));
  satori_dbus_node_set_mode (node, listen->len > 0 ? "server" : "client");
  g_object_thaw_notify (G_OBJECT (node));
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (node));
}

static void
on_peer_connected (SatoriHost *host, SatoriConnection *connection, SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (satori_connection_get_remote_peer (connection));
  g_autofree char *address =
    satori_multiaddr_to_string (satori_connection_get_remote_address (connection));

  update_properties (node, host);
  satori_dbus_node_emit_peer_connected (node, peer, address);
}

static void
on_peer_disconnected (SatoriHost *host, SatoriConnection *connection, SatoriDBusNode *node)
{
  g_autofree char *peer = satori_peer_id_to_string (satori_connection_get_remote_peer (connection));

  update_properties (node, host);
  satori_dbus_node_emit_peer_disconnected (node, peer);
}

static void
on_addresses_changed (SatoriHost *host, SatoriDBusNode *node)
{
  update_properties (node, host);
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
                   const char *text, SatoriHost *host)
{
  g_autoptr(SatoriPeerId) peer = parse_peer (invocation, text);
  if (peer == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  g_autoptr(GHashTable) peers = connections_by_peer (host);
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

static GVariant *
describe_peer (SatoriHost *host, SatoriPeerId *peer, GPtrArray *connections)
{
  SatoriPeerstore *store = satori_host_get_peerstore (host);
  g_autofree char *id = satori_peer_id_to_string (peer);
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
handle_list_peers (SatoriDBusNode *node, GDBusMethodInvocation *invocation, SatoriHost *host)
{
  g_autoptr(GHashTable) peers = connections_by_peer (host);
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer peer, connections;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sassasd)"));
  g_hash_table_iter_init (&iter, peers);
  while (g_hash_table_iter_next (&iter, &peer, &connections))
    g_variant_builder_add_value (&builder, describe_peer (host, peer, connections));
  satori_dbus_node_complete_list_peers (node, invocation, g_variant_builder_end (&builder));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * satori_dbus_node_new:
 * @host: the host to expose
 *
 * Makes the io.satorinet.P2P1.Node skeleton of @host, to export with
 * g_dbus_interface_skeleton_export(). It keeps a reference on @host.
 *
 * Returns: (transfer full): the skeleton
 */
SatoriDBusNode *
satori_dbus_node_new (SatoriHost *host)
{
  SatoriDBusNode *node = satori_dbus_node_skeleton_new ();
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (host));

  g_object_set_data_full (G_OBJECT (node), "satori-host", g_object_ref (host), g_object_unref);
  satori_dbus_node_set_peer_id (node, peer);
  /* Until the Evrmore identity and AutoNAT exist. */
  satori_dbus_node_set_evrmore_address (node, "");
  satori_dbus_node_set_nat_status (node, "unknown");
  update_properties (node, host);

  g_signal_connect_object (host, "peer-connected", G_CALLBACK (on_peer_connected), node, 0);
  g_signal_connect_object (host, "peer-disconnected", G_CALLBACK (on_peer_disconnected), node, 0);
  g_signal_connect_object (host, "addresses-changed", G_CALLBACK (on_addresses_changed), node, 0);
  g_signal_connect_object (node, "handle-connect", G_CALLBACK (handle_connect), host, 0);
  g_signal_connect_object (node, "handle-disconnect", G_CALLBACK (handle_disconnect), host, 0);
  g_signal_connect_object (node, "handle-list-peers", G_CALLBACK (handle_list_peers), host, 0);
  return node;
}
