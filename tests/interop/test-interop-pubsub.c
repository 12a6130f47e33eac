/* floodsub and GossipSub with js-libp2p 3.x (@libp2p/floodsub,
 * @libp2p/gossipsub) over TCP + Noise + Yamux: a line of two satorip2p
 * hosts joined through a js peer, one dialing js and js dialing the other;
 * for gossipsub also a ring with a second js peer that dials both. The js
 * peers are tests/interop/js-peer.mjs with --pubsub ROUTER (see its README).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-gossipsub-session.h"
#include "satori-identify-service.h"
#include "satori-js-peer.h"
#include "satori-ping-service.h"
#include "satori-protobuf.h"
#include "satori-pubsub-router.h"
#include "satori-pubsub-rpc-writer.h"
#include "satori-pubsub-signing.h"
#include "satori-test-host.h"
#include "satori-test-util.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_floodsub_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_gossipsub_register (SatoriRegistry *registry, GError **error);

#define TOPIC "satori/interop"
#define N_HOSTS 2
#define WAIT_LIMIT_US (30 * G_USEC_PER_SEC)

typedef struct
{
  const char *router;   /* floodsub or gossipsub */
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriPubsub *routers[N_HOSTS];
  GPtrArray *received[N_HOSTS];   /* SatoriPubsubMessage */
  SatoriJsPeer *js;
  SatoriJsPeer *js2;    /* gossipsub's ring only */
} Fixture;

static void
on_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  g_ptr_array_add (user_data, satori_pubsub_message_ref (message));
}

/* Our gossipsub scores invalid messages only (P4), as the js peers do
 * with --score-topic. */
static void
score_invalid_only (GObject *router)
{
  g_object_set (router, "topic-weight", 1.0, "topic-time-in-mesh-weight", 0.0,
                "topic-first-message-deliveries-weight", 0.0,
                "topic-mesh-message-deliveries-weight", 0.0,
                "topic-mesh-failure-penalty-weight", 0.0,
                "topic-invalid-message-deliveries-weight", -1.0, NULL);
}

static void
serve (Fixture *fixture, SatoriHost *host, GType iface, const char *name)
{
  g_autoptr(GObject) handler = satori_test_create (fixture->registry, iface, name);
  if (g_strcmp0 (name, "gossipsub") == 0)
    score_invalid_only (handler);
  SatoriFeature *feature = satori_registry_lookup (fixture->registry, iface, name);
  const char * const *ids = satori_feature_get_protocol_ids (feature);

  for (guint i = 0; ids[i] != NULL; i++)
    satori_host_set_handler (host, ids[i], SATORI_PROTOCOL_HANDLER (handler));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->router = data;
  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_ping_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_true (satori_plugin_floodsub_register (fixture->registry, &error));
  g_assert_true (satori_plugin_gossipsub_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      SatoriHost *host = satori_test_host_new (fixture->registry, "tcp", "noise", "yamux");
      fixture->hosts[i] = host;
      serve (fixture, host, SATORI_TYPE_PROTOCOL_HANDLER, "ping");
      serve (fixture, host, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
      serve (fixture, host, SATORI_TYPE_PUBSUB, fixture->router);
      fixture->routers[i] = g_object_ref (satori_host_get_pubsub (host));
      fixture->received[i] = g_ptr_array_new_with_free_func (
        (GDestroyNotify) satori_pubsub_message_unref);
      g_signal_connect (fixture->routers[i], "message::" TOPIC, G_CALLBACK (on_message),
                        fixture->received[i]);
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->js != NULL)
    satori_js_peer_stop (fixture->js);
  if (fixture->js2 != NULL)
    satori_js_peer_stop (fixture->js2);
  for (guint i = 0; i < N_HOSTS; i++)
    satori_host_close (fixture->hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->routers[i]);
      g_object_unref (fixture->hosts[i]);
      g_ptr_array_unref (fixture->received[i]);
    }
  g_object_unref (fixture->registry);
}

static void
iterate_until_deadline (gint64 limit)
{
  g_assert_cmpint (g_get_monotonic_time (), <, limit);
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
}

static void
wait_topic_peer (SatoriPubsub *pubsub, SatoriPeerId *peer)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  for (;;)
    {
      g_autoptr(GPtrArray) peers = satori_pubsub_get_topic_peers (pubsub, TOPIC);
      if (g_ptr_array_find_with_equal_func (peers, peer, satori_peer_id_equal, NULL))
        return;
      iterate_until_deadline (limit);
    }
}

