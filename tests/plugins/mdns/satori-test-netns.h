/* satori-test-netns.h — a test process in a network namespace of its own,
 * for tests that multicast (mDNS) and must not touch the machine's LAN
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean satori_test_netns_enter (GError **error);
void     satori_test_netns_ip (const char *arguments);
void     satori_test_netns_veth_up (const char *name, const char *address,
                                    const char *peer_name, const char *peer_address);
void     satori_test_netns_veth_down (const char *name);

G_END_DECLS
