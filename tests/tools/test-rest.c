/* Tests of satorip2pd's REST API: the daemon runs as a program, requests
 * are real HTTP over loopback (SoupSession), and a host in this process
 * connects to it as a peer. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "satori-config-plugins.h"
#include "satori-host-config.h"
#include "satori-test-host.h"
#include "satori-test-prometheus.h"
#include "satori-test-util.h"
#include "satorip2p.h"

#define STREAM "s1"
#define TOPIC "satori/stream/" STREAM

typedef struct
{
  char *dir;
  GSubprocess *process;
  GDataInputStream *log;
  char *base_uri;          /* http://127.0.0.1:PORT */
  char *listen_address;    /* …/p2p/<id> */
  char *token;
  SoupSession *session;
} Fixture;

typedef struct
{
  guint status;
  char *content_type;
  char *allow;
  char *authenticate;
  GBytes *body;
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_free (reply->allow);
  g_free (reply->authenticate);
  g_bytes_unref (reply->body);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static const char *
reply_text (Reply *reply)
{
  /* Soup's bodies end with a NUL after their length. */
  return g_bytes_get_data (reply->body, NULL);
}

static char *
token_path (Fixture *fixture)
{
  return g_build_filename (fixture->dir, "satorip2p", "rest-token", NULL);
}

/* Runs satorip2pd with @config_text, a fresh key and the fixture's folder
 * as its XDG folders, without D-Bus; its log in fixture->log. */
static void
spawn (Fixture *fixture, const char *config_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *config = g_build_filename (fixture->dir, "test.conf", NULL);
  g_autofree char *key = g_build_filename (fixture->dir, "identity.key", NULL);

  g_assert_true (g_file_set_contents (config, config_text, -1, NULL));
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/satori-test-rest", TRUE);
  fixture->process = g_subprocess_launcher_spawn (launcher, &error, SATORIP2PD, "--config",
                                                  config, "--key", key, NULL);
  g_assert_no_error (error);
  fixture->log = g_data_input_stream_new (g_subprocess_get_stderr_pipe (fixture->process));
}

/* Starts satorip2pd on loopback with REST on any free port; waits for it
 * to say where REST and the host listen. */
static void
daemon_start (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *line;

  spawn (fixture, "[plugins]\nload=tcp;noise;yamux;ping;identify;gossipsub\n"
                  "[host]\npubsub=gossipsub\nlisten=/ip4/127.0.0.1/tcp/0\n"
                  "[rest]\nport=0\n");
  while ((fixture->base_uri == NULL || fixture->listen_address == NULL) &&
         (line = g_data_input_stream_read_line (fixture->log, NULL, NULL, &error)) != NULL)
    {
      const char *rest = strstr (line, "REST API on ");
      const char *listening = strstr (line, "Listening on ");
      g_test_message ("daemon: %s", line);
      if (rest != NULL)
        fixture->base_uri = g_strndup (rest + strlen ("REST API on "),
                                       strlen (rest + strlen ("REST API on ")) - 1);
      if (listening != NULL)
        fixture->listen_address = g_strdup (listening + strlen ("Listening on "));
      g_free (line);
    }
  g_assert_nonnull (fixture->base_uri);
  g_assert_nonnull (fixture->listen_address);
}

/* SIGTERM: the daemon must exit cleanly (and, under ASan, without leaks). */
static void
daemon_stop (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *line;

  g_subprocess_send_signal (fixture->process, SIGTERM);
  while ((line = g_data_input_stream_read_line (fixture->log, NULL, NULL, NULL)) != NULL)
    {
      g_test_message ("daemon: %s", line);
      g_free (line);
    }
  g_assert_true (g_subprocess_wait (fixture->process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (fixture->process));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->process), ==, 0);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("satori-rest-XXXXXX", &error);
  g_assert_no_error (error);
  /* Loopback only: no system proxy look-up (libproxy aborts under ASan). */
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  fixture->session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  if (data != NULL)
    return;
  daemon_start (fixture);
  g_autofree char *path = token_path (fixture);
  g_assert_true (g_file_get_contents (path, &fixture->token, NULL, NULL));
  g_strstrip (fixture->token);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->process != NULL)
    daemon_stop (fixture);
  g_clear_object (&fixture->log);
  g_clear_object (&fixture->process);
  g_clear_object (&fixture->session);
  satori_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->base_uri);
  g_free (fixture->listen_address);
  g_free (fixture->token);
}

