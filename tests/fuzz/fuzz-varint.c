/* Fuzz target: the unsigned varint decoder.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "satori-errors.h"
#include "satori-varint.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  guint8 out[SATORI_VARINT_MAX_BYTES];
  guint64 value;
  gsize consumed;

  if (satori_varint_decode (data, size, &value, &consumed, &error))
    {
      /* A decoded varint is minimal, so re-encoding gives the same bytes. */
      g_assert_cmpuint (consumed, >=, 1);
      g_assert_cmpuint (consumed, <=, MIN (size, SATORI_VARINT_MAX_BYTES));
      g_assert_cmpuint (value, <, G_GUINT64_CONSTANT (1) << 63);
      g_assert_cmpmem (out, satori_varint_encode (value, out), data, consumed);
      g_assert_cmpuint (satori_varint_size (value), ==, consumed);
    }
  else
    {
      g_assert_true (error->domain == SATORI_CODEC_ERROR);
      /* Need-more only when the input really stopped inside the varint. */
      if (error->code == SATORI_CODEC_ERROR_TRUNCATED)
        g_assert_cmpuint (size, <, SATORI_VARINT_MAX_BYTES);
    }

  /* And the other way: the first 8 bytes, as a value, round-trip. */
  if (size >= 8)
    {
      guint64 v;
      guint64 decoded;
      g_autoptr(GError) round_trip_error = NULL;

      memcpy (&v, data, 8);
      v &= G_MAXINT64;
      gsize n = satori_varint_encode (v, out);
      g_assert_true (satori_varint_decode (out, n, &decoded, &consumed, &round_trip_error));
      g_assert_cmpuint (decoded, ==, v);
      g_assert_cmpuint (consumed, ==, n);
    }
  return 0;
}
