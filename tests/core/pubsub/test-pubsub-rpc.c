/* Tests of the pubsub RPC frame writer and reader: what the writer
 * composes decodes to the same fields, in any split of the input; frames
 * over the limit and malformed protobuf are errors.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-pubsub-error.h"
#include "satori-pubsub-rpc-reader.h"
#include "satori-pubsub-rpc-writer.h"
#include "satori-pubsub-signing.h"

static GBytes *
sample_frame (void)
{
  g_autoptr(SatoriPubsubRpcWriter) writer = satori_pubsub_rpc_writer_new ();
  g_autoptr(GBytes) data = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) message = satori_pubsub_build_message ("news", data, NULL, NULL, NULL);
  Satori__Pubsub__ControlMessage control = SATORI__PUBSUB__CONTROL_MESSAGE__INIT;
  Satori__Pubsub__ControlGraft graft = SATORI__PUBSUB__CONTROL_GRAFT__INIT;
  Satori__Pubsub__ControlGraft *grafts[] = { &graft };

  g_assert_true (satori_pubsub_rpc_writer_is_empty (writer));
  satori_pubsub_rpc_writer_add_subscription (writer, "news", TRUE);
  satori_pubsub_rpc_writer_add_subscription (writer, "old", FALSE);
  satori_pubsub_rpc_writer_add_message (writer, message);
  graft.topicid = (char *) "news";
  control.n_graft = 1;
  control.graft = grafts;
  satori_pubsub_rpc_writer_set_control (writer, &control);
  g_assert_false (satori_pubsub_rpc_writer_is_empty (writer));
  GBytes *frame = satori_pubsub_rpc_writer_finish (writer);
  g_assert_true (satori_pubsub_rpc_writer_is_empty (writer));
  return frame;
}

static void
assert_sample (const Satori__Pubsub__RPC *rpc)
{
  g_assert_cmpuint (rpc->n_subscriptions, ==, 2);
  g_assert_cmpstr (rpc->subscriptions[0]->topicid, ==, "news");
  g_assert_true (rpc->subscriptions[0]->subscribe);
  g_assert_cmpstr (rpc->subscriptions[1]->topicid, ==, "old");
  g_assert_false (rpc->subscriptions[1]->subscribe);
  g_assert_cmpuint (rpc->n_publish, ==, 1);
  g_assert_cmpstr (rpc->publish[0]->topic, ==, "news");
  g_assert_cmpmem (rpc->publish[0]->data.data, rpc->publish[0]->data.len, "hello", 5);
  g_assert_nonnull (rpc->control);
  g_assert_cmpuint (rpc->control->n_graft, ==, 1);
  g_assert_cmpstr (rpc->control->graft[0]->topicid, ==, "news");
}

/* Two frames back to back, fed in chunks of every size from 1 up. */
static void
test_split_input (void)
{
  g_autoptr(GBytes) frame = sample_frame ();
  gsize frame_len;
  const guint8 *frame_data = g_bytes_get_data (frame, &frame_len);
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_byte_array_append (stream, frame_data, frame_len);
  g_byte_array_append (stream, frame_data, frame_len);

  for (gsize chunk = 1; chunk <= stream->len; chunk++)
    {
      g_autoptr(SatoriPubsubRpcReader) reader = satori_pubsub_rpc_reader_new (1024);
      guint count = 0;
      for (gsize offset = 0; offset < stream->len;)
        {
          gsize len = MIN (chunk, stream->len - offset);
          gsize pos = 0;
          while (pos < len)
            {
              g_autoptr(GError) error = NULL;
              g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
              gsize consumed;
              g_assert_true (satori_pubsub_rpc_reader_feed (reader, stream->data + offset + pos,
                                                            len - pos, &consumed, &rpc, &error));
              g_assert_no_error (error);
              pos += consumed;
              if (rpc != NULL)
                {
                  assert_sample (rpc);
                  count++;
                }
            }
          offset += len;
        }
      g_assert_cmpuint (count, ==, 2);
    }
}

/* The limit is known from the prefix: nothing of the payload is needed. */
static void
test_oversized (void)
{
  g_autoptr(GBytes) frame = sample_frame ();
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);
  g_autoptr(SatoriPubsubRpcReader) reader = satori_pubsub_rpc_reader_new (len - 2);
  g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_assert_false (satori_pubsub_rpc_reader_feed (reader, data, 1, &consumed, &rpc, &error));
  g_assert_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_TOO_LARGE);
  g_assert_null (rpc);
}

static void
test_malformed (void)
{
  /* A frame of 2 bytes: field 2 (publish), length 5, but only one byte. */
  static const guint8 bad[] = { 0x02, 0x12, 0x05 };
  g_autoptr(SatoriPubsubRpcReader) reader = satori_pubsub_rpc_reader_new (1024);
  g_autoptr(Satori__Pubsub__RPC) rpc = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_assert_false (satori_pubsub_rpc_reader_feed (reader, bad, sizeof bad, &consumed, &rpc,
                                                 &error));
  g_assert_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_MALFORMED);
  g_assert_null (rpc);

  g_clear_error (&error);
  g_assert_null (satori_pubsub_rpc_decode (bad + 1, 2, 1024, &error));
  g_assert_error (error, SATORI_PUBSUB_ERROR, SATORI_PUBSUB_ERROR_MALFORMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pubsub/rpc/split-input", test_split_input);
  g_test_add_func ("/pubsub/rpc/oversized", test_oversized);
  g_test_add_func ("/pubsub/rpc/malformed", test_malformed);
  return g_test_run ();
}
