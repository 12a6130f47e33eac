/* satori-sim-metrics.h: who got which message, and when
 *
 * For each published message the driver names the hosts expected to get
 * it (live honest subscribers but the author); deliveries to them count
 * towards the delivery ratio and the latency percentiles, deliveries to
 * anyone else are only counted as such.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SatoriSimMetrics SatoriSimMetrics;

typedef struct {
  guint   messages;
  guint   complete;        /* messages every expected host got */
  guint64 expected;        /* (message, host) pairs expected */
  guint64 delivered;       /* of those, delivered */
  guint64 duplicates;      /* deliveries of a message the host had already */
  guint64 unexpected;      /* deliveries to hosts not expected (sybils, the author) */
  double  delivery_ratio;  /* delivered / expected; 1 when nothing was expected */
  gint64  p50_us, p90_us, p99_us, max_us;  /* nearest rank; -1 when nothing was delivered */
} SatoriSimSummary;

SatoriSimMetrics *satori_sim_metrics_new (guint n_hosts);
void              satori_sim_metrics_free (SatoriSimMetrics *metrics);

/* Returns the message's index, or G_MAXUINT when @message_id is known already. */
guint             satori_sim_metrics_add_message (SatoriSimMetrics *metrics, GBytes *message_id,
                                                  gint64 published_us);
void              satori_sim_metrics_expect (SatoriSimMetrics *metrics, guint message, guint host);
void              satori_sim_metrics_delivered (SatoriSimMetrics *metrics, GBytes *message_id,
                                                guint host, gint64 now_us);
/* The delivery latency of @message at @host, or -1 if it did not arrive (or was not expected). */
gint64            satori_sim_metrics_get_latency (SatoriSimMetrics *metrics, guint message,
                                                  guint host);
void              satori_sim_metrics_summarise (SatoriSimMetrics *metrics,
                                                SatoriSimSummary *summary);
/* The same over the messages from index @first on (duplicates and
 * unexpected stay whole-run counts). */
void              satori_sim_metrics_summarise_from (SatoriSimMetrics *metrics, guint first,
                                                     SatoriSimSummary *summary);

/* CPU seconds (user and system) the process has used so far. */
double            satori_sim_cpu_seconds (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriSimMetrics, satori_sim_metrics_free)

G_END_DECLS
