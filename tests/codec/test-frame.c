/* Tests of length-prefixed framing and SatoriFrameReader.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-errors.h"
#include "satori-frame.h"

static const gsize sizes[] = { 0, 1, 127, 128, 300, 16383, 16384, 70000 };

static guint8 *
make_payload (gsize len, guint8 seed)
{
  guint8 *payload = g_malloc (len + 1);
  for (gsize i = 0; i < len; i++)
    payload[i] = (guint8) (seed + i * 31);
  return payload;
}

static void
test_round_trip (void)
{
  g_test_summary ("Frames of sizes around the varint boundaries decode to their payload, "
                  "consuming prefix and payload exactly");
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *payload = make_payload (sizes[i], (guint8) i);
      g_autoptr(GBytes) frame = satori_frame_encode (payload, sizes[i]);
      g_autoptr(GError) error = NULL;
      const guint8 *decoded;
      gsize decoded_len, consumed, frame_len;
      const guint8 *data = g_bytes_get_data (frame, &frame_len);

      g_assert_true (satori_frame_decode (data, frame_len, sizes[i], &decoded, &decoded_len,
                                          &consumed, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (decoded, decoded_len, payload, sizes[i]);
      g_assert_cmpuint (consumed, ==, frame_len);
      g_assert_true (decoded == data + frame_len - sizes[i]);
    }
}

static void
test_append (void)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();

  g_test_summary ("satori_frame_append() writes prefix and payload after existing bytes");
  g_byte_array_append (array, (const guint8 *) "x", 1);
  satori_frame_append (array, (const guint8 *) "abc", 3);
  satori_frame_append (array, NULL, 0);
  g_assert_cmpmem (array->data, array->len, "x\x03" "abc\x00", 6);
}

static void
test_truncated (void)
{
  g_autofree guint8 *payload = make_payload (300, 7);
  g_autoptr(GBytes) frame = satori_frame_encode (payload, 300);
  gsize frame_len;
  const guint8 *data = g_bytes_get_data (frame, &frame_len);

  g_test_summary ("Every strict prefix of a frame is TRUNCATED (need more input)");
  for (gsize len = 0; len < frame_len; len++)
    {
      g_autoptr(GError) error = NULL;
      const guint8 *decoded = NULL;
      gsize decoded_len = 0, consumed = 0;

      g_assert_false (satori_frame_decode (data, len, 1000, &decoded, &decoded_len,
                                           &consumed, &error));
      g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED);
      g_assert_null (decoded);
    }
}

static void
test_too_large (void)
{
  /* A prefix announcing 1025 bytes, and no payload at all. */
  static const guint8 prefix[] = { 0x81, 0x08 };
  g_autoptr(GError) error = NULL;
  const guint8 *payload;
  gsize payload_len, consumed;

  g_test_summary ("A frame over the maximum is refused from its prefix alone, before "
                  "any payload arrives; exactly the maximum is accepted");
  g_assert_false (satori_frame_decode (prefix, sizeof prefix, 1024, &payload, &payload_len,
                                       &consumed, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* With a maximum of 1025 the same prefix only needs more input. */
  g_assert_false (satori_frame_decode (prefix, sizeof prefix, 1025, &payload, &payload_len,
                                       &consumed, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED);
}

static void
test_not_minimal (void)
{
  static const guint8 data[] = { 0x81, 0x00, 'a' };
  g_autoptr(GError) error = NULL;
  const guint8 *payload;
  gsize payload_len, consumed;

  g_test_summary ("A non-minimal length prefix is refused");
  g_assert_false (satori_frame_decode (data, sizeof data, 1024, &payload, &payload_len,
                                       &consumed, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_NOT_MINIMAL);
}

/* Frames of every test size back to back, followed by nothing. */
static GByteArray *
make_stream (void)
{
  GByteArray *stream = g_byte_array_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *payload = make_payload (sizes[i], (guint8) i);
      satori_frame_append (stream, payload, sizes[i]);
    }
  return stream;
}

static void
test_reader_chunks (void)
{
  g_autoptr(GByteArray) stream = make_stream ();

  g_test_summary ("The reader rebuilds the same frames whatever the chunk size");
  for (gsize chunk = 1; chunk <= stream->len; chunk = chunk < 16 ? chunk + 1 : chunk * 3)
    {
      g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (100000);
      gsize next = 0;

      for (gsize pos = 0; pos < stream->len; pos += chunk)
        {
          const guint8 *data = stream->data + pos;
          gsize len = MIN (chunk, stream->len - pos);

          while (TRUE)
            {
              g_autoptr(GBytes) frame = NULL;
              g_autoptr(GError) error = NULL;
              gsize consumed;

              g_assert_true (satori_frame_reader_feed (reader, data, len, &consumed,
                                                       &frame, &error));
              g_assert_no_error (error);
              g_assert_cmpuint (consumed, <=, len);
              if (frame == NULL)
                {
                  g_assert_cmpuint (consumed, ==, len);
                  break;
                }
              g_autofree guint8 *expected = make_payload (sizes[next], (guint8) next);
              g_assert_cmpmem (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame),
                               expected, sizes[next]);
              next++;
              data += consumed;
              len -= consumed;
            }
        }
      g_assert_cmpuint (next, ==, G_N_ELEMENTS (sizes));
    }
}

static void
test_reader_stops_at_frame_end (void)
{
  g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (64);
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;
  static const guint8 data[] = "\x05hello\x03" "abcTRAILING";

  g_test_summary ("The reader takes nothing past the end of the frame it completes");
  g_assert_true (satori_frame_reader_feed (reader, data, sizeof data - 1, &consumed,
                                           &frame, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, 6);
  g_assert_cmpmem (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), "hello", 5);
  g_clear_pointer (&frame, g_bytes_unref);

  g_assert_true (satori_frame_reader_feed (reader, data + 6, sizeof data - 1 - 6, &consumed,
                                           &frame, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, 4);
  g_assert_cmpmem (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), "abc", 3);
}

static void
test_reader_empty_frame (void)
{
  g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (0);
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("A zero-length frame comes out as soon as its prefix is read");
  g_assert_true (satori_frame_reader_feed (reader, (const guint8 *) "\x00\x00", 2, &consumed,
                                           &frame, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, 1);
  g_assert_nonnull (frame);
  g_assert_cmpuint (g_bytes_get_size (frame), ==, 0);
}

static void
test_reader_too_large (void)
{
  g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (1024);
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;
  /* 2^40, then a megabyte's worth would follow. */
  static const guint8 data[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 'x', 'x' };

  g_test_summary ("The reader fails on an oversized prefix before buffering any payload, "
                  "and stays failed");
  g_assert_false (satori_frame_reader_feed (reader, data, sizeof data, &consumed,
                                            &frame, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
  g_assert_cmpuint (consumed, ==, 6);
  g_assert_null (frame);
  g_assert_cmpuint (satori_frame_reader_get_wanted (reader), ==, 0);
  g_clear_error (&error);

  g_assert_false (satori_frame_reader_feed (reader, (const guint8 *) "\x01x", 2, &consumed,
                                            &frame, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
  g_assert_cmpuint (consumed, ==, 0);
}

static void
test_reader_bad_prefix (void)
{
  static const guint8 not_minimal[] = { 0x80, 0x00 };
  static const guint8 too_long[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 };

  g_test_summary ("The reader refuses non-minimal and over-long prefixes");
  {
    g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (1024);
    g_autoptr(GBytes) frame = NULL;
    g_autoptr(GError) error = NULL;
    gsize consumed;

    g_assert_false (satori_frame_reader_feed (reader, not_minimal, sizeof not_minimal,
                                              &consumed, &frame, &error));
    g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_NOT_MINIMAL);
  }
  {
    g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (G_MAXSIZE);
    g_autoptr(GBytes) frame = NULL;
    g_autoptr(GError) error = NULL;
    gsize consumed;

    g_assert_false (satori_frame_reader_feed (reader, too_long, sizeof too_long,
                                              &consumed, &frame, &error));
    g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
    g_assert_cmpuint (consumed, ==, 9);
  }
}

static void
test_reader_wanted (void)
{
  g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (1000);
  g_autofree guint8 *payload = make_payload (300, 1);
  g_autoptr(GBytes) encoded = satori_frame_encode (payload, 300);
  const guint8 *data = g_bytes_get_data (encoded, NULL);
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("get_wanted() asks for the prefix a byte at a time, then the exact "
                  "rest of the payload");
  g_assert_cmpuint (satori_frame_reader_get_wanted (reader), ==, 1);
  g_assert_true (satori_frame_reader_feed (reader, data, 1, &consumed, &frame, &error));
  g_assert_cmpuint (satori_frame_reader_get_wanted (reader), ==, 1);
  g_assert_true (satori_frame_reader_feed (reader, data + 1, 1, &consumed, &frame, &error));
  g_assert_cmpuint (satori_frame_reader_get_wanted (reader), ==, 300);
  g_assert_true (satori_frame_reader_feed (reader, data + 2, 100, &consumed, &frame, &error));
  g_assert_null (frame);
  g_assert_cmpuint (satori_frame_reader_get_wanted (reader), ==, 200);
  g_assert_true (satori_frame_reader_feed (reader, data + 102, 200, &consumed, &frame, &error));
  g_assert_no_error (error);
  g_assert_nonnull (frame);
  g_assert_cmpmem (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), payload, 300);
  g_assert_cmpuint (satori_frame_reader_get_wanted (reader), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/frame/round-trip", test_round_trip);
  g_test_add_func ("/codec/frame/append", test_append);
  g_test_add_func ("/codec/frame/truncated", test_truncated);
  g_test_add_func ("/codec/frame/too-large", test_too_large);
  g_test_add_func ("/codec/frame/not-minimal", test_not_minimal);
  g_test_add_func ("/codec/frame/reader/chunks", test_reader_chunks);
  g_test_add_func ("/codec/frame/reader/stops-at-frame-end", test_reader_stops_at_frame_end);
  g_test_add_func ("/codec/frame/reader/empty-frame", test_reader_empty_frame);
  g_test_add_func ("/codec/frame/reader/too-large", test_reader_too_large);
  g_test_add_func ("/codec/frame/reader/bad-prefix", test_reader_bad_prefix);
  g_test_add_func ("/codec/frame/reader/wanted", test_reader_wanted);

  return g_test_run ();
}
