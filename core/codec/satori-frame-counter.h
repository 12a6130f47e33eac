/* satori-frame-counter.h — counting the messages of a byte stream by its
 * framing, without buffering them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriMessageFraming:
 * @SATORI_MESSAGE_FRAMING_NONE: a byte stream, no messages (ping, perf)
 * @SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED: unsigned-varint-length-prefixed
 *   messages (pubsub RPCs, kad, identify, rendezvous)
 * @SATORI_MESSAGE_FRAMING_WHOLE_STREAM: each direction of a stream carries
 *   one message (the Satori protocols)
 *
 * How a protocol's messages are cut out of its streams.
 */
typedef enum {
  SATORI_MESSAGE_FRAMING_NONE,
  SATORI_MESSAGE_FRAMING_LENGTH_PREFIXED,
  SATORI_MESSAGE_FRAMING_WHOLE_STREAM,
} SatoriMessageFraming;

/**
 * SatoriFrameCounter:
 *
 * Follows one direction of a stream and counts the messages that end in
 * it. It keeps only the state of the current length prefix and payload;
 * after a malformed prefix it stops counting (the protocol's own reader
 * closes the stream).
 */
typedef struct
{
  /*< private >*/
  SatoriMessageFraming framing;
  gboolean stopped;
  guint prefix_bytes;    /* of the length prefix being read */
  guint64 length;        /* the prefix's value so far */
  guint64 remaining;     /* payload bytes still to come */
} SatoriFrameCounter;

void  satori_frame_counter_init (SatoriFrameCounter   *counter,
                                 SatoriMessageFraming  framing);
guint satori_frame_counter_feed (SatoriFrameCounter *counter,
                                 const guint8       *data,
                                 gsize               len);

G_END_DECLS
