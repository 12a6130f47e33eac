/* satori-pubsub-router.h — the GIO side of every pubsub router
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-host.h"
#include "satori-pubsub.h"
#include "satori-pubsub-core.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PUBSUB_ROUTER (satori_pubsub_router_get_type ())
G_DECLARE_DERIVABLE_TYPE (SatoriPubsubRouter, satori_pubsub_router,
                          SATORI, PUBSUB_ROUTER, GObject)

/**
 * SatoriPubsubRouterClass:
 * @parent_class: the parent class
 * @protocol_ids: the router's stream protocol ids, preferred first
 * @create_core: creates the sans-I/O core when the router is attached to
 *   @host (it signs with the host's key); @provider outlives the core
 *
 * floodsub and gossipsub subclass this: the subclass holds the router's
 * configuration properties and makes its core; this class does all I/O.
 */
struct _SatoriPubsubRouterClass
{
  GObjectClass parent_class;

  const char * const *protocol_ids;
  SatoriPubsubCore *(*create_core) (SatoriPubsubRouter             *router,
                                    SatoriHost                     *host,
                                    const SatoriPubsubCoreProvider *provider);

  /*< private >*/
  gpointer padding[8];
};

SatoriPubsubCore *satori_pubsub_router_get_core (SatoriPubsubRouter *router);
char             *satori_pubsub_router_message_id_to_string (GBytes *message_id);

G_END_DECLS
