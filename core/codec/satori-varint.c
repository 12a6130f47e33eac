/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-varint.h"

#include "satori-errors.h"

/**
 * satori_varint_encode:
 * @value: a value below 2^63
 * @out: room for %SATORI_VARINT_MAX_BYTES bytes
 *
 * Writes @value as an unsigned varint (7 bits a byte, least significant
 * first, high bit set on every byte but the last).
 *
 * Returns: the number of bytes written
 */
gsize
satori_varint_encode (guint64 value, guint8 out[SATORI_VARINT_MAX_BYTES])
{
  gsize n = 0;

  g_return_val_if_fail (value < (G_GUINT64_CONSTANT (1) << 63), 0);
  while (value >= 0x80)
    {
      out[n++] = (guint8) (value | 0x80);
      value >>= 7;
    }
  out[n++] = (guint8) value;
  return n;
}

/**
 * satori_varint_size:
 * @value: a value below 2^63
 *
 * Returns: how many bytes satori_varint_encode() writes for @value
 */
gsize
satori_varint_size (guint64 value)
{
  gsize n = 1;
  while (value >= 0x80)
    {
      value >>= 7;
      n++;
    }
  return n;
}

/**
 * satori_varint_append:
 * @array: where to append
 * @value: a value below 2^63
 *
 * Appends the varint encoding of @value to @array.
 */
void
satori_varint_append (GByteArray *array, guint64 value)
{
  guint8 buf[SATORI_VARINT_MAX_BYTES];
  g_byte_array_append (array, buf, satori_varint_encode (value, buf));
}

/**
 * satori_varint_decode:
 * @data: bytes that start with a varint
 * @len: how many bytes @data holds
 * @value: (out): the value
 * @consumed: (out): how many bytes the varint took
 * @error: %SATORI_CODEC_ERROR_TRUNCATED when @data ends inside the varint
 *   (read more and try again), %SATORI_CODEC_ERROR_TOO_LARGE past 9 bytes,
 *   %SATORI_CODEC_ERROR_NOT_MINIMAL for a needlessly long encoding
 *
 * Returns: %TRUE when a whole, minimal varint was read
 */
gboolean
satori_varint_decode (const guint8 *data, gsize len, guint64 *value,
                      gsize *consumed, GError **error)
{
  guint64 result = 0;

  for (gsize i = 0; i < len && i < SATORI_VARINT_MAX_BYTES; i++)
    {
      result |= (guint64) (data[i] & 0x7f) << (7 * i);
      if ((data[i] & 0x80) == 0)
        {
          if (data[i] == 0 && i > 0)
            {
              g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_NOT_MINIMAL,
                                   "varint is not minimally encoded");
              return FALSE;
            }
          *value = result;
          *consumed = i + 1;
          return TRUE;
        }
    }
  if (len >= SATORI_VARINT_MAX_BYTES)
    g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE,
                         "varint is longer than 9 bytes");
  else
    g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED,
                         "input ends inside a varint");
  return FALSE;
}
