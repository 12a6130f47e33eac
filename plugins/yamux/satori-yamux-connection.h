/* satori-yamux-connection.h — a yamux session over a GIOStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-muxed-connection.h"
#include "satori-yamux-session.h"

G_BEGIN_DECLS

#define SATORI_TYPE_YAMUX_CONNECTION (satori_yamux_connection_get_type ())
G_DECLARE_FINAL_TYPE (SatoriYamuxConnection, satori_yamux_connection,
                      SATORI, YAMUX_CONNECTION, GObject)

SatoriYamuxConnection *satori_yamux_connection_new (GIOStream               *base,
                                                    gboolean                 is_client,
                                                    const SatoriYamuxConfig *config);
gint64        satori_yamux_connection_get_rtt_us (SatoriYamuxConnection *self);

/* For SatoriYamuxStream. */
GMainContext *satori_yamux_connection_get_context (SatoriYamuxConnection *self);
gsize         satori_yamux_connection_send (SatoriYamuxConnection *self,
                                            guint32                stream_id,
                                            const guint8          *data,
                                            gsize                  len,
                                            GError               **error);
gsize         satori_yamux_connection_get_send_capacity (SatoriYamuxConnection *self,
                                                         guint32                stream_id);
void          satori_yamux_connection_consume (SatoriYamuxConnection *self,
                                               guint32                stream_id,
                                               gsize                  n);
void          satori_yamux_connection_close_stream (SatoriYamuxConnection *self,
                                                    guint32                stream_id);
void          satori_yamux_connection_reset_stream (SatoriYamuxConnection *self,
                                                    guint32                stream_id);
void          satori_yamux_connection_forget_stream (SatoriYamuxConnection *self,
                                                     guint32                stream_id);

G_END_DECLS
