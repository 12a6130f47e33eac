/* satori-listener.h — a transport's listening endpoint
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_LISTENER (satori_listener_get_type ())
G_DECLARE_INTERFACE (SatoriListener, satori_listener, SATORI, LISTENER, GObject)

/**
 * SatoriListenerInterface:
 * @g_iface: the parent interface
 * @accept_async: waits for the next inbound connection
 * @accept_finish: as satori_transport_dial_finish(): a #GIOStream, or a
 *   #SatoriMuxedConnection for secure multiplexed transports, and the
 *   remote's address
 * @get_addresses: the addresses it is reachable at (port 0 resolved)
 * @close: stops listening; pending accepts fail with %G_IO_ERROR_CLOSED
 *
 * Emits #SatoriListener::addresses-changed when its addresses change (a
 * relay reservation renewed or lost).
 */
struct _SatoriListenerInterface
{
  GTypeInterface g_iface;

  void       (*accept_async)  (SatoriListener      *listener,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
  GObject *  (*accept_finish) (SatoriListener      *listener,
                               GAsyncResult        *result,
                               SatoriMultiaddr    **remote_address,
                               GError             **error);
  GPtrArray *(*get_addresses) (SatoriListener      *listener);
  void       (*close)         (SatoriListener      *listener);
};

void       satori_listener_accept_async (SatoriListener      *listener,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GObject   *satori_listener_accept_finish (SatoriListener   *listener,
                                          GAsyncResult     *result,
                                          SatoriMultiaddr **remote_address,
                                          GError          **error);
GPtrArray *satori_listener_get_addresses (SatoriListener *listener);
void       satori_listener_close (SatoriListener *listener);

G_END_DECLS