/* The first message @received gets after @index, which must say @text. */
static SatoriPubsubMessage *
wait_message (GPtrArray *received, guint index, const char *text)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (received->len <= index)
    iterate_until_deadline (limit);
  SatoriPubsubMessage *message = g_ptr_array_index (received, index);
  GBytes *data = satori_pubsub_message_get_data (message);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), text, strlen (text));
  return message;
}

/* The js peer's next pubsub-message, which must say @text and come from
 * @from. */
static void
js_expect_message (SatoriJsPeer *js, const char *text, SatoriPeerId *from)
{
  JsonObject *event = satori_js_peer_wait_event (js, "pubsub-message");
  g_autofree char *author = satori_peer_id_to_string (from);

  g_assert_cmpstr (json_object_get_string_member (event, "topic"), ==, TOPIC);
  g_assert_cmpstr (json_object_get_string_member (event, "data"), ==, text);
  g_assert_true (json_object_get_boolean_member (event, "signed"));
  g_assert_cmpstr (json_object_get_string_member (event, "from"), ==, author);
  json_object_unref (event);
}

static void
publish (SatoriPubsub *pubsub, const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));

  satori_pubsub_publish_async (pubsub, TOPIC, data, NULL, satori_test_store_result, &result);
  g_assert_true (satori_pubsub_publish_finish (pubsub, satori_test_wait (&result), &error));
  g_assert_no_error (error);
}

static void
js_command (SatoriJsPeer *js, const char *event, const char *json)
{
  satori_js_peer_send (js, json);
  json_object_unref (satori_js_peer_wait_event (js, event));
}

/* Starts a js peer with --pubsub ROUTER and @extra arguments, subscribed
 * to TOPIC; returns its first listening address, and its id in @id. */
static SatoriMultiaddr *
js_start (Fixture *fixture, SatoriJsPeer **js, const char * const *extra, SatoriPeerId **id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add_many (builder, "--pubsub", fixture->router, "--score-topic", TOPIC,
                           "--listen", "/ip4/127.0.0.1/tcp/0", NULL);
  g_strv_builder_addv (builder, (const char **) extra);
  g_auto(GStrv) args = g_strv_builder_end (builder);
  *js = satori_js_peer_start ((const char * const *) args);
  JsonObject *listening = satori_js_peer_wait_event (*js, "listening");
  *id = satori_peer_id_new_from_string (json_object_get_string_member (listening, "peerId"),
                                        &error);
  g_assert_no_error (error);
  SatoriMultiaddr *address = satori_multiaddr_new_from_string (
    json_array_get_string_element (json_object_get_array_member (listening, "addrs"), 0),
    &error);
  g_assert_no_error (error);
  json_object_unref (listening);
  for (guint i = 0; extra[i] != NULL; i++)
    if (g_strcmp0 (extra[i], "--dial") == 0)
      json_object_unref (satori_js_peer_wait_event (*js, "dial"));
  js_command (*js, "subscribe", "{\"cmd\":\"subscribe\",\"topic\":\"" TOPIC "\"}");
  return address;
}

/* Waits until @js has seen @count peers subscribe to TOPIC. */
static void
js_wait_subscribers (SatoriJsPeer *js, guint count)
{
  for (guint seen = 0; seen < count;)
    {
      JsonObject *event = satori_js_peer_wait_event (js, "pubsub-subscription");
      if (g_strcmp0 (json_object_get_string_member (event, "topic"), TOPIC) == 0 &&
          json_object_get_boolean_member (event, "subscribe"))
        seen++;
      json_object_unref (event);
    }
}

/* Host 0 dials js, js dials host 1; all three on TOPIC. Returns js's id. */
static SatoriPeerId *
join (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *b_address = satori_test_listen (fixture->hosts[1], "/ip4/127.0.0.1/tcp/0");
  const char *extra[] = { "--dial", b_address, NULL };
  SatoriPeerId *js_peer;

  for (guint i = 0; i < N_HOSTS; i++)
    g_assert_true (satori_pubsub_subscribe (fixture->routers[i], TOPIC, &error));
  g_autoptr(SatoriMultiaddr) js_address = js_start (fixture, &fixture->js, extra, &js_peer);

  SatoriConnection *connection = satori_test_connect (fixture->hosts[0], js_address, &error);
  g_assert_no_error (error);
  g_object_unref (connection);
  for (guint i = 0; i < N_HOSTS; i++)
    wait_topic_peer (fixture->routers[i], js_peer);

  /* js knows both of us are on the topic. */
  js_wait_subscribers (fixture->js, N_HOSTS);
  return js_peer;
}

