/* satori-sim-flood-fixture.h: a minimal flooding router, a test fixture
 *
 * Implements the SatoriPubsubCore contract just far enough to exercise the
 * simulator before the real routers land: subscriptions are announced to
 * every peer, and each message seen for the first time is forwarded at
 * once to every peer subscribed to its topic except the one it came from
 * and its author. Message id = from || seqno; messages are not signed; the
 * seen set is never pruned. Not floodsub: that is plugins/floodsub.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-pubsub-core.h"

G_BEGIN_DECLS

SatoriPubsubCore *satori_sim_flood_fixture_new (GBytes *peer_id);

G_END_DECLS
