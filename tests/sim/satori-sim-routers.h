/* satori-sim-routers.h: the pubsub routers the simulator can run, by name
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-pubsub-core.h"

G_BEGIN_DECLS

typedef struct {
  guint   index;   /* the host's index in the network */
  guint64 seed;    /* the run's seed, for routers that derive keys from it */
  const SatoriPubsubCoreProvider *provider;
  const char *const *topics;  /* the run's topics (NULL-terminated), for per-topic settings */
  double topic_rate;          /* messages per second expected on each topic; 0: unknown */
} SatoriSimRouterSetup;

typedef struct {
  const char *name;
  const char *protocol;  /* what add_peer is told was negotiated */
  /* A router for one host; sets *@peer_id_out to the host's peer id. */
  SatoriPubsubCore *(*create) (const SatoriSimRouterSetup *setup, GBytes **peer_id_out);
} SatoriSimRouter;

/* NULL when no router has that name. */
const SatoriSimRouter *satori_sim_router_lookup (const char *name);
/* "a, b, c": for usage messages. */
char                  *satori_sim_router_list_names (void);

G_END_DECLS
