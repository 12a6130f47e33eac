/* satori-sim-pubsub.h: pubsub hosts on the simulated network
 *
 * Each host is one SatoriPubsubCore driven by the network: a connection is
 * add_peer on both ends, a frame is handle_input, deadlines go through
 * next_deadline_us/handle_timeout, and after every call the host's frames
 * are sent and its events collected (messages into SatoriSimMetrics,
 * DISCONNECT_PEER and CONNECT_PEER acted on). Sybil hosts run the same
 * router with its publish entries stripped (satori-sim-sybil.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-sim-metrics.h"
#include "satori-sim-network.h"
#include "satori-sim-routers.h"

G_BEGIN_DECLS

typedef struct _SatoriSimPubsub SatoriSimPubsub;

/* @network must hold no nodes yet and outlive the result; @seed derives
 * each host's random numbers; @topics (NULL-terminated, or NULL) are the
 * topics the run uses, for routers with per-topic settings (scoring). */
SatoriSimPubsub  *satori_sim_pubsub_new (SatoriSimNetwork *network, const SatoriSimRouter *router,
                                         guint64 seed, const char *const *topics);
void              satori_sim_pubsub_free (SatoriSimPubsub *pubsub);

/* Adds the @n hosts, the first @n_sybils of them sybils; call once. */
void              satori_sim_pubsub_add_hosts (SatoriSimPubsub *pubsub, guint n, guint n_sybils);
/* Messages per second the run will publish on each topic, for routers
 * whose scoring depends on it (gossipsub's P3); before add_hosts. */
void              satori_sim_pubsub_set_topic_rate (SatoriSimPubsub *pubsub, double messages_per_s);
gboolean          satori_sim_pubsub_is_sybil (SatoriSimPubsub *pubsub, guint host);
SatoriPubsubCore *satori_sim_pubsub_get_core (SatoriSimPubsub *pubsub, guint host);

void              satori_sim_pubsub_subscribe (SatoriSimPubsub *pubsub, guint host,
                                               const char *topic);
/* Publishes now; the live honest subscribers other than @host are expected
 * to get it. Returns the message's index in the metrics. */
guint             satori_sim_pubsub_publish (SatoriSimPubsub *pubsub, guint host,
                                             const char *topic, GBytes *data);

SatoriSimMetrics *satori_sim_pubsub_get_metrics (SatoriSimPubsub *pubsub);
/* Nanoseconds of real time spent inside router calls, all hosts together. */
guint64           satori_sim_pubsub_get_router_ns (SatoriSimPubsub *pubsub);
/* Of the honest hosts' topic peers (gossipsub: their mesh), the share
 * that are sybils. */
double            satori_sim_pubsub_mesh_sybil_share (SatoriSimPubsub *pubsub, const char *topic);
/* Connections closed because a router asked (bad input or DISCONNECT_PEER). */
guint64           satori_sim_pubsub_get_disconnects (SatoriSimPubsub *pubsub);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriSimPubsub, satori_sim_pubsub_free)

G_END_DECLS
