/* satori-sim-metrics.c: delivery records and latency percentiles, CPU time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-metrics.h"

#include <sys/resource.h>

/* Per message and host: not expected (and not yet / already delivered),
 * expected and pending, or the latency (≥ 0). */
#define NOT_EXPECTED     G_MININT64
#define UNEXPECTED_SEEN  (G_MININT64 + 1)
#define PENDING          (-1)

typedef struct {
  gint64  published_us;
  gint64 *latency;  /* per host */
} Message;

struct _SatoriSimMetrics {
  guint       n_hosts;
  GPtrArray  *messages;  /* of Message */
  GHashTable *by_id;     /* GBytes → index + 1 */
  guint64     duplicates;
  guint64     unexpected;
};

static void
message_free (gpointer data)
{
  Message *message = data;
  g_free (message->latency);
  g_free (message);
}

SatoriSimMetrics *
satori_sim_metrics_new (guint n_hosts)
{
  SatoriSimMetrics *metrics = g_new0 (SatoriSimMetrics, 1);
  metrics->n_hosts = n_hosts;
  metrics->messages = g_ptr_array_new_with_free_func (message_free);
  metrics->by_id = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                          (GDestroyNotify) g_bytes_unref, NULL);
  return metrics;
}

void
satori_sim_metrics_free (SatoriSimMetrics *metrics)
{
  if (metrics == NULL)
    return;
  g_ptr_array_unref (metrics->messages);
  g_hash_table_unref (metrics->by_id);
  g_free (metrics);
}

guint
satori_sim_metrics_add_message (SatoriSimMetrics *metrics, GBytes *message_id, gint64 published_us)
{
  if (g_hash_table_contains (metrics->by_id, message_id))
    return G_MAXUINT;

  Message *message = g_new0 (Message, 1);
  message->published_us = published_us;
  message->latency = g_new (gint64, metrics->n_hosts);
  for (guint i = 0; i < metrics->n_hosts; i++)
    message->latency[i] = NOT_EXPECTED;
  g_ptr_array_add (metrics->messages, message);
  g_hash_table_insert (metrics->by_id, g_bytes_ref (message_id),
                       GUINT_TO_POINTER (metrics->messages->len));
  return metrics->messages->len - 1;
}

void
satori_sim_metrics_expect (SatoriSimMetrics *metrics, guint message, guint host)
{
  g_return_if_fail (message < metrics->messages->len && host < metrics->n_hosts);
  Message *m = g_ptr_array_index (metrics->messages, message);
  m->latency[host] = PENDING;
}

void
satori_sim_metrics_delivered (SatoriSimMetrics *metrics, GBytes *message_id, guint host,
                              gint64 now_us)
{
  g_return_if_fail (host < metrics->n_hosts);
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (metrics->by_id, message_id));
  if (index == 0)
    {
      /* Not published through the driver: nothing to compare with. */
      metrics->unexpected++;
      return;
    }

  Message *m = g_ptr_array_index (metrics->messages, index - 1);
  if (m->latency[host] == PENDING)
    m->latency[host] = now_us - m->published_us;
  else if (m->latency[host] == NOT_EXPECTED)
    {
      m->latency[host] = UNEXPECTED_SEEN;
      metrics->unexpected++;
    }
  else
    metrics->duplicates++;
}

gint64
satori_sim_metrics_get_latency (SatoriSimMetrics *metrics, guint message, guint host)
{
  g_return_val_if_fail (message < metrics->messages->len && host < metrics->n_hosts, -1);
  Message *m = g_ptr_array_index (metrics->messages, message);
  return MAX (m->latency[host], -1);
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least @percent of them at or below it. */
static gint64
percentile (GArray *sorted, guint percent)
{
  if (sorted->len == 0)
    return -1;
  guint64 rank = ((guint64) sorted->len * percent + 99) / 100;
  return g_array_index (sorted, gint64, MAX (rank, 1) - 1);
}

void
satori_sim_metrics_summarise (SatoriSimMetrics *metrics, SatoriSimSummary *summary)
{
  satori_sim_metrics_summarise_from (metrics, 0, summary);
}

void
satori_sim_metrics_summarise_from (SatoriSimMetrics *metrics, guint first,
                                   SatoriSimSummary *summary)
{
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));

  *summary = (SatoriSimSummary) { .messages = metrics->messages->len - MIN (first, metrics->messages->len) };
  for (guint i = first; i < metrics->messages->len; i++)
    {
      Message *m = g_ptr_array_index (metrics->messages, i);
      gboolean complete = TRUE;
      for (guint h = 0; h < metrics->n_hosts; h++)
        {
          if (m->latency[h] == NOT_EXPECTED || m->latency[h] == UNEXPECTED_SEEN)
            continue;
          summary->expected++;
          if (m->latency[h] == PENDING)
            {
              complete = FALSE;
              continue;
            }
          summary->delivered++;
          g_array_append_val (latencies, m->latency[h]);
        }
      summary->complete += complete;
    }
  g_array_sort (latencies, compare_gint64);

  summary->duplicates = metrics->duplicates;
  summary->unexpected = metrics->unexpected;
  summary->delivery_ratio = summary->expected == 0 ? 1.0
                            : (double) summary->delivered / summary->expected;
  summary->p50_us = percentile (latencies, 50);
  summary->p90_us = percentile (latencies, 90);
  summary->p99_us = percentile (latencies, 99);
  summary->max_us = percentile (latencies, 100);
}

double
satori_sim_cpu_seconds (void)
{
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}
