/* satori-store-client.h — one store or retrieve request to one holder
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

void       satori_store_client_request_async  (SatoriHost          *host,
                                               SatoriPeerId        *holder,
                                               GBytes              *request,
                                               const char          *target,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray *satori_store_client_request_finish (SatoriHost    *host,
                                               GAsyncResult  *result,
                                               GError       **error);

G_END_DECLS
