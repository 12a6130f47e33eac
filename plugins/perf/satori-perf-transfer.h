/* satori-perf-transfer.h — runs a perf session over a stream (GIO adapter)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-perf-session.h"

G_BEGIN_DECLS

/**
 * SATORI_PERF_BUFFER_SIZE:
 *
 * The size of each read and write: large, so that the per-call cost of
 * the muxer and the security layer is spread over many bytes.
 */
#define SATORI_PERF_BUFFER_SIZE (256 * 1024)

void     satori_perf_transfer_async  (GIOStream           *stream,
                                      SatoriPerfSession   *session,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean satori_perf_transfer_finish (GAsyncResult  *result,
                                      gint64        *write_closed_us,
                                      gint64        *first_input_us,
                                      GError       **error);

G_END_DECLS
