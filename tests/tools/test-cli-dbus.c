/* The satorip2p CLI's online commands against real daemons, each on a
 * private bus: status, peers, connect, disconnect, subscribe, publish and
 * plugins, as text and --json, and the errors a user sees.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "satori-test-daemon.h"

#define STREAM "0f7a4d9e-5b1c-5d2e-9a8b-cli-test"

typedef struct
{
  SatoriTestDaemon a;
  SatoriTestDaemon b;
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

static GSubprocess *
spawn_cli (SatoriTestDaemon *daemon, const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  satori_test_daemon_setenv (daemon, launcher);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_ptr_array_add (argv, (gpointer) SATORIP2P);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  GSubprocess *process = g_subprocess_launcher_spawnv (launcher,
                                                       (const char * const *) argv->pdata,
                                                       &error);
  g_assert_no_error (error);
  return process;
}

/* Runs `satorip2p ARGS…` against @daemon; returns its exit status. */
static int
run_cli (SatoriTestDaemon *daemon, char **out, char **err, const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = spawn_cli (daemon, args);
  g_autofree char *stdout_text = NULL, *stderr_text = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text,
                                                &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

#define CLI(daemon, out, err, ...) \
  run_cli ((daemon), (out), (err), (const char * const[]) { __VA_ARGS__, NULL })

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
test_not_running (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autofree char *err = NULL;

  g_test_summary ("Without a daemon on the bus, an online command fails with exit status 1 and "
                  "says how to start the daemon");
  g_test_dbus_up (bus);
  SatoriTestDaemon none = { .dir = (char *) g_get_tmp_dir (), .bus = bus };
  g_assert_cmpint (CLI (&none, NULL, &err, "status"), ==, 1);
  g_assert_nonnull (strstr (err, "not running on the session bus"));
  g_assert_nonnull (strstr (err, "satorip2pd"));
  g_test_dbus_down (bus);
}

static void
test_status (Fixture *fixture, gconstpointer data)
{
  SatoriTestDaemon *a = &fixture->a;
  g_autofree char *out = NULL, *text = NULL;

  g_test_summary ("status shows the daemon's PeerID and listen address, as text and as JSON");
  g_assert_cmpint (CLI (a, &out, NULL, "status", "--json"), ==, 0);
  g_autoptr(JsonNode) root = parse_json (out);
  JsonObject *status = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (status, "peer_id"), ==,
                   satori_dbus_node_get_peer_id (a->node));
  JsonArray *listen = json_object_get_array_member (status, "listen_addresses");
  g_assert_cmpuint (json_array_get_length (listen), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (listen, 0), ==,
                   satori_dbus_node_get_listen_addresses (a->node)[0]);
  g_assert_cmpint (json_object_get_int_member (status, "connected_peers"), ==, 0);

  g_assert_cmpint (CLI (a, &text, NULL, "status"), ==, 0);
  g_assert_nonnull (strstr (text, satori_dbus_node_get_peer_id (a->node)));
}

static void
test_bad_input (Fixture *fixture, gconstpointer data)
{
  SatoriTestDaemon *a = &fixture->a;
  g_autofree char *err = NULL, *usage = NULL, *unknown = NULL;

  g_test_summary ("A bad multiaddr is the daemon's clear error (status 1), a missing argument "
                  "a usage error (status 2), an unknown plugin an error; the daemon keeps "
                  "answering");
  g_assert_cmpint (CLI (a, NULL, &err, "connect", "/ip4/not-an-address/tcp/1"), ==, 1);
  g_assert_nonnull (strstr (err, "not-an-address"));
  g_assert_null (strstr (err, "GDBus.Error"));
  g_assert_cmpint (CLI (a, NULL, &usage, "publish", STREAM), ==, 2);
  g_assert_nonnull (strstr (usage, "wrong number of arguments"));
  g_assert_cmpint (CLI (a, NULL, &unknown, "plugins", "enable", "nosuch"), ==, 1);
  g_assert_nonnull (strstr (unknown, "nosuch"));
  g_assert_cmpint (CLI (a, NULL, NULL, "status"), ==, 0);
}

static void
test_plugins (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = NULL;

  g_test_summary ("plugins --json lists the daemon's plugins with their features and whether "
                  "they are loaded");
  g_assert_cmpint (CLI (&fixture->a, &out, NULL, "plugins", "--json"), ==, 0);
  g_autoptr(JsonNode) root = parse_json (out);
  JsonArray *plugins = json_node_get_array (root);
  gboolean ping_loaded = FALSE, perf_listed = FALSE;
  for (guint i = 0; i < json_array_get_length (plugins); i++)
    {
      JsonObject *plugin = json_array_get_object_element (plugins, i);
      const char *name = json_object_get_string_member (plugin, "name");
      if (g_strcmp0 (name, "ping") == 0)
        ping_loaded = json_object_get_boolean_member (plugin, "loaded");
      if (g_strcmp0 (name, "perf") == 0)
        perf_listed = !json_object_get_boolean_member (plugin, "loaded");
    }
  g_assert_true (ping_loaded);
  g_assert_true (perf_listed);
}

/* The peer id in a {"peer_id": …} answer. */
static char *
peer_of (const char *json)
{
  g_autoptr(JsonNode) root = parse_json (json);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "peer_id"));
}

/* `satorip2p connect --json` from B to A's address answers A's peer id. */
static void
connect_b_to_a (SatoriTestDaemon *a, SatoriTestDaemon *b)
{
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);
  g_autofree char *target = g_strdup_printf ("%s/p2p/%s",
                                             satori_dbus_node_get_listen_addresses (a->node)[0],
                                             a_peer);
  g_autofree char *connected = NULL;

  g_assert_cmpint (CLI (b, &connected, NULL, "connect", "--json", target), ==, 0);
  g_autofree char *connected_peer = peer_of (connected);
  g_assert_cmpstr (connected_peer, ==, a_peer);
}

