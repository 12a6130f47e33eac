/* The Satori layer with js-libp2p 3.x: three satorip2p hosts (SatoriPeers
 * over TCP + Noise + Yamux, GossipSub, the satori plugin) and a js peer
 * (tests/interop/js-peer.mjs --pubsub gossipsub --satori) in one mesh on
 * satori/stream/<id>. Hosts 0 - 1 - 2 form a line and js dials all three.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-host-config.h"
#include "satori-js-peer.h"
#include "satori-json.h"
#include "satori-tagged-json.h"
#include "satori-test-host.h"
#include "satori-test-util.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_gossipsub_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_satori_register (SatoriRegistry *registry, GError **error);

#define STREAM "91c73f71-55c1-5bcc-8814-a0e7a580db4f"
#define TOPIC "satori/stream/" STREAM
#define N_HOSTS 3
#define WAIT_LIMIT_S 30

static const char config_text[] =
  "[host]\n"
  "transports=tcp\n"
  "security=noise\n"
  "muxers=yamux\n"
  "pubsub=gossipsub\n"
  "[satori-store]\n"
  "path=:memory:\n";

/* What a host publishes: a value, and an observation time and raw bytes
 * tagged as the Python nodes tag them (satori-protocols.md §2.3). */
#define HOST_PAYLOAD \
  "{\"value\": %u.5, " \
  "\"time\": {\"__satori_type__\": \"datetime\", \"value\": \"2026-01-0%uT12:00:00+00:00\"}, " \
  "\"raw\": {\"__satori_type__\": \"bytes\", \"value\": \"c2F0b3Jp\"}}"
#define JS_PAYLOAD \
  "{\"value\": 7.25, " \
  "\"time\": {\"__satori_type__\": \"datetime\", \"value\": \"2026-02-03T04:05:06+00:00\"}, " \
  "\"streams\": {\"__satori_type__\": \"set\", \"value\": [\"a\", \"b\"]}}"

typedef struct
{
  SatoriPeerId *from;
  JsonNode *data;
} Received;

static void
received_free (Received *received)
{
  satori_peer_id_unref (received->from);
  json_node_unref (received->data);
  g_free (received);
}

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriPeers *peers[N_HOSTS];
  GPtrArray *received[N_HOSTS];   /* Received, on STREAM */
  SatoriJsPeer *js;
  SatoriPeerId *js_id;
} Fixture;

static void
on_message (SatoriPeers *peers, const char *stream_id, SatoriPeerId *from, JsonNode *data,
            GPtrArray *received)
{
  Received *one = g_new0 (Received, 1);

  g_assert_nonnull (from);   /* GossipSub here signs every message */
  one->from = satori_peer_id_ref (from);
  one->data = json_node_ref (data);
  g_ptr_array_add (received, one);
}

static SatoriHost *
host_new (SatoriRegistry *registry, guint8 key_fill)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (key_fill);
  g_autoptr(GError) error = NULL;

  g_assert_true (satori_config_load_data (config, "test", config_text, -1, &error));
  SatoriHost *host = satori_host_new_from_config (config, registry, key, &error);
  g_assert_no_error (error);
  return host;
}

static void
js_command (SatoriJsPeer *js, const char *event, const char *json)
{
  satori_js_peer_send (js, json);
  json_object_unref (satori_js_peer_wait_event (js, event));
}

/* Hosts 0 - 1 - 2 in a line, each on STREAM through its SatoriPeers; the
 * js peer dials all three and subscribes to the stream's topic. */
