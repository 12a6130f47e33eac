/* Tests of satorip2pd's D-Bus interface: daemons run as programs, each on
 * its own private bus (GTestDBus), driven through the generated proxies. */
#include <glib/gstdio.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "satori-dbus-generated.h"

#define NAME "io.satorinet.P2P1"
#define PATH "/io/satorinet/P2P1"
#define TOPIC "satori/test"

typedef struct
{
  char *dir;
  GTestDBus *bus;
  GDBusConnection *connection;
  GSubprocess *process;
  SatoriDBusNode *node;
  SatoriDBusPubsub *pubsub;
  SatoriDBusPlugins *plugins;
} Daemon;

typedef struct
{
  Daemon a;
  Daemon b;
} Fixture;

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until *@flag is set, failing after 20 s. */
static void
wait_for (const gboolean *flag)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add_seconds (20, on_timeout, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

static void
on_name_appeared (GDBusConnection *connection, const char *name, const char *owner,
                  gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_listen_addresses (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  const char * const *addresses = satori_dbus_node_get_listen_addresses (SATORI_DBUS_NODE (object));
  *(gboolean *) user_data = addresses != NULL && addresses[0] != NULL;
}

/* Runs satorip2pd with the config and key in @daemon's folder, on its bus. */
static GSubprocess *
spawn (Daemon *daemon)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *config = g_build_filename (daemon->dir, "test.conf", NULL);
  g_autofree char *key = g_build_filename (daemon->dir, "identity.key", NULL);

  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (daemon->bus), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", daemon->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", daemon->dir, TRUE);
  GSubprocess *process = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD, "--config",
                                                      config, "--key", key, NULL);
  g_assert_no_error (error);
  return process;
}

/* Starts a daemon from a fresh config and key on a bus of its own, and
 * waits until it owns its name and listens. */
