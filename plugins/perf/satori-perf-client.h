/* satori-perf-client.h — runs /perf/1.0.0 against a peer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-host.h"
#include "satori-perf-result.h"

G_BEGIN_DECLS

void              satori_perf_run_async  (SatoriHost          *host,
                                          SatoriPeerId        *peer,
                                          guint64              upload_bytes,
                                          guint64              download_bytes,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
SatoriPerfResult *satori_perf_run_finish (SatoriHost    *host,
                                          GAsyncResult  *result,
                                          GError       **error);

G_END_DECLS
