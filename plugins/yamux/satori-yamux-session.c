/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-yamux-session.h"

#include <string.h>

#include "satori-yamux-frame-queue.h"

/* The sans-I/O yamux core (hashicorp/yamux spec.md, libp2p/specs yamux).
 * No GIO, no clock, no randomness: time comes in as arguments, frames go
 * out through poll_transmit(), and what the application must learn comes
 * out of poll_event().
 *
 * Output is fair across streams: control frames (window updates, pings,
 * GoAway, SYN, ACK, RST) go first, then one data frame of each stream with
 * data waiting in turn, so a stream's short message never waits behind
 * another stream's bulk. */

enum { TYPE_DATA, TYPE_WINDOW_UPDATE, TYPE_PING, TYPE_GO_AWAY, N_TYPES };
enum { FLAG_SYN = 1, FLAG_ACK = 2, FLAG_FIN = 4, FLAG_RST = 8 };

/* Window auto-tuning doubles the window when it was used within this many RTTs. */
#define AUTOTUNE_RTTS 4

/* Streams we open before the remote has shown that its application side is
 * up (after that, the ACK backlog bounds them). js-libp2p (@libp2p/utils' stream muxer) aborts
 * the whole connection when more than 10 streams arrive before its side of
 * the connection is set up. Its yamux ACKs a stream as soon as data arrives
 * on it, set up or not; what only a set-up side does is answer on a stream
 * (the multistream echo) or open one of its own. */
#define EARLY_STREAMS 8

/* A stream with nothing queued may always queue this much, however much
 * the other streams hold: a short message (a protocol proposal) is never
 * refused because another stream's bulk took the output room. */
#define SMALL_WRITE 1024

typedef struct {
  guint32 id;
  guint32 send_window;     /* bytes the remote still lets us send */
  guint32 recv_window;     /* the window we aim to keep open, auto-tuned */
  guint32 recv_avail;      /* bytes the remote may still send */
  guint32 unconsumed;      /* bytes delivered, not yet consumed */
  gint64 epoch_us;         /* when the last window update went out */
  gboolean local_fin;
  gboolean remote_fin;
  gboolean blocked;        /* a send was refused: report when writable */
  gboolean syn_sent;       /* ours: the SYN is out (else it waits for the ACK backlog) */
  gboolean acked;          /* ours: the remote answered it; theirs: always */
  SatoriYamuxFrameQueue *out; /* its data frames and FIN, until transmitted */
} Stream;

struct _SatoriYamuxSession
{
  SatoriYamuxConfig config;
  gboolean is_client;
  guint32 next_id;
  GHashTable *streams;     /* id -> Stream */
  GQueue events;           /* of SatoriYamuxEvent */

  /* ACK backlog: our streams whose SYN is out but not yet answered, and
   * the ids of those whose SYN waits until fewer are. */
  guint n_unacked;
  guint n_early_syns;      /* SYNs sent before the remote settled */
  gboolean remote_settled; /* it sent data on one of our streams, or opened one */
  GQueue deferred_syns;

  /* Input: the header being read, then the payload of a data frame. */
  guint8 header[SATORI_YAMUX_HEADER_SIZE];
  gsize header_len;
  guint32 payload_left;
  guint32 payload_stream;  /* 0: discard the payload */
  guint16 payload_flags;

  /* Output: control frames first, then the frame queues of streams in
   * turn (a queue outlives its stream until it is transmitted). */
  SatoriYamuxFrameQueue *control;
  GQueue ready;            /* of SatoriYamuxFrameQueue, a reference each */
  SatoriYamuxFrameQueue *sending; /* whose frame is partly transmitted */
  gsize frame_left;        /* bytes of the current frame still to transmit */
  gsize pending;           /* bytes queued in all of them */
  gboolean output_blocked; /* a send was refused for lack of output room */

  gboolean started;
  gboolean closed;
  gboolean local_go_away;
  gboolean remote_go_away;
  GError *close_error;

  gboolean ping_outstanding;
  guint32 ping_id;
  gint64 ping_sent_us;
  gint64 next_keepalive_us;
  gint64 rtt_us;
};

/**
 * satori_yamux_error_quark:
 *
 * Returns: the error domain of the yamux session
 */
G_DEFINE_QUARK (satori-yamux-error-quark, satori_yamux_error)

/**
 * satori_yamux_config_init:
 * @config: the configuration to fill in
 *
 * Sets the defaults of go-yamux: 256 KiB initial and 16 MiB maximum stream
 * windows, 1000 streams, 64 KiB frames, a keep-alive ping every 30 s that
 * must come back within 10 s, and at most 256 of our streams waiting for
 * the remote's ACK (the ACK backlog of libp2p's yamux). Before the remote
 * has answered on one of our streams or opened one, at most 8 are opened.
 */