/* Sends a request and waits for the reply, running this process's main
 * context meanwhile (the peer host in it keeps working). */
static Reply *
request (Fixture *fixture, const char *method, const char *path, const char *token,
         const char *body)
{
  g_autofree char *uri = g_strconcat (fixture->base_uri, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  soup_session_send_and_read_async (fixture->session, message, G_PRIORITY_DEFAULT, NULL,
                                    satori_test_store_result, &result);
  reply->body = soup_session_send_and_read_finish (fixture->session, satori_test_wait (&result),
                                                   &error);
  g_assert_no_error (error);
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  reply->status = soup_message_get_status (message);
  reply->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  reply->allow = g_strdup (soup_message_headers_get_one (headers, "Allow"));
  reply->authenticate = g_strdup (soup_message_headers_get_one (headers, "WWW-Authenticate"));
  return reply;
}

/* The reply's JSON object, asserting it is one. */
static JsonObject *
reply_object (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (reply->body, &length);

  g_assert_cmpstr (reply->content_type, ==, "application/json");
  g_assert_true (json_parser_load_from_data (parser, data, length, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Asserts @reply is @status with a JSON {"error": …}. */
static void
assert_error (Reply *reply, guint status)
{
  g_autoptr(JsonObject) object = NULL;

  g_test_message ("%u %s", reply->status, reply_text (reply));
  g_assert_cmpuint (reply->status, ==, status);
  object = reply_object (reply);
  g_assert_true (json_object_has_member (object, "error"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "error")), >, 0);
}

static SatoriTestExposition *
get_metrics (Fixture *fixture)
{
  g_autoptr(Reply) reply = request (fixture, "GET", "/metrics", NULL, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (reply->content_type, ==, "text/plain");
  return satori_test_prometheus_parse (reply_text (reply));
}

static double
metric (SatoriTestExposition *exposition, const char *name, const char *label,
        const char *value)
{
  double result = -1;

  g_assert_true (satori_test_prometheus_find (exposition, name, label, value, &result));
  return result;
}

static void
test_read_endpoints (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Every GET endpoint answers JSON (or Prometheus text) shaped as the "
                  "original PeersAPI's; unknown paths get 404 and wrong methods 405");

  g_autoptr(Reply) index = request (fixture, "GET", "/", NULL, NULL);
  g_assert_cmpuint (index->status, ==, 200);
  g_autoptr(JsonObject) index_object = reply_object (index);
  g_assert_cmpstr (json_object_get_string_member (index_object, "name"), ==, "satorip2p");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (index_object,
                                                                         "endpoints")), ==, 11);

  g_autoptr(Reply) health = request (fixture, "GET", "/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 503);
  g_autoptr(JsonObject) health_object = reply_object (health);
  g_assert_cmpstr (json_object_get_string_member (health_object, "status"), ==, "unhealthy");
  g_assert_cmpint (json_object_get_int_member (health_object, "connected"), ==, 0);

  g_autoptr(Reply) status = request (fixture, "GET", "/status", NULL, NULL);
  g_assert_cmpuint (status->status, ==, 200);
  g_autoptr(JsonObject) status_object = reply_object (status);
  const char *peer_id = json_object_get_string_member (status_object, "peer_id");
  g_assert_nonnull (strstr (fixture->listen_address, peer_id));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (status_object,
                                                                         "addresses")), ==, 1);
  /* A fresh key is secp256k1: a wallet key; loopback only is private. */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (status_object,
                                                                  "evrmore_address"), "E"));
  g_assert_cmpstr (json_object_get_string_member (status_object, "nat_type"), ==, "private");
  JsonObject *features = json_object_get_object_member (status_object, "features");
  g_assert_true (json_object_get_boolean_member (features, "pubsub"));
  g_assert_true (json_object_get_boolean_member (features, "ping"));
  g_assert_false (json_object_get_boolean_member (features, "dht"));

  g_autoptr(Reply) peers = request (fixture, "GET", "/peers", NULL, NULL);
  g_assert_cmpuint (peers->status, ==, 200);
  g_autoptr(JsonObject) peers_object = reply_object (peers);
  g_assert_cmpint (json_object_get_int_member (peers_object, "count"), ==, 0);

  g_autoptr(Reply) network = request (fixture, "GET", "/network", NULL, NULL);
  g_assert_cmpuint (network->status, ==, 200);
  g_autoptr(JsonObject) network_object = reply_object (network);
  JsonObject *self = json_object_get_object_member (network_object, "self");
  g_assert_cmpstr (json_object_get_string_member (self, "peer_id"), ==, peer_id);
  g_assert_cmpstr (json_object_get_string_member (self, "nat_status"), ==, "private");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (network_object,
                                                                         "connected_peers")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (network_object,
                                                                         "connections")), ==, 0);

  g_autoptr(Reply) subscriptions = request (fixture, "GET", "/subscriptions", NULL, NULL);
  g_assert_cmpuint (subscriptions->status, ==, 200);
  g_autoptr(JsonObject) subscriptions_object = reply_object (subscriptions);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (subscriptions_object,
                                                                         "subscriptions")), ==, 0);

  g_autoptr(SatoriTestExposition) metrics = get_metrics (fixture);
  satori_test_prometheus_check_histogram (metrics, "satorip2p_ping_latency_seconds");
  g_assert_cmpfloat (metric (metrics, "satorip2p_connected_peers", NULL, NULL), ==, 0);
  /* Private, as /status says: 2 in the original's numbering. */
  g_assert_cmpfloat (metric (metrics, "satorip2p_nat_type", NULL, NULL), ==, 2);
  g_assert_cmpfloat (metric (metrics, "satorip2p_info", "version", "0.1.0"), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_ping_latency_seconds_count", NULL, NULL), ==, 0);

  g_autoptr(Reply) unknown = request (fixture, "GET", "/nope", NULL, NULL);
  assert_error (unknown, 404);
  g_autoptr(Reply) wrong_method = request (fixture, "PUT", "/subscriptions", fixture->token,
                                           "{}");
  assert_error (wrong_method, 405);
  g_assert_cmpstr (wrong_method->allow, ==, "GET, POST");
}

