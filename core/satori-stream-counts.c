/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The host counts every negotiated stream by protocol id and direction,
 * and the bytes and messages that go through it, for the daemon's
 * metrics. Protocol ids come from our own handlers (inbound) or our own
 * proposals (outbound), so the table stays small.
 *
 * Connections keep a reference to the table (they count the streams they
 * open), and counted streams one to their protocol's counters, so either
 * may outlive the host.
 */
#include "satori-stream-counts.h"

#include "satori-counted-stream.h"
#include "satori-message-framing.h"
#include "satori-protocol-counters.h"

struct _SatoriStreamCounts
{
  gatomicrefcount ref_count;
  GHashTable *table;   /* protocol id → SatoriProtocolCounters */
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

  g_atomic_ref_count_init (&counts->ref_count);
  counts->table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_atomic_rc_box_release);
  return counts;
}

/**
 * satori_stream_counts_ref:
 * @counts: a table
 *
 * Returns: (transfer full): @counts
 */
SatoriStreamCounts *
satori_stream_counts_ref (SatoriStreamCounts *counts)
{
  g_atomic_ref_count_inc (&counts->ref_count);
  return counts;
}

/**
 * satori_stream_counts_unref:
 * @counts: a table
 */
void
satori_stream_counts_unref (SatoriStreamCounts *counts)
{
  if (!g_atomic_ref_count_dec (&counts->ref_count))
    return;
  g_hash_table_unref (counts->table);
  g_free (counts);
}

/**
 * satori_stream_counts_track:
 * @counts: a table
 * @stream: a stream negotiated to @protocol
 * @protocol: the negotiated protocol id
 * @direction: who opened the stream
 *
 * Counts one stream, and wraps it so that its traffic is counted too.
 *
 * Returns: (transfer full): the stream to hand to the protocol
 */
GIOStream *
satori_stream_counts_track (SatoriStreamCounts *counts, GIOStream *stream, const char *protocol,
                            SatoriDirection direction)
{
  SatoriProtocolCounters *counters = g_hash_table_lookup (counts->table, protocol);

  if (counters == NULL)
    {
      counters = g_atomic_rc_box_new0 (SatoriProtocolCounters);
      g_hash_table_insert (counts->table, g_strdup (protocol), counters);
    }
  counters->streams[direction == SATORI_DIRECTION_OUTBOUND]++;
  return satori_counted_stream_new (stream, counters, satori_message_framing_lookup (protocol));
}

/**
 * satori_stream_counts_to_variant:
 * @counts: a table
 *
 * Returns: (transfer floating): `a{s(tt)}`, protocol id → streams
 *   (inbound, outbound)
 */
GVariant *
satori_stream_counts_to_variant (SatoriStreamCounts *counts)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer protocol, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(tt)}"));
  g_hash_table_iter_init (&iter, counts->table);
  while (g_hash_table_iter_next (&iter, &protocol, &value))
    {
      SatoriProtocolCounters *counters = value;
      g_variant_builder_add (&builder, "{s(tt)}", protocol, counters->streams[0],
                             counters->streams[1]);
    }
  return g_variant_builder_end (&builder);
}

/**
 * satori_stream_counts_traffic_to_variant:
 * @counts: a table
 *
 * Returns: (transfer floating): `a{s(tttt)}`, protocol id → (bytes
 *   received, bytes sent, messages received, messages sent)
 */
GVariant *
satori_stream_counts_traffic_to_variant (SatoriStreamCounts *counts)
{
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer protocol, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(tttt)}"));
  g_hash_table_iter_init (&iter, counts->table);
  while (g_hash_table_iter_next (&iter, &protocol, &value))
    {
      SatoriProtocolCounters *counters = value;
      g_variant_builder_add (&builder, "{s(tttt)}", protocol,
                             counters->bytes[SATORI_COUNTED_RECEIVED],
                             counters->bytes[SATORI_COUNTED_SENT],
                             counters->messages[SATORI_COUNTED_RECEIVED],
                             counters->messages[SATORI_COUNTED_SENT]);
    }
  return g_variant_builder_end (&builder);
}