/* Whether @js's mesh for TOPIC holds each of @peers. */
static gboolean
js_mesh_has (SatoriJsPeer *js, SatoriPeerId **peers, guint n_peers)
{
  satori_js_peer_send (js, "{\"cmd\":\"mesh-peers\",\"topic\":\"" TOPIC "\"}");
  JsonObject *event = satori_js_peer_wait_event (js, "mesh-peers");
  JsonArray *mesh = json_object_get_array_member (event, "peers");
  guint found = 0;

  for (guint i = 0; i < n_peers; i++)
    {
      g_autofree char *text = satori_peer_id_to_string (peers[i]);
      for (guint j = 0; j < json_array_get_length (mesh); j++)
        if (g_strcmp0 (json_array_get_string_element (mesh, j), text) == 0)
          found++;
    }
  json_object_unref (event);
  return found == n_peers;
}

static void
wait_js_mesh (SatoriJsPeer *js, SatoriPeerId **peers, guint n_peers)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!js_mesh_has (js, peers, n_peers))
    {
      gint64 pause = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
      while (g_get_monotonic_time () < pause)
        iterate_until_deadline (limit);
    }
}

static void
test_mixed_line (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("satorip2p - js - satorip2p, one dialing js and dialed by js: messages "
                  "published by any of them reach the other two, signed and verified");
  g_autoptr(SatoriPeerId) js_peer = join (fixture);
  SatoriPeerId *a = satori_host_get_peer_id (fixture->hosts[0]);
  SatoriPeerId *b = satori_host_get_peer_id (fixture->hosts[1]);
  SatoriPeerId *ours[] = { a, b };

  /* js's gossipsub forwards to its mesh only, and gossips only to peers
   * outside it: a message before b's GRAFT never reaches b. */
  if (g_strcmp0 (fixture->router, "gossipsub") == 0)
    wait_js_mesh (fixture->js, ours, N_HOSTS);
  publish (fixture->routers[0], "from a");
  js_expect_message (fixture->js, "from a", a);
  SatoriPubsubMessage *at_b = wait_message (fixture->received[1], 0, "from a");
  g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_from (at_b), a));
  g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_received_from (at_b), js_peer));
  g_assert_nonnull (satori_pubsub_message_get_signature (at_b));

  js_command (fixture->js, "publish",
              "{\"cmd\":\"publish\",\"topic\":\"" TOPIC "\",\"data\":\"from js\"}");
  for (guint i = 0; i < N_HOSTS; i++)
    {
      SatoriPubsubMessage *message = wait_message (fixture->received[i], i == 0 ? 0 : 1,
                                                   "from js");
      g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_from (message), js_peer));
      /* js's floodsub drops the seqno's leading zero bytes (1 in 256). */
      gsize seqno_size = g_bytes_get_size (satori_pubsub_message_get_seqno (message));
      g_assert_cmpuint (seqno_size, >=, 1);
      g_assert_cmpuint (seqno_size, <=, 8);
    }

  publish (fixture->routers[1], "from b");
  js_expect_message (fixture->js, "from b", b);
  SatoriPubsubMessage *at_a = wait_message (fixture->received[0], 1, "from b");
  g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_from (at_a), b));
  g_assert_cmpuint (fixture->received[0]->len, ==, 2);   /* never its own */
}

/* The protocol a test speaks on a stream of its own. */
static const char *
stream_protocol (Fixture *fixture)
{
  return g_strcmp0 (fixture->router, "gossipsub") == 0 ? SATORI_GOSSIPSUB_PROTOCOL_1_1
                                                       : SATORI_FLOODSUB_PROTOCOL;
}

/* js's score of @peer (gossipsub). */
static double
js_score (SatoriJsPeer *js, SatoriPeerId *peer)
{
  g_autofree char *text = satori_peer_id_to_string (peer);
  g_autofree char *command = g_strdup_printf ("{\"cmd\":\"score\",\"peer\":\"%s\"}", text);

  satori_js_peer_send (js, command);
  JsonObject *event = satori_js_peer_wait_event (js, "score");
  double score = json_object_get_double_member (event, "score");
  json_object_unref (event);
  return score;
}

