/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-frame.h"

#include <string.h>

#include "satori-errors.h"
#include "satori-varint.h"

/**
 * satori_frame_append:
 * @array: where to append
 * @payload: (array length=len) (nullable): the frame's payload
 * @len: its size
 *
 * Appends a frame (the varint of @len, then @payload) to @array.
 */
void
satori_frame_append (GByteArray *array, const guint8 *payload, gsize len)
{
  g_return_if_fail (array != NULL);
  g_return_if_fail (payload != NULL || len == 0);

  satori_varint_append (array, len);
  if (len > 0)
    g_byte_array_append (array, payload, len);
}

/**
 * satori_frame_encode:
 * @payload: (array length=len) (nullable): the frame's payload
 * @len: its size
 *
 * Returns: (transfer full): the frame: the varint of @len, then @payload
 */
GBytes *
satori_frame_encode (const guint8 *payload, gsize len)
{
  g_return_val_if_fail (payload != NULL || len == 0, NULL);

  GByteArray *array = g_byte_array_sized_new (len + SATORI_VARINT_MAX_BYTES);
  satori_frame_append (array, payload, len);
  return g_byte_array_free_to_bytes (array);
}

static gboolean
check_size (guint64 size, gsize max_size, GError **error)
{
  if (size > max_size)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE,
                   "frame of %" G_GUINT64_FORMAT " bytes is over the limit of %"
                   G_GSIZE_FORMAT " bytes", size, max_size);
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_frame_decode:
 * @data: (array length=len): bytes that start with a frame
 * @len: how many bytes @data holds
 * @max_size: the largest payload to accept
 * @payload: (out) (transfer none): where the payload starts, inside @data
 * @payload_len: (out): the payload's size
 * @consumed: (out): the size of the whole frame, prefix included
 * @error: %SATORI_CODEC_ERROR_TRUNCATED when @data ends inside the frame
 *   (read more and try again), %SATORI_CODEC_ERROR_TOO_LARGE when the
 *   prefix announces more than @max_size bytes (known from the prefix
 *   alone), or a varint error
 *
 * Decodes the frame at the start of @data without copying it.
 *
 * Returns: %TRUE when @data starts with a whole frame
 */
gboolean
satori_frame_decode (const guint8 *data, gsize len, gsize max_size,
                     const guint8 **payload, gsize *payload_len,
                     gsize *consumed, GError **error)
{
  guint64 size;
  gsize prefix;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (payload != NULL && payload_len != NULL && consumed != NULL, FALSE);

  if (!satori_varint_decode (data, len, &size, &prefix, error))
    return FALSE;
  if (!check_size (size, max_size, error))
    return FALSE;
  if (len - prefix < size)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TRUNCATED,
                   "input ends inside a frame (%" G_GSIZE_FORMAT " of %"
                   G_GUINT64_FORMAT " bytes)", len - prefix, size);
      return FALSE;
    }
  *payload = data + prefix;
  *payload_len = size;
  *consumed = prefix + size;
  return TRUE;
}

struct _SatoriFrameReader
{
  gsize max_size;
  guint8 prefix[SATORI_VARINT_MAX_BYTES];
  gsize prefix_len;
  gboolean in_payload;
  guint8 *payload;
  gsize payload_size;
  gsize payload_have;
  GError *error;    /* set once the stream is broken */
};

/**
 * satori_frame_reader_new:
 * @max_size: the largest payload to accept
 *
 * Returns: (transfer full): a reader waiting for the first frame
 */
SatoriFrameReader *
satori_frame_reader_new (gsize max_size)
{
  SatoriFrameReader *reader = g_new0 (SatoriFrameReader, 1);
  reader->max_size = max_size;
  return reader;
}

/**
 * satori_frame_reader_free:
 * @reader: (transfer full) (nullable): a reader
 *
 * Frees @reader and any partial frame it holds.
 */
