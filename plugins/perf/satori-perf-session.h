/* satori-perf-session.h — the sans-I/O /perf/1.0.0 core
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SATORI_PERF_PROTOCOL_ID:
 *
 * The protocol id of libp2p's perf protocol.
 */
#define SATORI_PERF_PROTOCOL_ID "/perf/1.0.0"

/**
 * SATORI_PERF_HEADER_LENGTH:
 *
 * The size of the request header: the download size as a big-endian uint64.
 */
#define SATORI_PERF_HEADER_LENGTH 8

/**
 * SatoriPerfRole:
 * @SATORI_PERF_ROLE_CLIENT: opens the stream, uploads, then downloads
 * @SATORI_PERF_ROLE_SERVER: reads the request, then sends what was asked
 *
 * Which side of a perf stream a session plays.
 */
typedef enum {
  SATORI_PERF_ROLE_CLIENT,
  SATORI_PERF_ROLE_SERVER,
} SatoriPerfRole;

/**
 * SatoriPerfState:
 * @SATORI_PERF_STATE_HEADER: the server waits for the 8-byte header
 * @SATORI_PERF_STATE_RECEIVING: read and count until the remote closes
 * @SATORI_PERF_STATE_SENDING: satori_perf_session_poll_transmit() has bytes
 * @SATORI_PERF_STATE_CLOSING: everything is sent: close the write side,
 *   then call satori_perf_session_write_closed()
 * @SATORI_PERF_STATE_DONE: the exchange is over
 *
 * What a session waits for. A client goes SENDING, CLOSING, RECEIVING,
 * DONE; a server HEADER, RECEIVING, SENDING, CLOSING, DONE.
 */
typedef enum {
  SATORI_PERF_STATE_HEADER,
  SATORI_PERF_STATE_RECEIVING,
  SATORI_PERF_STATE_SENDING,
  SATORI_PERF_STATE_CLOSING,
  SATORI_PERF_STATE_DONE,
} SatoriPerfState;

typedef struct _SatoriPerfSession SatoriPerfSession;

SatoriPerfSession *satori_perf_session_new_client (guint64 upload_bytes,
                                                   guint64 download_bytes);
SatoriPerfSession *satori_perf_session_new_server (void);
void               satori_perf_session_free (SatoriPerfSession *session);

SatoriPerfState    satori_perf_session_get_state (SatoriPerfSession *session);
void               satori_perf_session_handle_input (SatoriPerfSession *session,
                                                     const guint8      *data,
                                                     gsize              len);
gboolean           satori_perf_session_handle_eof (SatoriPerfSession  *session,
                                                   GError            **error);
gsize              satori_perf_session_poll_transmit (SatoriPerfSession *session,
                                                      guint8            *buffer,
                                                      gsize              capacity);
void               satori_perf_session_write_closed (SatoriPerfSession *session);

guint64            satori_perf_session_get_received (SatoriPerfSession *session);
guint64            satori_perf_session_get_sent (SatoriPerfSession *session);
guint64            satori_perf_session_get_download_size (SatoriPerfSession *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPerfSession, satori_perf_session_free)

G_END_DECLS
