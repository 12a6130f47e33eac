/* satori-metrics-histogram.h — a Prometheus histogram
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriMetricsHistogram SatoriMetricsHistogram;

SatoriMetricsHistogram *satori_metrics_histogram_new (const double *bounds,
                                                      guint         n_bounds);
void                    satori_metrics_histogram_free (SatoriMetricsHistogram *histogram);
void                    satori_metrics_histogram_observe (SatoriMetricsHistogram *histogram,
                                                          double                  value);
void                    satori_metrics_histogram_write (SatoriMetricsHistogram *histogram,
                                                        GString                *out,
                                                        const char             *name,
                                                        const char             *help);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMetricsHistogram, satori_metrics_histogram_free)

G_END_DECLS
