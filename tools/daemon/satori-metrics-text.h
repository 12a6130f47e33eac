/* satori-metrics-text.h — writing the Prometheus text format (0.0.4)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SATORI_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

void satori_metrics_text_header (GString    *out,
                                 const char *name,
                                 const char *type,
                                 const char *help);
void satori_metrics_text_label (GString    *labels,
                                const char *name,
                                const char *value);
void satori_metrics_text_uint (GString    *out,
                               const char *name,
                               GString    *labels,
                               guint64     value);
const char *satori_metrics_text_format_double (char   *buffer,
                                               double  value);
void satori_metrics_text_double (GString    *out,
                                 const char *name,
                                 GString    *labels,
                                 double      value);

G_END_DECLS
