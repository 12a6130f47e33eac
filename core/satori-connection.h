/* satori-connection.h — an upgraded connection to one peer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-muxed-connection.h"
#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SatoriDirection:
 * @SATORI_DIRECTION_INBOUND: the remote dialed us
 * @SATORI_DIRECTION_OUTBOUND: we dialed the remote
 *
 * Who opened a connection.
 */
typedef enum {
  SATORI_DIRECTION_INBOUND,
  SATORI_DIRECTION_OUTBOUND,
} SatoriDirection;

#define SATORI_TYPE_CONNECTION (satori_connection_get_type ())
G_DECLARE_FINAL_TYPE (SatoriConnection, satori_connection, SATORI, CONNECTION, GObject)

SatoriConnection      *satori_connection_new (SatoriMuxedConnection *muxed,
                                              SatoriPeerId          *remote_peer,
                                              SatoriMultiaddr       *remote_address,
                                              SatoriDirection        direction,
                                              const char            *security_protocol,
                                              const char            *muxer_protocol);

SatoriPeerId          *satori_connection_get_remote_peer (SatoriConnection *connection);
SatoriMultiaddr       *satori_connection_get_remote_address (SatoriConnection *connection);
SatoriDirection        satori_connection_get_direction (SatoriConnection *connection);
const char            *satori_connection_get_security_protocol (SatoriConnection *connection);
const char            *satori_connection_get_muxer_protocol (SatoriConnection *connection);
SatoriMuxedConnection *satori_connection_get_muxed (SatoriConnection *connection);
gboolean               satori_connection_is_closed (SatoriConnection *connection);

void       satori_connection_open_stream_async (SatoriConnection    *connection,
                                                const char * const  *protocols,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GIOStream *satori_connection_open_stream_finish (SatoriConnection  *connection,
                                                 GAsyncResult      *result,
                                                 char             **protocol,
                                                 GError           **error);
void       satori_connection_close_async (SatoriConnection    *connection,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean   satori_connection_close_finish (SatoriConnection  *connection,
                                           GAsyncResult      *result,
                                           GError           **error);

G_END_DECLS