void
satori_yamux_config_init (SatoriYamuxConfig *config)
{
  config->initial_window = SATORI_YAMUX_DEFAULT_WINDOW;
  config->max_window = 16 * 1024 * 1024;
  config->max_streams = 1000;
  config->max_message_size = 64 * 1024;
  config->max_pending_output = 1024 * 1024;
  config->keepalive_interval_us = 30 * G_USEC_PER_SEC;
  config->keepalive_timeout_us = 10 * G_USEC_PER_SEC;
  config->max_unacked_streams = 256;
}

/**
 * satori_yamux_event_clear:
 * @event: an event filled in by satori_yamux_session_poll_event()
 *
 * Frees the members of @event.
 */
void
satori_yamux_event_clear (SatoriYamuxEvent *event)
{
  g_clear_pointer (&event->data, g_bytes_unref);
  g_clear_error (&event->error);
}

static void
event_free (gpointer data)
{
  satori_yamux_event_clear (data);
  g_free (data);
}

static SatoriYamuxEvent *
push_event (SatoriYamuxSession *self, SatoriYamuxEventType type, guint32 stream_id)
{
  SatoriYamuxEvent *event = g_new0 (SatoriYamuxEvent, 1);

  event->type = type;
  event->stream_id = stream_id;
  g_queue_push_tail (&self->events, event);
  return event;
}

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  satori_yamux_frame_queue_unref (stream->out);
  g_free (stream);
}

/**
 * satori_yamux_session_new:
 * @is_client: %TRUE on the side that initiated the connection (odd stream ids)
 * @config: (nullable): limits, or %NULL for the defaults
 *
 * Returns: (transfer full): a new session
 */
SatoriYamuxSession *
satori_yamux_session_new (gboolean is_client, const SatoriYamuxConfig *config)
{
  SatoriYamuxSession *self = g_new0 (SatoriYamuxSession, 1);

  if (config != NULL)
    self->config = *config;
  else
    satori_yamux_config_init (&self->config);
  self->config.initial_window = MAX (self->config.initial_window, SATORI_YAMUX_DEFAULT_WINDOW);
  self->config.max_window = MAX (self->config.max_window, self->config.initial_window);
  self->config.max_message_size = MAX (self->config.max_message_size, 1);
  self->config.max_unacked_streams = MAX (self->config.max_unacked_streams, 1);
  self->is_client = is_client;
  self->next_id = is_client ? 1 : 2;
  self->streams = g_hash_table_new_full (NULL, NULL, NULL, stream_free);
  g_queue_init (&self->events);
  g_queue_init (&self->deferred_syns);
  self->control = satori_yamux_frame_queue_new (0);
  g_queue_init (&self->ready);
  return self;
}

/**
 * satori_yamux_session_free:
 * @session: (transfer full): a session
 *
 * Frees @session and everything it still holds.
 */
void
satori_yamux_session_free (SatoriYamuxSession *session)
{
  g_hash_table_unref (session->streams);
  g_queue_clear_full (&session->events, event_free);
  g_queue_clear (&session->deferred_syns);
  satori_yamux_frame_queue_unref (session->control);
  g_queue_clear_full (&session->ready, (GDestroyNotify) satori_yamux_frame_queue_unref);
  g_clear_pointer (&session->sending, satori_yamux_frame_queue_unref);
  g_clear_error (&session->close_error);
  g_free (session);
}

/* --- output --- */

static gsize
pending_output (SatoriYamuxSession *self)
{
  return self->pending;
}

static void
append_frame (SatoriYamuxSession *self, guint8 type, guint16 flags, guint32 id,
              guint32 length)
{
  self->pending += satori_yamux_frame_queue_append (self->control, type, flags, id, length);
}

/* Puts the stream's queue, which has frames now, in the round unless it is
 * there already or transmitting. */
static void
make_ready (SatoriYamuxSession *self, SatoriYamuxFrameQueue *queue)
{
  if (queue->ready || queue == self->sending)
    return;
  queue->ready = TRUE;
  g_queue_push_tail (&self->ready, satori_yamux_frame_queue_ref (queue));
}

static void
append_data (SatoriYamuxSession *self, Stream *stream, const guint8 *data, gsize len)
{
  self->pending += satori_yamux_frame_queue_append_data (stream->out, data, len,
                                                         self->config.max_message_size);
  make_ready (self, stream->out);
}

/* FIN goes on a zero-length frame of its own, after the stream's data. */
static void
append_fin (SatoriYamuxSession *self, Stream *stream)
{
  self->pending += satori_yamux_frame_queue_append (stream->out, TYPE_DATA, FLAG_FIN,
                                                    stream->id, 0);
  make_ready (self, stream->out);
}

/* Forgets what a reset stream still had to send, but a frame that is
 * partly out is finished: the remote reads frames whole. */
static void
drop_output (SatoriYamuxSession *self, Stream *stream)
{
  SatoriYamuxFrameQueue *queue = stream->out;

  self->pending -= satori_yamux_frame_queue_truncate (queue, queue == self->sending
                                                               ? self->frame_left : 0);
  if (queue->ready)
    {
      queue->ready = FALSE;
      g_queue_remove (&self->ready, queue);
      satori_yamux_frame_queue_unref (queue);
    }
}

