/* satori-store-push.h — delivers the messages held for a peer that is
 * connected, one /satori/1.0.0 stream each
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

#include "satori-store-db.h"

G_BEGIN_DECLS

void  satori_store_push_async  (SatoriHost          *host,
                                SatoriStoreDb       *db,
                                SatoriPeerId        *target,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
guint satori_store_push_finish (SatoriHost    *host,
                                GAsyncResult  *result,
                                GError       **error);

G_END_DECLS
