/* satori-perf-session.c — the sans-I/O /perf/1.0.0 core
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Only the sizes matter in perf: the core counts bytes and knows when to
 * send, when to close the write side and when the exchange is over. The
 * payload is whatever the caller's buffer holds; no byte is touched.
 */
#include "satori-perf-session.h"

#include <gio/gio.h>
#include <string.h>

struct _SatoriPerfSession
{
  SatoriPerfRole role;
  SatoriPerfState state;
  guint8 header[SATORI_PERF_HEADER_LENGTH];
  gsize header_len;              /* server: header bytes gathered */
  gboolean header_pending;       /* client: the header is still to send */
  guint64 download_size;         /* what the server sends back */
  guint64 to_send;               /* payload still to send */
  guint64 sent;                  /* payload sent */
  guint64 received;              /* payload received */
};

/**
 * satori_perf_session_new_client:
 * @upload_bytes: how many bytes to upload
 * @download_bytes: how many bytes to ask the server for
 *
 * Returns: (transfer full): a client session, in %SATORI_PERF_STATE_SENDING
 */
SatoriPerfSession *
satori_perf_session_new_client (guint64 upload_bytes, guint64 download_bytes)
{
  SatoriPerfSession *session = g_new0 (SatoriPerfSession, 1);
  guint64 be = GUINT64_TO_BE (download_bytes);

  session->role = SATORI_PERF_ROLE_CLIENT;
  session->state = SATORI_PERF_STATE_SENDING;
  memcpy (session->header, &be, sizeof be);
  session->header_pending = TRUE;
  session->download_size = download_bytes;
  session->to_send = upload_bytes;
  return session;
}

/**
 * satori_perf_session_new_server:
 *
 * Returns: (transfer full): a server session, in %SATORI_PERF_STATE_HEADER
 */
SatoriPerfSession *
satori_perf_session_new_server (void)
{
  SatoriPerfSession *session = g_new0 (SatoriPerfSession, 1);

  session->role = SATORI_PERF_ROLE_SERVER;
  session->state = SATORI_PERF_STATE_HEADER;
  return session;
}

/**
 * satori_perf_session_free:
 * @session: (transfer full): a session
 */
void
satori_perf_session_free (SatoriPerfSession *session)
{
  g_free (session);
}

/**
 * satori_perf_session_get_state:
 * @session: a session
 *
 * Returns: what the session waits for
 */
SatoriPerfState
satori_perf_session_get_state (SatoriPerfSession *session)
{
  return session->state;
}

/**
 * satori_perf_session_handle_input:
 * @session: a session in %SATORI_PERF_STATE_HEADER or
 *   %SATORI_PERF_STATE_RECEIVING
 * @data: (array length=len): bytes read from the stream
 * @len: how many
 *
 * Takes the header, if still expected, and counts the rest.
 */
void
satori_perf_session_handle_input (SatoriPerfSession *session, const guint8 *data, gsize len)
{
  g_return_if_fail (session->state == SATORI_PERF_STATE_HEADER ||
                    session->state == SATORI_PERF_STATE_RECEIVING);

  if (session->state == SATORI_PERF_STATE_HEADER)
    {
      gsize take = MIN (len, SATORI_PERF_HEADER_LENGTH - session->header_len);
      memcpy (session->header + session->header_len, data, take);
      session->header_len += take;
      len -= take;
      if (session->header_len < SATORI_PERF_HEADER_LENGTH)
        return;
      guint64 be;
      memcpy (&be, session->header, sizeof be);
      session->download_size = GUINT64_FROM_BE (be);
      session->state = SATORI_PERF_STATE_RECEIVING;
    }
  session->received += len;
}

/**
 * satori_perf_session_handle_eof:
 * @session: a session in %SATORI_PERF_STATE_HEADER or
 *   %SATORI_PERF_STATE_RECEIVING
 * @error: return location for a #GError
 *
 * The remote closed its write side. A server then sends; a client is done
 * if it got exactly what it asked for.
 *
 * Returns: %FALSE with %G_IO_ERROR_PARTIAL_INPUT if the header was cut
 *   short, or %G_IO_ERROR_INVALID_DATA if a client got the wrong amount
 */