static void
test_token (Fixture *fixture, gconstpointer data)
{
  static const char * const calls[][3] = {
    { "POST", "/subscriptions", "{\"stream_id\": \"" STREAM "\"}" },
    { "DELETE", "/subscriptions/" STREAM, NULL },
    { "POST", "/publish/" STREAM, "{\"value\": 1}" },
    { "POST", "/peers/16Uiu2HAmKRJ62bfHigeayY3oNKS69xNjcuNXgkwzWho2ZtfYfvNN/ping", NULL },
  };
  GStatBuf st;
  g_autofree char *path = token_path (fixture);

  g_test_summary ("The token file is made 0600; every mutating call without the token, or "
                  "with a wrong one, gets 401 and changes nothing");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpuint (strlen (fixture->token), ==, 64);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(Reply) none = request (fixture, calls[i][0], calls[i][1], NULL, calls[i][2]);
      g_autoptr(Reply) wrong = request (fixture, calls[i][0], calls[i][1],
                                        "0000000000000000000000000000000000000000000000000000000000000000",
                                        calls[i][2]);
      assert_error (none, 401);
      assert_error (wrong, 401);
      g_assert_cmpstr (none->authenticate, ==, "Bearer");
    }
  g_autoptr(SatoriTestExposition) metrics = get_metrics (fixture);
  g_assert_cmpfloat (metric (metrics, "satorip2p_subscriptions_total", NULL, NULL), ==, 0);
  g_assert_cmpfloat (metric (metrics, "satorip2p_messages_sent_total", NULL, NULL), ==, 0);
}

