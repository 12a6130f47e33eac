/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The prefix rules are satori_varint_decode()'s: at most
 * SATORI_VARINT_MAX_BYTES bytes, minimally encoded.
 */
#include "satori-frame-counter.h"

#include "satori-varint.h"

/**
 * satori_frame_counter_init:
 * @counter: a counter
 * @framing: the framing of the stream it follows
 *
 * Starts @counter at the beginning of a stream.
 */
void
satori_frame_counter_init (SatoriFrameCounter *counter, SatoriMessageFraming framing)
{
  *counter = (SatoriFrameCounter) { .framing = framing };
}

/* One byte of a length prefix; FALSE when the prefix is malformed. */
static gboolean
prefix_byte (SatoriFrameCounter *counter, guint8 byte)
{
  counter->length |= (guint64) (byte & 0x7f) << (7 * counter->prefix_bytes);
  counter->prefix_bytes++;
  if (byte & 0x80)
    return counter->prefix_bytes < SATORI_VARINT_MAX_BYTES;
  if (byte == 0 && counter->prefix_bytes > 1)
    return FALSE;
  counter->remaining = counter->length;
  counter->length = 0;
  counter->prefix_bytes = 0;
  return TRUE;
}

static guint
feed_length_prefixed (SatoriFrameCounter *counter, const guint8 *data, gsize len)
{
  guint messages = 0;
  gsize pos = 0;

  while (pos < len)
    {
      if (counter->remaining > 0)
        {
          gsize take = (gsize) MIN (counter->remaining, (guint64) (len - pos));
          pos += take;
          counter->remaining -= take;
          if (counter->remaining == 0)
            messages++;
          continue;
        }
      if (!prefix_byte (counter, data[pos++]))
        {
          counter->stopped = TRUE;
          break;
        }
      /* An empty message ends with its prefix. */
      if (counter->prefix_bytes == 0 && counter->remaining == 0)
        messages++;
    }
  return messages;
}

/**
 * satori_frame_counter_feed:
 * @counter: a counter
 * @data: (array length=len): the next bytes of the stream
 * @len: their length
 *
 * Returns: how many messages ended within @data
 */
guint
satori_frame_counter_feed (SatoriFrameCounter *counter, const guint8 *data, gsize len)
{
  if (counter->stopped || len == 0)
    return 0;
  switch (counter->framing)
    {
    case SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED:
      return feed_length_prefixed (counter, data, len);
    case SATORI_MESSAGE_FRAMING_WHOLE_STREAM:
      /* Counted when it starts: the stream's end is its only delimiter. */
      counter->stopped = TRUE;
      return 1;
    case SATORI_MESSAGE_FRAMING_NONE:
    default:
      return 0;
    }
}
