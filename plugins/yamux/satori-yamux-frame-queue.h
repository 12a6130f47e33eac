/* satori-yamux-frame-queue.h — yamux frames waiting to be transmitted:
 * the control frames of a session, or the data frames of one stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A reference-counted queue of whole frames. The session holds one per
 * stream (the stream's reference, and one while it waits for its turn)
 * and one for control frames. */
typedef struct {
  guint32 stream_id;
  gboolean ready;          /* in the session's round of streams to serve */
  GByteArray *bytes;
  gsize head;              /* bytes before this are transmitted */
  gssize last_data_pos;    /* header of the last frame, if extendable data */
} SatoriYamuxFrameQueue;

SatoriYamuxFrameQueue *satori_yamux_frame_queue_new (guint32 stream_id);
SatoriYamuxFrameQueue *satori_yamux_frame_queue_ref (SatoriYamuxFrameQueue *queue);
void   satori_yamux_frame_queue_unref (SatoriYamuxFrameQueue *queue);

gsize  satori_yamux_frame_queue_append (SatoriYamuxFrameQueue *queue,
                                        guint8                 type,
                                        guint16                flags,
                                        guint32                id,
                                        guint32                length);
gsize  satori_yamux_frame_queue_append_data (SatoriYamuxFrameQueue *queue,
                                             const guint8          *data,
                                             gsize                  len,
                                             guint32                max_message_size);
gsize  satori_yamux_frame_queue_get_pending (SatoriYamuxFrameQueue *queue);
gsize  satori_yamux_frame_queue_next_frame_size (SatoriYamuxFrameQueue *queue);
void   satori_yamux_frame_queue_take (SatoriYamuxFrameQueue *queue,
                                      guint8                *buf,
                                      gsize                  n);
gsize  satori_yamux_frame_queue_truncate (SatoriYamuxFrameQueue *queue,
                                          gsize                  keep);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriYamuxFrameQueue, satori_yamux_frame_queue_unref)

G_END_DECLS