static void
daemon_start (Daemon *daemon)
{
  g_autoptr(GError) error = NULL;

  daemon->dir = g_dir_make_tmp ("satori-dbus-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *config = g_build_filename (daemon->dir, "test.conf", NULL);
  g_assert_true (g_file_set_contents (config,
                                      "[plugins]\nload=tcp;noise;yamux;ping;identify;floodsub\n"
                                      "[host]\npubsub=floodsub\nlisten=/ip4/127.0.0.1/tcp/0\n",
                                      -1, NULL));
  daemon->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (daemon->bus);
  const char *address = g_test_dbus_get_bus_address (daemon->bus);
  daemon->process = spawn (daemon);

  daemon->connection =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  gboolean appeared = FALSE;
  guint watch = g_bus_watch_name_on_connection (daemon->connection, NAME,
                                                G_BUS_NAME_WATCHER_FLAGS_NONE, on_name_appeared,
                                                NULL, &appeared, NULL);
  wait_for (&appeared);
  g_bus_unwatch_name (watch);

  daemon->node = satori_dbus_node_proxy_new_sync (daemon->connection, G_DBUS_PROXY_FLAGS_NONE,
                                                  NAME, PATH, NULL, &error);
  g_assert_no_error (error);
  daemon->pubsub = satori_dbus_pubsub_proxy_new_sync (daemon->connection,
                                                      G_DBUS_PROXY_FLAGS_NONE, NAME, PATH,
                                                      NULL, &error);
  g_assert_no_error (error);
  daemon->plugins = satori_dbus_plugins_proxy_new_sync (daemon->connection,
                                                        G_DBUS_PROXY_FLAGS_NONE, NAME, PATH,
                                                        NULL, &error);
  g_assert_no_error (error);

  gboolean listening = FALSE;
  on_listen_addresses (G_OBJECT (daemon->node), NULL, &listening);
  gulong handler = g_signal_connect (daemon->node, "notify::listen-addresses",
                                     G_CALLBACK (on_listen_addresses), &listening);
  wait_for (&listening);
  g_signal_handler_disconnect (daemon->node, handler);
}

/* SIGTERM: the daemon must exit cleanly (and, under ASan, without leaks). */
static void
daemon_stop (Daemon *daemon)
{
  g_autoptr(GError) error = NULL;

  if (daemon->process == NULL)
    return;
  g_clear_object (&daemon->node);
  g_clear_object (&daemon->pubsub);
  g_clear_object (&daemon->plugins);
  g_subprocess_send_signal (daemon->process, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon->process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (daemon->process));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon->process), ==, 0);
  g_clear_object (&daemon->process);
  g_dbus_connection_close_sync (daemon->connection, NULL, NULL);
  g_clear_object (&daemon->connection);
  g_test_dbus_down (daemon->bus);
  g_clear_object (&daemon->bus);
  /* The daemon wrote its key and nothing else. */
  g_autofree char *config = g_build_filename (daemon->dir, "test.conf", NULL);
  g_autofree char *key = g_build_filename (daemon->dir, "identity.key", NULL);
  g_assert_cmpint (g_remove (config), ==, 0);
  g_assert_cmpint (g_remove (key), ==, 0);
  g_assert_cmpint (g_rmdir (daemon->dir), ==, 0);
  g_clear_pointer (&daemon->dir, g_free);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  daemon_start (&fixture->a);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  daemon_stop (&fixture->b);
  daemon_stop (&fixture->a);
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
  g_autoptr(GSubprocess) second = spawn (&fixture->a);

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

  g_test_summary ("ListPlugins shows loaded and available plugins; toggling one at run time is "
                  "refused with NotSupported unless nothing would change");
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

  g_assert_true (satori_dbus_plugins_call_enable_plugin_sync (plugins, "ping", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (satori_dbus_plugins_call_disable_plugin_sync (plugins, "perf", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (satori_dbus_plugins_call_disable_plugin_sync (plugins, "ping", NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotSupported");
  g_clear_error (&error);
  g_assert_false (satori_dbus_plugins_call_enable_plugin_sync (plugins, "perf", NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotSupported");
  g_clear_error (&error);
  g_assert_false (satori_dbus_plugins_call_enable_plugin_sync (plugins, "nosuch", NULL, &error));
  assert_remote_error (error, "io.satorinet.P2P1.Error.NotFound");
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
  wait_for (&connected.seen);
  g_assert_cmpstr (connected.peer, ==, satori_dbus_node_get_peer_id (b->node));
  g_assert_true (g_str_has_prefix (connected.address, "/ip4/127.0.0.1/tcp/"));
  wait_for (&b_counts_one);
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
  daemon_start (b);
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
      gboolean tick = FALSE;
      g_timeout_add (100, on_timeout, &tick);
      wait_for (&tick);
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
  wait_for (&disconnected.seen);
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
  daemon_start (b);
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

/* Runs the satorip2p CLI against @daemon's bus; keeps its output. */
static int
run_cli (Daemon *daemon, char **out, char **err, const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) SATORIP2P);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (daemon->bus), TRUE);
  g_autoptr(GSubprocess) process = g_subprocess_launcher_spawnv (
    launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
test_cli_ping (Fixture *fixture, gconstpointer data)
{
  Daemon *a = &fixture->a, *b = &fixture->b;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_test_summary ("satorip2p ping PEER --count N --json prints the daemon's round trip times "
                  "as JSON; plain output has one line per ping; an unknown peer exits 1 with "
                  "the daemon's reason");
  daemon_start (b);
  connect_b_to_a (a, b);
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);

  g_assert_cmpint (run_cli (b, &out, &err, (const char *[]) { "ping", a_peer, "--count", "2",
                                                              "--json", NULL }), ==, 0);
  g_autoptr(JsonNode) root = json_from_string (out, &error);
  g_assert_no_error (error);
  JsonObject *object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "peer"), ==, a_peer);
  JsonArray *rtts = json_object_get_array_member (object, "rtt_seconds");
  g_assert_cmpuint (json_array_get_length (rtts), ==, 2);
  g_assert_cmpfloat (json_array_get_double_element (rtts, 0), >, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (b, &out, &err, (const char *[]) { "ping", a_peer, NULL }), ==, 0);
  g_autofree char *first = g_strdup_printf ("%s: ping 1: ", a_peer);
  g_autofree char *third = g_strdup_printf ("%s: ping 3: ", a_peer);
  g_assert_nonnull (strstr (out, first));
  g_assert_nonnull (strstr (out, third));
  g_assert_nonnull (strstr (out, "3 pings: min "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (a, &out, &err, (const char *[]) {
                     "ping", satori_dbus_node_get_peer_id (a->node), NULL }), ==, 1);
  g_assert_nonnull (strstr (err, "Unknown peer"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (a, &out, &err, (const char *[]) { "ping", NULL }), ==, 2);
}

static void
test_sigterm (Fixture *fixture, gconstpointer data)
{
  Daemon *a = &fixture->a, *b = &fixture->b;
  PeerEvent disconnected = { 0 };

  g_test_summary ("SIGTERM stops a connected daemon cleanly, closing its connections: its "
                  "peer sees PeerDisconnected and counts no peers");
  daemon_start (b);
  connect_b_to_a (a, b);
  g_autofree char *b_peer = g_strdup (satori_dbus_node_get_peer_id (b->node));
  g_signal_connect (a->node, "peer-disconnected", G_CALLBACK (on_peer_disconnected),
                    &disconnected);
  daemon_stop (b);
  wait_for (&disconnected.seen);
  g_assert_cmpstr (disconnected.peer, ==, b_peer);
  g_assert_cmpuint (satori_dbus_node_get_connected_peers (a->node), ==, 0);
  peer_event_clear (&disconnected);
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
  g_test_add ("/tools/dbus/plugins/list-and-toggle", Fixture, NULL, fixture_set_up, test_plugins,
              fixture_tear_down);
  g_test_add ("/tools/dbus/two-daemons/connect-and-pubsub", Fixture, NULL, fixture_set_up,
              test_two_daemons, fixture_tear_down);
  g_test_add ("/tools/dbus/two-daemons/ping", Fixture, NULL, fixture_set_up, test_ping,
              fixture_tear_down);
  g_test_add ("/tools/dbus/two-daemons/cli-ping", Fixture, NULL, fixture_set_up, test_cli_ping,
              fixture_tear_down);
  g_test_add ("/tools/dbus/two-daemons/sigterm", Fixture, NULL, fixture_set_up, test_sigterm,
              fixture_tear_down);
  return g_test_run ();
}