typedef struct
{
  gboolean done;
  char *text;
} Output;

static void
on_output (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Output *output = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                                       &output->text, NULL, &error));
  g_assert_no_error (error);
  g_subprocess_wait (G_SUBPROCESS (source), NULL, NULL);
  output->done = TRUE;
}

static void
test_two_daemons (Fixture *fixture, gconstpointer data)
{
  SatoriTestDaemon *a = &fixture->a, *b = &fixture->b;
  g_autoptr(GError) error = NULL;

  g_test_summary ("connect joins two daemons; peers lists the other; a subscriber started with "
                  "subscribe prints the message publish sends from the other daemon; "
                  "disconnect hangs up");
  satori_test_daemon_start (b, NULL);
  connect_b_to_a (a, b);
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);
  g_autofree char *peers = NULL;

  g_assert_cmpint (CLI (b, &peers, NULL, "peers", "--json"), ==, 0);
  g_autoptr(JsonNode) list = parse_json (peers);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  JsonObject *first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "peer_id"), ==, a_peer);

  /* A's subscriber prints one message and exits; B publishes until A has
   * learnt of the subscription (floodsub sends only to known subscribers). */
  g_autoptr(GSubprocess) subscriber = spawn_cli (a, (const char * const[]) {
    "subscribe", "--json", "--count", "1", STREAM, NULL });
  Output output = { 0 };
  g_subprocess_communicate_utf8_async (subscriber, NULL, NULL, on_output, &output);
  for (guint i = 0; i < 100 && !output.done; i++)
    {
      g_assert_cmpint (CLI (b, NULL, NULL, "publish", STREAM, "{\"value\": 42}"), ==, 0);
      satori_test_sleep_ms (100);
    }
  satori_test_wait_for (&output.done);
  g_assert_true (g_subprocess_get_if_exited (subscriber));
  g_assert_cmpint (g_subprocess_get_exit_status (subscriber), ==, 0);
  g_autoptr(JsonNode) message = parse_json (output.text);
  JsonObject *fields = json_node_get_object (message);
  g_assert_cmpstr (json_object_get_string_member (fields, "topic"), ==, "satori/stream/" STREAM);
  g_assert_cmpstr (json_object_get_string_member (fields, "from"), ==,
                   satori_dbus_node_get_peer_id (b->node));
  g_assert_cmpstr (json_object_get_string_member (fields, "data"), ==, "{\"value\": 42}");
  g_free (output.text);

  /* The subscriber's subscription was its own: leaving ended it. */
  g_auto(GStrv) topics = NULL;
  g_assert_true (satori_dbus_pubsub_call_list_subscriptions_sync (a->pubsub, &topics, NULL,
                                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (topics), ==, 0);

  g_autofree char *disconnected = NULL;
  g_assert_cmpint (CLI (b, &disconnected, NULL, "disconnect", a_peer), ==, 0);
  g_assert_nonnull (strstr (disconnected, a_peer));
}

static void
test_cli_ping (Fixture *fixture, gconstpointer data)
{
  SatoriTestDaemon *a = &fixture->a, *b = &fixture->b;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_test_summary ("satorip2p ping PEER --count N --json prints the daemon's round trip times "
                  "as JSON; plain output has one line per ping; an unknown peer exits 1 with "
                  "the daemon's reason");
  satori_test_daemon_start (b, NULL);
  connect_b_to_a (a, b);
  const char *a_peer = satori_dbus_node_get_peer_id (a->node);

  g_assert_cmpint (CLI (b, &out, &err, "ping", a_peer, "--count", "2", "--json"), ==, 0);
  g_autoptr(JsonNode) root = json_from_string (out, &error);
  g_assert_no_error (error);
  JsonObject *object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "peer"), ==, a_peer);
  JsonArray *rtts = json_object_get_array_member (object, "rtt_seconds");
  g_assert_cmpuint (json_array_get_length (rtts), ==, 2);
  g_assert_cmpfloat (json_array_get_double_element (rtts, 0), >, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (b, &out, &err, "ping", a_peer), ==, 0);
  g_autofree char *first = g_strdup_printf ("%s: ping 1: ", a_peer);
  g_autofree char *third = g_strdup_printf ("%s: ping 3: ", a_peer);
  g_assert_nonnull (strstr (out, first));
  g_assert_nonnull (strstr (out, third));
  g_assert_nonnull (strstr (out, "3 pings: min "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (a, &out, &err, "ping", satori_dbus_node_get_peer_id (a->node)), ==, 1);
  g_assert_nonnull (strstr (err, "Unknown peer"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (a, &out, &err, "ping"), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tools/cli/daemon/not-running", test_not_running);
  g_test_add ("/tools/cli/node/status", Fixture, NULL, fixture_set_up, test_status,
              fixture_tear_down);
  g_test_add ("/tools/cli/node/bad-input", Fixture, NULL, fixture_set_up, test_bad_input,
              fixture_tear_down);
  g_test_add ("/tools/cli/plugins/list", Fixture, NULL, fixture_set_up, test_plugins,
              fixture_tear_down);
  g_test_add ("/tools/cli/two-daemons/ping", Fixture, NULL, fixture_set_up, test_cli_ping,
              fixture_tear_down);
  g_test_add ("/tools/cli/two-daemons/connect-and-pubsub", Fixture, NULL, fixture_set_up,
              test_two_daemons, fixture_tear_down);
  return g_test_run ();
}