static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_ping_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_true (satori_plugin_gossipsub_register (fixture->registry, &error));
  g_assert_true (satori_plugin_satori_register (fixture->registry, &error));
  g_assert_no_error (error);

  g_strv_builder_add_many (args, "--pubsub", "gossipsub", "--satori", NULL);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      fixture->hosts[i] = host_new (fixture->registry, i + 1);
      g_autofree char *address = satori_test_listen (fixture->hosts[i], "/ip4/127.0.0.1/tcp/0");
      g_strv_builder_add_many (args, "--dial", address, NULL);
      fixture->peers[i] = satori_peers_new (fixture->hosts[i]);
      fixture->received[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
      g_signal_connect (fixture->peers[i], "message::" STREAM, G_CALLBACK (on_message),
                        fixture->received[i]);
      satori_peers_start (fixture->peers[i]);
      g_assert_true (satori_peers_subscribe (fixture->peers[i], STREAM, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i + 1 < N_HOSTS; i++)
    {
      g_autoptr(GPtrArray) listening = satori_host_get_listen_addresses (fixture->hosts[i + 1]);
      g_autoptr(SatoriMultiaddr) address = satori_test_address_with_peer (
        g_ptr_array_index (listening, 0), satori_host_get_peer_id (fixture->hosts[i + 1]));
      SatoriConnection *connection = satori_test_connect (fixture->hosts[i], address, &error);
      g_assert_no_error (error);
      g_object_unref (connection);
    }

  g_auto(GStrv) argv = g_strv_builder_end (args);
  fixture->js = satori_js_peer_start ((const char * const *) argv);
  JsonObject *listening = satori_js_peer_wait_event (fixture->js, "listening");
  fixture->js_id = satori_peer_id_new_from_string (
    json_object_get_string_member (listening, "peerId"), &error);
  g_assert_no_error (error);
  json_object_unref (listening);
  for (guint i = 0; i < N_HOSTS; i++)
    json_object_unref (satori_js_peer_wait_event (fixture->js, "dial"));
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_js_peer_stop (fixture->js);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      satori_peers_stop (fixture->peers[i]);
      satori_host_close (fixture->hosts[i]);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->peers[i]);
      g_object_unref (fixture->hosts[i]);
      g_ptr_array_unref (fixture->received[i]);
    }
  satori_peer_id_unref (fixture->js_id);
  g_object_unref (fixture->registry);
}

typedef struct
{
  SatoriHost *host;
  SatoriPeerId *peer;
} TopicPeer;

static gboolean
has_topic_peer (gpointer data)
{
  TopicPeer *wanted = data;
  g_autoptr(GPtrArray) peers = satori_pubsub_get_topic_peers (
    satori_host_get_pubsub (wanted->host), TOPIC);

  return g_ptr_array_find_with_equal_func (peers, wanted->peer, satori_peer_id_equal, NULL);
}

/* Whether js's mesh for TOPIC holds all our hosts. */
static gboolean
js_mesh_full (gpointer data)
{
  Fixture *fixture = data;
  satori_js_peer_send (fixture->js, "{\"cmd\":\"mesh-peers\",\"topic\":\"" TOPIC "\"}");
  JsonObject *event = satori_js_peer_wait_event (fixture->js, "mesh-peers");
  JsonArray *mesh = json_object_get_array_member (event, "peers");
  guint found = 0;

  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_autofree char *id = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[i]));
      for (guint j = 0; j < json_array_get_length (mesh); j++)
        found += g_strcmp0 (json_array_get_string_element (mesh, j), id) == 0;
    }
  json_object_unref (event);
  if (found < N_HOSTS)
    g_usleep (G_USEC_PER_SEC / 5);
  return found == N_HOSTS;
}

/* The stream's topic is known everywhere: each host sees js on it, and
 * js has all three hosts in its mesh. */
static void
wait_mesh (Fixture *fixture)
{
  js_command (fixture->js, "subscribe", "{\"cmd\":\"subscribe\",\"topic\":\"" TOPIC "\"}");
  for (guint i = 0; i < N_HOSTS; i++)
    {
      TopicPeer wanted = { fixture->hosts[i], fixture->js_id };
      satori_test_wait_until (has_topic_peer, &wanted, WAIT_LIMIT_S);
    }
  satori_test_wait_until (js_mesh_full, fixture, WAIT_LIMIT_S);
}

static JsonNode *
json_of (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
publish (SatoriPeers *peers, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) data = json_of (text);

  satori_peers_publish_async (peers, STREAM, data, NULL, satori_test_store_result, &result);
  g_assert_true (satori_peers_publish_finish (peers, satori_test_wait (&result), &error));
  g_assert_no_error (error);
}

