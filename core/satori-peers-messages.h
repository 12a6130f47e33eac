/* satori-peers-messages.h — SatoriPeers' direct messages: the contracts
 * it finds on the host (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-host.h"
#include "satori-messenger.h"

G_BEGIN_DECLS

SatoriMessenger *satori_peers_messages_find_messenger (SatoriHost *host);

G_END_DECLS