static void
send_ping (SatoriYamuxSession *self, gint64 now_us)
{
  self->ping_outstanding = TRUE;
  self->ping_id++;
  self->ping_sent_us = now_us;
  append_frame (self, TYPE_PING, FLAG_SYN, 0, self->ping_id);
}

/* --- failure --- */

/* Ends the session with @error (taken); a GoAway with @code goes out first
 * unless @code is negative. */
static void
session_fail (SatoriYamuxSession *self, gint code, GError *error)
{
  if (self->closed)
    {
      g_error_free (error);
      return;
    }
  if (code >= 0 && !self->local_go_away)
    {
      append_frame (self, TYPE_GO_AWAY, 0, 0, (guint32) code);
      self->local_go_away = TRUE;
    }
  self->closed = TRUE;
  self->close_error = error;
  push_event (self, SATORI_YAMUX_EVENT_SESSION_CLOSED, 0)->error = g_error_copy (error);
}

G_GNUC_PRINTF (2, 3) static void
protocol_error (SatoriYamuxSession *self, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);

  g_message ("yamux: closing the session with a protocol error: %s", message);
  session_fail (self, SATORI_YAMUX_GO_AWAY_PROTOCOL_ERROR,
                g_error_new (SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_PROTOCOL,
                             "Yamux protocol error: %s", message));
}

/* --- streams --- */

static Stream *
lookup (SatoriYamuxSession *self, guint32 id)
{
  return g_hash_table_lookup (self->streams, GUINT_TO_POINTER (id));
}

static Stream *
stream_new (SatoriYamuxSession *self, guint32 id, gint64 now_us)
{
  Stream *stream = g_new0 (Stream, 1);

  stream->id = id;
  stream->out = satori_yamux_frame_queue_new (id);
  stream->send_window = SATORI_YAMUX_DEFAULT_WINDOW;
  stream->recv_window = self->config.initial_window;
  stream->recv_avail = self->config.initial_window;
  stream->epoch_us = now_us;
  stream->syn_sent = TRUE;
  stream->acked = TRUE;
  g_hash_table_insert (self->streams, GUINT_TO_POINTER (id), stream);
  return stream;
}

static void flush_deferred_syns (SatoriYamuxSession *self);

static void
stream_remove (SatoriYamuxSession *self, guint32 id)
{
  Stream *stream = lookup (self, id);

  if (stream != NULL && !stream->syn_sent)
    g_queue_remove (&self->deferred_syns, GUINT_TO_POINTER (id));
  else if (stream != NULL && !stream->acked)
    self->n_unacked--;
  g_hash_table_remove (self->streams, GUINT_TO_POINTER (id));
  flush_deferred_syns (self);
}

static gsize
output_room (SatoriYamuxSession *self)
{
  gsize pending = pending_output (self);
  return pending < self->config.max_pending_output ? self->config.max_pending_output - pending : 0;
}

static gsize
stream_capacity (SatoriYamuxSession *self, Stream *stream)
{
  if (self->closed || stream->local_fin || !stream->syn_sent)
    return 0;
  gsize room = output_room (self);
  if (satori_yamux_frame_queue_get_pending (stream->out) == 0)
    room = MAX (room, SMALL_WRITE);
  return MIN (stream->send_window, room);
}

static void
report_writable (SatoriYamuxSession *self, Stream *stream)
{
  if (!stream->blocked)
    return;
  if (stream_capacity (self, stream) > 0)
    {
      stream->blocked = FALSE;
      push_event (self, SATORI_YAMUX_EVENT_STREAM_WRITABLE, stream->id);
    }
  else if (stream->send_window > 0)
    self->output_blocked = TRUE;
}

/* Gives the remote more window once half of it is used up; doubles the
 * window when that happened within a few RTTs (auto-tuning, as go-yamux). */
static void
maybe_update_window (SatoriYamuxSession *self, Stream *stream, gint64 now_us)
{
  guint64 outstanding = (guint64) stream->recv_avail + stream->unconsumed;

  if (self->closed || stream->remote_fin || outstanding >= stream->recv_window)
    return;
  guint32 delta = stream->recv_window - (guint32) outstanding;
  if (delta < stream->recv_window / 2)
    return;
  if (self->rtt_us > 0 && now_us - stream->epoch_us < AUTOTUNE_RTTS * self->rtt_us &&
      stream->recv_window < self->config.max_window)
    {
      guint32 grown = (guint32) MIN ((guint64) stream->recv_window * 2, self->config.max_window);
      delta += grown - stream->recv_window;
      stream->recv_window = grown;
    }
  stream->epoch_us = now_us;
  stream->recv_avail += delta;
  append_frame (self, TYPE_WINDOW_UPDATE, 0, stream->id, delta);
}

/* --- the ACK backlog --- */

static gboolean
may_send_syn (SatoriYamuxSession *self)
{
  if (!self->remote_settled && self->n_early_syns >= EARLY_STREAMS)
    return FALSE;
  return self->n_unacked < self->config.max_unacked_streams;
}

