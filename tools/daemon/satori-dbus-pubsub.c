/* satori-dbus-pubsub.c — io.satorinet.P2P1.Pubsub over the node's pubsub
 * router: methods call it on raw topics and bytes, its accepted messages
 * become Message signals. Joining or leaving a Satori stream's topic
 * (satori/stream/<id>) is subscribing to the stream through SatoriPeers,
 * so that the node advertises it and every front end sees one set of
 * subscriptions. Without a router every method says so, in SatoriPeers'
 * words.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-dbus-pubsub.h"

#include <glib/gi18n.h>
#include <string.h>

#include "satori-dbus-error.h"

/* The router, or %NULL after answering @invocation that there is none. */
static SatoriPubsub *
get_router (SatoriDBusPubsub *skeleton, GDBusMethodInvocation *invocation)
{
  SatoriPeers *peers = g_object_get_data (G_OBJECT (skeleton), "satori-peers");
  g_autoptr(GError) error = NULL;
  SatoriPubsub *pubsub = satori_peers_get_pubsub (peers, &error);

  if (pubsub == NULL)
    g_dbus_method_invocation_return_error_literal (invocation, SATORI_DBUS_ERROR,
                                                   SATORI_DBUS_ERROR_NOT_SUPPORTED,
                                                   error->message);
  return pubsub;
}

/* Subscribe and Unsubscribe: the stream's through SatoriPeers, another
 * topic's on the router. */
static gboolean
handle_topic_call (SatoriDBusPubsub *skeleton, GDBusMethodInvocation *invocation,
                   const char *topic,
                   gboolean (*call) (SatoriPubsub *, const char *, GError **),
                   gboolean (*stream_call) (SatoriPeers *, const char *, GError **))
{
  SatoriPeers *peers = g_object_get_data (G_OBJECT (skeleton), "satori-peers");
  SatoriPubsub *pubsub = get_router (skeleton, invocation);
  g_autoptr(GError) error = NULL;

  if (pubsub == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  gboolean done = g_str_has_prefix (topic, SATORI_PEERS_STREAM_PREFIX)
    ? stream_call (peers, topic + strlen (SATORI_PEERS_STREAM_PREFIX), &error)
    : call (pubsub, topic, &error);
  if (done)
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                           satori_dbus_error_from_gerror (error),
                                           _("Topic “%s”: %s"), topic, error->message);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_subscribe (SatoriDBusPubsub *skeleton, GDBusMethodInvocation *invocation,
                  const char *topic)
{
  return handle_topic_call (skeleton, invocation, topic, satori_pubsub_subscribe,
                            satori_peers_subscribe);
}

static gboolean
handle_unsubscribe (SatoriDBusPubsub *skeleton, GDBusMethodInvocation *invocation,
                    const char *topic)
{
  return handle_topic_call (skeleton, invocation, topic, satori_pubsub_unsubscribe,
                            satori_peers_unsubscribe);
}

static void
on_published (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GDBusMethodInvocation *invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (satori_pubsub_publish_finish (SATORI_PUBSUB (source), result, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_return_error (invocation, SATORI_DBUS_ERROR,
                                           SATORI_DBUS_ERROR_FAILED,
                                           _("Cannot publish: %s"), error->message);
}

static gboolean
handle_publish (SatoriDBusPubsub *skeleton, GDBusMethodInvocation *invocation,
                const char *topic, GVariant *data)
{
  SatoriPubsub *pubsub = get_router (skeleton, invocation);

  if (pubsub == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  g_autoptr(GBytes) bytes = g_variant_get_data_as_bytes (data);
  satori_pubsub_publish_async (pubsub, topic, bytes, NULL, on_published, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_list_subscriptions (SatoriDBusPubsub *skeleton, GDBusMethodInvocation *invocation)
{
  SatoriPubsub *pubsub = get_router (skeleton, invocation);

  if (pubsub == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  g_auto(GStrv) topics = satori_pubsub_get_topics (pubsub);
  satori_dbus_pubsub_complete_list_subscriptions (skeleton, invocation,
                                                  (const char * const *) topics);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, SatoriDBusPubsub *skeleton)
{
  SatoriPeerId *from = satori_pubsub_message_get_from (message);
  g_autofree char *from_text = from ? satori_peer_id_to_string (from) : g_strdup ("");
  GBytes *data = satori_pubsub_message_get_data (message);
  const char *id = satori_pubsub_message_get_id (message);

  satori_dbus_pubsub_emit_message (skeleton, satori_pubsub_message_get_topic (message), from_text,
                                   g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, data,
                                                             TRUE),
                                   id ? id : "");
}

/**
 * satori_dbus_pubsub_new:
 * @peers: the node, whose host may have a router
 *
 * Makes the io.satorinet.P2P1.Pubsub skeleton over the router of @peers,
 * to export with g_dbus_interface_skeleton_export(). It keeps a reference
 * on @peers.
 *
 * Returns: (transfer full): the skeleton
 */
SatoriDBusPubsub *
satori_dbus_pubsub_new (SatoriPeers *peers)
{
  SatoriDBusPubsub *skeleton = satori_dbus_pubsub_skeleton_new ();
  SatoriPubsub *pubsub = satori_peers_get_pubsub (peers, NULL);

  g_object_set_data_full (G_OBJECT (skeleton), "satori-peers", g_object_ref (peers),
                          g_object_unref);
  g_signal_connect (skeleton, "handle-subscribe", G_CALLBACK (handle_subscribe), NULL);
  g_signal_connect (skeleton, "handle-unsubscribe", G_CALLBACK (handle_unsubscribe), NULL);
  g_signal_connect (skeleton, "handle-publish", G_CALLBACK (handle_publish), NULL);
  g_signal_connect (skeleton, "handle-list-subscriptions",
                    G_CALLBACK (handle_list_subscriptions), NULL);
  if (pubsub != NULL)
    g_signal_connect_object (pubsub, "message", G_CALLBACK (on_message), skeleton, 0);
  return skeleton;
}