/* Sends @text, then @zeros zero bytes, and returns the status line of the
 * answer. */
static char *
raw_request (Fixture *fixture, const char *text, gsize zeros)
{
  g_autofree char *padding = g_malloc0 (zeros + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (fixture->base_uri, G_URI_FLAGS_NONE, &error);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                g_uri_get_port (uri), NULL, &error);

  g_assert_no_error (error);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_assert_true (g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error));
  g_assert_true (g_output_stream_write_all (out, padding, zeros, NULL, NULL, &error));
  g_autoptr(GDataInputStream) in =
    g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  char *line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  return line;
}

static void
test_bad_input (Fixture *fixture, gconstpointer data)
{
  static const char * const bodies[] = {
    "{\"stream_id\": ",        /* not JSON */
    "[\"" STREAM "\"]",        /* not an object */
    "{}",                      /* no stream_id */
    "{\"stream_id\": 7}",      /* not a string */
    "{\"stream_id\": \"\"}",   /* empty */
    "",                        /* no body */
  };

  g_test_summary ("Bad bodies and parameters get 400, an oversized or unsized body 413 or "
                  "411, a ping of a peer it cannot reach 404; the daemon keeps answering");
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(Reply) reply = request (fixture, "POST", "/subscriptions", fixture->token,
                                        bodies[i]);
      assert_error (reply, 400);
    }
  g_autoptr(Reply) empty_publish = request (fixture, "POST", "/publish/" STREAM, fixture->token,
                                            NULL);
  assert_error (empty_publish, 400);
  g_autoptr(Reply) text_publish = request (fixture, "POST", "/publish/" STREAM, fixture->token,
                                           "hello, not JSON");
  assert_error (text_publish, 400);
  g_assert_nonnull (strstr (reply_text (text_publish), "not JSON"));
  g_autoptr(Reply) bad_stream = request (fixture, "POST", "/publish/%01", fixture->token, "1");
  assert_error (bad_stream, 400);
  g_autoptr(Reply) bad_peer = request (fixture, "POST", "/peers/not-a-peer/ping", fixture->token,
                                       NULL);
  assert_error (bad_peer, 400);
  g_autofree char *ping = g_strconcat ("/peers/", strstr (fixture->listen_address, "/p2p/") + 5,
                                       "/ping", NULL);
  g_autofree char *ping_zero = g_strconcat (ping, "?count=0", NULL);
  g_autoptr(Reply) zero = request (fixture, "POST", ping_zero, fixture->token, NULL);
  assert_error (zero, 400);
  g_autoptr(Reply) bad_count = request (fixture, "POST", ping, fixture->token,
                                        "{\"count\": \"many\"}");
  assert_error (bad_count, 400);
  /* The daemon itself: no connection to it, no address of it. */
  g_autoptr(Reply) unreachable = request (fixture, "POST", ping, fixture->token,
                                          "{\"count\": 2}");
  assert_error (unreachable, 404);
  g_autoptr(Reply) not_subscribed = request (fixture, "DELETE", "/subscriptions/" STREAM,
                                             fixture->token, NULL);
  assert_error (not_subscribed, 404);

  g_autofree char *too_large =
    raw_request (fixture, "POST /publish/" STREAM " HTTP/1.1\r\nHost: localhost\r\n"
                          "Content-Length: 2000000\r\n\r\n", 2000000);
  g_assert_true (g_str_has_prefix (too_large, "HTTP/1.1 413"));
  g_autofree char *unsized =
    raw_request (fixture, "POST /publish/" STREAM " HTTP/1.1\r\nHost: localhost\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 0);
  g_assert_true (g_str_has_prefix (unsized, "HTTP/1.1 411"));

  g_autoptr(Reply) still = request (fixture, "GET", "/status", NULL, NULL);
  g_assert_cmpuint (still->status, ==, 200);
  g_autoptr(SatoriTestExposition) metrics = get_metrics (fixture);
  g_assert_cmpfloat (metric (metrics, "satorip2p_messages_sent_total", NULL, NULL), ==, 0);
  g_assert_cmpfloat (metric (metrics, "satorip2p_publications_total", NULL, NULL), ==, 0);
}

