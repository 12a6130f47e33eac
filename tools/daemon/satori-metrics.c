/* satori-metrics.c — the daemon's metrics: the original satorip2p_* names
 * (src/satorip2p/metrics.py), with a correct ping latency histogram, plus
 * streams per protocol, connections by transport and direction, pubsub
 * peers per topic and the DHT's routing table size. Gauges are read from
 * the node when rendered; counters follow the model's signals.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-metrics.h"

#include "satori-metrics-histogram.h"
#include "satori-metrics-text.h"

/* The original's buckets, in seconds. */
static const double ping_buckets[] = {
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
};

struct _SatoriMetrics
{
  GObject parent_instance;

  SatoriDaemonModel *model;
  guint64 messages_sent;
  guint64 messages_received;
  guint64 bytes_sent;
  guint64 bytes_received;
  SatoriMetricsHistogram *ping_latency;
};

G_DEFINE_FINAL_TYPE (SatoriMetrics, satori_metrics, G_TYPE_OBJECT)

static void
satori_metrics_finalize (GObject *object)
{
  SatoriMetrics *self = SATORI_METRICS (object);

  g_object_unref (self->model);
  satori_metrics_histogram_free (self->ping_latency);
  G_OBJECT_CLASS (satori_metrics_parent_class)->finalize (object);
}

static void
satori_metrics_class_init (SatoriMetricsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = satori_metrics_finalize;
}

static void
satori_metrics_init (SatoriMetrics *self)
{
  self->ping_latency = satori_metrics_histogram_new (ping_buckets, G_N_ELEMENTS (ping_buckets));
}

static void
on_message (SatoriDaemonModel *model, const char *stream_id, GBytes *data, SatoriMetrics *self)
{
  self->messages_received++;
  self->bytes_received += g_bytes_get_size (data);
}

static void
on_published (SatoriDaemonModel *model, const char *stream_id, GBytes *data,
              SatoriMetrics *self)
{
  self->messages_sent++;
  self->bytes_sent += g_bytes_get_size (data);
}

/**
 * satori_metrics_new:
 * @model: the node
 *
 * Returns: (transfer full): the metrics of @model, counting from now
 */
SatoriMetrics *
satori_metrics_new (SatoriDaemonModel *model)
{
  SatoriMetrics *self = g_object_new (SATORI_TYPE_METRICS, NULL);

  self->model = g_object_ref (model);
  g_signal_connect_object (model, "message", G_CALLBACK (on_message), self, 0);
  g_signal_connect_object (model, "published", G_CALLBACK (on_published), self, 0);
  return self;
}

/**
 * satori_metrics_observe_ping:
 * @metrics: the metrics
 * @seconds: a ping's round-trip time
 *
 * Counts it in `satorip2p_ping_latency_seconds`.
 */
void
satori_metrics_observe_ping (SatoriMetrics *metrics, double seconds)
{
  satori_metrics_histogram_observe (metrics->ping_latency, seconds);
}

/* The original's numbering, which is not SatoriNatStatus's order. */
static guint64
nat_type_value (SatoriNatStatus status)
{
  switch (status)
    {
    case SATORI_NAT_STATUS_PUBLIC:
      return 1;
    case SATORI_NAT_STATUS_PRIVATE:
      return 2;
    case SATORI_NAT_STATUS_UNKNOWN:
    default:
      return 0;
    }
}

static void
gauge (GString *out, const char *name, const char *help, guint64 value)
{
  satori_metrics_text_header (out, name, "gauge", help);
  satori_metrics_text_uint (out, name, NULL, value);
}

static void
counter (GString *out, const char *name, const char *help, guint64 value)
{
  satori_metrics_text_header (out, name, "counter", help);
  satori_metrics_text_uint (out, name, NULL, value);
}

static void
write_info (SatoriMetrics *self, GString *out)
{
  SatoriHost *host = satori_daemon_model_get_host (self->model);
  g_autofree char *peer = satori_peer_id_to_string (satori_host_get_peer_id (host));
  g_autoptr(GString) labels = g_string_new (NULL);

  /* As the original: the first 20 characters of the peer id. */
  g_autofree char *short_peer = g_strdup_printf ("%.20s...", peer);
  satori_metrics_text_label (labels, "peer_id", short_peer);
  satori_metrics_text_label (labels, "version", PACKAGE_VERSION);
  satori_metrics_text_header (out, "satorip2p_info", "gauge", "The node's identity and version");
  satori_metrics_text_uint (out, "satorip2p_info", labels, 1);
}

