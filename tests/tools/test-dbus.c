/* Tests of satorip2pd's D-Bus interface: daemons run as programs, each on
 * its own private bus (GTestDBus), driven through the generated proxies. */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "satori-test-daemon.h"

#define TOPIC "satori/test"

typedef SatoriTestDaemon Daemon;

typedef struct
{
  Daemon a;
  Daemon b;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  satori_test_daemon_start (&fixture->a, NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_test_daemon_stop (&fixture->b);
  satori_test_daemon_stop (&fixture->a);
}

static void
assert_remote_error (GError *error, const char *name)
{
  g_assert_nonnull (error);
  g_autofree char *remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, name);
}

static void
test_properties (Fixture *fixture, gconstpointer data)
{
  SatoriDBusNode *node = fixture->a.node;
  const char * const *listen = satori_dbus_node_get_listen_addresses (node);

  g_test_summary ("A daemon from a fresh config owns io.satorinet.P2P1 and shows its identity, "
                  "its listen address with the chosen port, and no peers");
  g_assert_true (g_str_has_prefix (satori_dbus_node_get_peer_id (node), "16Uiu2HA"));
  /* The fresh key is secp256k1: an Evrmore identity too. */
  g_assert_true (g_str_has_prefix (satori_dbus_node_get_evrmore_address (node), "E"));
  g_assert_cmpuint (strlen (satori_dbus_node_get_evrmore_address (node)), ==, 34);
  /* Listening on loopback only. */
  g_assert_cmpstr (satori_dbus_node_get_nat_status (node), ==, "private");
  g_assert_cmpstr (satori_dbus_node_get_mode (node), ==, "server");
  g_assert_cmpuint (satori_dbus_node_get_connected_peers (node), ==, 0);
  g_assert_cmpuint (g_strv_length ((GStrv) listen), ==, 1);
  g_assert_true (g_str_has_prefix (listen[0], "/ip4/127.0.0.1/tcp/"));
  g_assert_false (g_str_has_suffix (listen[0], "/tcp/0"));
}

