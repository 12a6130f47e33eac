/* satori-yamux-stream.h — one yamux stream as a GIOStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SatoriYamuxConnection SatoriYamuxConnection;

#define SATORI_TYPE_YAMUX_STREAM (satori_yamux_stream_get_type ())
G_DECLARE_FINAL_TYPE (SatoriYamuxStream, satori_yamux_stream, SATORI, YAMUX_STREAM, GIOStream)

guint32 satori_yamux_stream_get_id (SatoriYamuxStream *self);
void    satori_yamux_stream_reset (SatoriYamuxStream *self);

/* For SatoriYamuxConnection. */
SatoriYamuxStream *satori_yamux_stream_new (SatoriYamuxConnection *connection,
                                            guint32                id);
void    satori_yamux_stream_push_data (SatoriYamuxStream *self,
                                       GBytes            *data);
void    satori_yamux_stream_push_fin (SatoriYamuxStream *self);
void    satori_yamux_stream_push_reset (SatoriYamuxStream *self);
void    satori_yamux_stream_push_closed (SatoriYamuxStream *self,
                                         const GError      *error);

/* For its input and output streams. */
gboolean satori_yamux_stream_is_ready (SatoriYamuxStream *self,
                                       gboolean           for_write);
GSource *satori_yamux_stream_create_source (SatoriYamuxStream *self,
                                            GObject           *pollable,
                                            gboolean           for_write,
                                            GCancellable      *cancellable);
gssize   satori_yamux_stream_read (SatoriYamuxStream *self,
                                   void              *buffer,
                                   gsize              count,
                                   gboolean           blocking,
                                   GCancellable      *cancellable,
                                   GError           **error);
gssize   satori_yamux_stream_write (SatoriYamuxStream *self,
                                    const void        *buffer,
                                    gsize              count,
                                    gboolean           blocking,
                                    GCancellable      *cancellable,
                                    GError           **error);
void     satori_yamux_stream_close_read (SatoriYamuxStream *self);
void     satori_yamux_stream_close_write (SatoriYamuxStream *self);

G_END_DECLS