static void
send_syn (SatoriYamuxSession *self, Stream *stream)
{
  append_frame (self, TYPE_WINDOW_UPDATE, FLAG_SYN, stream->id,
                self->config.initial_window - SATORI_YAMUX_DEFAULT_WINDOW);
  stream->syn_sent = TRUE;
  self->n_unacked++;
  if (!self->remote_settled)
    self->n_early_syns++;
}

/* Sends the SYNs that waited, oldest first, while the backlog has room; a
 * stream closed meanwhile gets its FIN right after. */
static void
flush_deferred_syns (SatoriYamuxSession *self)
{
  while (!self->closed && !g_queue_is_empty (&self->deferred_syns) && may_send_syn (self))
    {
      Stream *stream = lookup (self, GPOINTER_TO_UINT (g_queue_pop_head (&self->deferred_syns)));

      send_syn (self, stream);
      if (stream->local_fin)
        append_fin (self, stream);
      else
        report_writable (self, stream);
    }
}

/* Any frame of the remote's on one of our streams answers its SYN. */
static void
stream_acked (SatoriYamuxSession *self, Stream *stream)
{
  if (stream->acked)
    return;
  stream->acked = TRUE;
  self->n_unacked--;
  flush_deferred_syns (self);
}

static void
note_remote_settled (SatoriYamuxSession *self)
{
  if (self->remote_settled)
    return;
  self->remote_settled = TRUE;
  flush_deferred_syns (self);
}

/* --- input --- */

static void
start (SatoriYamuxSession *self, gint64 now_us)
{
  if (self->started)
    return;
  self->started = TRUE;
  /* Measure the RTT at once, for auto-tuning. */
  send_ping (self, now_us);
  if (self->config.keepalive_interval_us > 0)
    self->next_keepalive_us = now_us + self->config.keepalive_interval_us;
}

static void
handle_remote_fin (SatoriYamuxSession *self, Stream *stream)
{
  if (stream->remote_fin)
    return;
  stream->remote_fin = TRUE;
  push_event (self, SATORI_YAMUX_EVENT_STREAM_FINISHED, stream->id);
  if (stream->local_fin)
    stream_remove (self, stream->id);
}

static void
handle_remote_reset (SatoriYamuxSession *self, Stream *stream)
{
  drop_output (self, stream);
  push_event (self, SATORI_YAMUX_EVENT_STREAM_RESET, stream->id);
  stream_remove (self, stream->id);
}

/* A SYN: the remote opens @id. Returns the stream, or %NULL when it was
 * refused (reset) or the session failed. */
static Stream *
accept_stream (SatoriYamuxSession *self, guint32 id, gint64 now_us)
{
  if ((id % 2 == 1) == self->is_client)
    {
      protocol_error (self, "stream %u opened with our own parity", id);
      return NULL;
    }
  if (lookup (self, id) != NULL)
    {
      protocol_error (self, "stream %u opened twice", id);
      return NULL;
    }
  if (self->local_go_away || g_hash_table_size (self->streams) >= self->config.max_streams)
    {
      append_frame (self, TYPE_WINDOW_UPDATE, FLAG_RST, id, 0);
      return NULL;
    }
  Stream *stream = stream_new (self, id, now_us);
  append_frame (self, TYPE_WINDOW_UPDATE, FLAG_ACK, id,
                self->config.initial_window - SATORI_YAMUX_DEFAULT_WINDOW);
  push_event (self, SATORI_YAMUX_EVENT_STREAM_OPENED, id);
  note_remote_settled (self);
  return stream;
}

/* Flags that come before the payload (SYN, RST); returns the stream the
 * frame is for, or %NULL. */
static Stream *
stream_frame_begin (SatoriYamuxSession *self, guint32 id, guint16 flags, gint64 now_us)
{
  Stream *stream;

  if (id == 0)
    {
      protocol_error (self, "stream frame on stream 0");
      return NULL;
    }
  if (flags & FLAG_SYN)
    stream = accept_stream (self, id, now_us);
  else
    stream = lookup (self, id);
  if (stream != NULL && stream->syn_sent)
    stream_acked (self, stream);
  if (stream != NULL && (flags & FLAG_RST))
    {
      handle_remote_reset (self, stream);
      return NULL;
    }
  return stream;
}

static void
handle_window_update (SatoriYamuxSession *self, guint32 id, guint16 flags, guint32 delta,
                      gint64 now_us)
{
  Stream *stream = stream_frame_begin (self, id, flags, now_us);

  if (stream == NULL)
    return;
  if ((guint64) stream->send_window + delta > G_MAXUINT32)
    {
      protocol_error (self, "stream %u window overflows", id);
      return;
    }
  stream->send_window += delta;
  report_writable (self, stream);
  if (flags & FLAG_FIN)
    handle_remote_fin (self, stream);
}