/* --- a peer in this process --- */

static void
on_peer_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  GBytes **received = user_data;

  g_clear_pointer (received, g_bytes_unref);
  *received = g_bytes_ref (satori_pubsub_message_get_data (message));
}

static SatoriHost *
peer_new (void)
{
  static const char config_text[] =
    "[plugins]\nload=tcp;noise;yamux;identify;ping;gossipsub\n"
    "[host]\ntransports=tcp\nsecurity=noise\nmuxers=yamux\npubsub=gossipsub\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConfig) config = satori_config_new ();
  SatoriRegistry *registry = satori_registry_get_default ();
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);

  g_assert_true (satori_config_load_data (config, "<test>", config_text, -1, &error));
  g_assert_true (satori_config_load_plugins (config, registry, &error));
  g_assert_no_error (error);
  SatoriHost *host = satori_host_new_from_config (config, registry, key, &error);
  g_assert_no_error (error);
  return host;
}

static gboolean
on_tick (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for a while. */
static void
pause_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_tick, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Whether the daemon's /peers lists a peer sharing STREAM. */
static gboolean
peer_shares_stream (Fixture *fixture)
{
  g_autoptr(Reply) reply = request (fixture, "GET", "/peers", NULL, NULL);
  g_autoptr(JsonObject) object = reply_object (reply);
  JsonArray *peers = json_object_get_array_member (object, "peers");

  for (guint i = 0; i < json_array_get_length (peers); i++)
    {
      JsonArray *streams =
        json_object_get_array_member (json_array_get_object_element (peers, i), "subscriptions");
      for (guint j = 0; j < json_array_get_length (streams); j++)
        if (g_strcmp0 (json_array_get_string_element (streams, j), STREAM) == 0)
          return TRUE;
    }
  return FALSE;
}

static double
series (SatoriTestExposition *metrics, const char *name, const char *protocol,
        const char *direction)
{
  double value = -1;

  g_assert_true (satori_test_prometheus_find_series (metrics, name, &value, "protocol", protocol,
                                                     "direction", direction, NULL));
  return value;
}

/* The daemon's bytes and messages by protocol, against what @peer (the
 * other end of its one connection) counted the other way. */
static void
assert_protocol_traffic (SatoriTestExposition *metrics, SatoriHost *peer)
{
  g_autoptr(GVariant) traffic = g_variant_ref_sink (satori_host_get_protocol_traffic (peer));
  guint64 peer_in, peer_out, peer_messages_in, peer_messages_out;

  g_assert_cmpstr (g_hash_table_lookup (metrics->types, "satorip2p_protocol_bytes_total"), ==,
                   "counter");
  g_assert_cmpstr (g_hash_table_lookup (metrics->types, "satorip2p_protocol_messages_total"), ==,
                   "counter");
  /* Two pings the daemon sent: 32 bytes each way each; no framing. */
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_bytes_total", "/ipfs/ping/1.0.0",
                             "out"), ==, 64);
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_bytes_total", "/ipfs/ping/1.0.0",
                             "in"), ==, 64);
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_messages_total", "/ipfs/ping/1.0.0",
                             "in"), ==, 0);
  /* Identify both ways: one message each, as many bytes as the peer counted. */
  g_assert_true (g_variant_lookup (traffic, "/ipfs/id/1.0.0", "(tttt)", &peer_in, &peer_out,
                                   &peer_messages_in, &peer_messages_out));
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_messages_total", "/ipfs/id/1.0.0",
                             "in"), ==, 1);
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_messages_total", "/ipfs/id/1.0.0",
                             "out"), ==, 1);
  g_assert_cmpuint (peer_messages_in, ==, 1);
  g_assert_cmpuint (peer_messages_out, ==, 1);
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_bytes_total", "/ipfs/id/1.0.0", "in"),
                     ==, peer_out);
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_bytes_total", "/ipfs/id/1.0.0", "out"),
                     ==, peer_in);
  /* GossipSub RPCs went both ways (subscriptions, the published messages). */
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_messages_total", "/meshsub/1.2.0",
                             "in"), >=, 2);
  g_assert_cmpfloat (series (metrics, "satorip2p_protocol_messages_total", "/meshsub/1.2.0",
                             "out"), >=, 2);
}