/* js's next stream message, which must be @text (as JSON) by @author. */
static void
js_expect (Fixture *fixture, const char *text, SatoriPeerId *author)
{
  JsonObject *event = satori_js_peer_wait_event (fixture->js, "pubsub-message");
  g_autofree char *author_text = satori_peer_id_to_string (author);
  g_autoptr(JsonNode) expected = json_of (text);
  g_autoptr(JsonNode) data = json_of (json_object_get_string_member (event, "data"));

  g_assert_cmpstr (json_object_get_string_member (event, "topic"), ==, TOPIC);
  g_assert_cmpstr (json_object_get_string_member (event, "from"), ==, author_text);
  g_assert_true (json_object_get_boolean_member (event, "signed"));
  g_assert_true (json_node_equal (data, expected));
  json_object_unref (event);
}

/* Message @index at host @i is @text by @author. */
static void
expect (Fixture *fixture, guint i, guint index, const char *text, SatoriPeerId *author)
{
  g_autoptr(JsonNode) expected = json_of (text);

  satori_test_wait_length (fixture->received[i], index + 1, WAIT_LIMIT_S);
  Received *received = g_ptr_array_index (fixture->received[i], index);
  g_assert_true (satori_peer_id_equal (received->from, author));
  g_assert_true (json_node_equal (received->data, expected));
}

/* The tagged time of a received payload, as ISO 8601. */
static char *
tagged_time (Received *received)
{
  g_autoptr(GError) error = NULL;
  JsonNode *tagged = json_object_get_member (json_node_get_object (received->data), "time");
  g_autoptr(GDateTime) time = satori_tagged_json_decode_datetime (tagged, &error);

  g_assert_no_error (error);
  return g_date_time_format_iso8601 (time);
}

static void
test_mesh_exchange (Fixture *fixture, gconstpointer data)
{
  g_auto(GStrv) payloads = g_new0 (char *, N_HOSTS + 1);

  g_test_summary ("Three satorip2p hosts and js-libp2p (@libp2p/gossipsub 17.1.1) on "
                  "satori/stream/<id>: every host's tagged JSON payload reaches the two other "
                  "hosts and js, js's reaches the three hosts; the same payload published "
                  "again by a host and by js is delivered again everywhere");
  wait_mesh (fixture);

  for (guint i = 0; i < N_HOSTS; i++)
    {
      SatoriPeerId *author = satori_host_get_peer_id (fixture->hosts[i]);
      payloads[i] = g_strdup_printf (HOST_PAYLOAD, i, i + 1);
      publish (fixture->peers[i], payloads[i]);
      js_expect (fixture, payloads[i], author);
      for (guint j = 0; j < N_HOSTS; j++)
        if (j != i)
          expect (fixture, j, j < i ? i - 1 : i, payloads[i], author);
    }
  g_autofree char *time = tagged_time (g_ptr_array_index (fixture->received[1], 0));
  g_assert_cmpstr (time, ==, "2026-01-01T12:00:00Z");

  /* A legitimate repeat: host 0 publishes the same value again. */
  SatoriPeerId *first = satori_host_get_peer_id (fixture->hosts[0]);
  publish (fixture->peers[0], payloads[0]);
  js_expect (fixture, payloads[0], first);
  expect (fixture, 1, 2, payloads[0], first);
  expect (fixture, 2, 2, payloads[0], first);

  /* js publishes one payload twice. */
  g_autoptr(JsonNode) js_payload = json_of (JS_PAYLOAD);
  g_autofree char *js_text = json_to_string (js_payload, FALSE);
  g_autoptr(JsonBuilder) command = json_builder_new ();
  json_builder_begin_object (command);
  json_builder_set_member_name (command, "cmd");
  json_builder_add_string_value (command, "publish");
  json_builder_set_member_name (command, "topic");
  json_builder_add_string_value (command, TOPIC);
  json_builder_set_member_name (command, "data");
  json_builder_add_string_value (command, js_text);
  json_builder_end_object (command);
  g_autoptr(JsonNode) command_node = json_builder_get_root (command);
  g_autofree char *command_text = json_to_string (command_node, FALSE);
  for (guint round = 0; round < 2; round++)
    js_command (fixture->js, "publish", command_text);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      guint before = i == 0 ? 2 : 3;
      expect (fixture, i, before, JS_PAYLOAD, fixture->js_id);
      expect (fixture, i, before + 1, JS_PAYLOAD, fixture->js_id);
      g_autofree char *js_time = tagged_time (g_ptr_array_index (fixture->received[i], before));
      g_assert_cmpstr (js_time, ==, "2026-02-03T04:05:06Z");
    }

  /* Nothing else came: no host gets its own messages, none twice. */
  g_usleep (G_USEC_PER_SEC / 2);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fixture->received[0]->len, ==, 4);
  g_assert_cmpuint (fixture->received[1]->len, ==, 5);
  g_assert_cmpuint (fixture->received[2]->len, ==, 5);
}

