/* SatoriPubsubRouter, the GIO adapter of the pubsub cores, driving the
 * floodsub core between hosts in one process (memory transport, plaintext,
 * yamux).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-floodsub-session.h"
#include "satori-pubsub-router.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-pubsub-rpc-writer.h"
#include "satori-test-host.h"
#include "satori-test-sink.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_floodsub_register (SatoriRegistry *registry, GError **error);

#define N_HOSTS 3
#define WAIT_LIMIT_S 10

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *hosts[N_HOSTS];
  SatoriPubsub *routers[N_HOSTS];
  SatoriMultiaddr *addresses[N_HOSTS];   /* with /p2p/ */
  GPtrArray *received[N_HOSTS];          /* SatoriPubsubMessage on topic "t" */
} Fixture;

static void
on_message (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  g_ptr_array_add (user_data, satori_pubsub_message_ref (message));
}

static void
on_other_topic (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  g_assert_not_reached ();
}

static SatoriHost *
new_host (Fixture *fixture)
{
  SatoriHost *host = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (host, "/memory/0");

  for (guint i = 0; i < N_HOSTS; i++)
    if (fixture->hosts[i] == NULL)
      {
        fixture->addresses[i] = satori_test_address_with_peer (bound,
                                                               satori_host_get_peer_id (host));
        break;
      }
  return host;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_floodsub_register (fixture->registry, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      fixture->hosts[i] = new_host (fixture);
      fixture->routers[i] = satori_test_create (fixture->registry, SATORI_TYPE_PUBSUB,
                                                "floodsub");
      satori_host_set_handler (fixture->hosts[i], SATORI_FLOODSUB_PROTOCOL,
                               SATORI_PROTOCOL_HANDLER (fixture->routers[i]));
      g_assert_true (satori_host_get_pubsub (fixture->hosts[i]) == fixture->routers[i]);
      fixture->received[i] = g_ptr_array_new_with_free_func (
        (GDestroyNotify) satori_pubsub_message_unref);
      g_signal_connect (fixture->routers[i], "message::t", G_CALLBACK (on_message),
                        fixture->received[i]);
      g_signal_connect (fixture->routers[i], "message::other", G_CALLBACK (on_other_topic),
                        NULL);
    }
}

/* Dispatches until no source is ready: the hosts share this context and
 * the memory transport has no thread, so whatever is in flight lands. */
static void
run_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < N_HOSTS; i++)
    satori_host_close (fixture->hosts[i]);
  run_until_idle ();
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_object_unref (fixture->hosts[i]);
      g_object_unref (fixture->routers[i]);
      satori_multiaddr_unref (fixture->addresses[i]);
      g_ptr_array_unref (fixture->received[i]);
    }
  g_object_unref (fixture->registry);
}

static void
connect (Fixture *fixture, guint a, guint b)
{
  g_autoptr(GError) error = NULL;
  SatoriConnection *connection = satori_test_connect (fixture->hosts[a], fixture->addresses[b],
                                                      &error);
  g_assert_no_error (error);
  g_object_unref (connection);
}

typedef struct
{
  SatoriPubsub *pubsub;
  const char *topic;
  guint count;
} PeerCount;

static gboolean
has_topic_peers (gpointer data)
{
  PeerCount *want = data;
  g_autoptr(GPtrArray) peers = satori_pubsub_get_topic_peers (want->pubsub, want->topic);

  return peers->len == want->count;
}

static void
wait_topic_peers (SatoriPubsub *pubsub, const char *topic, guint count)
{
  PeerCount want = { pubsub, topic, count };

  satori_test_wait_until (has_topic_peers, &want, WAIT_LIMIT_S);
}

static void
publish (SatoriPubsub *pubsub, const char *topic, const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));

  satori_pubsub_publish_async (pubsub, topic, data, NULL, satori_test_store_result, &result);
  g_assert_true (satori_pubsub_publish_finish (pubsub, satori_test_wait (&result), &error));
  g_assert_no_error (error);
}

static const char *
text_of (GPtrArray *received, guint i)
{
  GBytes *data = satori_pubsub_message_get_data (g_ptr_array_index (received, i));
  static char text[128];
  gsize len = MIN (g_bytes_get_size (data), sizeof text - 1);

  memcpy (text, g_bytes_get_data (data, NULL), len);
  text[len] = '\0';
  return text;
}

