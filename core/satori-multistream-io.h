/* satori-multistream-io.h — multistream-select over a GIOStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-errors.h"

G_BEGIN_DECLS

void  satori_multistream_select_async (GIOStream *stream,
                                       const char * const *protocols,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
char *satori_multistream_select_finish (GIOStream *stream,
                                        GAsyncResult *result,
                                        GError **error);

void  satori_multistream_handle_async (GIOStream *stream,
                                       const char * const *protocols,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
char *satori_multistream_handle_finish (GIOStream *stream,
                                        GAsyncResult *result,
                                        GError **error);

G_END_DECLS