static void
test_peer_and_pubsub (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriHost) peer = peer_new ();
  g_autoptr(GBytes) received = NULL;
  g_autofree char *peer_id = satori_peer_id_to_string (satori_host_get_peer_id (peer));
  static const char message[] = "{\"value\": 42.5}";
  /* As SatoriPeers sends it: compact JSON. */
  static const char sent[] = "{\"value\":42.5}";

  g_test_summary ("With a peer connected: /peers and /network list it, /health is healthy; "
                  "subscribe, publish and unsubscribe work end to end, and /metrics counts "
                  "messages, the mesh, connections by transport and streams by protocol");
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (fixture->listen_address,
                                                                         &error);
  g_assert_no_error (error);
  g_autoptr(SatoriConnection) connection = satori_test_connect (peer, address, &error);
  g_assert_no_error (error);
  g_assert_cmpint (satori_connection_get_direction (connection), ==, SATORI_DIRECTION_OUTBOUND);
  SatoriPubsub *pubsub = satori_host_get_pubsub (peer);
  g_signal_connect (pubsub, "message", G_CALLBACK (on_peer_message), &received);
  g_assert_true (satori_pubsub_subscribe (pubsub, TOPIC, &error));

  g_autoptr(Reply) subscribed = request (fixture, "POST", "/subscriptions", fixture->token,
                                         "{\"stream_id\": \"" STREAM "\"}");
  g_assert_cmpuint (subscribed->status, ==, 201);
  g_autoptr(JsonObject) subscribed_object = reply_object (subscribed);
  g_assert_true (json_object_get_boolean_member (subscribed_object, "success"));

  /* The mesh forms at the routers' heartbeats. */
  for (guint i = 0; i < 100 && !peer_shares_stream (fixture); i++)
    pause_ms (200);
  g_assert_true (peer_shares_stream (fixture));

  g_autoptr(Reply) health = request (fixture, "GET", "/health", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);
  g_autoptr(Reply) network = request (fixture, "GET", "/network", NULL, NULL);
  g_autoptr(JsonObject) network_object = reply_object (network);
  JsonArray *connections = json_object_get_array_member (network_object, "connections");
  g_assert_cmpuint (json_array_get_length (connections), ==, 1);
  JsonObject *first = json_array_get_object_element (connections, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "peer_id"), ==, peer_id);
  g_assert_cmpstr (json_object_get_string_member (first, "direction"), ==, "inbound");
  g_assert_cmpstr (json_object_get_string_member (first, "transport"), ==, "tcp");

  g_autofree char *ping_path = g_strconcat ("/peers/", peer_id, "/ping?count=2", NULL);
  g_autoptr(Reply) pinged = request (fixture, "POST", ping_path, fixture->token, NULL);
  g_assert_cmpuint (pinged->status, ==, 200);
  g_autoptr(JsonObject) pinged_object = reply_object (pinged);
  g_assert_cmpint (json_object_get_int_member (pinged_object, "count"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pinged_object,
                                                                         "latencies_ms")), ==, 2);

  g_autoptr(Reply) published = request (fixture, "POST", "/publish/" STREAM, fixture->token,
                                        message);
  g_assert_cmpuint (published->status, ==, 200);
  for (guint i = 0; i < 100 && received == NULL; i++)
    pause_ms (100);
  g_assert_nonnull (received);
  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received), sent,
                   strlen (sent));

  /* A JSON string: a Satori stream carries JSON. */
  g_autoptr(GBytes) reply_bytes = g_bytes_new_static ("\"pong\"", 6);
  g_autoptr(GAsyncResult) result = NULL;
  satori_pubsub_publish_async (pubsub, TOPIC, reply_bytes, NULL, satori_test_store_result,
                               &result);
  g_assert_true (satori_pubsub_publish_finish (pubsub, satori_test_wait (&result), &error));
  g_autoptr(SatoriTestExposition) metrics = NULL;
  for (guint i = 0; i < 100; i++)
    {
      g_clear_pointer (&metrics, satori_test_exposition_free);
      metrics = get_metrics (fixture);
      if (metric (metrics, "satorip2p_messages_received_total", NULL, NULL) == 1)
        break;
      pause_ms (100);
    }
  g_assert_cmpfloat (metric (metrics, "satorip2p_messages_received_total", NULL, NULL), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_bytes_received_total", NULL, NULL), ==, 6);
  g_assert_cmpfloat (metric (metrics, "satorip2p_messages_sent_total", NULL, NULL), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_bytes_sent_total", NULL, NULL), ==,
                     strlen (sent));
  g_assert_cmpfloat (metric (metrics, "satorip2p_connected_peers", NULL, NULL), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_ping_latency_seconds_count", NULL, NULL), ==, 2);
  satori_test_prometheus_check_histogram (metrics, "satorip2p_ping_latency_seconds");
  g_assert_cmpfloat (metric (metrics, "satorip2p_subscriptions_total", NULL, NULL), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_publications_total", NULL, NULL), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_pubsub_mesh_peers", "topic", TOPIC), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_connections", "transport", "tcp"), ==, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_connections", "direction", "inbound"), ==, 1);
  /* Identify and gossipsub streams, both ways. */
  g_assert_cmpfloat (metric (metrics, "satorip2p_protocol_streams_total", "protocol",
                             "/ipfs/id/1.0.0"), >=, 1);
  g_assert_cmpfloat (metric (metrics, "satorip2p_protocol_streams_total", "protocol",
                             "/meshsub/1.2.0"), >=, 1);
  assert_protocol_traffic (metrics, peer);
  satori_test_prometheus_check_histogram (metrics, "satorip2p_ping_latency_seconds");

  /* The peer is the stream's subscriber and, having published, its
   * publisher: in /subscriptions and in the network map. */
  g_autoptr(Reply) streams = request (fixture, "GET", "/subscriptions", NULL, NULL);
  g_autoptr(JsonObject) streams_object = reply_object (streams);
  JsonObject *stream =
    json_array_get_object_element (json_object_get_array_member (streams_object,
                                                                 "subscriptions"), 0);
  g_assert_cmpstr (json_object_get_string_member (stream, "stream_id"), ==, STREAM);
  g_assert_cmpint (json_object_get_int_member (stream, "subscribers"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stream, "publishers"), ==, 1);
  g_autoptr(Reply) map = request (fixture, "GET", "/network", NULL, NULL);
  g_autoptr(JsonObject) map_object = reply_object (map);
  JsonObject *seen = json_object_get_object_member (json_object_get_object_member (map_object,
                                                                                   "streams"),
                                                    STREAM);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (seen,
                                                                                "publishers"), 0),
                   ==, peer_id);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (map_object,
                                                                                "my_publications"),
                                                  0), ==, STREAM);

  g_autoptr(Reply) unsubscribed = request (fixture, "DELETE", "/subscriptions/" STREAM,
                                           fixture->token, NULL);
  g_assert_cmpuint (unsubscribed->status, ==, 200);
  g_autoptr(Reply) again = request (fixture, "DELETE", "/subscriptions/" STREAM, fixture->token,
                                    NULL);
  assert_error (again, 404);
  g_autoptr(Reply) listed = request (fixture, "GET", "/subscriptions", NULL, NULL);
  g_autoptr(JsonObject) listed_object = reply_object (listed);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed_object,
                                                                         "subscriptions")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (listed_object,
                                                                         "publications")), ==, 1);
  satori_host_close (peer);
}

