/* satori-multistream-lazy.h — the shared state of a lazily negotiated stream
 *
 * Private to SatoriMultistreamLazyStream and its two halves.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SatoriMultistreamLazy SatoriMultistreamLazy;

SatoriMultistreamLazy *satori_multistream_lazy_new (GIOStream *base, const char *protocol);
SatoriMultistreamLazy *satori_multistream_lazy_ref (SatoriMultistreamLazy *self);
void                   satori_multistream_lazy_unref (SatoriMultistreamLazy *self);

GIOStream             *satori_multistream_lazy_get_base (SatoriMultistreamLazy *self);
const char            *satori_multistream_lazy_get_protocol (SatoriMultistreamLazy *self);

gssize                 satori_multistream_lazy_read (SatoriMultistreamLazy *self, void *buffer,
                                                     gsize count, gboolean blocking,
                                                     GCancellable *cancellable, GError **error);
gssize                 satori_multistream_lazy_write (SatoriMultistreamLazy *self,
                                                      const void *buffer, gsize count,
                                                      gboolean blocking,
                                                      GCancellable *cancellable,
                                                      GError **error);
gboolean               satori_multistream_lazy_flush (SatoriMultistreamLazy *self,
                                                      GCancellable *cancellable, GError **error);
void                   satori_multistream_lazy_complete_async (SatoriMultistreamLazy *self,
                                                               GCancellable *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer user_data);
gboolean               satori_multistream_lazy_complete_finish (GAsyncResult *result,
                                                                GError **error);

gboolean               satori_multistream_lazy_can_poll (SatoriMultistreamLazy *self);
gboolean               satori_multistream_lazy_is_readable (SatoriMultistreamLazy *self);
GSource               *satori_multistream_lazy_create_read_source (SatoriMultistreamLazy *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMultistreamLazy, satori_multistream_lazy_unref)

G_END_DECLS
