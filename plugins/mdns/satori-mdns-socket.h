/* satori-mdns-socket.h — the multicast DNS socket of one address family:
 * UDP 5353 shared with other responders (avahi), the group joined on every
 * multicast interface that is up
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SatoriMdnsSocket SatoriMdnsSocket;

SatoriMdnsSocket *satori_mdns_socket_new (GSocketFamily family, guint16 port, GError **error);
void              satori_mdns_socket_free (SatoriMdnsSocket *socket);
GSocket          *satori_mdns_socket_get_socket (SatoriMdnsSocket *socket);
gboolean          satori_mdns_socket_update_interfaces (SatoriMdnsSocket *socket);
guint             satori_mdns_socket_get_n_interfaces (SatoriMdnsSocket *socket);
void              satori_mdns_socket_send (SatoriMdnsSocket *socket, GBytes *datagram);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMdnsSocket, satori_mdns_socket_free)

G_END_DECLS
