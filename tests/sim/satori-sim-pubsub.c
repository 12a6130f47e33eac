/* satori-sim-pubsub.c: the pubsub binding of the simulator
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-sim-pubsub.h"

#include <time.h>

#include "satori-sim-sybil.h"

typedef struct {
  SatoriSimNode     parent;
  SatoriSimPubsub  *pubsub;
  SatoriPubsubCore *core;
  GBytes           *peer_id;
  SatoriSimRng      rng;
  SatoriPubsubCoreProvider provider;
  gboolean          sybil;
  GHashTable       *topics;  /* ours (char *): who is expected to get what */
} Host;

struct _SatoriSimPubsub {
  SatoriSimNetwork      *network;
  const SatoriSimRouter *router;
  guint64                seed;
  GStrv                  topics;
  double                 topic_rate;
  GPtrArray             *hosts;    /* of Host, owned by the network */
  GHashTable            *by_peer;  /* peer id → host index + 1 */
  SatoriSimMetrics      *metrics;
  guint64                router_ns;
  guint64                disconnects;
};

static gint64
monotonic_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Brackets router calls so the run can tell router time from its own. */
#define TIMED(pubsub, call) \
  G_STMT_START { gint64 t0_ = monotonic_ns (); call; \
                 (pubsub)->router_ns += monotonic_ns () - t0_; } G_STMT_END

static Host *
get_host (SatoriSimPubsub *pubsub, guint index)
{
  return g_ptr_array_index (pubsub->hosts, index);
}

static gboolean
lookup_peer (SatoriSimPubsub *pubsub, GBytes *peer_id, guint *index_out)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (pubsub->by_peer, peer_id));
  *index_out = index - 1;
  return index != 0;
}

static void
send_frame (Host *host, GBytes *peer_id, GBytes *frame)
{
  SatoriSimPubsub *pubsub = host->pubsub;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  guint to;

  if (!lookup_peer (pubsub, peer_id, &to))
    {
      g_warning ("host %u: %s wrote to a peer the network does not know",
                 host->parent.index, pubsub->router->name);
      return;
    }
  if (!host->sybil)
    out = g_bytes_ref (frame);
  else if (!satori_sim_sybil_strip_publish (frame, &out, &error))
    {
      g_warning ("host %u: %s wrote a frame that is not an RPC: %s",
                 host->parent.index, pubsub->router->name, error->message);
      return;
    }
  if (out != NULL)
    satori_sim_network_send (pubsub->network, host->parent.index, to, out);
}

/* Sends what the router wrote, records what it delivered, and then acts on
 * its requests (which may call back into this host). */
static void
drain (Host *host)
{
  SatoriSimPubsub *pubsub = host->pubsub;
  SatoriPubsubCore *core = host->core;
  gint64 now = satori_sim_network_get_now (pubsub->network);
  g_autoptr(GArray) to_close = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) to_dial = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean more;

  do
    {
      GBytes *peer_id = NULL, *frame = NULL;
      TIMED (pubsub, more = core->klass->poll_transmit (core, &peer_id, &frame));
      if (!more)
        break;
      send_frame (host, peer_id, frame);
      g_bytes_unref (peer_id);
      g_bytes_unref (frame);
    }
  while (TRUE);

  do
    {
      SatoriPubsubCoreEvent event = { 0 };
      guint peer;
      TIMED (pubsub, more = core->klass->poll_event (core, &event));
      if (!more)
        break;
      switch (event.type)
        {
        case SATORI_PUBSUB_CORE_EVENT_MESSAGE:
          satori_sim_metrics_delivered (pubsub->metrics, event.message_id,
                                        host->parent.index, now);
          break;
        case SATORI_PUBSUB_CORE_EVENT_VALIDATE:
          TIMED (pubsub, core->klass->report_validation (core, event.message_id,
                                                         SATORI_PUBSUB_CORE_ACCEPT, now));
          break;
        case SATORI_PUBSUB_CORE_EVENT_DISCONNECT_PEER:
          if (lookup_peer (pubsub, event.peer, &peer))
            g_array_append_val (to_close, peer);
          break;
        case SATORI_PUBSUB_CORE_EVENT_CONNECT_PEER:
          if (lookup_peer (pubsub, event.peer, &peer))
            g_array_append_val (to_dial, peer);
          break;
        case SATORI_PUBSUB_CORE_EVENT_PEER_SUBSCRIPTION:
          break;
        }
      satori_pubsub_core_event_clear (&event);
    }
  while (TRUE);

  for (guint i = 0; i < to_close->len; i++)
    {
      pubsub->disconnects++;
      satori_sim_network_disconnect (pubsub->network, host->parent.index,
                                     g_array_index (to_close, guint, i));
    }
  for (guint i = 0; i < to_dial->len; i++)
    satori_sim_network_connect (pubsub->network, host->parent.index,
                                g_array_index (to_dial, guint, i), NULL);
}

