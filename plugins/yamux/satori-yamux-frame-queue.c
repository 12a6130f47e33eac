/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-yamux-frame-queue.h"

#include <string.h>

#include "satori-yamux-session.h"

/* The frame type of data; only data frames carry a payload. */
#define TYPE_DATA 0

static void
frame_queue_clear (gpointer data)
{
  SatoriYamuxFrameQueue *queue = data;
  g_byte_array_unref (queue->bytes);
}

SatoriYamuxFrameQueue *
satori_yamux_frame_queue_new (guint32 stream_id)
{
  SatoriYamuxFrameQueue *queue = g_rc_box_new0 (SatoriYamuxFrameQueue);

  queue->stream_id = stream_id;
  queue->bytes = g_byte_array_new ();
  queue->last_data_pos = -1;
  return queue;
}

SatoriYamuxFrameQueue *
satori_yamux_frame_queue_ref (SatoriYamuxFrameQueue *queue)
{
  return g_rc_box_acquire (queue);
}

void
satori_yamux_frame_queue_unref (SatoriYamuxFrameQueue *queue)
{
  g_rc_box_release_full (queue, frame_queue_clear);
}

static guint32
header_length (const guint8 *header)
{
  guint32 length_be;
  memcpy (&length_be, header + 8, 4);
  return GUINT32_FROM_BE (length_be);
}

/* Frees the space of transmitted bytes: at once when all are, else when
 * they are at least half of the buffer (moving the rest), before more is
 * appended. */
static void
compact (SatoriYamuxFrameQueue *queue, gboolean appending)
{
  if (queue->head == queue->bytes->len)
    {
      g_byte_array_set_size (queue->bytes, 0);
      queue->head = 0;
      queue->last_data_pos = -1;
    }
  else if (appending && queue->head >= 64 * 1024 && queue->head >= queue->bytes->len / 2)
    {
      g_byte_array_remove_range (queue->bytes, 0, queue->head);
      queue->last_data_pos = queue->last_data_pos >= (gssize) queue->head
                               ? queue->last_data_pos - (gssize) queue->head : -1;
      queue->head = 0;
    }
}

static void
append_header (SatoriYamuxFrameQueue *queue, guint8 type, guint16 flags, guint32 id,
               guint32 length)
{
  guint8 header[SATORI_YAMUX_HEADER_SIZE] = { 0, type };
  guint16 flags_be = GUINT16_TO_BE (flags);
  guint32 id_be = GUINT32_TO_BE (id);
  guint32 length_be = GUINT32_TO_BE (length);

  compact (queue, TRUE);
  memcpy (header + 2, &flags_be, 2);
  memcpy (header + 4, &id_be, 4);
  memcpy (header + 8, &length_be, 4);
  queue->last_data_pos = (type == TYPE_DATA && flags == 0) ? (gssize) queue->bytes->len : -1;
  g_byte_array_append (queue->bytes, header, sizeof header);
}

/* Queues a frame without payload; returns its size. */
gsize
satori_yamux_frame_queue_append (SatoriYamuxFrameQueue *queue, guint8 type, guint16 flags,
                                 guint32 id, guint32 length)
{
  append_header (queue, type, flags, id, length);
  return SATORI_YAMUX_HEADER_SIZE;
}

/* The last queued frame, if it is a data frame that nothing has been
 * transmitted of, so it can grow: coalescing. */
static guint8 *
extendable_data_header (SatoriYamuxFrameQueue *queue)
{
  if (queue->last_data_pos < 0 || (gsize) queue->last_data_pos < queue->head)
    return NULL;
  return queue->bytes->data + queue->last_data_pos;
}

/* Queues @data on the queue's stream in frames of at most
 * @max_message_size, growing the last frame first; returns the bytes
 * added, headers included. */
gsize
satori_yamux_frame_queue_append_data (SatoriYamuxFrameQueue *queue, const guint8 *data,
                                      gsize len, guint32 max_message_size)
{
  guint8 *header;
  gsize before;

  compact (queue, TRUE);
  header = extendable_data_header (queue);
  before = queue->bytes->len;

  if (header != NULL)
    {
      guint32 length = header_length (header);
      gsize room = max_message_size - MIN (length, max_message_size);
      gsize n = MIN (room, len);
      guint32 length_be = GUINT32_TO_BE (length + (guint32) n);

      memcpy (header + 8, &length_be, 4);
      g_byte_array_append (queue->bytes, data, n);
      data += n;
      len -= n;
    }
  while (len > 0)
    {
      gsize n = MIN (len, max_message_size);
      append_header (queue, TYPE_DATA, 0, queue->stream_id, n);
      g_byte_array_append (queue->bytes, data, n);
      data += n;
      len -= n;
    }
  return queue->bytes->len - before;
}

gsize
satori_yamux_frame_queue_get_pending (SatoriYamuxFrameQueue *queue)
{
  return queue->bytes->len - queue->head;
}

/* The size of the frame at the head, which nothing has been taken of. */
gsize
satori_yamux_frame_queue_next_frame_size (SatoriYamuxFrameQueue *queue)
{
  const guint8 *header = queue->bytes->data + queue->head;

  g_assert (satori_yamux_frame_queue_get_pending (queue) >= SATORI_YAMUX_HEADER_SIZE);
  return SATORI_YAMUX_HEADER_SIZE + (header[1] == TYPE_DATA ? header_length (header) : 0);
}

/* Copies the next @n pending bytes to @buf and drops them. */
void
satori_yamux_frame_queue_take (SatoriYamuxFrameQueue *queue, guint8 *buf, gsize n)
{
  g_assert (n <= satori_yamux_frame_queue_get_pending (queue));
  memcpy (buf, queue->bytes->data + queue->head, n);
  queue->head += n;
  compact (queue, FALSE);
}

/* Drops all but the first @keep pending bytes; returns how many went. */
gsize
satori_yamux_frame_queue_truncate (SatoriYamuxFrameQueue *queue, gsize keep)
{
  gsize pending = satori_yamux_frame_queue_get_pending (queue);

  if (keep >= pending)
    return 0;
  g_byte_array_set_size (queue->bytes, queue->head + keep);
  queue->last_data_pos = -1;
  compact (queue, FALSE);
  return pending - keep;
}