/* a - b - c, everyone on "t". */
static void
join_line (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  connect (fixture, 0, 1);
  connect (fixture, 1, 2);
  for (guint i = 0; i < N_HOSTS; i++)
    {
      g_assert_true (satori_pubsub_subscribe (fixture->routers[i], "t", &error));
      g_assert_no_error (error);
    }
  wait_topic_peers (fixture->routers[1], "t", 2);
  wait_topic_peers (fixture->routers[0], "t", 1);
  wait_topic_peers (fixture->routers[2], "t", 1);
}

static void
test_line (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Three hosts on a line: a message published at either end reaches the "
                  "other two through the middle, signed, as the detailed signal");
  join_line (fixture);
  g_auto(GStrv) topics = satori_pubsub_get_topics (fixture->routers[0]);
  g_assert_cmpstrv (topics, ((const char *[]) { "t", NULL }));

  publish (fixture->routers[0], "t", "from a");
  satori_test_wait_length (fixture->received[2], 1, WAIT_LIMIT_S);
  satori_test_wait_length (fixture->received[1], 1, WAIT_LIMIT_S);
  SatoriPubsubMessage *at_c = g_ptr_array_index (fixture->received[2], 0);
  g_assert_cmpstr (text_of (fixture->received[2], 0), ==, "from a");
  g_assert_cmpstr (satori_pubsub_message_get_topic (at_c), ==, "t");
  g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_from (at_c),
                                       satori_host_get_peer_id (fixture->hosts[0])));
  g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_received_from (at_c),
                                       satori_host_get_peer_id (fixture->hosts[1])));
  g_assert_nonnull (satori_pubsub_message_get_signature (at_c));
  g_assert_cmpuint (strlen (satori_pubsub_message_get_id (at_c)), >, 0);

  publish (fixture->routers[2], "t", "from c");
  publish (fixture->routers[1], "other", "nobody listens");
  satori_test_wait_length (fixture->received[0], 1, WAIT_LIMIT_S);
  g_assert_cmpstr (text_of (fixture->received[0], 0), ==, "from c");
  satori_test_wait_length (fixture->received[1], 2, WAIT_LIMIT_S);
  g_assert_cmpuint (fixture->received[2]->len, ==, 1);   /* never its own */
}

typedef struct
{
  GPtrArray *pending;   /* message ids (char *) left pending */
  guint calls;
} ValidatorState;

static SatoriValidationResult
validate (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  ValidatorState *state = user_data;
  GBytes *data = satori_pubsub_message_get_data (message);

  state->calls++;
  if (g_bytes_get_size (data) == 3 && memcmp (g_bytes_get_data (data, NULL), "bad", 3) == 0)
    return SATORI_VALIDATION_REJECT;
  if (g_bytes_get_size (data) == 5 && memcmp (g_bytes_get_data (data, NULL), "later", 5) == 0)
    {
      g_ptr_array_add (state->pending, g_strdup (satori_pubsub_message_get_id (message)));
      return SATORI_VALIDATION_PENDING;
    }
  return SATORI_VALIDATION_ACCEPT;
}

static gboolean
has_pending (gpointer data)
{
  return ((ValidatorState *) data)->pending->len > 0;
}

static void
test_validators (Fixture *fixture, gconstpointer data)
{
  ValidatorState state = { g_ptr_array_new_with_free_func (g_free), 0 };

  g_test_summary ("The middle host's validator rejects one message at once and accepts "
                  "another later: only accepted messages are delivered and forwarded");
  join_line (fixture);
  satori_pubsub_set_validator (fixture->routers[1], "t", validate, &state, NULL);

  publish (fixture->routers[0], "t", "later");
  satori_test_wait_until (has_pending, &state, WAIT_LIMIT_S);
  publish (fixture->routers[0], "t", "bad");
  publish (fixture->routers[0], "t", "good");
  /* The stream from b to c is ordered: "bad", had it been forwarded,
   * would arrive before "good". */
  satori_test_wait_length (fixture->received[2], 1, WAIT_LIMIT_S);
  g_assert_cmpstr (text_of (fixture->received[2], 0), ==, "good");
  g_assert_cmpuint (fixture->received[1]->len, ==, 1);

  satori_pubsub_report_validation (fixture->routers[1], g_ptr_array_index (state.pending, 0),
                                   SATORI_VALIDATION_ACCEPT);
  satori_test_wait_length (fixture->received[2], 2, WAIT_LIMIT_S);
  g_assert_cmpstr (text_of (fixture->received[2], 1), ==, "later");
  g_assert_cmpuint (fixture->received[1]->len, ==, 2);
  g_assert_cmpuint (state.calls, ==, 3);

  /* Cleared, the validator is not called any more. */
  satori_pubsub_set_validator (fixture->routers[1], "t", NULL, NULL, NULL);
  publish (fixture->routers[0], "t", "bad");
  satori_test_wait_length (fixture->received[2], 3, WAIT_LIMIT_S);
  g_assert_cmpuint (state.calls, ==, 3);
  g_ptr_array_unref (state.pending);
}