/* A data frame header: checks the window and sets up the payload. */
static void
handle_data_header (SatoriYamuxSession *self, guint32 id, guint16 flags, guint32 length,
                    gint64 now_us)
{
  self->payload_left = 0;
  self->payload_stream = 0;
  self->payload_flags = flags;

  Stream *stream = stream_frame_begin (self, id, flags, now_us);
  if (self->closed)
    return;
  self->payload_left = length;
  if (stream == NULL)
    {
      /* A stream we reset or refused: drop what was in flight, but no
       * stream may ever have had more window than this. */
      if (length > self->config.max_window)
        protocol_error (self, "data frame of %u bytes on unknown stream %u", length, id);
      return;
    }
  if (stream->remote_fin && length > 0)
    {
      protocol_error (self, "data on stream %u after its FIN", id);
      return;
    }
  if (length > stream->recv_avail)
    {
      protocol_error (self, "stream %u sent %u bytes over its window of %u", id, length,
                      stream->recv_avail);
      return;
    }
  stream->recv_avail -= length;
  if (length > 0 && (id % 2 == 1) == self->is_client)
    note_remote_settled (self);
  stream->unconsumed += length;
  self->payload_stream = id;
}

static void
handle_data_end (SatoriYamuxSession *self)
{
  Stream *stream;

  if (self->payload_stream != 0 && (self->payload_flags & FLAG_FIN) &&
      (stream = lookup (self, self->payload_stream)) != NULL)
    handle_remote_fin (self, stream);
}

static void
handle_ping (SatoriYamuxSession *self, guint16 flags, guint32 opaque, gint64 now_us)
{
  if (flags & FLAG_SYN)
    append_frame (self, TYPE_PING, FLAG_ACK, 0, opaque);
  else if ((flags & FLAG_ACK) && self->ping_outstanding && opaque == self->ping_id)
    {
      self->ping_outstanding = FALSE;
      self->rtt_us = MAX (now_us - self->ping_sent_us, 1);
      push_event (self, SATORI_YAMUX_EVENT_PING_RTT, 0)->rtt_us = self->rtt_us;
    }
}

static void
handle_go_away (SatoriYamuxSession *self, guint32 code)
{
  self->remote_go_away = TRUE;
  push_event (self, SATORI_YAMUX_EVENT_GO_AWAY, 0)->code = code;
  if (code != SATORI_YAMUX_GO_AWAY_NORMAL)
    session_fail (self, -1, g_error_new (SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_GO_AWAY,
                                         "The remote went away with error code %u", code));
}

static void
handle_header (SatoriYamuxSession *self, const guint8 *header, gint64 now_us)
{
  guint16 flags_be;
  guint32 id_be, length_be;

  memcpy (&flags_be, header + 2, 2);
  memcpy (&id_be, header + 4, 4);
  memcpy (&length_be, header + 8, 4);
  guint16 flags = GUINT16_FROM_BE (flags_be);
  guint32 id = GUINT32_FROM_BE (id_be);
  guint32 length = GUINT32_FROM_BE (length_be);

  if (header[0] != 0)
    {
      protocol_error (self, "unknown version %u", header[0]);
      return;
    }
  switch (header[1])
    {
    case TYPE_DATA:
      handle_data_header (self, id, flags, length, now_us);
      break;
    case TYPE_WINDOW_UPDATE:
      handle_window_update (self, id, flags, length, now_us);
      break;
    case TYPE_PING:
      handle_ping (self, flags, length, now_us);
      break;
    case TYPE_GO_AWAY:
      handle_go_away (self, length);
      break;
    default:
      protocol_error (self, "unknown frame type %u", header[1]);
      break;
    }
}

static gboolean
set_closed_error (SatoriYamuxSession *self, GError **error)
{
  if (self->close_error != NULL)
    g_propagate_error (error, g_error_copy (self->close_error));
  else
    g_set_error_literal (error, SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_CLOSED,
                         "The yamux session is closed");
  return FALSE;
}

/**
 * satori_yamux_session_handle_input:
 * @session: a session
 * @data: (array length=len): bytes from the remote
 * @len: the length of @data
 * @now_us: the current monotonic time
 * @consumed: (out): how much of @data was used
 * @error: return location for a #GError
 *
 * Feeds bytes read from the connection. When the remote provoked too many
 * control frames that are still to be transmitted, less than @len is
 * consumed: drain with satori_yamux_session_poll_transmit() and feed the
 * rest again.
 *
 * Returns: %FALSE when the session is or became closed
 */
gboolean
satori_yamux_session_handle_input (SatoriYamuxSession *session, const guint8 *data, gsize len,
                                   gint64 now_us, gsize *consumed, GError **error)
{
  SatoriYamuxSession *self = session;
  gsize pos = 0;

  *consumed = 0;
  if (self->closed)
    return set_closed_error (self, error);
  start (self, now_us);
  while (pos < len && !self->closed)
    {
      if (self->payload_left > 0)
        {
          gsize n = MIN (self->payload_left, len - pos);

          if (self->payload_stream != 0 && lookup (self, self->payload_stream) != NULL)
            push_event (self, SATORI_YAMUX_EVENT_STREAM_DATA,
                        self->payload_stream)->data = g_bytes_new (data + pos, n);
          self->payload_left -= n;
          pos += n;
          if (self->payload_left == 0)
            handle_data_end (self);
          continue;
        }
      if (self->header_len == 0 &&
          satori_yamux_frame_queue_get_pending (self->control) >= SATORI_YAMUX_CONTROL_SLACK)
        break;

      gsize n = MIN (SATORI_YAMUX_HEADER_SIZE - self->header_len, len - pos);
      memcpy (self->header + self->header_len, data + pos, n);
      self->header_len += n;
      pos += n;
      if (self->header_len < SATORI_YAMUX_HEADER_SIZE)
        break;
      self->header_len = 0;
      handle_header (self, self->header, now_us);
      if (self->header[1] == TYPE_DATA && self->payload_left == 0)
        handle_data_end (self);
    }
  *consumed = pos;
  if (self->closed)
    return set_closed_error (self, error);
  return TRUE;
}

