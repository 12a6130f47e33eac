/* satori-rest-server.h — the REST API over HTTP (libsoup 3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-rest-handler.h"

G_BEGIN_DECLS

/* The largest request body taken; a larger one gets 413, and is not kept. */
#define SATORI_REST_MAX_BODY (1024 * 1024)

#define SATORI_TYPE_REST_SERVER (satori_rest_server_get_type ())
G_DECLARE_FINAL_TYPE (SatoriRestServer, satori_rest_server, SATORI, REST_SERVER, GObject)

SatoriRestServer *satori_rest_server_new (SatoriRestHandler *handler);
gboolean          satori_rest_server_listen (SatoriRestServer  *server,
                                             const char        *address,
                                             guint              port,
                                             GError           **error);
guint             satori_rest_server_get_port (SatoriRestServer *server);

G_END_DECLS