void
satori_frame_reader_free (SatoriFrameReader *reader)
{
  if (reader == NULL)
    return;
  g_free (reader->payload);
  g_clear_error (&reader->error);
  g_free (reader);
}

static GBytes *
take_frame (SatoriFrameReader *reader)
{
  GBytes *frame = g_bytes_new_take (g_steal_pointer (&reader->payload),
                                    reader->payload_size);
  reader->prefix_len = 0;
  reader->in_payload = FALSE;
  reader->payload_size = 0;
  reader->payload_have = 0;
  return frame;
}

/* Takes one prefix byte; on a complete prefix, sizes the payload buffer. */
static gboolean
feed_prefix_byte (SatoriFrameReader *reader, guint8 byte, GError **error)
{
  guint64 size;
  gsize used;

  reader->prefix[reader->prefix_len++] = byte;
  if ((byte & 0x80) != 0 && reader->prefix_len < SATORI_VARINT_MAX_BYTES)
    return TRUE;
  /* The prefix is complete, or too long: the decoder says which. */
  if (!satori_varint_decode (reader->prefix, reader->prefix_len, &size, &used, error))
    return FALSE;
  if (!check_size (size, reader->max_size, error))
    return FALSE;
  reader->in_payload = TRUE;
  reader->payload_size = size;
  reader->payload = size > 0 ? g_malloc (size) : NULL;
  return TRUE;
}

/**
 * satori_frame_reader_feed:
 * @reader: a reader
 * @data: (array length=len): the next bytes of the stream
 * @len: how many bytes @data holds
 * @consumed: (out): how many bytes of @data the reader took
 * @frame: (out) (transfer full) (nullable): the payload of the frame that
 *   these bytes completed, or %NULL
 * @error: a %SATORI_CODEC_ERROR: %SATORI_CODEC_ERROR_TOO_LARGE for a frame
 *   over the maximum size (detected from the prefix alone, before its
 *   payload is buffered), or a varint error
 *
 * Feeds the next bytes of a stream. When they complete a frame, the reader
 * stops right after it and returns it in @frame; feed it the rest of @data
 * (from @consumed on) to read the next one. Otherwise it takes all of
 * @data and sets @frame to %NULL.
 *
 * After an error the stream is out of step; every later call fails again.
 *
 * Returns: %FALSE on error
 */
gboolean
satori_frame_reader_feed (SatoriFrameReader *reader, const guint8 *data, gsize len,
                          gsize *consumed, GBytes **frame, GError **error)
{
  gsize pos = 0;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (consumed != NULL && frame != NULL, FALSE);

  *consumed = 0;
  *frame = NULL;
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_error_copy (reader->error));
      return FALSE;
    }

  while (pos < len)
    {
      if (!reader->in_payload)
        {
          if (!feed_prefix_byte (reader, data[pos++], &reader->error))
            {
              *consumed = pos;
              g_propagate_error (error, g_error_copy (reader->error));
              return FALSE;
            }
        }
      else
        {
          gsize n = MIN (len - pos, reader->payload_size - reader->payload_have);
          memcpy (reader->payload + reader->payload_have, data + pos, n);
          reader->payload_have += n;
          pos += n;
        }
      /* Also true right after the prefix of an empty frame. */
      if (reader->in_payload && reader->payload_have == reader->payload_size)
        {
          *frame = take_frame (reader);
          break;
        }
    }
  *consumed = pos;
  return TRUE;
}

/**
 * satori_frame_reader_get_wanted:
 * @reader: a reader
 *
 * How many bytes the reader can take next without reaching past the end
 * of the current frame: 1 while it reads the length prefix, the rest of
 * the payload after that. A stream adapter that must leave the bytes
 * after a frame unread reads exactly this many.
 *
 * Returns: the number of bytes, or 0 after an error
 */
gsize
satori_frame_reader_get_wanted (SatoriFrameReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  if (reader->error != NULL)
    return 0;
  if (reader->in_payload)
    return reader->payload_size - reader->payload_have;
  return 1;
}
