/* satori-pinger.h — the ping contract: round trip times to a peer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PINGER (satori_pinger_get_type ())
G_DECLARE_INTERFACE (SatoriPinger, satori_pinger, SATORI, PINGER, GObject)

/**
 * SatoriPingerInterface:
 * @g_iface: the parent interface
 * @ping_async: measures @count round trips to a peer, one after the other,
 *   dialing the peer if needed
 * @ping_finish: the round trip times, in microseconds, in the order
 *   measured
 *
 * Implemented by the protocol handler of `/ipfs/ping/1.0.0` (the ping
 * plugin), so that other code finds it with satori_host_get_handler()
 * without linking the plugin.
 */
struct _SatoriPingerInterface
{
  GTypeInterface g_iface;

  void    (*ping_async)  (SatoriPinger        *pinger,
                          SatoriPeerId        *peer,
                          guint                count,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data);
  GArray *(*ping_finish) (SatoriPinger        *pinger,
                          GAsyncResult        *result,
                          GError             **error);
};

void    satori_pinger_ping_async (SatoriPinger        *pinger,
                                  SatoriPeerId        *peer,
                                  guint                count,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
GArray *satori_pinger_ping_finish (SatoriPinger  *pinger,
                                   GAsyncResult  *result,
                                   GError       **error);

G_END_DECLS
