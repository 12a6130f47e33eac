/* satori-metrics.h — the daemon's Prometheus metrics
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-daemon-model.h"

G_BEGIN_DECLS

#define SATORI_TYPE_METRICS (satori_metrics_get_type ())
G_DECLARE_FINAL_TYPE (SatoriMetrics, satori_metrics, SATORI, METRICS, GObject)

SatoriMetrics *satori_metrics_new (SatoriDaemonModel *model);
void           satori_metrics_observe_ping (SatoriMetrics *metrics,
                                            double         seconds);
char          *satori_metrics_render (SatoriMetrics *metrics);

G_END_DECLS