/**
 * satori_yamux_session_next_deadline_us:
 * @session: a session
 *
 * Returns: when satori_yamux_session_handle_timeout() should run next, or
 *   -1 for never
 */
gint64
satori_yamux_session_next_deadline_us (SatoriYamuxSession *session)
{
  if (session->closed)
    return -1;
  if (!session->started)
    return 0;
  if (session->config.keepalive_interval_us <= 0)
    return -1;
  if (session->ping_outstanding)
    return session->ping_sent_us + session->config.keepalive_timeout_us;
  return session->next_keepalive_us;
}

/**
 * satori_yamux_session_handle_timeout:
 * @session: a session
 * @now_us: the current monotonic time
 *
 * Starts the session (an RTT ping) on the first call, then sends keep-alive
 * pings and fails the session when one is not answered in time.
 */
void
satori_yamux_session_handle_timeout (SatoriYamuxSession *session, gint64 now_us)
{
  SatoriYamuxSession *self = session;

  if (self->closed)
    return;
  start (self, now_us);
  if (self->config.keepalive_interval_us <= 0)
    return;
  if (self->ping_outstanding)
    {
      if (now_us >= self->ping_sent_us + self->config.keepalive_timeout_us)
        {
          g_message ("yamux: keep-alive ping not answered, closing the session");
          session_fail (self, SATORI_YAMUX_GO_AWAY_INTERNAL_ERROR,
                        g_error_new_literal (SATORI_YAMUX_ERROR,
                                             SATORI_YAMUX_ERROR_KEEPALIVE_TIMEOUT,
                                             "The remote did not answer a keep-alive ping"));
        }
    }
  else if (now_us >= self->next_keepalive_us)
    {
      send_ping (self, now_us);
      self->next_keepalive_us = now_us + self->config.keepalive_interval_us;
    }
}

/**
 * satori_yamux_session_get_pending_output:
 * @session: a session
 *
 * Returns: how many bytes satori_yamux_session_poll_transmit() has to give
 */
gsize
satori_yamux_session_get_pending_output (SatoriYamuxSession *session)
{
  return pending_output (session);
}

/* Picks the frame to transmit next: a control frame, else the next stream's
 * in turn. Returns %FALSE when nothing waits. */
static gboolean
start_frame (SatoriYamuxSession *self)
{
  SatoriYamuxFrameQueue *queue = self->control;

  if (satori_yamux_frame_queue_get_pending (queue) == 0)
    {
      if ((queue = g_queue_pop_head (&self->ready)) == NULL)
        return FALSE;
      queue->ready = FALSE;
      self->sending = queue;
    }
  self->frame_left = satori_yamux_frame_queue_next_frame_size (queue);
  return TRUE;
}

/* A stream's frame is out: its next one waits for its next turn. */
static void
finish_data_frame (SatoriYamuxSession *self)
{
  g_autoptr(SatoriYamuxFrameQueue) queue = g_steal_pointer (&self->sending);
  Stream *stream;

  if (satori_yamux_frame_queue_get_pending (queue) > 0)
    make_ready (self, queue);
  else if ((stream = lookup (self, queue->stream_id)) != NULL)
    report_writable (self, stream);
}

/**
 * satori_yamux_session_poll_transmit:
 * @session: a session
 * @buf: (out caller-allocates) (array length=cap): where to copy frames
 * @cap: the size of @buf
 *
 * Takes up to @cap bytes of frames to write to the connection: control
 * frames first, then data frames of the streams in turn. Draining output
 * may make blocked streams writable again.
 *
 * Returns: the number of bytes copied, 0 when nothing is waiting
 */
gsize
satori_yamux_session_poll_transmit (SatoriYamuxSession *session, guint8 *buf, gsize cap)
{
  SatoriYamuxSession *self = session;
  gsize n = 0;

  while (n < cap && (self->frame_left > 0 || start_frame (self)))
    {
      SatoriYamuxFrameQueue *queue = self->sending != NULL ? self->sending : self->control;
      gsize take = MIN (self->frame_left, cap - n);

      satori_yamux_frame_queue_take (queue, buf + n, take);
      n += take;
      self->frame_left -= take;
      self->pending -= take;
      if (self->frame_left == 0 && self->sending != NULL)
        finish_data_frame (self);
    }

  if (self->output_blocked && pending_output (self) <= self->config.max_pending_output / 2)
    {
      GHashTableIter iter;
      Stream *stream;

      self->output_blocked = FALSE;
      g_hash_table_iter_init (&iter, self->streams);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stream))
        report_writable (self, stream);
    }
  return n;
}

