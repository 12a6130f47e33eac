/* The host counts the streams of every protocol, their application bytes
 * each way and, for protocols whose framing is registered, their
 * messages: two hosts (memory transport, plaintext, yamux) exchange
 * messages of known sizes and both count them exactly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-test-host.h"
#include "satori-test-sink.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);

#define WAIT_LIMIT_S 20

typedef struct
{
  const char *protocol;
  SatoriMessageFraming framing;
} Case;

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *dialer;
  SatoriHost *listener;
  SatoriTestSink *sink;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_no_error (error);

  const char *ids[] = { test_case->protocol, NULL };
  satori_message_framing_register (ids, test_case->framing);
  fixture->listener = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->dialer = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->sink = satori_test_sink_new ();
  satori_host_set_handler (fixture->listener, test_case->protocol,
                           SATORI_PROTOCOL_HANDLER (fixture->sink));

  g_autoptr(SatoriMultiaddr) address = satori_test_listen_address (fixture->listener,
                                                                   "/memory/0");
  g_autoptr(SatoriMultiaddr) full =
    satori_test_address_with_peer (address, satori_host_get_peer_id (fixture->listener));
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->dialer, full, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_host_close (fixture->dialer);
  satori_host_close (fixture->listener);
  g_object_unref (fixture->sink);
  g_object_unref (fixture->dialer);
  g_object_unref (fixture->listener);
  g_object_unref (fixture->registry);
}

/* Writes @messages (NULL-terminated) each with a length prefix, as one
 * buffer per message, and returns the bytes written. */
static gsize
write_frames (GIOStream *stream, const char * const *messages)
{
  gsize total = 0;

  for (guint i = 0; messages[i] != NULL; i++)
    {
      g_autoptr(GBytes) frame = satori_frame_encode ((const guint8 *) messages[i],
                                                     strlen (messages[i]));
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;
      const guint8 *data = g_bytes_get_data (frame, &len);

      g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, len,
                                       G_PRIORITY_DEFAULT, NULL, satori_test_store_result,
                                       &result);
      g_assert_true (g_output_stream_write_all_finish (g_io_stream_get_output_stream (stream),
                                                       satori_test_wait (&result), NULL,
                                                       &error));
      g_assert_no_error (error);
      total += len;
    }
  return total;
}

static void
close_output (GIOStream *stream)
{
  g_autoptr(GAsyncResult) closed = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *output = g_io_stream_get_output_stream (stream);

  g_output_stream_close_async (output, G_PRIORITY_DEFAULT, NULL, satori_test_store_result,
                               &closed);
  g_assert_true (g_output_stream_close_finish (output, satori_test_wait (&closed), &error));
  g_assert_no_error (error);
}

/* Reads @stream to its end in small pieces, so that frames arrive split,
 * and returns how many bytes came. */
static gsize
drain (GIOStream *stream)
{
  g_autoptr(GError) error = NULL;
  GInputStream *input = g_io_stream_get_input_stream (stream);
  gsize total = 0;

  while (TRUE)
    {
      g_autoptr(GAsyncResult) result = NULL;
      guint8 buffer[7];

      g_input_stream_read_async (input, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                                 satori_test_store_result, &result);
      gssize n = g_input_stream_read_finish (input, satori_test_wait (&result), &error);
      g_assert_no_error (error);
      if (n == 0)
        return total;
      total += n;
    }
}

static void
assert_traffic (SatoriHost *host, const char *protocol, guint64 streams_in, guint64 streams_out,
                guint64 bytes_in, guint64 bytes_out, guint64 messages_in, guint64 messages_out)
{
  g_autoptr(GVariant) streams = g_variant_ref_sink (satori_host_get_stream_counts (host));
  g_autoptr(GVariant) traffic = g_variant_ref_sink (satori_host_get_protocol_traffic (host));
  guint64 inbound, outbound, received, sent, received_messages, sent_messages;

  g_assert_true (g_variant_lookup (streams, protocol, "(tt)", &inbound, &outbound));
  g_assert_cmpuint (inbound, ==, streams_in);
  g_assert_cmpuint (outbound, ==, streams_out);
  g_assert_true (g_variant_lookup (traffic, protocol, "(tttt)", &received, &sent,
                                   &received_messages, &sent_messages));
  g_assert_cmpuint (received, ==, bytes_in);
  g_assert_cmpuint (sent, ==, bytes_out);
  g_assert_cmpuint (received_messages, ==, messages_in);
  g_assert_cmpuint (sent_messages, ==, messages_out);
}

static void
test_exchange (Fixture *fixture, gconstpointer data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  /* 300 bytes take a two-byte length prefix; an empty message is a prefix alone. */
  g_autofree char *long_message = g_strnfill (300, 'x');
  const char *requests[] = { "hello", "", long_message, NULL };
  const char *responses[] = { "0123456789", "", NULL };
  const char *protocols[] = { test_case->protocol, NULL };
  guint64 request_messages = 0, response_messages = 0;

  g_test_summary ("Bytes and messages of one stream are counted exactly on both hosts, "
                  "each way, by protocol; negotiation bytes are not");

  satori_host_new_stream_async (fixture->dialer, satori_host_get_peer_id (fixture->listener),
                                protocols, NULL, satori_test_store_result, &opened);
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (fixture->dialer,
                                                               satori_test_wait (&opened), NULL,
                                                               &error);
  g_assert_no_error (error);
  gsize request_bytes = write_frames (stream, requests);
  g_assert_cmpuint (request_bytes, ==, (1 + 5) + (1 + 0) + (2 + 300));

  GPtrArray *accepted = satori_test_sink_get_streams (fixture->sink);
  satori_test_wait_length (accepted, 1, WAIT_LIMIT_S);
  GIOStream *inbound = g_ptr_array_index (accepted, 0);
  gsize response_bytes = write_frames (inbound, responses);
  close_output (stream);
  close_output (inbound);
  g_assert_cmpuint (drain (inbound), ==, request_bytes);
  g_assert_cmpuint (drain (stream), ==, response_bytes);

  switch (test_case->framing)
    {
    case SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED:
      request_messages = 3;
      response_messages = 2;
      break;
    case SATORI_MESSAGE_FRAMING_WHOLE_STREAM:
      request_messages = response_messages = 1;
      break;
    case SATORI_MESSAGE_FRAMING_NONE:
    default:
      break;
    }
  assert_traffic (fixture->listener, test_case->protocol, 1, 0, request_bytes, response_bytes,
                  request_messages, response_messages);
  assert_traffic (fixture->dialer, test_case->protocol, 0, 1, response_bytes, request_bytes,
                  response_messages, request_messages);
}

static const Case length_prefixed = { "/test/frames/1.0.0", SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED };
static const Case whole_stream = { "/test/whole/1.0.0", SATORI_MESSAGE_FRAMING_WHOLE_STREAM };
static const Case unframed = { "/test/raw/1.0.0", SATORI_MESSAGE_FRAMING_NONE };

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/host/stream-counts/length-prefixed", Fixture, &length_prefixed,
              fixture_set_up, test_exchange, fixture_tear_down);
  g_test_add ("/host/stream-counts/whole-stream", Fixture, &whole_stream, fixture_set_up,
              test_exchange, fixture_tear_down);
  g_test_add ("/host/stream-counts/unframed", Fixture, &unframed, fixture_set_up,
              test_exchange, fixture_tear_down);
  return g_test_run ();
}
