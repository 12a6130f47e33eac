/* satori-yamux-session.h — the sans-I/O yamux core: bytes and time in,
 * bytes and events out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Input may be refused (backpressure) only once control frames, which the
 * remote provokes, pile up this far (data the application queued does not
 * count: it drains whether input is read or not). */
#define SATORI_YAMUX_CONTROL_SLACK (64 * 1024)

/** SATORI_YAMUX_PROTOCOL_ID: the protocol id negotiated for yamux */
#define SATORI_YAMUX_PROTOCOL_ID "/yamux/1.0.0"
/** SATORI_YAMUX_HEADER_SIZE: bytes in a frame header */
#define SATORI_YAMUX_HEADER_SIZE 12
/** SATORI_YAMUX_DEFAULT_WINDOW: the window every stream starts with (spec) */
#define SATORI_YAMUX_DEFAULT_WINDOW (256 * 1024)

/**
 * SatoriYamuxError:
 * @SATORI_YAMUX_ERROR_PROTOCOL: the remote broke the protocol
 * @SATORI_YAMUX_ERROR_GO_AWAY: the remote went away with an error code
 * @SATORI_YAMUX_ERROR_KEEPALIVE_TIMEOUT: the remote did not answer a ping in time
 * @SATORI_YAMUX_ERROR_CLOSED: the session or the stream is closed
 * @SATORI_YAMUX_ERROR_TOO_MANY_STREAMS: the stream limit is reached
 *
 * Errors of the yamux session.
 */
typedef enum {
  SATORI_YAMUX_ERROR_PROTOCOL,
  SATORI_YAMUX_ERROR_GO_AWAY,
  SATORI_YAMUX_ERROR_KEEPALIVE_TIMEOUT,
  SATORI_YAMUX_ERROR_CLOSED,
  SATORI_YAMUX_ERROR_TOO_MANY_STREAMS,
} SatoriYamuxError;
#define SATORI_YAMUX_ERROR (satori_yamux_error_quark ())
GQuark satori_yamux_error_quark (void);

/**
 * SatoriYamuxGoAwayCode:
 * @SATORI_YAMUX_GO_AWAY_NORMAL: normal termination
 * @SATORI_YAMUX_GO_AWAY_PROTOCOL_ERROR: the sender saw a protocol error
 * @SATORI_YAMUX_GO_AWAY_INTERNAL_ERROR: the sender failed internally
 *
 * The codes of a GoAway frame.
 */
typedef enum {
  SATORI_YAMUX_GO_AWAY_NORMAL = 0,
  SATORI_YAMUX_GO_AWAY_PROTOCOL_ERROR = 1,
  SATORI_YAMUX_GO_AWAY_INTERNAL_ERROR = 2,
} SatoriYamuxGoAwayCode;

/**
 * SatoriYamuxConfig:
 * @initial_window: receive window of each new stream, at least
 *   %SATORI_YAMUX_DEFAULT_WINDOW
 * @max_window: the largest receive window auto-tuning grows to
 * @max_streams: most streams open at once, both directions together
 * @max_message_size: largest data frame payload sent
 * @max_pending_output: bytes of frames queued before sends are refused;
 *   a stream with nothing queued may still queue 1 KiB
 * @keepalive_interval_us: time between keep-alive pings, 0 for none
 * @keepalive_timeout_us: how long a ping may stay unanswered
 *
 * Session limits. satori_yamux_config_init() fills in the defaults.
 */
typedef struct {
  guint32 initial_window;
  guint32 max_window;
  guint max_streams;
  guint32 max_message_size;
  gsize max_pending_output;
  gint64 keepalive_interval_us;
  gint64 keepalive_timeout_us;
  guint max_unacked_streams;
} SatoriYamuxConfig;

void satori_yamux_config_init (SatoriYamuxConfig *config);

/**
 * SatoriYamuxEventType:
 * @SATORI_YAMUX_EVENT_STREAM_OPENED: the remote opened @stream_id
 * @SATORI_YAMUX_EVENT_STREAM_DATA: @data arrived on @stream_id; give the
 *   window back with satori_yamux_session_consume() once it is used
 * @SATORI_YAMUX_EVENT_STREAM_FINISHED: the remote will send no more on @stream_id
 * @SATORI_YAMUX_EVENT_STREAM_RESET: the remote reset @stream_id, which is gone
 * @SATORI_YAMUX_EVENT_STREAM_WRITABLE: @stream_id, which was refused
 *   bytes, can send again
 * @SATORI_YAMUX_EVENT_GO_AWAY: the remote will accept no new streams; @code
 *   says why
 * @SATORI_YAMUX_EVENT_PING_RTT: a ping came back after @rtt_us
 * @SATORI_YAMUX_EVENT_SESSION_CLOSED: the session is over; @error says why,
 *   or is %NULL after a normal GoAway from the remote
 *
 * What satori_yamux_session_poll_event() reports.
 */
