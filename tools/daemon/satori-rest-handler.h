/* satori-rest-handler.h — the REST API's requests answered, without sockets
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-daemon-model.h"
#include "satori-metrics.h"

G_BEGIN_DECLS

/**
 * SatoriRestRequest:
 * @method: the method
 * @path: the path, percent-encoded, without the query
 * @query: (nullable): the query, percent-encoded
 * @authorization: (nullable): the `Authorization` header
 * @body: (nullable): the body
 *
 * An HTTP request as the handler sees it.
 */
typedef struct
{
  const char *method;
  const char *path;
  const char *query;
  const char *authorization;
  GBytes *body;
} SatoriRestRequest;

/**
 * SatoriRestResponse:
 * @status: the HTTP status
 * @content_type: the body's media type
 * @body: the body
 * @allow: (nullable): the methods the path takes, for a 405
 *
 * An HTTP response.
 */
typedef struct
{
  guint status;
  const char *content_type;
  GBytes *body;
  char *allow;
} SatoriRestResponse;

#define SATORI_REST_JSON_TYPE "application/json"

#define SATORI_TYPE_REST_HANDLER (satori_rest_handler_get_type ())
G_DECLARE_FINAL_TYPE (SatoriRestHandler, satori_rest_handler, SATORI, REST_HANDLER, GObject)

SatoriRestHandler  *satori_rest_handler_new (SatoriDaemonModel *model,
                                             SatoriMetrics     *metrics,
                                             const char        *token);
void                satori_rest_handler_handle_async (SatoriRestHandler       *handler,
                                                      const SatoriRestRequest *request,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
SatoriRestResponse *satori_rest_handler_handle_finish (SatoriRestHandler *handler,
                                                       GAsyncResult      *result);
SatoriRestResponse *satori_rest_response_new_error (guint       status,
                                                    const char *message);
void                satori_rest_response_free (SatoriRestResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriRestResponse, satori_rest_response_free)

G_END_DECLS
