/* satori-metrics-histogram.c — each observation counts in exactly one
 * bucket (the first whose upper bound holds it, or +Inf); the buckets are
 * made cumulative once, when written. (The original recorded them
 * cumulatively and then summed them again, so every `le` was wrong.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-metrics-histogram.h"

#include "satori-metrics-text.h"

struct _SatoriMetricsHistogram
{
  double *bounds;      /* increasing upper bounds, +Inf implied */
  guint n_bounds;
  guint64 *counts;     /* n_bounds + 1: per bucket, not cumulative */
  double sum;
};

/**
 * satori_metrics_histogram_new:
 * @bounds: (array length=n_bounds): the buckets' upper bounds, increasing
 * @n_bounds: how many (the +Inf bucket is added)
 *
 * Returns: (transfer full): an empty histogram
 */
SatoriMetricsHistogram *
satori_metrics_histogram_new (const double *bounds, guint n_bounds)
{
  SatoriMetricsHistogram *histogram = g_new0 (SatoriMetricsHistogram, 1);

  for (guint i = 1; i < n_bounds; i++)
    g_return_val_if_fail (bounds[i - 1] < bounds[i], histogram);
  histogram->bounds = g_memdup2 (bounds, n_bounds * sizeof (double));
  histogram->n_bounds = n_bounds;
  histogram->counts = g_new0 (guint64, n_bounds + 1);
  return histogram;
}

/**
 * satori_metrics_histogram_free:
 * @histogram: a histogram
 */
void
satori_metrics_histogram_free (SatoriMetricsHistogram *histogram)
{
  g_free (histogram->bounds);
  g_free (histogram->counts);
  g_free (histogram);
}

/**
 * satori_metrics_histogram_observe:
 * @histogram: a histogram
 * @value: an observation
 *
 * Counts @value in its bucket and in the sum.
 */
void
satori_metrics_histogram_observe (SatoriMetricsHistogram *histogram, double value)
{
  guint bucket = 0;

  while (bucket < histogram->n_bounds && value > histogram->bounds[bucket])
    bucket++;
  histogram->counts[bucket]++;
  histogram->sum += value;
}

/**
 * satori_metrics_histogram_write:
 * @histogram: a histogram
 * @out: the exposition
 * @name: the family's name
 * @help: its help line
 *
 * Appends the family: cumulative `_bucket{le=…}` samples ending with
 * `le="+Inf"`, then `_sum` and `_count` (which equals the +Inf bucket).
 */
void
satori_metrics_histogram_write (SatoriMetricsHistogram *histogram, GString *out,
                                const char *name, const char *help)
{
  g_autofree char *bucket_name = g_strconcat (name, "_bucket", NULL);
  g_autofree char *sum_name = g_strconcat (name, "_sum", NULL);
  g_autofree char *count_name = g_strconcat (name, "_count", NULL);
  guint64 cumulative = 0;

  satori_metrics_text_header (out, name, "histogram", help);
  for (guint i = 0; i <= histogram->n_bounds; i++)
    {
      g_autoptr(GString) labels = g_string_new (NULL);
      char bound[G_ASCII_DTOSTR_BUF_SIZE];
      cumulative += histogram->counts[i];
      satori_metrics_text_label (labels, "le",
                                 i < histogram->n_bounds
                                 ? satori_metrics_text_format_double (bound,
                                                                      histogram->bounds[i])
                                 : "+Inf");
      satori_metrics_text_uint (out, bucket_name, labels, cumulative);
    }
  satori_metrics_text_double (out, sum_name, NULL, histogram->sum);
  satori_metrics_text_uint (out, count_name, NULL, cumulative);
}
