/* satori-p2pd-subscription.h — a SUBSCRIBE control connection
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satorip2p.h"

G_BEGIN_DECLS

gboolean satori_p2pd_subscription_start (SatoriPubsub  *pubsub,
                                         const char    *topic,
                                         GIOStream     *connection,
                                         GHashTable    *clients,
                                         GError       **error);

G_END_DECLS