/**
 * satori_yamux_session_poll_event:
 * @session: a session
 * @event: (out caller-allocates): where to store the event
 *
 * Returns: %TRUE when an event was stored; clear it with
 *   satori_yamux_event_clear()
 */
gboolean
satori_yamux_session_poll_event (SatoriYamuxSession *session, SatoriYamuxEvent *event)
{
  g_autofree SatoriYamuxEvent *head = g_queue_pop_head (&session->events);

  if (head == NULL)
    return FALSE;
  *event = *head;
  return TRUE;
}

/* --- commands --- */

/**
 * satori_yamux_session_open_stream:
 * @session: a session
 * @now_us: the current monotonic time
 * @error: return location for a #GError
 *
 * Opens a stream. Its SYN is queued at once unless too many of our streams
 * wait for the remote's ACK, or the remote has not yet answered on any of
 * 8 early streams; then it goes out (and the stream becomes writable) when
 * that changes.
 *
 * Returns: the new stream id, or 0 on error
 */
guint32
satori_yamux_session_open_stream (SatoriYamuxSession *session, gint64 now_us, GError **error)
{
  SatoriYamuxSession *self = session;

  if (self->closed || self->local_go_away || self->remote_go_away || self->next_id == 0)
    {
      set_closed_error (self, error);
      return 0;
    }
  if (g_hash_table_size (self->streams) >= self->config.max_streams)
    {
      g_set_error (error, SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_TOO_MANY_STREAMS,
                   "Too many yamux streams (%u)", self->config.max_streams);
      return 0;
    }
  start (self, now_us);

  guint32 id = self->next_id;
  /* After the last id of our parity, 0 marks the session as exhausted. */
  self->next_id = id <= G_MAXUINT32 - 2 ? id + 2 : 0;
  Stream *stream = stream_new (self, id, now_us);
  stream->syn_sent = FALSE;
  stream->acked = FALSE;
  if (may_send_syn (self))
    send_syn (self, stream);
  else
    g_queue_push_tail (&self->deferred_syns, GUINT_TO_POINTER (id));
  return id;
}

static Stream *
lookup_open (SatoriYamuxSession *self, guint32 stream_id, GError **error)
{
  Stream *stream = lookup (self, stream_id);

  if (self->closed)
    {
      set_closed_error (self, error);
      return NULL;
    }
  if (stream == NULL || stream->local_fin)
    {
      g_set_error (error, SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_CLOSED,
                   "Yamux stream %u is closed", stream_id);
      return NULL;
    }
  return stream;
}

/**
 * satori_yamux_session_send:
 * @session: a session
 * @stream_id: an open stream
 * @data: (array length=len): bytes to send
 * @len: the length of @data
 * @error: return location for a #GError
 *
 * Queues as much of @data as the stream's send window and the output
 * buffer allow, split into frames of at most the configured message size.
 * When less than @len is taken, a %SATORI_YAMUX_EVENT_STREAM_WRITABLE
 * event follows once more can be.
 *
 * Returns: how many bytes were taken (possibly 0), or 0 with @error set
 *   when the stream or session is closed
 */
gsize
satori_yamux_session_send (SatoriYamuxSession *session, guint32 stream_id, const guint8 *data,
                           gsize len, GError **error)
{
  SatoriYamuxSession *self = session;
  Stream *stream = lookup_open (self, stream_id, error);

  if (stream == NULL)
    return 0;
  gsize n = MIN (len, stream_capacity (self, stream));
  if (n < len)
    {
      stream->blocked = TRUE;
      if (n < stream->send_window)
        self->output_blocked = TRUE;
    }
  if (n == 0)
    return 0;
  append_data (self, stream, data, n);
  stream->send_window -= (guint32) n;
  return n;
}

/**
 * satori_yamux_session_get_send_capacity:
 * @session: a session
 * @stream_id: a stream
 *
 * How much satori_yamux_session_send() would take now. When that is 0, a
 * %SATORI_YAMUX_EVENT_STREAM_WRITABLE event follows once it is not.
 *
 * Returns: the number of bytes, 0 also for closed streams
 */
gsize
satori_yamux_session_get_send_capacity (SatoriYamuxSession *session, guint32 stream_id)
{
  Stream *stream = lookup (session, stream_id);

  if (stream == NULL)
    return 0;
  gsize capacity = stream_capacity (session, stream);
  if (capacity == 0 && !stream->local_fin && !session->closed)
    {
      stream->blocked = TRUE;
      report_writable (session, stream);
    }
  return capacity;
}

/**
 * satori_yamux_session_close_stream:
 * @session: a session
 * @stream_id: an open stream
 * @error: return location for a #GError
 *
 * Finishes the sending side of a stream (FIN); the stream is gone once the
 * remote has finished too. Closing twice is not an error.
 *
 * Returns: %FALSE if the stream or session is closed
 */