static void
test_bad_arguments (Fixture *fixture, gconstpointer data)
{
  SatoriDBusNode *node = fixture->a.node;
  g_autoptr(GError) error = NULL;
  g_autofree char *peer = NULL;
  g_autoptr(GVariant) peers = NULL;

  g_test_summary ("A bad multiaddr or peer id gets InvalidArgument, an unknown peer NotFound, "
                  "and the daemon keeps answering");
  g_assert_false (satori_dbus_node_call_connect_sync (node, "/ip4/not-an-address/tcp/1", &peer,
                                                      NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.InvalidArgument");
  g_assert_nonnull (strstr (error->message, "not-an-address"));
  g_clear_error (&error);

  g_assert_false (satori_dbus_node_call_disconnect_sync (node, "nobody", NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.InvalidArgument");
  g_clear_error (&error);

  /* Itself: a valid peer id it has no connection to. */
  g_assert_false (satori_dbus_node_call_disconnect_sync (node,
                                                         satori_dbus_node_get_peer_id (node),
                                                         NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotFound");
  g_clear_error (&error);

  g_assert_true (satori_dbus_node_call_list_peers_sync (node, &peers, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (peers), ==, 0);
}

static void
test_name_taken (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) second = satori_test_daemon_spawn (&fixture->a);

  g_test_summary ("A second daemon on a bus where io.satorinet.P2P1 is taken exits with an "
                  "error; the first keeps serving");
  g_assert_true (g_subprocess_wait (second, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 1);
  g_assert_true (g_str_has_prefix (satori_dbus_node_get_peer_id (fixture->a.node), "16Uiu2HA"));
  g_autoptr(GVariant) peers = NULL;
  g_assert_true (satori_dbus_node_call_list_peers_sync (fixture->a.node, &peers, NULL, &error));
  g_assert_no_error (error);
}

/* The entry of @name in a ListPlugins answer, or %NULL. */
static GVariant *
find_plugin (GVariant *plugins, const char *name)
{
  for (gsize i = 0; i < g_variant_n_children (plugins); i++)
    {
      GVariant *entry = g_variant_get_child_value (plugins, i);
      const char *entry_name;
      g_variant_get_child (entry, 0, "&s", &entry_name);
      if (g_str_equal (entry_name, name))
        return entry;
      g_variant_unref (entry);
    }
  return NULL;
}

static void
test_plugins (Fixture *fixture, gconstpointer data)
{
  SatoriDBusPlugins *plugins = fixture->a.plugins;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) list = NULL;

  g_test_summary ("ListPlugins shows loaded and available plugins; enabling what is enabled "
                  "and disabling what is not change nothing; a plugin the host is wired with "
                  "cannot be disabled (NotSupported), an unknown one is NotFound");
  g_assert_true (satori_dbus_plugins_call_list_plugins_sync (plugins, &list, NULL, &error));
  g_assert_no_error (error);

  g_autoptr(GVariant) ping = find_plugin (list, "ping");
  g_assert_nonnull (ping);
  const char *version, *description;
  g_autofree const char **features = NULL;
  gboolean loaded;
  g_variant_get (ping, "(&s&s&s^a&sb)", NULL, &version, &description, &features, &loaded);
  g_assert_true (loaded);
  g_assert_cmpstr (version, !=, "");
  g_assert_nonnull (strstr (description, "ping"));
  g_assert_true (g_strv_contains (features, "ping"));

  g_autoptr(GVariant) perf = find_plugin (list, "perf");
  g_assert_nonnull (perf);
  g_variant_get_child (perf, 4, "b", &loaded);
  g_assert_false (loaded);

  /* Nothing to change. */
  g_assert_true (satori_dbus_plugins_call_enable_plugin_sync (plugins, "ping", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (satori_dbus_plugins_call_disable_plugin_sync (plugins, "perf", NULL, &error));
  g_assert_no_error (error);
  /* What the host is wired with. */
  g_assert_false (satori_dbus_plugins_call_disable_plugin_sync (plugins, "floodsub", NULL,
                                                                &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotSupported");
  g_assert_nonnull (strstr (error->message, "[host]"));
  g_clear_error (&error);
  g_assert_false (satori_dbus_plugins_call_disable_plugin_sync (plugins, "tcp", NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotSupported");
  g_clear_error (&error);
  g_assert_false (satori_dbus_plugins_call_enable_plugin_sync (plugins, "nosuch", NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotFound");
}

static void
test_stream_topics (Fixture *fixture, gconstpointer data)
{
  SatoriDBusPubsub *pubsub = fixture->a.pubsub;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = NULL;

  g_test_summary ("Subscribe and Unsubscribe on a Satori stream's topic act on the stream "
                  "(SatoriPeers): a malformed stream id is InvalidArgument, leaving a stream "
                  "not subscribed NotFound; other topics go to the router as they are");
  g_assert_true (satori_dbus_pubsub_call_subscribe_sync (pubsub, "satori/stream/s1", NULL,
                                                         &error));
  g_assert_no_error (error);
  g_assert_true (satori_dbus_pubsub_call_subscribe_sync (pubsub, TOPIC, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (satori_dbus_pubsub_call_list_subscriptions_sync (pubsub, &topics, NULL,
                                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (topics), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) topics, "satori/stream/s1"));
  g_assert_true (g_strv_contains ((const char * const *) topics, TOPIC));

  g_assert_false (satori_dbus_pubsub_call_subscribe_sync (pubsub, "satori/stream/", NULL,
                                                          &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.InvalidArgument");
  g_clear_error (&error);
  g_assert_true (satori_dbus_pubsub_call_unsubscribe_sync (pubsub, "satori/stream/s1", NULL,
                                                           &error));
  g_assert_no_error (error);
  g_assert_false (satori_dbus_pubsub_call_unsubscribe_sync (pubsub, "satori/stream/s1", NULL,
                                                            &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotFound");
  g_assert_nonnull (strstr (error->message, "s1"));
  g_clear_error (&error);

  g_clear_pointer (&topics, g_strfreev);
  g_assert_true (satori_dbus_pubsub_call_list_subscriptions_sync (pubsub, &topics, NULL,
                                                                  &error));
  g_assert_cmpstrv (topics, ((const char *[]) { TOPIC, NULL }));
}

typedef struct
{
  char *peer;
  char *address;
  gboolean seen;
} PeerEvent;

static void
on_peer_connected (SatoriDBusNode *node, const char *peer, const char *address, PeerEvent *event)
{
  g_free (event->peer);
  g_free (event->address);
  event->peer = g_strdup (peer);
  event->address = g_strdup (address);
  event->seen = TRUE;
}

static void
on_peer_disconnected (SatoriDBusNode *node, const char *peer, PeerEvent *event)
{
  g_free (event->peer);
  event->peer = g_strdup (peer);
  event->seen = TRUE;
}

static void
peer_event_clear (PeerEvent *event)
{
  g_free (event->peer);
  g_free (event->address);
}

typedef struct
{
  char *topic;
  char *from;
  GBytes *data;
  char *id;
  gboolean seen;
} MessageEvent;

static void
on_message (SatoriDBusPubsub *pubsub, const char *topic, const char *from, GVariant *data,
            const char *id, MessageEvent *event)
{
  if (event->seen)
    return;
  event->topic = g_strdup (topic);
  event->from = g_strdup (from);
  event->data = g_variant_get_data_as_bytes (data);
  event->id = g_strdup (id);
  event->seen = TRUE;
}

static void
on_connected_peers (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  *(gboolean *) user_data = satori_dbus_node_get_connected_peers (SATORI_DBUS_NODE (object)) == 1;
}

/* B dials A through Connect; both see it as signal and property. */
static void
connect_b_to_a (Daemon *a, Daemon *b)
{
  g_autoptr(GError) error = NULL;
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);
  PeerEvent connected = { 0 };
  gboolean b_counts_one = FALSE;

  gulong on_a = g_signal_connect (a->node, "peer-connected", G_CALLBACK (on_peer_connected),
                                  &connected);
  gulong on_b = g_signal_connect (b->node, "notify::connected-peers",
                                  G_CALLBACK (on_connected_peers), &b_counts_one);
  g_autofree char *target = g_strdup_printf ("%s/p2p/%s",
                                             satori_dbus_node_get_listen_addresses (a->node)[0],
                                             a_peer);
  g_autofree char *answered = NULL;
  g_assert_true (satori_dbus_node_call_connect_sync (b->node, target, &answered, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (answered, ==, a_peer);
  satori_test_wait_for (&connected.seen);
  g_assert_cmpstr (connected.peer, ==, satori_dbus_node_get_peer_id (b->node));
  g_assert_true (g_str_has_prefix (connected.address, "/ip4/127.0.0.1/tcp/"));
  satori_test_wait_for (&b_counts_one);
  g_assert_cmpuint (satori_dbus_node_get_connected_peers (a->node), ==, 1);
  g_signal_handler_disconnect (a->node, on_a);
  g_signal_handler_disconnect (b->node, on_b);
  peer_event_clear (&connected);
}

static void
test_two_daemons (Fixture *fixture, gconstpointer data)
{
  Daemon *a = &fixture->a, *b = &fixture->b;
  g_autoptr(GError) error = NULL;
  PeerEvent disconnected = { 0 };
  MessageEvent message = { 0 };

  g_test_summary ("Two daemons connect through Connect, report it as signals and properties, "
                  "exchange a pubsub message seen as a Message signal, and hang up");
  satori_test_daemon_start (b, NULL);
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);
  const char *b_peer = satori_dbus_node_get_peer_id (b->node);
  g_assert_cmpstr (a_peer, !=, b_peer);

  for (Daemon *d = a; d != NULL; d = d == a ? b : NULL)
    {
      g_auto(GStrv) topics = NULL;
      g_assert_true (satori_dbus_pubsub_call_subscribe_sync (d->pubsub, TOPIC, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (satori_dbus_pubsub_call_list_subscriptions_sync (d->pubsub, &topics, NULL,
                                                                      &error));
      g_assert_no_error (error);
      g_assert_cmpstrv (topics, ((const char *[]) { TOPIC, NULL }));
    }

  connect_b_to_a (a, b);

  g_autoptr(GVariant) peers = NULL;
  g_assert_true (satori_dbus_node_call_list_peers_sync (b->node, &peers, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (peers), ==, 1);
  const char *listed, *agent;
  g_autofree const char **addresses = NULL;
  g_autofree const char **protocols = NULL;
  double latency;
  g_variant_get_child (peers, 0, "(&s^a&s&s^a&sd)", &listed, &addresses, &agent, &protocols,
                       &latency);
  g_assert_cmpstr (listed, ==, a_peer);
  g_assert_cmpstr (addresses[0], ==, satori_dbus_node_get_listen_addresses (a->node)[0]);

  /* Publish until A has learnt that B subscribes (floodsub sends only to
   * peers known to subscribe). */
  g_signal_connect (a->pubsub, "message", G_CALLBACK (on_message), &message);
  for (guint i = 0; i < 100 && !message.seen; i++)
    {
      g_autoptr(GVariant) payload = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "hello", 5, 1);
      g_assert_true (satori_dbus_pubsub_call_publish_sync (b->pubsub, TOPIC,
                                                           g_variant_ref_sink (payload), NULL,
                                                           &error));
      g_assert_no_error (error);
      satori_test_sleep_ms (100);
    }
  g_assert_true (message.seen);
  g_assert_cmpstr (message.topic, ==, TOPIC);
  g_assert_cmpstr (message.from, ==, b_peer);
  g_assert_cmpmem (g_bytes_get_data (message.data, NULL), g_bytes_get_size (message.data),
                   "hello", 5);
  g_assert_cmpstr (message.id, !=, "");

  g_auto(GStrv) topics = NULL;
  g_assert_true (satori_dbus_pubsub_call_unsubscribe_sync (a->pubsub, TOPIC, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (satori_dbus_pubsub_call_list_subscriptions_sync (a->pubsub, &topics, NULL,
                                                                  &error));
  g_assert_cmpuint (g_strv_length (topics), ==, 0);

  g_signal_connect (b->node, "peer-disconnected", G_CALLBACK (on_peer_disconnected),
                    &disconnected);
  g_assert_true (satori_dbus_node_call_disconnect_sync (b->node, a_peer, NULL, &error));
  g_assert_no_error (error);
  satori_test_wait_for (&disconnected.seen);
  g_assert_cmpstr (disconnected.peer, ==, a_peer);
  g_assert_cmpuint (satori_dbus_node_get_connected_peers (b->node), ==, 0);

  peer_event_clear (&disconnected);
  g_free (message.topic);
  g_free (message.from);
  g_bytes_unref (message.data);
  g_free (message.id);
}

static void
test_ping (Fixture *fixture, gconstpointer data)
{
  Daemon *a = &fixture->a, *b = &fixture->b;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) rtts = NULL;
  g_autoptr(GVariant) none = NULL;

  g_test_summary ("Ping gives one round trip time per ping; a malformed peer id or count is "
                  "InvalidArgument, a peer with no connection and no address NotFound");
  satori_test_daemon_start (b, NULL);
  connect_b_to_a (a, b);
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);

  g_assert_true (satori_dbus_node_call_ping_sync (b->node, a_peer, 3, &rtts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (rtts), ==, 3);
  for (gsize i = 0; i < 3; i++)
    {
      double rtt;
      g_variant_get_child (rtts, i, "d", &rtt);
      g_assert_cmpfloat (rtt, >, 0);
      g_assert_cmpfloat (rtt, <, 20);
    }
  /* The latency ListPeers shows is now measured. */
  g_autoptr(GVariant) peers = NULL;
  g_assert_true (satori_dbus_node_call_list_peers_sync (b->node, &peers, NULL, &error));
  double latency;
  g_variant_get_child (peers, 0, "(&s^a&s&s^a&sd)", NULL, NULL, NULL, NULL, &latency);
  g_assert_cmpfloat (latency, >, 0);

  g_assert_false (satori_dbus_node_call_ping_sync (b->node, "nobody", 1, &none, NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.InvalidArgument");
  g_clear_error (&error);
  g_assert_false (satori_dbus_node_call_ping_sync (b->node, a_peer, 0, &none, NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.InvalidArgument");
  g_clear_error (&error);
  /* A itself: a valid peer id it has no connection to or address for. */
  g_assert_false (satori_dbus_node_call_ping_sync (a->node, satori_dbus_node_get_peer_id (a->node),
                                                   1, &none, NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotFound");
}

static void
test_sigterm (Fixture *fixture, gconstpointer data)
{
  Daemon *a = &fixture->a, *b = &fixture->b;
  PeerEvent disconnected = { 0 };

  g_test_summary ("SIGTERM stops a connected daemon cleanly, closing its connections: its "
                  "peer sees PeerDisconnected and counts no peers");
  satori_test_daemon_start (b, NULL);
  connect_b_to_a (a, b);
  g_autofree char *b_peer = g_strdup (satori_dbus_node_get_peer_id (b->node));
  g_signal_connect (a->node, "peer-disconnected", G_CALLBACK (on_peer_disconnected),
                    &disconnected);
  satori_test_daemon_stop (b);
  satori_test_wait_for (&disconnected.seen);
  g_assert_cmpstr (disconnected.peer, ==, b_peer);
  g_assert_cmpuint (satori_dbus_node_get_connected_peers (a->node), ==, 0);
  peer_event_clear (&disconnected);
}

/* Whether B lists A among its peers with @protocol. */
static gboolean
peer_has_protocol (Daemon *b, const char *a_peer, const char *protocol)
{
  g_autoptr(GVariant) peers = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (satori_dbus_node_call_list_peers_sync (b->node, &peers, NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < g_variant_n_children (peers); i++)
    {
      const char *peer, *agent;
      g_autofree const char **addresses = NULL;
      g_autofree const char **protocols = NULL;
      double latency;
      g_variant_get_child (peers, i, "(&s^a&s&s^a&sd)", &peer, &addresses, &agent, &protocols,
                           &latency);
      if (g_strcmp0 (peer, a_peer) == 0)
        return g_strv_contains (protocols, protocol);
    }
  return FALSE;
}

/* Waits (20 s at most) until B's view of A's @protocol is @expected. */
static void
wait_peer_protocol (Daemon *b, const char *a_peer, const char *protocol, gboolean expected)
{
  for (guint i = 0; i < 200 && peer_has_protocol (b, a_peer, protocol) != expected; i++)
    satori_test_sleep_ms (100);
  g_assert_cmpint (peer_has_protocol (b, a_peer, protocol), ==, expected);
}

static gboolean
plugin_enabled (Daemon *daemon, const char *name)
{
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean loaded = FALSE;

  g_assert_true (satori_dbus_plugins_call_list_plugins_sync (daemon->plugins, &list, NULL,
                                                             &error));
  g_assert_no_error (error);
  g_autoptr(GVariant) entry = find_plugin (list, name);
  if (entry != NULL)
    g_variant_get_child (entry, 4, "b", &loaded);
  return loaded;
}

static void
test_toggle_seen_by_peer (Fixture *fixture, gconstpointer data)
{
  Daemon *a = &fixture->a, *b = &fixture->b;
  g_autoptr(GError) error = NULL;

  g_test_summary ("DisablePlugin and EnablePlugin change what the running daemon serves: its "
                  "peer learns (identify push) that ping went and perf came, and ListPlugins "
                  "says so");
  satori_test_daemon_start (b, NULL);
  connect_b_to_a (a, b);
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);
  wait_peer_protocol (b, a_peer, "/ipfs/ping/1.0.0", TRUE);

  g_assert_true (satori_dbus_plugins_call_disable_plugin_sync (a->plugins, "ping", NULL,
                                                               &error));
  g_assert_no_error (error);
  wait_peer_protocol (b, a_peer, "/ipfs/ping/1.0.0", FALSE);
  g_assert_false (plugin_enabled (a, "ping"));

  g_assert_true (satori_dbus_plugins_call_enable_plugin_sync (a->plugins, "perf", NULL, &error));
  g_assert_no_error (error);
  wait_peer_protocol (b, a_peer, "/perf/1.0.0", TRUE);
  g_assert_true (plugin_enabled (a, "perf"));
}

static void
write_config (Daemon *daemon, const char *text)
{
  g_autofree char *path = g_build_filename (daemon->dir, "test.conf", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* Sends SIGHUP and waits (20 s at most) until @name is @enabled. */
static void
reload_until (Daemon *daemon, const char *name, gboolean enabled)
{
  g_subprocess_send_signal (daemon->process, SIGHUP);
  for (guint i = 0; i < 200 && plugin_enabled (daemon, name) != enabled; i++)
    satori_test_sleep_ms (100);
  g_assert_cmpint (plugin_enabled (daemon, name), ==, enabled);
}

static void
test_reload (Fixture *fixture, gconstpointer data)
{
  Daemon *a = &fixture->a;

  g_test_summary ("SIGHUP reloads the configuration: a plugin added to load= is enabled, one "
                  "removed disabled; a broken configuration (missing plugin, malformed value) "
                  "is refused and the daemon keeps running as it was");
  write_config (a, "[plugins]\nload=tcp;noise;yamux;ping;identify;floodsub;perf\n"
                   "[host]\npubsub=floodsub\nlisten=/ip4/127.0.0.1/tcp/0\n");
  reload_until (a, "perf", TRUE);

  write_config (a, "[plugins]\nload=tcp;noise;yamux;identify;floodsub;perf;no-such-plugin\n"
                   "[host]\npubsub=floodsub\nlisten=/ip4/127.0.0.1/tcp/0\n");
  g_subprocess_send_signal (a->process, SIGHUP);
  satori_test_sleep_ms (500);
  g_assert_true (plugin_enabled (a, "ping"));
  g_assert_true (plugin_enabled (a, "perf"));

  /* A malformed value, with ping dropped: refused as a whole. */
  write_config (a, "[plugins]\nload=tcp;noise;yamux;identify;floodsub;perf\n"
                   "[host]\npubsub=floodsub\nlisten=/ip4/127.0.0.1/tcp/0\n"
                   "[yamux]\ninitial-window=lots\n");
  g_subprocess_send_signal (a->process, SIGHUP);
  satori_test_sleep_ms (500);
  g_assert_true (plugin_enabled (a, "ping"));

  write_config (a, "[plugins]\nload=tcp;noise;yamux;identify;floodsub;perf\n"
                   "[host]\npubsub=floodsub\nlisten=/ip4/127.0.0.1/tcp/0\n");
  reload_until (a, "ping", FALSE);
  g_assert_true (plugin_enabled (a, "perf"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tools/dbus/node/properties", Fixture, NULL, fixture_set_up, test_properties,
              fixture_tear_down);
  g_test_add ("/tools/dbus/node/bad-arguments", Fixture, NULL, fixture_set_up,
              test_bad_arguments, fixture_tear_down);
  g_test_add ("/tools/dbus/node/name-taken", Fixture, NULL, fixture_set_up, test_name_taken,
              fixture_tear_down);
  g_test_add ("/tools/dbus/pubsub/stream-topics", Fixture, NULL, fixture_set_up,
              test_stream_topics, fixture_tear_down);
  g_test_add ("/tools/dbus/plugins/list-and-toggle", Fixture, NULL, fixture_set_up, test_plugins,
              fixture_tear_down);
  g_test_add ("/tools/dbus/plugins/toggle-seen-by-peer", Fixture, NULL, fixture_set_up,
              test_toggle_seen_by_peer, fixture_tear_down);
  g_test_add ("/tools/dbus/plugins/reload", Fixture, NULL, fixture_set_up, test_reload,
              fixture_tear_down);
  g_test_add ("/tools/dbus/two-daemons/connect-and-pubsub", Fixture, NULL, fixture_set_up,
              test_two_daemons, fixture_tear_down);
  g_test_add ("/tools/dbus/two-daemons/ping", Fixture, NULL, fixture_set_up, test_ping,
              fixture_tear_down);
  g_test_add ("/tools/dbus/two-daemons/sigterm", Fixture, NULL, fixture_set_up, test_sigterm,
              fixture_tear_down);
  return g_test_run ();
}