static void
host_connected (SatoriSimNode *node, guint peer, gboolean outbound, gint64 now_us)
{
  Host *host = (Host *) node;
  SatoriSimPubsub *pubsub = host->pubsub;
  TIMED (pubsub, host->core->klass->add_peer (host->core, get_host (pubsub, peer)->peer_id,
                                              pubsub->router->protocol, outbound, now_us));
  drain (host);
}

static void
host_disconnected (SatoriSimNode *node, guint peer, gint64 now_us)
{
  Host *host = (Host *) node;
  SatoriSimPubsub *pubsub = host->pubsub;
  TIMED (pubsub, host->core->klass->remove_peer (host->core, get_host (pubsub, peer)->peer_id,
                                                 now_us));
  drain (host);
}

static void
host_receive (SatoriSimNode *node, guint peer, GBytes *frame, gint64 now_us)
{
  Host *host = (Host *) node;
  SatoriSimPubsub *pubsub = host->pubsub;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (frame, &len);
  gboolean ok;

  TIMED (pubsub, ok = host->core->klass->handle_input (host->core, get_host (pubsub, peer)->peer_id,
                                                       data, len, now_us, &error));
  drain (host);
  if (!ok)
    {
      g_debug ("host %u closes its link to %u: %s", node->index, peer, error->message);
      pubsub->disconnects++;
      satori_sim_network_disconnect (pubsub->network, node->index, peer);
    }
}

static gint64
host_next_deadline_us (SatoriSimNode *node)
{
  Host *host = (Host *) node;
  return host->core->klass->next_deadline_us (host->core);
}

static void
host_timeout (SatoriSimNode *node, gint64 now_us)
{
  Host *host = (Host *) node;
  TIMED (host->pubsub, host->core->klass->handle_timeout (host->core, now_us));
  drain (host);
}

static void
host_free (SatoriSimNode *node)
{
  Host *host = (Host *) node;
  host->core->klass->free (host->core);
  g_bytes_unref (host->peer_id);
  g_hash_table_unref (host->topics);
  g_free (host);
}

static const SatoriSimNodeClass host_class = {
  .connected = host_connected,
  .disconnected = host_disconnected,
  .receive = host_receive,
  .next_deadline_us = host_next_deadline_us,
  .timeout = host_timeout,
  .free = host_free,
};

SatoriSimPubsub *
satori_sim_pubsub_new (SatoriSimNetwork *network, const SatoriSimRouter *router, guint64 seed,
                       const char *const *topics)
{
  g_return_val_if_fail (satori_sim_network_get_n_nodes (network) == 0, NULL);
  SatoriSimPubsub *pubsub = g_new0 (SatoriSimPubsub, 1);
  pubsub->network = network;
  pubsub->router = router;
  pubsub->seed = seed;
  pubsub->topics = topics != NULL ? g_strdupv ((GStrv) topics) : g_new0 (char *, 1);
  pubsub->hosts = g_ptr_array_new ();
  pubsub->by_peer = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                           (GDestroyNotify) g_bytes_unref, NULL);
  return pubsub;
}

void
satori_sim_pubsub_free (SatoriSimPubsub *pubsub)
{
  if (pubsub == NULL)
    return;
  g_strfreev (pubsub->topics);
  g_ptr_array_unref (pubsub->hosts);
  g_hash_table_unref (pubsub->by_peer);
  g_clear_pointer (&pubsub->metrics, satori_sim_metrics_free);
  g_free (pubsub);
}