/* Waits until js scores @peer below 0: js caches scores for a while. */
static void
wait_js_score_negative (SatoriJsPeer *js, SatoriPeerId *peer)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (js_score (js, peer) >= 0)
    {
      gint64 pause = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
      while (g_get_monotonic_time () < pause)
        iterate_until_deadline (limit);
    }
}

static double
our_score (SatoriPubsub *router, SatoriPeerId *peer)
{
  return satori_gossipsub_session_get_peer_score (
    satori_pubsub_router_get_core (SATORI_PUBSUB_ROUTER (router)),
    satori_peer_id_get_bytes (peer), g_get_monotonic_time ());
}

static void
test_js_sends_invalid (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("js sends a message with a bad signature and one whose from is not its "
                  "signer, then a good one: only the good one is delivered (gossipsub: and "
                  "js's score drops below 0)");
  g_autoptr(SatoriPeerId) js_peer = join (fixture);
  gboolean gossipsub = g_strcmp0 (fixture->router, "gossipsub") == 0;
  if (gossipsub)
    g_assert_cmpfloat (our_score (fixture->routers[0], js_peer), ==, 0);
  g_autofree char *a_text = satori_peer_id_to_string (satori_host_get_peer_id (fixture->hosts[0]));
  g_autofree char *inject = g_strdup_printf (
    "{\"cmd\":\"inject\",\"peer\":\"%s\",\"topic\":\"" TOPIC "\",\"hold_ms\":500,"
    "\"protocol\":\"%s\","
    "\"messages\":[{\"text\":\"bad signature\",\"spoil\":\"bad-signature\"},"
    "{\"text\":\"wrong from\",\"spoil\":\"wrong-from\"},{\"text\":\"good\"}]}", a_text,
    stream_protocol (fixture));

  js_command (fixture->js, "inject", inject);
  wait_message (fixture->received[0], 0, "good");
  /* Let anything else that came arrive. */
  gint64 settle = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < settle)
    iterate_until_deadline (settle + G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->received[0]->len, ==, 1);
  if (gossipsub)
    g_assert_cmpfloat (our_score (fixture->routers[0], js_peer), <, 0);
}

/* A StrictSign message by @key, its data spoiled after signing if
 * @spoil. Each needs its own @seqno_hex: js marks an id seen before it
 * validates the message. */
static GBytes *
crafted_message (SatoriPrivateKey *key, const char *text, const char *seqno_hex, gboolean spoil)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) seqno = satori_test_bytes_from_hex (seqno_hex);
  g_autoptr(GBytes) encoded = satori_pubsub_build_message (TOPIC, data, seqno, key, &error);

  g_assert_no_error (error);
  if (!spoil)
    return g_steal_pointer (&encoded);
  Satori__Pubsub__Message *message = satori__pubsub__message__unpack (
    NULL, g_bytes_get_size (encoded), g_bytes_get_data (encoded, NULL));
  message->data.data[0] ^= 0x20;
  GBytes *spoiled = satori_protobuf_pack (&message->base);
  satori__pubsub__message__free_unpacked (message, NULL);
  return spoiled;
}