static SatoriValidationResult
accept_at_once (SatoriPubsub *pubsub, SatoriPubsubMessage *message, gpointer user_data)
{
  return SATORI_VALIDATION_ACCEPT;
}

static void
test_validator_accepts_at_once (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("A message the middle host's validator accepts at once is forwarded in "
                  "the same round, not when some later event happens to flush the router");
  join_line (fixture);
  satori_pubsub_set_validator (fixture->routers[1], "t", accept_at_once, NULL, NULL);

  /* The first message seen arms the seen cache's sweep, which runs at
   * once and would flush a stranded frame; the next sweep is 10 s away. */
  publish (fixture->routers[0], "t", "first");
  satori_test_wait_length (fixture->received[2], 1, WAIT_LIMIT_S);
  publish (fixture->routers[0], "t", "second");
  satori_test_wait_length (fixture->received[1], 2, WAIT_LIMIT_S);
  run_until_idle ();
  g_assert_cmpuint (fixture->received[2]->len, ==, 2);
  g_assert_cmpstr (text_of (fixture->received[2], 1), ==, "second");
}

static gboolean
has_no_topic_peers (gpointer data)
{
  g_autoptr(GPtrArray) peers = satori_pubsub_get_topic_peers (data, "t");

  return peers->len == 0;
}

static void
test_disconnect (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("When a connection closes, the peer leaves the router: it is no longer "
                  "among a topic's peers");
  join_line (fixture);
  SatoriConnection *connection = satori_host_get_connection (
    fixture->hosts[2], satori_host_get_peer_id (fixture->hosts[1]));
  g_assert_nonnull (connection);
  satori_connection_close_async (connection, NULL, NULL, NULL);
  satori_test_wait_until (has_no_topic_peers, fixture->routers[2], WAIT_LIMIT_S);
  wait_topic_peers (fixture->routers[1], "t", 1);
}

/* --- peers that are not routers --- */

static GIOStream *
raw_stream (Fixture *fixture, SatoriHost *from, guint to)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *protocols[] = { SATORI_FLOODSUB_PROTOCOL, NULL };

  satori_host_new_stream_async (from, satori_host_get_peer_id (fixture->hosts[to]), protocols,
                                NULL, satori_test_store_result, &result);
  GIOStream *stream = satori_host_new_stream_finish (from, satori_test_wait (&result), NULL,
                                                     &error);
  g_assert_no_error (error);
  return stream;
}

static void
write_bytes (GIOStream *stream, const guint8 *data, gsize len)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *output = g_io_stream_get_output_stream (stream);

  g_output_stream_write_all_async (output, data, len, G_PRIORITY_DEFAULT, NULL,
                                   satori_test_store_result, &result);
  g_assert_true (g_output_stream_write_all_finish (output, satori_test_wait (&result), NULL,
                                                   &error));
  g_assert_no_error (error);
}

/* A host without a router, connected to host @to; @handler, if any,
 * takes its floodsub streams. */
static SatoriHost *
extra_host (Fixture *fixture, guint to, SatoriProtocolHandler *handler)
{
  SatoriHost *host = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  g_autoptr(GError) error = NULL;

  if (handler != NULL)
    satori_host_set_handler (host, SATORI_FLOODSUB_PROTOCOL, handler);
  SatoriConnection *connection = satori_test_connect (host, fixture->addresses[to], &error);
  g_assert_no_error (error);
  g_object_unref (connection);
  return host;
}

