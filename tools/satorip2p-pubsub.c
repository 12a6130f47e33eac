/* satorip2p subscribe, publish: Satori streams through the daemon's
 * Pubsub interface. A stream ID is the topic satori/stream/ID; --topic
 * takes a topic as it is.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "satorip2p-bus.h"
#include "satorip2p-cli.h"

static char *
topic_for (const char *argument, gboolean raw_topic)
{
  return raw_topic ? g_strdup (argument)
                   : g_strconcat (SATORI_PEERS_STREAM_PREFIX, argument, NULL);
}

typedef struct
{
  SatoriCliBus *bus;
  const char *topic;
  guint remaining;      /* messages still to print; 0 for no limit */
  GMainLoop *loop;
} Subscription;

/* One message a line: the sender and the data (text when it is UTF-8,
 * else base64); or one JSON object a line. */
static void
on_message (SatoriDBusPubsub *pubsub, const char *topic, const char *from, GVariant *data,
            const char *id, Subscription *subscription)
{
  if (strcmp (topic, subscription->topic) != 0)
    return;
  gsize len;
  const char *bytes = g_variant_get_fixed_array (data, &len, 1);
  gboolean text = g_utf8_validate_len (bytes, len, NULL);
  g_autofree char *shown = text ? g_strndup (bytes, len) : g_base64_encode ((const guchar *) bytes,
                                                                            len);
  if (subscription->bus->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "topic");
      json_builder_add_string_value (builder, topic);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, from);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, text ? "data" : "data_base64");
      json_builder_add_string_value (builder, shown);
      json_builder_end_object (builder);
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *line = json_to_string (root, FALSE);
      g_print ("%s\n", line);
    }
  else
    g_print ("%s %s\n", from, shown);
  fflush (stdout);
  if (subscription->remaining > 0 && --subscription->remaining == 0)
    g_main_loop_quit (subscription->loop);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (((Subscription *) user_data)->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_name_lost (GObject *proxy, GParamSpec *pspec, gpointer user_data)
{
  Subscription *subscription = user_data;
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));

  if (owner != NULL)
    return;
  g_printerr (_("%s: the daemon went away\n"), g_get_prgname ());
  g_main_loop_quit (subscription->loop);
}

/* Whether the daemon already subscribes to @topic, for somebody else:
 * then leaving must not unsubscribe it. */
static gboolean
already_subscribed (SatoriDBusPubsub *pubsub, const char *topic, GError **error)
{
  g_auto(GStrv) topics = NULL;

  if (!satori_dbus_pubsub_call_list_subscriptions_sync (pubsub, &topics, NULL, error))
    return FALSE;
  return g_strv_contains ((const char * const *) topics, topic);
}

int
satori_cli_subscribe (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean raw_topic = FALSE;
  int count = 0;
  const GOptionEntry entries[] = {
    { "topic", 0, 0, G_OPTION_ARG_NONE, &raw_topic,
      N_("The argument is a pubsub topic, not a stream ID"), NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count,
      N_("Exit after N messages"), N_("N") },
    { NULL }
  };
  int status = satori_cli_bus_parse (&bus, _("STREAM-ID"),
                                     _("Prints the messages of a stream as they arrive, one a "
                                       "line, until interrupted."),
                                     entries, &argc, &argv, 1, 1);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  if (count < 0)
    {
      g_printerr (_("%s: --count must not be negative\n"), g_get_prgname ());
      return SATORI_CLI_EXIT_USAGE;
    }
  g_autofree char *topic = topic_for (argv[1], raw_topic);
  g_autoptr(SatoriDBusPubsub) pubsub = satori_cli_bus_pubsub (&bus, &error);
  if (pubsub == NULL)
    return satori_cli_bus_fail (error);
  gboolean shared = already_subscribed (pubsub, topic, &error);
  if (error != NULL ||
      (!shared && !satori_dbus_pubsub_call_subscribe_sync (pubsub, topic, NULL, &error)))
    return satori_cli_bus_fail (error);

  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Subscription subscription = { &bus, topic, count, loop };
  g_signal_connect (pubsub, "message", G_CALLBACK (on_message), &subscription);
  g_signal_connect (pubsub, "notify::g-name-owner", G_CALLBACK (on_name_lost), &subscription);
  guint sigint = g_unix_signal_add (SIGINT, on_quit_signal, &subscription);
  guint sigterm = g_unix_signal_add (SIGTERM, on_quit_signal, &subscription);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (pubsub));
  if (!shared && owner != NULL &&
      !satori_dbus_pubsub_call_unsubscribe_sync (pubsub, topic, NULL, &error))
    return satori_cli_bus_fail (error);
  return owner != NULL ? SATORI_CLI_EXIT_OK : SATORI_CLI_EXIT_FAILURE;
}

int
satori_cli_publish (int argc, char **argv)
{
  g_auto(SatoriCliBus) bus = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean raw_topic = FALSE;
  const GOptionEntry entries[] = {
    { "topic", 0, 0, G_OPTION_ARG_NONE, &raw_topic,
      N_("The first argument is a pubsub topic, not a stream ID"), NULL },
    { NULL }
  };
  int status = satori_cli_bus_parse (&bus, _("STREAM-ID DATA"),
                                     _("Publishes DATA (as given, usually JSON) on a stream."),
                                     entries, &argc, &argv, 2, 2);
  if (status != SATORI_CLI_EXIT_OK)
    return status;
  g_autofree char *topic = topic_for (argv[1], raw_topic);
  g_autoptr(SatoriDBusPubsub) pubsub = satori_cli_bus_pubsub (&bus, &error);
  if (pubsub == NULL ||
      !satori_dbus_pubsub_call_publish_sync (pubsub, topic,
                                             g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                        argv[2], strlen (argv[2]),
                                                                        1),
                                             NULL, &error))
    return satori_cli_bus_fail (error);
  if (bus.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "topic");
      json_builder_add_string_value (builder, topic);
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, strlen (argv[2]));
      json_builder_end_object (builder);
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      satori_cli_print_json (root);
    }
  return SATORI_CLI_EXIT_OK;
}