static void
write_streams (SatoriMetrics *self, GString *out)
{
  g_autoptr(GPtrArray) streams = satori_daemon_model_list_streams (self->model);
  guint subscriptions = 0, publications = 0;

  for (guint i = 0; i < streams->len; i++)
    {
      SatoriDaemonStream *stream = g_ptr_array_index (streams, i);
      subscriptions += stream->subscribed;
      publications += stream->published;
    }
  gauge (out, "satorip2p_subscriptions_total", "Streams the node subscribes to", subscriptions);
  gauge (out, "satorip2p_publications_total", "Streams the node has published to", publications);
}

static void
write_pubsub (SatoriMetrics *self, GString *out)
{
  SatoriPubsub *pubsub = satori_host_get_pubsub (satori_daemon_model_get_host (self->model));
  g_auto(GStrv) topics = pubsub ? satori_pubsub_get_topics (pubsub) : g_new0 (char *, 1);

  gauge (out, "satorip2p_pubsub_topics", "Pubsub topics the node subscribes to",
         g_strv_length (topics));
  satori_metrics_text_header (out, "satorip2p_pubsub_mesh_peers", "gauge",
                              "Peers the router shares each topic with (gossipsub: its mesh)");
  for (guint i = 0; topics[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) peers = satori_pubsub_get_topic_peers (pubsub, topics[i]);
      g_autoptr(GString) labels = g_string_new (NULL);
      satori_metrics_text_label (labels, "topic", topics[i]);
      satori_metrics_text_uint (out, "satorip2p_pubsub_mesh_peers", labels, peers->len);
    }
}

/* The sum of the routing-table-size property of the host's handlers
 * (Kad-DHT's), each counted once. */
static guint64
routing_table_size (SatoriHost *host)
{
  g_auto(GStrv) protocols = satori_host_get_protocols (host);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  guint64 size = 0;

  for (guint i = 0; protocols[i] != NULL; i++)
    {
      SatoriProtocolHandler *handler = satori_host_get_handler (host, protocols[i]);
      guint value;
      if (handler == NULL || g_ptr_array_find (seen, handler, NULL) ||
          g_object_class_find_property (G_OBJECT_GET_CLASS (handler),
                                        "routing-table-size") == NULL)
        continue;
      g_ptr_array_add (seen, handler);
      g_object_get (handler, "routing-table-size", &value, NULL);
      size += value;
    }
  return size;
}

static void
write_connections (SatoriMetrics *self, GString *out)
{
  SatoriHost *host = satori_daemon_model_get_host (self->model);
  g_autoptr(GPtrArray) connections = satori_host_get_connections (host);
  /* "transport\ndirection" → count */
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < connections->len; i++)
    {
      SatoriConnection *connection = g_ptr_array_index (connections, i);
      if (satori_connection_is_closed (connection))
        continue;
      g_autofree char *transport = satori_daemon_model_get_transport (connection);
      gboolean inbound = satori_connection_get_direction (connection) == SATORI_DIRECTION_INBOUND;
      char *key = g_strdup_printf ("%s\n%s", transport, inbound ? "inbound" : "outbound");
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
      g_hash_table_replace (counts, key, GUINT_TO_POINTER (count + 1));
    }

  satori_metrics_text_header (out, "satorip2p_connections", "gauge",
                              "Open connections by transport and direction");
  GHashTableIter iter;
  gpointer key, count;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &count))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\n", 2);
      g_autoptr(GString) labels = g_string_new (NULL);
      satori_metrics_text_label (labels, "transport", parts[0]);
      satori_metrics_text_label (labels, "direction", parts[1]);
      satori_metrics_text_uint (out, "satorip2p_connections", labels, GPOINTER_TO_UINT (count));
    }
}

