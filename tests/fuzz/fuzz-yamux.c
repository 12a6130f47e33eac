/* Fuzz target: arbitrary bytes into a yamux session. It must never crash,
 * and what it holds must stay bounded. The first byte picks the role, the
 * chunk sizes and how the application behaves; the rest is the input.
 *
 * The session is compiled in here: fuzz targets link only the test helpers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdint.h>

#include "satori-yamux-session.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GLogWriterOutput
quiet_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Reacts as an application might: consumes data (or not), answers on
 * accepted streams, closes and resets some. */
static void
drain_events (SatoriYamuxSession *session, guint8 mode, gint64 now)
{
  SatoriYamuxEvent event;

  while (satori_yamux_session_poll_event (session, &event))
    {
      g_assert_cmpint (event.type, <=, SATORI_YAMUX_EVENT_SESSION_CLOSED);
      switch (event.type)
        {
        case SATORI_YAMUX_EVENT_STREAM_DATA:
          g_assert_cmpuint (g_bytes_get_size (event.data), >, 0);
          if (mode & 0x10)
            satori_yamux_session_consume (session, event.stream_id,
                                          g_bytes_get_size (event.data), now);
          break;
        case SATORI_YAMUX_EVENT_STREAM_OPENED:
          satori_yamux_session_send (session, event.stream_id, (const guint8 *) "hi", 2, NULL);
          if (mode & 0x20)
            satori_yamux_session_close_stream (session, event.stream_id, NULL);
          if ((mode & 0x40) && event.stream_id % 3 == 0)
            satori_yamux_session_reset_stream (session, event.stream_id);
          break;
        default:
          break;
        }
      satori_yamux_event_clear (&event);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gboolean quiet;
  SatoriYamuxConfig config;
  guint8 out[4096];
  gint64 now = 0;

  if (size == 0)
    return 0;
  if (!quiet)
    {
      /* Every protocol error is logged with g_message(): keep it quiet. */
      g_log_set_writer_func (quiet_writer, NULL, NULL);
      quiet = TRUE;
    }
  guint8 mode = data[0];
  data++;
  size--;

  satori_yamux_config_init (&config);
  config.max_streams = 16;
  config.keepalive_interval_us = 1000;
  config.keepalive_timeout_us = 500;
  g_autoptr(SatoriYamuxSession) session = satori_yamux_session_new (mode & 1, &config);
  if (mode & 2)
    satori_yamux_session_open_stream (session, now, NULL);

  gsize pos = 0;
  while (pos < size)
    {
      gsize chunk = MIN ((gsize) (mode >> 2 & 3) * 97 + 1 + pos % 13, size - pos);
      gsize consumed;
      gboolean ok = satori_yamux_session_handle_input (session, data + pos, chunk, now,
                                                       &consumed, NULL);

      g_assert_cmpuint (consumed, <=, chunk);
      pos += consumed;
      drain_events (session, mode, now);
      /* Output is bounded even when the remote provokes answers. */
      g_assert_cmpuint (satori_yamux_session_get_pending_output (session), <=,
                        config.max_pending_output + SATORI_YAMUX_CONTROL_SLACK + 64 * 1024);
      while (satori_yamux_session_poll_transmit (session, out, sizeof out) > 0)
        ;
      drain_events (session, mode, now);
      if (!ok)
        break;
      now += 100;
      gint64 deadline = satori_yamux_session_next_deadline_us (session);
      if (deadline >= 0 && deadline <= now)
        satori_yamux_session_handle_timeout (session, now);
    }
  g_assert_cmpuint (satori_yamux_session_get_n_streams (session), <=, config.max_streams);
  return 0;
}
