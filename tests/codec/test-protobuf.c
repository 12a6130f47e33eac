/* Tests of the protobuf-c helpers, with a message type compiled from
 * codec-test.proto.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "codec-test.pb-c.h"
#include "satori-errors.h"
#include "satori-protobuf.h"

static const uint32_t values[] = { 1, 300, 70000 };

static void
init_record (Satori__Test__Record *record)
{
  satori__test__record__init (record);
  record->name = (char *) "peer";
  record->n_values = G_N_ELEMENTS (values);
  record->values = (uint32_t *) values;
  record->has_blob = TRUE;
  record->blob.data = (uint8_t *) "\x00\x01\x02";
  record->blob.len = 3;
}

static void
assert_record (const ProtobufCMessage *message)
{
  const Satori__Test__Record *record = (const Satori__Test__Record *) message;

  g_assert_nonnull (message);
  g_assert_true (message->descriptor == &satori__test__record__descriptor);
  g_assert_cmpstr (record->name, ==, "peer");
  g_assert_cmpmem (record->values, record->n_values * sizeof (uint32_t), values, sizeof values);
  g_assert_true (record->has_blob);
  g_assert_cmpmem (record->blob.data, record->blob.len, "\x00\x01\x02", 3);
}

static void
test_round_trip (void)
{
  Satori__Test__Record record;
  g_autoptr(GError) error = NULL;
  gsize size, consumed = 0;

  g_test_summary ("A message packed with its length prefix unpacks to the same fields, "
                  "consuming prefix and body");
  init_record (&record);
  g_autoptr(GBytes) packed = satori_protobuf_pack_delimited (&record.base);
  const guint8 *data = g_bytes_get_data (packed, &size);
  g_assert_cmpuint (data[0], ==, protobuf_c_message_get_packed_size (&record.base));

  ProtobufCMessage *message = satori_protobuf_unpack_delimited (&satori__test__record__descriptor,
                                                                data, size, 1024, &consumed,
                                                                &error);
  g_assert_no_error (error);
  assert_record (message);
  g_assert_cmpuint (consumed, ==, size);
  protobuf_c_message_free_unpacked (message, NULL);
}

static void
test_pack (void)
{
  Satori__Test__Record record;
  g_autoptr(GError) error = NULL;
  gsize size;

  g_test_summary ("satori_protobuf_pack() gives the body alone, and it unpacks");
  init_record (&record);
  g_autoptr(GBytes) body = satori_protobuf_pack (&record.base);
  g_autoptr(GBytes) delimited = satori_protobuf_pack_delimited (&record.base);
  const guint8 *data = g_bytes_get_data (body, &size);
  g_assert_cmpmem (data, size, (const guint8 *) g_bytes_get_data (delimited, NULL) + 1,
                   g_bytes_get_size (delimited) - 1);

  ProtobufCMessage *message = satori_protobuf_unpack (&satori__test__record__descriptor,
                                                      data, size, size, &error);
  g_assert_no_error (error);
  assert_record (message);
  protobuf_c_message_free_unpacked (message, NULL);
}

static void
test_stream (void)
{
  Satori__Test__Record record;
  g_autoptr(GByteArray) array = g_byte_array_new ();
  gsize pos = 0;

  g_test_summary ("Messages appended back to back unpack one after the other");
  init_record (&record);
  satori_protobuf_append_delimited (array, &record.base);
  satori_protobuf_append_delimited (array, &record.base);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      gsize consumed;
      ProtobufCMessage *message =
        satori_protobuf_unpack_delimited (&satori__test__record__descriptor, array->data + pos,
                                          array->len - pos, 1024, &consumed, &error);
      g_assert_no_error (error);
      assert_record (message);
      protobuf_c_message_free_unpacked (message, NULL);
      pos += consumed;
    }
  g_assert_cmpuint (pos, ==, array->len);
}

static void
expect_unpack_error (const guint8 *data, gsize len, gsize max_size, gboolean delimited,
                     int code)
{
  g_autoptr(GError) error = NULL;
  gsize consumed = 12345;
  ProtobufCMessage *message;

  if (delimited)
    message = satori_protobuf_unpack_delimited (&satori__test__record__descriptor, data, len,
                                                max_size, &consumed, &error);
  else
    message = satori_protobuf_unpack (&satori__test__record__descriptor, data, len, max_size,
                                      &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_CODEC_ERROR, code);
  g_assert_cmpuint (consumed, ==, 12345);
}

static void
test_malformed (void)
{
  /* Field 1 (name) as a 5-byte string with only 2 bytes present. */
  static const guint8 short_string[] = { 0x0a, 0x05, 'a', 'b' };
  /* Field 2 (values) as a varint that never ends. */
  static const guint8 endless[] = { 0x0a, 0x01, 'a', 0x10, 0xff, 0xff };
  /* Well-formed, but the required name is missing. */
  static const guint8 no_name[] = { 0x10, 0x01 };
  /* Wire type 7 does not exist. */
  static const guint8 bad_wire_type[] = { 0x0f };

  g_test_summary ("Bytes protobuf-c refuses give MALFORMED, with or without a prefix");
  expect_unpack_error (short_string, sizeof short_string, 1024, FALSE, SATORI_CODEC_ERROR_MALFORMED);
  expect_unpack_error (endless, sizeof endless, 1024, FALSE, SATORI_CODEC_ERROR_MALFORMED);
  expect_unpack_error (no_name, sizeof no_name, 1024, FALSE, SATORI_CODEC_ERROR_MALFORMED);
  expect_unpack_error (bad_wire_type, sizeof bad_wire_type, 1024, FALSE,
                       SATORI_CODEC_ERROR_MALFORMED);

  static const guint8 delimited[] = { 0x02, 0x10, 0x01 };
  expect_unpack_error (delimited, sizeof delimited, 1024, TRUE, SATORI_CODEC_ERROR_MALFORMED);
}

