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
gint           kad_test_compare_ids (gconstpointer a, gconstpointer b, gpointer target);
gint           kad_test_compare_peers (gconstpointer a, gconstpointer b, gpointer target);
gboolean       kad_test_validate_versioned (GBytes *key, GBytes *value, gpointer user_data,
                                            GError **error);
guint          kad_test_select_highest (GBytes *key, GPtrArray *values, gpointer user_data);

G_END_DECLS