/* Host 1's answer to a request: the question's "n" doubled. */
static gboolean
on_request (SatoriMessenger *messenger, SatoriMessengerRequest *request, gpointer user_data)
{
  GBytes *question = satori_messenger_request_get_message (request);
  g_autoptr(JsonNode) node = satori_json_parse (g_bytes_get_data (question, NULL),
                                                g_bytes_get_size (question), NULL);
  g_assert_nonnull (node);
  JsonObject *object = json_node_get_object (node);
  g_assert_false (json_object_has_member (object, "_request_id"));
  gint64 n = json_object_get_int_member (object, "n");
  g_autofree char *text = g_strdup_printf ("{\"doubled\": %" G_GINT64_FORMAT "}", 2 * n);
  g_autoptr(GBytes) answer = g_bytes_new (text, strlen (text));
  satori_messenger_request_reply (request, answer);
  return TRUE;
}

static void
test_request_response (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_test_summary ("/satori/1.0.0 request/response with js-libp2p, one message per stream, "
                  "answers on a new stream with _response_to: js asks host 1 and gets host "
                  "1's answer; host 2 asks js and gets js's answer");
  SatoriProtocolHandler *messenger = satori_host_get_handler (fixture->hosts[1],
                                                              "/satori/1.0.0");
  g_assert_true (SATORI_IS_MESSENGER (messenger));
  g_signal_connect (messenger, "request-received", G_CALLBACK (on_request), NULL);

  g_autofree char *host1 = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[1]));
  g_autofree char *ask = g_strdup_printf (
    "{\"cmd\":\"satori-request\",\"peer\":\"%s\",\"message\":{\"n\":21}}", host1);
  satori_js_peer_send (fixture->js, ask);
  JsonObject *answered = satori_js_peer_wait_event (fixture->js, "satori-request");
  JsonObject *response = json_object_get_object_member (answered, "response");
  g_assert_cmpint (json_object_get_int_member (response, "doubled"), ==, 42);
  json_object_unref (answered);

  g_autoptr(JsonNode) question = json_of ("{\"stream\": \"" STREAM "\", \"want\": \"latest\"}");
  satori_peers_request_async (fixture->peers[2], fixture->js_id, question, FALSE, 10000, NULL,
                              satori_test_store_result, &result);
  g_autoptr(JsonNode) answer = satori_peers_request_finish (fixture->peers[2],
                                                            satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_autoptr(JsonNode) expected = json_of (
    "{\"answered_by\": \"js\", \"request\": {\"stream\": \"" STREAM "\", \"want\": \"latest\"}}");
  g_assert_true (json_node_equal (answer, expected));

  /* js saw our request as the Python nodes make one. */
  JsonObject *seen = satori_js_peer_wait_event (fixture->js, "satori-message");
  g_autofree char *host2 = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[2]));
  g_assert_cmpstr (json_object_get_string_member (seen, "peer"), ==, host2);
  JsonObject *request = json_object_get_object_member (seen, "message");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (request, "_request_id")));
  g_assert_cmpstr (json_object_get_string_member (request, "want"), ==, "latest");
  json_object_unref (seen);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/interop/satori/mesh/exchange", Fixture, NULL, fixture_set_up, test_mesh_exchange,
              fixture_tear_down);
  g_test_add ("/interop/satori/request-response", Fixture, NULL, fixture_set_up,
              test_request_response, fixture_tear_down);
  return g_test_run ();
}