typedef struct
{
  gboolean closed;
  GError *error;
} Closed;

static void
on_closed (SatoriMuxedConnection *muxed, const GError *error, Closed *closed)
{
  closed->closed = TRUE;
  closed->error = error ? g_error_copy (error) : NULL;
}

static void
test_sigterm_goaway (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriHost) peer = peer_new ();
  Closed closed = { 0 };

  g_test_summary ("SIGTERM: the daemon exits 0 and closes its connections with a yamux GoAway "
                  "first, which its peer sees as a clean close (an EOF alone is an error)");
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (fixture->listen_address,
                                                                         &error);
  g_assert_no_error (error);
  g_autoptr(SatoriConnection) connection = satori_test_connect (peer, address, &error);
  g_assert_no_error (error);
  g_signal_connect (satori_connection_get_muxed (connection), "closed", G_CALLBACK (on_closed),
                    &closed);

  daemon_stop (fixture);
  g_clear_object (&fixture->process);
  for (guint i = 0; i < 200 && !closed.closed; i++)
    pause_ms (100);
  g_assert_true (closed.closed);
  g_assert_no_error (closed.error);
  satori_host_close (peer);
}

static void
test_loose_token_file (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = token_path (fixture);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A token file others may read is refused with a clear log line; the daemon "
                  "runs on without REST");
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "0123456789abcdef0123456789abcdef\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  spawn (fixture, "[plugins]\nload=tcp;noise;yamux\n"
                  "[host]\nlisten=/ip4/127.0.0.1/tcp/0\n[rest]\nport=0\n");
  gboolean refused = FALSE, listening = FALSE;
  char *line;
  while (!listening && (line = g_data_input_stream_read_line (fixture->log, NULL, NULL,
                                                              &error)) != NULL)
    {
      g_test_message ("daemon: %s", line);
      refused |= strstr (line, "REST API disabled") != NULL && strstr (line, "0644") != NULL;
      listening = strstr (line, "Listening on ") != NULL;
      g_assert_null (strstr (line, "REST API on "));
      g_free (line);
    }
  g_assert_true (refused);
  g_assert_true (listening);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/rest/daemon/read-endpoints", Fixture, NULL, fixture_set_up,
              test_read_endpoints, fixture_tear_down);
  g_test_add ("/rest/daemon/token", Fixture, NULL, fixture_set_up, test_token,
              fixture_tear_down);
  g_test_add ("/rest/daemon/bad-input", Fixture, NULL, fixture_set_up, test_bad_input,
              fixture_tear_down);
  g_test_add ("/rest/daemon/peer-and-pubsub", Fixture, NULL, fixture_set_up,
              test_peer_and_pubsub, fixture_tear_down);
  g_test_add ("/rest/daemon/sigterm-goaway", Fixture, NULL, fixture_set_up, test_sigterm_goaway,
              fixture_tear_down);
  g_test_add ("/rest/daemon/loose-token-file", Fixture, "no daemon", fixture_set_up,
              test_loose_token_file, fixture_tear_down);
  return g_test_run ();
}
