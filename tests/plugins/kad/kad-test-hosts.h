/* kad-test-hosts.h — real hosts with the kad plugin in one process
 * (memory transport, plaintext, yamux, identify), for the tests of
 * SatoriRouting and of satori-p2pd's DHT requests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satorip2p.h"
#include "satori-kad-dht.h"

G_BEGIN_DECLS

SatoriRegistry *kad_test_hosts_registry (void);
SatoriHost     *kad_test_hosts_new (SatoriRegistry *registry, gboolean with_dht,
                                    SatoriKadMode mode);
void            kad_test_hosts_connect (SatoriHost *host, SatoriMultiaddr *address);
void            kad_test_hosts_wait_for_table (SatoriHost *host, guint size);
void            kad_test_hosts_start_line (SatoriRegistry *registry, gboolean with_dht,
                                           SatoriHost *hosts[3], SatoriMultiaddr *addresses[3]);
void            kad_test_hosts_stop (guint n, SatoriHost **hosts, SatoriMultiaddr **addresses);
guint           kad_test_routing_put (SatoriRouting *routing, GBytes *key, GBytes *value);
void            kad_test_routing_provide (SatoriRouting *routing, GBytes *key);
GBytes         *kad_test_pk_key (SatoriPeerId *peer);
gboolean        kad_test_has_peer (GPtrArray *infos, SatoriPeerId *peer);

G_END_DECLS