gboolean
satori_perf_session_handle_eof (SatoriPerfSession *session, GError **error)
{
  g_return_val_if_fail (session->state == SATORI_PERF_STATE_HEADER ||
                        session->state == SATORI_PERF_STATE_RECEIVING, FALSE);

  if (session->state == SATORI_PERF_STATE_HEADER)
    {
      session->state = SATORI_PERF_STATE_DONE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   "perf request cut short after %" G_GSIZE_FORMAT " of %d header bytes",
                   session->header_len, SATORI_PERF_HEADER_LENGTH);
      return FALSE;
    }
  if (session->role == SATORI_PERF_ROLE_SERVER)
    {
      session->to_send = session->download_size;
      session->state = SATORI_PERF_STATE_SENDING;
      return TRUE;
    }
  session->state = SATORI_PERF_STATE_DONE;
  if (session->received != session->download_size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "perf server sent %" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT
                   " were asked for", session->received, session->download_size);
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_perf_session_poll_transmit:
 * @session: a session in %SATORI_PERF_STATE_SENDING
 * @buffer: (array length=capacity): the caller's send buffer
 * @capacity: its size, at least %SATORI_PERF_HEADER_LENGTH
 *
 * Says how much of @buffer to send next. The client's header is written
 * at the start of @buffer; payload bytes are left as they are. When all is
 * sent, returns 0 and moves to %SATORI_PERF_STATE_CLOSING.
 *
 * Returns: how many bytes of @buffer to send
 */
gsize
satori_perf_session_poll_transmit (SatoriPerfSession *session, guint8 *buffer, gsize capacity)
{
  gsize n = 0;

  g_return_val_if_fail (session->state == SATORI_PERF_STATE_SENDING, 0);
  g_return_val_if_fail (capacity >= SATORI_PERF_HEADER_LENGTH, 0);

  if (session->header_pending)
    {
      memcpy (buffer, session->header, SATORI_PERF_HEADER_LENGTH);
      n = SATORI_PERF_HEADER_LENGTH;
      session->header_pending = FALSE;
    }
  gsize payload = (gsize) MIN ((guint64) (capacity - n), session->to_send);
  session->to_send -= payload;
  session->sent += payload;
  n += payload;
  if (n == 0)
    session->state = SATORI_PERF_STATE_CLOSING;
  return n;
}

/**
 * satori_perf_session_write_closed:
 * @session: a session in %SATORI_PERF_STATE_CLOSING
 *
 * The write side is closed: a client now receives, a server is done.
 */
void
satori_perf_session_write_closed (SatoriPerfSession *session)
{
  g_return_if_fail (session->state == SATORI_PERF_STATE_CLOSING);

  session->state = session->role == SATORI_PERF_ROLE_CLIENT ? SATORI_PERF_STATE_RECEIVING
                                                            : SATORI_PERF_STATE_DONE;
}

/**
 * satori_perf_session_get_received:
 * @session: a session
 *
 * Returns: payload bytes received (the server's header not counted)
 */
guint64
satori_perf_session_get_received (SatoriPerfSession *session)
{
  return session->received;
}

/**
 * satori_perf_session_get_sent:
 * @session: a session
 *
 * Returns: payload bytes handed out by satori_perf_session_poll_transmit()
 *   (the client's header not counted)
 */
guint64
satori_perf_session_get_sent (SatoriPerfSession *session)
{
  return session->sent;
}

/**
 * satori_perf_session_get_download_size:
 * @session: a session
 *
 * Returns: the download size asked for (a server knows it once the header
 *   is in)
 */
guint64
satori_perf_session_get_download_size (SatoriPerfSession *session)
{
  return session->download_size;
}
