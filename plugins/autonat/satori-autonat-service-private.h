/* satori-autonat-service-private.h — what the AutoNAT service's files
 * share: the object's state
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-autonat-service.h"
#include "satori-autonat-session.h"
#include "satori-autonat-throttle.h"

G_BEGIN_DECLS

struct _SatoriAutonatService
{
  GObject parent_instance;

  gboolean server;            /* answer dial requests */
  gboolean allow_private;
  guint threshold;
  guint boot_delay;           /* s */
  guint retry_interval;       /* s */
  guint refresh_interval;     /* s */
  guint request_timeout;      /* s */
  guint dial_timeout;         /* s */
  guint max_per_peer;         /* requests served per peer per minute */
  guint max_requests;         /* requests served per minute, all peers */

  SatoriHost *host;           /* weak pointer, set while attached */
  SatoriAutonatSession *session;
  SatoriAutonatThrottle *throttle;
  GCancellable *cancellable;  /* cancelled on detach */
  guint deadline_source;
  gulong protocols_changed_id;
  gulong addresses_changed_id;
  gulong peer_disconnected_id;
};

void _satori_autonat_service_drive (SatoriAutonatService *self);
void _satori_autonat_service_probe (SatoriAutonatService *self, SatoriPeerId *peer);
void _satori_autonat_service_serve (SatoriAutonatService *self, GIOStream *stream,
                                    SatoriPeerId *remote_peer, SatoriMultiaddr *remote_address);

G_END_DECLS