static void
write_protocol_streams (SatoriMetrics *self, GString *out)
{
  SatoriHost *host = satori_daemon_model_get_host (self->model);
  g_autoptr(GVariant) counts = g_variant_ref_sink (satori_host_get_stream_counts (host));
  GVariantIter iter;
  const char *protocol;
  guint64 inbound, outbound;

  satori_metrics_text_header (out, "satorip2p_protocol_streams_total", "counter",
                              "Streams negotiated, by protocol and by who opened them");
  g_variant_iter_init (&iter, counts);
  while (g_variant_iter_next (&iter, "{&s(tt)}", &protocol, &inbound, &outbound))
    for (guint d = 0; d < 2; d++)
      {
        g_autoptr(GString) labels = g_string_new (NULL);
        satori_metrics_text_label (labels, "protocol", protocol);
        satori_metrics_text_label (labels, "direction", d == 0 ? "inbound" : "outbound");
        satori_metrics_text_uint (out, "satorip2p_protocol_streams_total", labels,
                                  d == 0 ? inbound : outbound);
      }
}

/* One counter with a series per protocol and direction (received "in",
 * sent "out"): @first is the index of the received value in the tuple. */
static void
write_traffic_counter (GString *out, GVariant *traffic, const char *name, const char *help,
                       guint first)
{
  GVariantIter iter;
  const char *protocol;
  guint64 values[4];

  satori_metrics_text_header (out, name, "counter", help);
  g_variant_iter_init (&iter, traffic);
  while (g_variant_iter_next (&iter, "{&s(tttt)}", &protocol, &values[0], &values[1], &values[2],
                              &values[3]))
    for (guint d = 0; d < 2; d++)
      {
        g_autoptr(GString) labels = g_string_new (NULL);
        satori_metrics_text_label (labels, "protocol", protocol);
        satori_metrics_text_label (labels, "direction", d == 0 ? "in" : "out");
        satori_metrics_text_uint (out, name, labels, values[first + d]);
      }
}

static void
write_protocol_traffic (SatoriMetrics *self, GString *out)
{
  SatoriHost *host = satori_daemon_model_get_host (self->model);
  g_autoptr(GVariant) traffic = g_variant_ref_sink (satori_host_get_protocol_traffic (host));

  write_traffic_counter (out, traffic, "satorip2p_protocol_bytes_total",
                         "Application bytes through streams, by protocol and direction", 0);
  write_traffic_counter (out, traffic, "satorip2p_protocol_messages_total",
                         "Protocol messages through streams, by protocol and direction "
                         "(message-based protocols)", 2);
}

/**
 * satori_metrics_render:
 * @metrics: the metrics
 *
 * Returns: (transfer full): every metric, in the Prometheus text format
 *   (%SATORI_METRICS_CONTENT_TYPE)
 */
char *
satori_metrics_render (SatoriMetrics *metrics)
{
  SatoriDaemonModel *model = metrics->model;
  SatoriHost *host = satori_daemon_model_get_host (model);
  GString *out = g_string_new (NULL);
  gint64 uptime_us = g_get_real_time () - satori_daemon_model_get_started (model);

  write_info (metrics, out);
  gauge (out, "satorip2p_connected_peers", "Peers with an open connection",
         satori_daemon_model_count_peers (model));
  gauge (out, "satorip2p_known_peers", "Peers in the peerstore",
         satori_daemon_model_count_known_peers (model));
  write_streams (metrics, out);
  gauge (out, "satorip2p_nat_type", "NAT type: 0 unknown, 1 public, 2 private",
         nat_type_value (satori_peers_get_nat_status (satori_daemon_model_get_peers (model))));
  gauge (out, "satorip2p_relay_enabled", "Whether the node serves as a circuit relay",
         satori_daemon_model_serves (model, "/libp2p/circuit/relay/"));
  gauge (out, "satorip2p_dht_routing_table_size", "Peers in the DHT routing table",
         routing_table_size (host));
  write_pubsub (metrics, out);
  counter (out, "satorip2p_messages_sent_total", "Stream messages published",
           metrics->messages_sent);
  counter (out, "satorip2p_messages_received_total", "Stream messages received",
           metrics->messages_received);
  counter (out, "satorip2p_bytes_sent_total", "Payload bytes of stream messages published",
           metrics->bytes_sent);
  counter (out, "satorip2p_bytes_received_total", "Payload bytes of stream messages received",
           metrics->bytes_received);
  gauge (out, "satorip2p_uptime_seconds", "Seconds since the daemon started",
         MAX (uptime_us, 0) / G_USEC_PER_SEC);
  satori_metrics_histogram_write (metrics->ping_latency, out, "satorip2p_ping_latency_seconds",
                                  "Ping round-trip times");
  write_connections (metrics, out);
  write_protocol_streams (metrics, out);
  write_protocol_traffic (metrics, out);
  return g_string_free (out, FALSE);
}
