/* kad-test-util.h — helpers shared by the DHT core tests: peer ids,
 * a seeded random source
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-kad-routing-table.h"

G_BEGIN_DECLS

GBytes        *kad_test_peer_id (guint n);
SatoriKadPeer *kad_test_peer (guint n);
guint32        kad_test_random_u32 (gpointer state);
SatoriKadProvider kad_test_provider (guint32 *state);

G_END_DECLS