typedef enum {
  SATORI_YAMUX_EVENT_STREAM_OPENED,
  SATORI_YAMUX_EVENT_STREAM_DATA,
  SATORI_YAMUX_EVENT_STREAM_FINISHED,
  SATORI_YAMUX_EVENT_STREAM_RESET,
  SATORI_YAMUX_EVENT_STREAM_WRITABLE,
  SATORI_YAMUX_EVENT_GO_AWAY,
  SATORI_YAMUX_EVENT_PING_RTT,
  SATORI_YAMUX_EVENT_SESSION_CLOSED,
} SatoriYamuxEventType;

/**
 * SatoriYamuxEvent:
 * @type: what happened
 * @stream_id: the stream, for stream events
 * @data: the bytes of %SATORI_YAMUX_EVENT_STREAM_DATA
 * @code: the code of %SATORI_YAMUX_EVENT_GO_AWAY
 * @rtt_us: the round trip of %SATORI_YAMUX_EVENT_PING_RTT
 * @error: why the session closed
 *
 * One event; free its members with satori_yamux_event_clear().
 */
typedef struct {
  SatoriYamuxEventType type;
  guint32 stream_id;
  GBytes *data;
  guint32 code;
  gint64 rtt_us;
  GError *error;
} SatoriYamuxEvent;

void satori_yamux_event_clear (SatoriYamuxEvent *event);

typedef struct _SatoriYamuxSession SatoriYamuxSession;

SatoriYamuxSession *satori_yamux_session_new (gboolean                 is_client,
                                              const SatoriYamuxConfig *config);
void      satori_yamux_session_free (SatoriYamuxSession *session);

gboolean  satori_yamux_session_handle_input (SatoriYamuxSession *session,
                                             const guint8       *data,
                                             gsize               len,
                                             gint64              now_us,
                                             gsize              *consumed,
                                             GError            **error);
gint64    satori_yamux_session_next_deadline_us (SatoriYamuxSession *session);
void      satori_yamux_session_handle_timeout (SatoriYamuxSession *session,
                                               gint64              now_us);
gsize     satori_yamux_session_poll_transmit (SatoriYamuxSession *session,
                                              guint8             *buf,
                                              gsize               cap);
gsize     satori_yamux_session_get_pending_output (SatoriYamuxSession *session);
gboolean  satori_yamux_session_poll_event (SatoriYamuxSession *session,
                                           SatoriYamuxEvent   *event);

guint32   satori_yamux_session_open_stream (SatoriYamuxSession *session,
                                            gint64              now_us,
                                            GError            **error);
gsize     satori_yamux_session_send (SatoriYamuxSession *session,
                                     guint32             stream_id,
                                     const guint8       *data,
                                     gsize               len,
                                     GError            **error);
gsize     satori_yamux_session_get_send_capacity (SatoriYamuxSession *session,
                                                  guint32             stream_id);
gboolean  satori_yamux_session_close_stream (SatoriYamuxSession *session,
                                             guint32             stream_id,
                                             GError            **error);
void      satori_yamux_session_reset_stream (SatoriYamuxSession *session,
                                             guint32             stream_id);
void      satori_yamux_session_consume (SatoriYamuxSession *session,
                                        guint32             stream_id,
                                        gsize               n,
                                        gint64              now_us);
void      satori_yamux_session_go_away (SatoriYamuxSession    *session,
                                        SatoriYamuxGoAwayCode  code);
void      satori_yamux_session_ping (SatoriYamuxSession *session,
                                     gint64              now_us);

gboolean  satori_yamux_session_is_closed (SatoriYamuxSession *session);
guint     satori_yamux_session_get_n_streams (SatoriYamuxSession *session);
guint32   satori_yamux_session_get_receive_window (SatoriYamuxSession *session,
                                                   guint32             stream_id);
gint64    satori_yamux_session_get_rtt_us (SatoriYamuxSession *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriYamuxSession, satori_yamux_session_free)

G_END_DECLS
