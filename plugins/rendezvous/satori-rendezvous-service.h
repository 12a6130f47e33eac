/* satori-rendezvous-service.h — /rendezvous/1.0.0: a rendezvous point
 * (protocol handler) and a client of configured points (discovery)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-rendezvous-message.h"

G_BEGIN_DECLS

#define SATORI_TYPE_RENDEZVOUS_SERVICE (satori_rendezvous_service_get_type ())
G_DECLARE_FINAL_TYPE (SatoriRendezvousService, satori_rendezvous_service,
                      SATORI, RENDEZVOUS_SERVICE, GObject)

SatoriRendezvousService *satori_rendezvous_service_new (void);

void     satori_rendezvous_service_unregister_async  (SatoriRendezvousService *service,
                                                      const char              *namespace_,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
gboolean satori_rendezvous_service_unregister_finish (SatoriRendezvousService  *service,
                                                      GAsyncResult             *result,
                                                      GError                  **error);
guint    satori_rendezvous_service_get_registration_count (SatoriRendezvousService *service);

G_END_DECLS
