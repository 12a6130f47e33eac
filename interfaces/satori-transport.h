/* satori-transport.h — the transport contract: dial and listen by multiaddr
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-listener.h"
#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SatoriTransportFlags:
 * @SATORI_TRANSPORT_FLAGS_NONE: a plain byte stream, to be upgraded
 * @SATORI_TRANSPORT_FLAGS_SECURE: connections come authenticated and
 *   encrypted (QUIC's TLS); no security upgrade
 * @SATORI_TRANSPORT_FLAGS_MULTIPLEXED: connections carry streams natively
 *   (QUIC); dial and accept return a #SatoriMuxedConnection
 * @SATORI_TRANSPORT_FLAGS_RELAYED: connections run through another peer
 *   (`/p2p-circuit`) and may be limited in time and bytes
 *
 * What a transport's connections already are.
 */
typedef enum /*< flags >*/ {
  SATORI_TRANSPORT_FLAGS_NONE = 0,
  SATORI_TRANSPORT_FLAGS_SECURE = 1 << 0,
  SATORI_TRANSPORT_FLAGS_MULTIPLEXED = 1 << 1,
  SATORI_TRANSPORT_FLAGS_RELAYED = 1 << 2,
} SatoriTransportFlags;

#define SATORI_TYPE_TRANSPORT (satori_transport_get_type ())
G_DECLARE_INTERFACE (SatoriTransport, satori_transport, SATORI, TRANSPORT, GObject)

/**
 * SatoriTransportInterface:
 * @g_iface: the parent interface
 * @get_flags: what connections already are
 * @can_dial: whether @address is one this transport dials
 * @can_listen: whether @address is one this transport listens on
 * @dial_async: opens a connection to @address
 * @dial_finish: a #GIOStream for byte-stream transports; for transports with
 *   %SATORI_TRANSPORT_FLAGS_SECURE and %SATORI_TRANSPORT_FLAGS_MULTIPLEXED,
 *   an object implementing #SatoriMuxedConnection and #SatoriSecureConnection;
 *   and the address actually connected to (DNS resolved)
 * @listen_async: starts listening on @address
 * @listen_finish: the listener
 *
 * A way to reach peers: TCP, QUIC, the memory transport, relayed circuits.
 * Transports that need the host (the relay) or the identity key (QUIC) get
 * them through `host` and `private-key` construct properties, which the
 * host sets when the implementation has them.
 */
struct _SatoriTransportInterface
{
  GTypeInterface g_iface;

  SatoriTransportFlags (*get_flags)     (SatoriTransport     *transport);
  gboolean             (*can_dial)      (SatoriTransport     *transport,
                                         SatoriMultiaddr     *address);
  gboolean             (*can_listen)    (SatoriTransport     *transport,
                                         SatoriMultiaddr     *address);
  void                 (*dial_async)    (SatoriTransport     *transport,
                                         SatoriMultiaddr     *address,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
  GObject *            (*dial_finish)   (SatoriTransport     *transport,
                                         GAsyncResult        *result,
                                         SatoriMultiaddr    **remote_address,
                                         GError             **error);
  void                 (*listen_async)  (SatoriTransport     *transport,
                                         SatoriMultiaddr     *address,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
  SatoriListener *     (*listen_finish) (SatoriTransport     *transport,
                                         GAsyncResult        *result,
                                         GError             **error);
};

SatoriTransportFlags satori_transport_get_flags (SatoriTransport *transport);
gboolean             satori_transport_can_dial (SatoriTransport *transport,
                                                SatoriMultiaddr *address);
gboolean             satori_transport_can_listen (SatoriTransport *transport,
                                                  SatoriMultiaddr *address);
void                 satori_transport_dial_async (SatoriTransport     *transport,
                                                  SatoriMultiaddr     *address,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GObject             *satori_transport_dial_finish (SatoriTransport  *transport,
                                                   GAsyncResult     *result,
                                                   SatoriMultiaddr **remote_address,
                                                   GError          **error);
void                 satori_transport_listen_async (SatoriTransport     *transport,
                                                    SatoriMultiaddr     *address,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
SatoriListener      *satori_transport_listen_finish (SatoriTransport  *transport,
                                                     GAsyncResult     *result,
                                                     GError          **error);

G_END_DECLS
