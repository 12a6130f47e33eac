/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The host counts every negotiated stream by protocol id and direction,
 * for the daemon's metrics. Protocol ids come from our own handlers
 * (inbound) or our own proposals (outbound), so the table stays small.
 */
#include "satori-stream-counts.h"

struct _SatoriStreamCounts
{
  GHashTable *table;   /* protocol id → guint64[2]: inbound, outbound */
};

/**
 * satori_stream_counts_new:
 *
 * Returns: (transfer full): an empty table
 */
SatoriStreamCounts *
satori_stream_counts_new (void)
{
  SatoriStreamCounts *counts = g_new0 (SatoriStreamCounts, 1);

  counts->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return counts;
}

/**
 * satori_stream_counts_free:
 * @counts: a table
 */
void
satori_stream_counts_free (SatoriStreamCounts *counts)
{
  g_hash_table_unref (counts->table);
  g_free (counts);
}

/**
 * satori_stream_counts_add:
 * @counts: a table
 * @protocol: the negotiated protocol id
 * @direction: who opened the stream
 *
 * Counts one stream.
 */
void
satori_stream_counts_add (SatoriStreamCounts *counts, const char *protocol,
                          SatoriDirection direction)
{
  guint64 *pair = g_hash_table_lookup (counts->table, protocol);

  if (pair == NULL)
    {
      pair = g_new0 (guint64, 2);
      g_hash_table_insert (counts->table, g_strdup (protocol), pair);
    }
  pair[direction == SATORI_DIRECTION_OUTBOUND]++;
}

/**
 * satori_stream_counts_to_variant:
 * @counts: a table
 *
 * Returns: (transfer floating): `a{s(tt)}`, protocol id → (inbound, outbound)
 */
GVariant *
satori_stream_counts_to_variant (SatoriStreamCounts *counts)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer protocol, pair;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(tt)}"));
  g_hash_table_iter_init (&iter, counts->table);
  while (g_hash_table_iter_next (&iter, &protocol, &pair))
    g_variant_builder_add (&builder, "{s(tt)}", protocol, ((guint64 *) pair)[0],
                           ((guint64 *) pair)[1]);
  return g_variant_builder_end (&builder);
}
