/* Fuzz target: the frame decoder and SatoriFrameReader, checked against
 * each other. The first byte picks the reader's chunk sizes, the rest is
 * the stream.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-errors.h"
#include "satori-frame.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAX_FRAME 4096

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  guint chunk_seed = data[0];
  data++;
  size--;

  /* Decode the frames one after another with the pure decoder. */
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) decode_error = NULL;
  gsize pos = 0;
  while (TRUE)
    {
      const guint8 *payload;
      gsize payload_len, consumed;

      if (!satori_frame_decode (data + pos, size - pos, MAX_FRAME, &payload, &payload_len,
                                &consumed, &decode_error))
        break;
      g_assert_cmpuint (payload_len, <=, MAX_FRAME);
      g_assert_cmpuint (consumed, <=, size - pos);
      g_assert_true (payload + payload_len == data + pos + consumed);

      /* Frames are minimal, so encoding the payload gives the same bytes. */
      g_autoptr(GBytes) encoded = satori_frame_encode (payload, payload_len);
      g_assert_cmpmem (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded),
                       data + pos, consumed);
      g_ptr_array_add (frames, g_bytes_new (payload, payload_len));
      pos += consumed;
    }
  g_assert_true (decode_error->domain == SATORI_CODEC_ERROR);

  /* The reader, fed in chunks, must find the same frames and the same end. */
  g_autoptr(SatoriFrameReader) reader = satori_frame_reader_new (MAX_FRAME);
  g_autoptr(GError) reader_error = NULL;
  guint found = 0;
  gsize fed = 0;
  while (fed < size && reader_error == NULL)
    {
      gsize chunk = MIN ((chunk_seed + fed) % 17 + 1, size - fed);
      g_autoptr(GBytes) frame = NULL;
      gsize consumed;

      if (chunk_seed & 0x80)
        chunk = MIN (chunk, satori_frame_reader_get_wanted (reader));
      if (!satori_frame_reader_feed (reader, data + fed, chunk, &consumed, &frame,
                                     &reader_error))
        {
          g_assert_cmpuint (consumed, <=, chunk);
          fed += consumed;
          break;
        }
      g_assert_cmpuint (consumed, <=, chunk);
      if (frame == NULL)
        g_assert_cmpuint (consumed, ==, chunk);
      else
        {
          g_assert_cmpuint (found, <, frames->len);
          g_assert_true (g_bytes_equal (frame, g_ptr_array_index (frames, found)));
          found++;
        }
      fed += consumed;
    }
  g_assert_cmpuint (found, ==, frames->len);

  if (decode_error->code == SATORI_CODEC_ERROR_TRUNCATED)
    {
      /* The stream ended inside a frame: the reader just waits. */
      g_assert_no_error (reader_error);
      g_assert_cmpuint (fed, ==, size);
      g_assert_cmpuint (satori_frame_reader_get_wanted (reader), >=, 1);
    }
  else
    {
      g_assert_error (reader_error, SATORI_CODEC_ERROR, decode_error->code);
      g_assert_cmpuint (satori_frame_reader_get_wanted (reader), ==, 0);
    }
  return 0;
}
