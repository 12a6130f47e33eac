/* satori-peers-find.h — find_peers over several discoveries at once
 * (private)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-discovery.h"

G_BEGIN_DECLS

/* Peers asked of each discovery, at most. */
#define SATORI_PEERS_FIND_LIMIT 100

void       satori_peers_find_async (GObject             *source,
                                    GPtrArray           *discoveries,
                                    const char          *namespace_,
                                    SatoriPeerId        *self,
                                    gpointer             source_tag,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
GPtrArray *satori_peers_find_finish (GAsyncResult  *result,
                                     GError       **error);

G_END_DECLS
