/* satori-rendezvous-client.h — the client side of rendezvous: requests,
 * responses, and which registrations to refresh when (sans-I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-rendezvous-message.h"

G_BEGIN_DECLS

GBytes    *satori_rendezvous_register_request (const char *namespace_,
                                               GBytes     *signed_record,
                                               guint       ttl);
GBytes    *satori_rendezvous_unregister_request (const char   *namespace_,
                                                 SatoriPeerId *self);
GBytes    *satori_rendezvous_discover_request (const char *namespace_,
                                               guint       limit,
                                               GBytes     *cookie);
gboolean   satori_rendezvous_read_register_response (const guint8  *data,
                                                     gsize          len,
                                                     guint         *ttl,
                                                     GError       **error);
GPtrArray *satori_rendezvous_read_discover_response (const guint8  *data,
                                                     gsize          len,
                                                     const char    *namespace_,
                                                     GBytes       **cookie,
                                                     GError       **error);

/**
 * SatoriRendezvousRefresh:
 * @point: the rendezvous point's peer id, as a string
 * @namespace_: the namespace
 * @ttl: the TTL to ask for, in seconds
 *
 * A registration due for a refresh.
 */
typedef struct
{
  char *point;
  char *namespace_;
  guint ttl;
} SatoriRendezvousRefresh;

void satori_rendezvous_refresh_free (SatoriRendezvousRefresh *refresh);

typedef struct _SatoriRendezvousClient SatoriRendezvousClient;

SatoriRendezvousClient *satori_rendezvous_client_new (void);
void                    satori_rendezvous_client_free (SatoriRendezvousClient *client);
void                    satori_rendezvous_client_registered (SatoriRendezvousClient *client,
                                                             const char             *point,
                                                             const char             *namespace_,
                                                             guint                   ttl,
                                                             gint64                  now_us);
void                    satori_rendezvous_client_retry (SatoriRendezvousClient *client,
                                                        const char             *point,
                                                        const char             *namespace_,
                                                        guint                   ttl,
                                                        gint64                  now_us);
void                    satori_rendezvous_client_unregistered (SatoriRendezvousClient *client,
                                                               const char             *point,
                                                               const char             *namespace_);
gboolean                satori_rendezvous_client_is_held (SatoriRendezvousClient *client,
                                                          const char             *point,
                                                          const char             *namespace_);
gint64                  satori_rendezvous_client_next_deadline (SatoriRendezvousClient *client);
GPtrArray              *satori_rendezvous_client_take_due (SatoriRendezvousClient *client,
                                                           gint64                  now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriRendezvousClient, satori_rendezvous_client_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriRendezvousRefresh, satori_rendezvous_refresh_free)

G_END_DECLS
