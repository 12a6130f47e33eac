/* satori-p2pd-dht.h — DHT requests of the libp2p daemon protocol, served
 * through the host's SatoriRouting
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-p2pd-request.h"

G_BEGIN_DECLS

void     satori_p2pd_dht_serve_async (SatoriRouting       *routing,
                                      SatoriP2pdRequest   *request,
                                      GOutputStream       *output,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean satori_p2pd_dht_serve_finish (GAsyncResult  *result,
                                       GError       **error);

G_END_DECLS