static void
test_we_send_invalid (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  const char *protocols[] = { stream_protocol (fixture), NULL };
  SatoriPeerId *a = satori_host_get_peer_id (fixture->hosts[0]);
  gboolean gossipsub = g_strcmp0 (fixture->router, "gossipsub") == 0;

  g_test_summary ("We send js a message whose signature does not verify, then a good one: "
                  "js delivers only the good one (gossipsub: and our score drops below 0)");
  g_autoptr(SatoriPeerId) js_peer = join (fixture);
  if (gossipsub)
    g_assert_cmpfloat (js_score (fixture->js, a), ==, 0);
  SatoriPrivateKey *key = satori_host_get_private_key (fixture->hosts[0]);
  g_autoptr(GBytes) bad = crafted_message (key, "spoiled", "7fffffffffff0001", TRUE);
  g_autoptr(GBytes) good = crafted_message (key, "crafted", "7fffffffffff0002", FALSE);
  satori_pubsub_rpc_writer_add_message (writer, bad);
  satori_pubsub_rpc_writer_add_message (writer, good);
  g_autoptr(GBytes) frame = satori_pubsub_rpc_writer_finish (writer);

  satori_host_new_stream_async (fixture->hosts[0], js_peer, protocols, NULL,
                                satori_test_store_result, &result);
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (fixture->hosts[0],
                                                               satori_test_wait (&result),
                                                               NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  GOutputStream *output = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all_async (output, g_bytes_get_data (frame, NULL),
                                   g_bytes_get_size (frame), G_PRIORITY_DEFAULT, NULL,
                                   satori_test_store_result, &result);
  g_assert_true (g_output_stream_write_all_finish (output, satori_test_wait (&result), NULL,
                                                   &error));
  g_assert_no_error (error);
  js_expect_message (fixture->js, "crafted", a);
  if (gossipsub)
    wait_js_score_negative (fixture->js, a);
}

static void
js_publish (SatoriJsPeer *js, const char *text)
{
  g_autofree char *command = g_strdup_printf (
    "{\"cmd\":\"publish\",\"topic\":\"" TOPIC "\",\"data\":\"%s\"}", text);

  js_command (js, "publish", command);
}

static void
test_gossipsub_ring (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A ring a - js1 - b - js2 - a of GossipSub peers: each js peer has both "
                  "satorip2p hosts in its mesh (they GRAFTed), and a message published by "
                  "any of the four reaches the other three, signed and verified");
  g_autoptr(SatoriPeerId) js1 = join (fixture);
  SatoriPeerId *a = satori_host_get_peer_id (fixture->hosts[0]);
  SatoriPeerId *b = satori_host_get_peer_id (fixture->hosts[1]);
  g_autofree char *a_text = satori_test_listen (fixture->hosts[0], "/ip4/127.0.0.1/tcp/0");
  g_autofree char *b_text = satori_test_listen (fixture->hosts[1], "/ip4/127.0.0.1/tcp/0");
  const char *extra[] = { "--dial", a_text, "--dial", b_text, NULL };
  g_autoptr(SatoriPeerId) js2 = NULL;
  SatoriPeerId *ours[] = { a, b };

  satori_multiaddr_unref (js_start (fixture, &fixture->js2, extra, &js2));

  for (guint i = 0; i < N_HOSTS; i++)
    wait_topic_peer (fixture->routers[i], js2);
  js_wait_subscribers (fixture->js2, N_HOSTS);
  wait_js_mesh (fixture->js, ours, N_HOSTS);
  wait_js_mesh (fixture->js2, ours, N_HOSTS);

  publish (fixture->routers[0], "from a");
  js_expect_message (fixture->js, "from a", a);
  js_expect_message (fixture->js2, "from a", a);
  wait_message (fixture->received[1], 0, "from a");

  publish (fixture->routers[1], "from b");
  js_expect_message (fixture->js, "from b", b);
  js_expect_message (fixture->js2, "from b", b);
  wait_message (fixture->received[0], 0, "from b");

  js_publish (fixture->js, "from js1");
  js_expect_message (fixture->js2, "from js1", js1);
  js_publish (fixture->js2, "from js2");
  js_expect_message (fixture->js, "from js2", js2);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      SatoriPubsubMessage *m1 = wait_message (fixture->received[i], 1, "from js1");
      SatoriPubsubMessage *m2 = wait_message (fixture->received[i], 2, "from js2");
      g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_from (m1), js1));
      g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_from (m2), js2));
      g_assert_nonnull (satori_pubsub_message_get_signature (m2));
    }
  /* Each message once, never our own. */
  gint64 settle = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < settle)
    iterate_until_deadline (settle + G_USEC_PER_SEC);
  for (guint i = 0; i < N_HOSTS; i++)
    g_assert_cmpuint (fixture->received[i]->len, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(router, path, func) \
  g_test_add ("/interop/" router "/" path, Fixture, router, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("floodsub", "mixed-line", test_mixed_line);
  ADD ("floodsub", "js-sends-invalid", test_js_sends_invalid);
  ADD ("floodsub", "we-send-invalid", test_we_send_invalid);
  ADD ("gossipsub", "mixed-line", test_mixed_line);
  ADD ("gossipsub", "js-sends-invalid", test_js_sends_invalid);
  ADD ("gossipsub", "we-send-invalid", test_we_send_invalid);
  ADD ("gossipsub", "ring", test_gossipsub_ring);
#undef ADD
  return g_test_run ();
}