static void
test_too_large (void)
{
  Satori__Test__Record record;
  gsize size;

  g_test_summary ("A message over the caller's maximum is TOO_LARGE; a prefixed one is "
                  "refused from its prefix alone");
  init_record (&record);
  g_autoptr(GBytes) packed = satori_protobuf_pack_delimited (&record.base);
  const guint8 *data = g_bytes_get_data (packed, &size);

  expect_unpack_error (data + 1, size - 1, size - 2, FALSE, SATORI_CODEC_ERROR_TOO_LARGE);
  expect_unpack_error (data, size, size - 2, TRUE, SATORI_CODEC_ERROR_TOO_LARGE);
  expect_unpack_error (data, 1, size - 2, TRUE, SATORI_CODEC_ERROR_TOO_LARGE);
}

static void
test_truncated (void)
{
  Satori__Test__Record record;
  gsize size;

  g_test_summary ("Every strict prefix of a prefixed message is TRUNCATED (need more)");
  init_record (&record);
  g_autoptr(GBytes) packed = satori_protobuf_pack_delimited (&record.base);
  const guint8 *data = g_bytes_get_data (packed, &size);
  for (gsize len = 0; len < size; len++)
    expect_unpack_error (data, len, 1024, TRUE, SATORI_CODEC_ERROR_TRUNCATED);
}

static void
test_empty (void)
{
  Satori__Test__Record record;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("An empty required string round-trips; an empty body lacks it and is "
                  "MALFORMED");
  satori__test__record__init (&record);
  record.name = (char *) "";
  g_autoptr(GBytes) packed = satori_protobuf_pack_delimited (&record.base);
  g_assert_cmpmem (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed), "\x02\x0a\x00", 3);

  ProtobufCMessage *message = satori_protobuf_unpack_delimited (&satori__test__record__descriptor,
                                                                g_bytes_get_data (packed, NULL),
                                                                3, 1024, &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((Satori__Test__Record *) message)->name, ==, "");
  g_assert_cmpuint (((Satori__Test__Record *) message)->n_values, ==, 0);
  g_assert_false (((Satori__Test__Record *) message)->has_blob);
  protobuf_c_message_free_unpacked (message, NULL);

  expect_unpack_error ((const guint8 *) "\x00", 1, 1024, TRUE, SATORI_CODEC_ERROR_MALFORMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/protobuf/round-trip", test_round_trip);
  g_test_add_func ("/codec/protobuf/pack", test_pack);
  g_test_add_func ("/codec/protobuf/stream", test_stream);
  g_test_add_func ("/codec/protobuf/malformed", test_malformed);
  g_test_add_func ("/codec/protobuf/too-large", test_too_large);
  g_test_add_func ("/codec/protobuf/truncated", test_truncated);
  g_test_add_func ("/codec/protobuf/empty", test_empty);

  return g_test_run ();
}