gboolean
satori_yamux_session_close_stream (SatoriYamuxSession *session, guint32 stream_id,
                                   GError **error)
{
  SatoriYamuxSession *self = session;
  Stream *stream = lookup (self, stream_id);

  if (stream != NULL && stream->local_fin && !self->closed)
    return TRUE;
  if ((stream = lookup_open (self, stream_id, error)) == NULL)
    return FALSE;

  /* FIN goes on a frame of its own, after all queued data; never on a data
   * frame that carries bytes. The spec allows both, but js-libp2p
   * (@libp2p/yamux 8) acts on a frame's flags before its payload: FIN ends
   * its reader before the bytes of that same frame are pushed, and they
   * are lost. go-yamux and js-yamux send FIN on a frame of its own too.
   * The flag makes the frame not extendable (the frame queue). A stream whose
   * SYN still waits gets its FIN after it (flush_deferred_syns). */
  if (stream->syn_sent)
    append_fin (self, stream);
  stream->local_fin = TRUE;
  if (stream->remote_fin)
    stream_remove (self, stream_id);
  return TRUE;
}

/**
 * satori_yamux_session_reset_stream:
 * @session: a session
 * @stream_id: a stream
 *
 * Aborts a stream in both directions (RST) and forgets it. Unknown
 * streams are ignored.
 */
void
satori_yamux_session_reset_stream (SatoriYamuxSession *session, guint32 stream_id)
{
  Stream *stream = lookup (session, stream_id);

  if (session->closed || stream == NULL)
    return;
  /* A stream the remote has not heard of yet just goes. */
  drop_output (session, stream);
  if (stream->syn_sent)
    append_frame (session, TYPE_WINDOW_UPDATE, FLAG_RST, stream_id, 0);
  stream_remove (session, stream_id);
}

/**
 * satori_yamux_session_consume:
 * @session: a session
 * @stream_id: a stream
 * @n: how many received bytes the application has used
 * @now_us: the current monotonic time
 *
 * Gives receive window back to the remote. Window updates go out when half
 * of the window is used; the window doubles, up to the configured maximum,
 * when that took less than a few RTTs.
 */
void
satori_yamux_session_consume (SatoriYamuxSession *session, guint32 stream_id, gsize n,
                              gint64 now_us)
{
  Stream *stream = lookup (session, stream_id);

  if (stream == NULL)
    return;
  stream->unconsumed -= (guint32) MIN (n, stream->unconsumed);
  maybe_update_window (session, stream, now_us);
}

/**
 * satori_yamux_session_go_away:
 * @session: a session
 * @code: why
 *
 * Tells the remote that no new streams will be accepted; existing streams
 * go on. With an error code the session closes too.
 */
void
satori_yamux_session_go_away (SatoriYamuxSession *session, SatoriYamuxGoAwayCode code)
{
  if (session->closed)
    return;
  if (code != SATORI_YAMUX_GO_AWAY_NORMAL)
    {
      session_fail (session, code, g_error_new (SATORI_YAMUX_ERROR, SATORI_YAMUX_ERROR_CLOSED,
                                                "Yamux session closed locally (code %u)",
                                                code));
      return;
    }
  if (!session->local_go_away)
    append_frame (session, TYPE_GO_AWAY, 0, 0, code);
  session->local_go_away = TRUE;
}

/**
 * satori_yamux_session_ping:
 * @session: a session
 * @now_us: the current monotonic time
 *
 * Sends a ping unless one is outstanding; its RTT comes as a
 * %SATORI_YAMUX_EVENT_PING_RTT event.
 */
void
satori_yamux_session_ping (SatoriYamuxSession *session, gint64 now_us)
{
  if (session->closed)
    return;
  if (!session->started)
    start (session, now_us);
  else if (!session->ping_outstanding)
    send_ping (session, now_us);
}

/**
 * satori_yamux_session_is_closed:
 * @session: a session
 *
 * Returns: whether the session has ended
 */
gboolean
satori_yamux_session_is_closed (SatoriYamuxSession *session)
{
  return session->closed;
}

/**
 * satori_yamux_session_get_n_streams:
 * @session: a session
 *
 * Returns: the number of streams not yet closed in both directions
 */
guint
satori_yamux_session_get_n_streams (SatoriYamuxSession *session)
{
  return g_hash_table_size (session->streams);
}

/**
 * satori_yamux_session_get_receive_window:
 * @session: a session
 * @stream_id: a stream
 *
 * Returns: the stream's receive window as auto-tuned so far, 0 if unknown
 */
guint32
satori_yamux_session_get_receive_window (SatoriYamuxSession *session, guint32 stream_id)
{
  Stream *stream = lookup (session, stream_id);
  return stream != NULL ? stream->recv_window : 0;
}

/**
 * satori_yamux_session_get_rtt_us:
 * @session: a session
 *
 * Returns: the last measured round trip time, 0 before the first
 */
gint64
satori_yamux_session_get_rtt_us (SatoriYamuxSession *session)
{
  return session->rtt_us;
}
