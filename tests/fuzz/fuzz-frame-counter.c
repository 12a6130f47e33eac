/* Fuzz target: SatoriFrameCounter against the frame decoder. The first
 * byte picks the chunk sizes, the rest is the stream: fed in chunks, the
 * counter must count exactly the frames satori_frame_decode() finds one
 * after another, whatever the split and wherever the stream goes bad.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-frame.h"
#include "satori-frame-counter.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  guint chunk_seed = data[0];
  data++;
  size--;

  guint frames = 0;
  gsize pos = 0;
  const guint8 *payload;
  gsize payload_len, consumed;
  while (satori_frame_decode (data + pos, size - pos, G_MAXSIZE, &payload, &payload_len,
                              &consumed, NULL))
    {
      frames++;
      pos += consumed;
    }

  SatoriFrameCounter counter;
  guint counted = 0;
  satori_frame_counter_init (&counter, SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED);
  for (gsize fed = 0; fed < size;)
    {
      gsize chunk = MIN ((chunk_seed + fed) % 23 + 1, size - fed);
      guint found = satori_frame_counter_feed (&counter, data + fed, chunk);
      /* A frame takes at least its one-byte prefix. */
      g_assert_cmpuint (found, <=, chunk);
      counted += found;
      fed += chunk;
    }
  g_assert_cmpuint (counted, ==, frames);

  /* A whole-stream message is one, however it is split. */
  satori_frame_counter_init (&counter, SATORI_MESSAGE_FRAMING_WHOLE_STREAM);
  g_assert_cmpuint (satori_frame_counter_feed (&counter, data, size / 2)
                    + satori_frame_counter_feed (&counter, data + size / 2, size - size / 2),
                    ==, 1);
  return 0;
}