void
satori_sim_pubsub_add_hosts (SatoriSimPubsub *pubsub, guint n, guint n_sybils)
{
  g_return_if_fail (pubsub->metrics == NULL && n_sybils <= n);

  for (guint i = 0; i < n; i++)
    {
      Host *host = g_new0 (Host, 1);
      host->parent.klass = &host_class;
      host->pubsub = pubsub;
      host->sybil = i < n_sybils;
      host->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      /* Each host's numbers depend only on the seed and its index. */
      satori_sim_rng_init (&host->rng, pubsub->seed ^ (0x9e3779b97f4a7c15ULL * (i + 1)));
      host->provider.random_u32 = satori_sim_rng_u32;
      host->provider.user_data = &host->rng;

      SatoriSimRouterSetup setup = {
        .index = i, .seed = pubsub->seed, .provider = &host->provider,
        .topics = (const char *const *) pubsub->topics, .topic_rate = pubsub->topic_rate,
      };
      host->core = pubsub->router->create (&setup, &host->peer_id);
      guint index = satori_sim_network_add_node (pubsub->network, &host->parent);
      g_assert (index == i);
      g_ptr_array_add (pubsub->hosts, host);
      g_hash_table_insert (pubsub->by_peer, g_bytes_ref (host->peer_id), GUINT_TO_POINTER (i + 1));
    }
  pubsub->metrics = satori_sim_metrics_new (n);
}

void
satori_sim_pubsub_set_topic_rate (SatoriSimPubsub *pubsub, double messages_per_s)
{
  g_return_if_fail (pubsub->metrics == NULL && messages_per_s >= 0);
  pubsub->topic_rate = messages_per_s;
}

gboolean
satori_sim_pubsub_is_sybil (SatoriSimPubsub *pubsub, guint host)
{
  g_return_val_if_fail (host < pubsub->hosts->len, FALSE);
  return get_host (pubsub, host)->sybil;
}

SatoriPubsubCore *
satori_sim_pubsub_get_core (SatoriSimPubsub *pubsub, guint host)
{
  g_return_val_if_fail (host < pubsub->hosts->len, NULL);
  return get_host (pubsub, host)->core;
}

void
satori_sim_pubsub_subscribe (SatoriSimPubsub *pubsub, guint index, const char *topic)
{
  g_return_if_fail (index < pubsub->hosts->len);
  Host *host = get_host (pubsub, index);
  gint64 now = satori_sim_network_get_now (pubsub->network);

  g_hash_table_add (host->topics, g_strdup (topic));
  TIMED (pubsub, host->core->klass->subscribe (host->core, topic, now));
  drain (host);
  satori_sim_network_rearm (pubsub->network, index);
}

guint
satori_sim_pubsub_publish (SatoriSimPubsub *pubsub, guint index, const char *topic, GBytes *data)
{
  g_return_val_if_fail (index < pubsub->hosts->len, G_MAXUINT);
  Host *host = get_host (pubsub, index);
  gint64 now = satori_sim_network_get_now (pubsub->network);
  g_autoptr(GBytes) id = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  TIMED (pubsub, ok = host->core->klass->publish (host->core, topic, data, now, &id, &error));
  if (!ok)
    {
      g_warning ("host %u could not publish on %s: %s", index, topic, error->message);
      return G_MAXUINT;
    }

  /* Expectations first: the router may already have delivered locally. */
  guint message = satori_sim_metrics_add_message (pubsub->metrics, id, now);
  g_return_val_if_fail (message != G_MAXUINT, G_MAXUINT);
  for (guint i = 0; i < pubsub->hosts->len; i++)
    {
      Host *other = get_host (pubsub, i);
      if (i != index && !other->sybil && !other->parent.departed
          && g_hash_table_contains (other->topics, topic))
        satori_sim_metrics_expect (pubsub->metrics, message, i);
    }
  drain (host);
  satori_sim_network_rearm (pubsub->network, index);
  return message;
}

SatoriSimMetrics *
satori_sim_pubsub_get_metrics (SatoriSimPubsub *pubsub)
{
  return pubsub->metrics;
}

guint64
satori_sim_pubsub_get_router_ns (SatoriSimPubsub *pubsub)
{
  return pubsub->router_ns;
}

guint64
satori_sim_pubsub_get_disconnects (SatoriSimPubsub *pubsub)
{
  return pubsub->disconnects;
}

double
satori_sim_pubsub_mesh_sybil_share (SatoriSimPubsub *pubsub, const char *topic)
{
  guint64 links = 0, sybil_links = 0;

  for (guint h = 0; h < pubsub->hosts->len; h++)
    {
      Host *host = get_host (pubsub, h);
      if (host->sybil)
        continue;
      g_autoptr(GPtrArray) peers = host->core->klass->topic_peers (host->core, topic);
      for (guint i = 0; i < peers->len; i++)
        {
          guint peer;
          links++;
          sybil_links += lookup_peer (pubsub, peers->pdata[i], &peer) && get_host (pubsub, peer)->sybil;
        }
    }
  return links == 0 ? 0 : (double) sybil_links / links;
}
