/* Tests of the unsigned varint codec.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-errors.h"
#include "satori-varint.h"

static void
assert_decode_error (const guint8 *data, gsize len, int code)
{
  g_autoptr(GError) error = NULL;
  guint64 value = 42;
  gsize consumed = 42;

  g_assert_false (satori_varint_decode (data, len, &value, &consumed, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, code);
  g_assert_cmpuint (value, ==, 42);
  g_assert_cmpuint (consumed, ==, 42);
}

static void
test_vectors (void)
{
  /* From the multiformats unsigned-varint spec. */
  static const struct {
    guint64 value;
    const char *bytes;
    gsize len;
  } vectors[] = {
    { 1, "\x01", 1 },
    { 127, "\x7f", 1 },
    { 128, "\x80\x01", 2 },
    { 255, "\xff\x01", 2 },
    { 300, "\xac\x02", 2 },
    { 16384, "\x80\x80\x01", 3 },
  };

  g_test_summary ("Known encodings from the unsigned-varint spec");
  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      guint8 out[SATORI_VARINT_MAX_BYTES];
      g_autoptr(GError) error = NULL;
      guint64 value;
      gsize consumed;

      g_assert_cmpmem (out, satori_varint_encode (vectors[i].value, out),
                       vectors[i].bytes, vectors[i].len);
      g_assert_true (satori_varint_decode ((const guint8 *) vectors[i].bytes, vectors[i].len,
                                           &value, &consumed, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (value, ==, vectors[i].value);
      g_assert_cmpuint (consumed, ==, vectors[i].len);
    }
}

static void
test_boundaries (void)
{
  g_test_summary ("Values on each side of every byte-count boundary round-trip, "
                  "with the size satori_varint_size() predicts");
  for (guint bits = 0; bits <= 63; bits++)
    {
      guint64 edge = G_GUINT64_CONSTANT (1) << bits;
      guint64 values[] = { edge - 1, edge, edge + 1 };

      for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
        {
          guint64 v = values[i];
          guint8 out[SATORI_VARINT_MAX_BYTES];
          g_autoptr(GError) error = NULL;
          guint64 decoded;
          gsize consumed;

          if (v >= G_GUINT64_CONSTANT (1) << 63)
            continue;
          gsize n = satori_varint_encode (v, out);
          g_assert_cmpuint (n, ==, satori_varint_size (v));
          g_assert_cmpuint (n, ==, v == 0 ? 1 : (g_bit_nth_msf (v, -1) / 7) + 1);
          g_assert_true (satori_varint_decode (out, n, &decoded, &consumed, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (decoded, ==, v);
          g_assert_cmpuint (consumed, ==, n);
        }
    }
}

static void
test_max_bytes (void)
{
  static const guint8 max[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
  static const guint8 too_long[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
  guint8 out[SATORI_VARINT_MAX_BYTES];
  g_autoptr(GError) error = NULL;
  guint64 value;
  gsize consumed;

  g_test_summary ("2^63-1 takes the full 9 bytes; a 10th byte is refused as TOO_LARGE");
  g_assert_cmpmem (out, satori_varint_encode (G_MAXINT64, out), max, sizeof max);
  g_assert_true (satori_varint_decode (max, sizeof max, &value, &consumed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (value, ==, G_MAXINT64);
  g_assert_cmpuint (consumed, ==, 9);

  /* The 9th byte still has its continuation bit: already too long,
   * whether or not a 10th byte is there. */
  assert_decode_error (too_long, 9, SATORI_CODEC_ERROR_TOO_LARGE);
  assert_decode_error (too_long, sizeof too_long, SATORI_CODEC_ERROR_TOO_LARGE);
}

static void
test_minimal (void)
{
  static const guint8 zero[] = { 0x00 };
  static const guint8 zero_long[] = { 0x80, 0x00 };
  static const guint8 one_long[] = { 0x81, 0x00 };
  static const guint8 wide[] = { 0xff, 0x80, 0x80, 0x00 };
  g_autoptr(GError) error = NULL;
  guint64 value;
  gsize consumed;

  g_test_summary ("A trailing zero byte makes an encoding non-minimal and is refused; "
                  "a lone zero is minimal");
  g_assert_true (satori_varint_decode (zero, sizeof zero, &value, &consumed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (value, ==, 0);
  g_assert_cmpuint (consumed, ==, 1);

  assert_decode_error (zero_long, sizeof zero_long, SATORI_CODEC_ERROR_NOT_MINIMAL);
  assert_decode_error (one_long, sizeof one_long, SATORI_CODEC_ERROR_NOT_MINIMAL);
  assert_decode_error (wide, sizeof wide, SATORI_CODEC_ERROR_NOT_MINIMAL);
}

static void
test_truncated (void)
{
  guint8 out[SATORI_VARINT_MAX_BYTES];
  gsize n = satori_varint_encode (G_MAXINT64, out);

  g_test_summary ("Every strict prefix of a varint (the empty one too) is TRUNCATED");
  for (gsize len = 0; len < n; len++)
    assert_decode_error (out, len, SATORI_CODEC_ERROR_TRUNCATED);
  assert_decode_error ((const guint8 *) "\x80", 1, SATORI_CODEC_ERROR_TRUNCATED);
}

static void
test_trailing (void)
{
  static const guint8 data[] = { 0xac, 0x02, 0x05, 0xff };
  g_autoptr(GError) error = NULL;
  guint64 value;
  gsize consumed;

  g_test_summary ("Decoding stops at the end of the varint, leaving what follows");
  g_assert_true (satori_varint_decode (data, sizeof data, &value, &consumed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (value, ==, 300);
  g_assert_cmpuint (consumed, ==, 2);
}

static void
test_append (void)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();

  g_test_summary ("satori_varint_append() appends after existing bytes");
  g_byte_array_append (array, (const guint8 *) "x", 1);
  satori_varint_append (array, 300);
  satori_varint_append (array, 0);
  g_assert_cmpmem (array->data, array->len, "x\xac\x02\x00", 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/varint/vectors", test_vectors);
  g_test_add_func ("/codec/varint/boundaries", test_boundaries);
  g_test_add_func ("/codec/varint/max-bytes", test_max_bytes);
  g_test_add_func ("/codec/varint/minimal", test_minimal);
  g_test_add_func ("/codec/varint/truncated", test_truncated);
  g_test_add_func ("/codec/varint/trailing", test_trailing);
  g_test_add_func ("/codec/varint/append", test_append);

  return g_test_run ();
}