static void
test_malformed_closes (Fixture *fixture, gconstpointer data)
{
  static const guint8 garbage[] = { 0x04, 0x0a, 0xff, 0xff, 0xff };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint8 buffer[64];

  g_test_summary ("A peer that sends an undecodable RPC has its pubsub stream closed "
                  "(the reason is logged); the router keeps serving others");
  join_line (fixture);
  g_autoptr(SatoriHost) intruder = extra_host (fixture, 1, NULL);
  g_autoptr(GIOStream) stream = raw_stream (fixture, intruder, 1);
  write_bytes (stream, garbage, sizeof garbage);

  GInputStream *input = g_io_stream_get_input_stream (stream);
  g_input_stream_read_async (input, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             satori_test_store_result, &result);
  gssize n = g_input_stream_read_finish (input, satori_test_wait (&result), &error);
  g_assert_cmpint (n, <=, 0);   /* end of stream or reset, never data */

  publish (fixture->routers[0], "t", "still flowing");
  satori_test_wait_length (fixture->received[2], 1, WAIT_LIMIT_S);
  satori_host_close (intruder);
}

static gboolean
sink_has_stream (gpointer data)
{
  return satori_test_sink_get_streams (data)->len > 0;
}

/* Reads everything @stream delivers until it is quiet for 300 ms and
 * counts the messages in it. */
static guint
count_messages (GIOStream *stream)
{
  g_autoptr(SatoriPubsubRpcReader) reader = satori_pubsub_rpc_reader_new (1024 * 1024);
  GInputStream *input = g_io_stream_get_input_stream (stream);
  g_autofree guint8 *buffer = g_malloc (64 * 1024);
  guint messages = 0;

  for (;;)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      guint quiet = g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel,
                                        cancellable);
      g_input_stream_read_async (input, buffer, 64 * 1024, G_PRIORITY_DEFAULT, cancellable,
                                 satori_test_store_result, &result);
      gssize n = g_input_stream_read_finish (input, satori_test_wait (&result), &error);
      if (!g_cancellable_is_cancelled (cancellable))
        g_source_remove (quiet);
      if (n <= 0)
        return messages;
      const guint8 *data = buffer;
      while (n > 0)
        {
          g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
          gsize consumed;
          g_assert_true (satori_pubsub_rpc_reader_feed (reader, data, n, &consumed, &rpc,
                                                        &error));
          data += consumed;
          n -= consumed;
          if (rpc != NULL)
            messages += rpc->n_publish;
        }
    }
}

static void
test_slow_peer (Fixture *fixture, gconstpointer data)
{
  const guint n_messages = 100;
  g_autoptr(SatoriTestSink) sink = satori_test_sink_new ();
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  g_autofree char *payload = g_strnfill (16 * 1024, 'x');
  g_autoptr(GError) error = NULL;

  g_test_summary ("A peer that does not read costs at most the outbound queue limit: "
                  "past the transport's window and the queue, frames to it are dropped");
  g_object_set (fixture->routers[1], "max-queued-bytes", (guint64) 64 * 1024, NULL);
  g_assert_true (satori_pubsub_subscribe (fixture->routers[1], "t", &error));
  g_autoptr(SatoriHost) slow = extra_host (fixture, 1, SATORI_PROTOCOL_HANDLER (sink));
  g_autoptr(GIOStream) stream = raw_stream (fixture, slow, 1);
  satori_pubsub_rpc_writer_add_subscription (writer, "t", TRUE);
  g_autoptr(GBytes) subscription = satori_pubsub_rpc_writer_finish (writer);
  write_bytes (stream, g_bytes_get_data (subscription, NULL),
               g_bytes_get_size (subscription));
  wait_topic_peers (fixture->routers[1], "t", 1);
  satori_test_wait_until (sink_has_stream, sink, WAIT_LIMIT_S);

  for (guint i = 0; i < n_messages; i++)
    publish (fixture->routers[1], "t", payload);
  /* Let the writes fill what the transport takes. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  guint got = count_messages (g_ptr_array_index (satori_test_sink_get_streams (sink), 0));
  g_test_message ("the slow peer got %u of %u messages", got, n_messages);
  g_assert_cmpuint (got, >, 0);
  g_assert_cmpuint (got, <, n_messages);
  satori_host_close (slow);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pubsub/router/line", test_line);
  ADD ("/pubsub/router/validators", test_validators);
  ADD ("/pubsub/router/validator-accepts-at-once", test_validator_accepts_at_once);
  ADD ("/pubsub/router/disconnect", test_disconnect);
  ADD ("/pubsub/router/malformed-closes", test_malformed_closes);
  ADD ("/pubsub/router/slow-peer", test_slow_peer);
#undef ADD
  return g_test_run ();
}
