/* satori-protocol-handler.h — the contract of a stream protocol
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-types.h"

G_BEGIN_DECLS

#define SATORI_TYPE_PROTOCOL_HANDLER (satori_protocol_handler_get_type ())
G_DECLARE_INTERFACE (SatoriProtocolHandler, satori_protocol_handler,
                     SATORI, PROTOCOL_HANDLER, GObject)

/**
 * SatoriProtocolHandlerInterface:
 * @g_iface: the parent interface
 * @attach: the host starts using the handler; it may keep @host (weakly)
 *   to open streams of its own. Default: nothing.
 * @detach: the host stops using it. Default: nothing.
 * @handle_stream: an inbound stream negotiated to one of the feature's
 *   protocol ids; the handler takes a reference for as long as it needs it
 *
 * Identify, ping, perf, GossipSub's and Kad's stream side, the Satori
 * protocols. The protocol ids are the feature's, given at registration.
 */
struct _SatoriProtocolHandlerInterface
{
  GTypeInterface g_iface;

  void (*attach)        (SatoriProtocolHandler *handler,
                         SatoriHost            *host);
  void (*detach)        (SatoriProtocolHandler *handler,
                         SatoriHost            *host);
  void (*handle_stream) (SatoriProtocolHandler *handler,
                         GIOStream             *stream,
                         const char            *protocol_id,
                         SatoriPeerId          *remote_peer,
                         SatoriMultiaddr       *remote_address);
};

void satori_protocol_handler_attach (SatoriProtocolHandler *handler, SatoriHost *host);
void satori_protocol_handler_detach (SatoriProtocolHandler *handler, SatoriHost *host);
void satori_protocol_handler_handle_stream (SatoriProtocolHandler *handler,
                                            GIOStream             *stream,
                                            const char            *protocol_id,
                                            SatoriPeerId          *remote_peer,
                                            SatoriMultiaddr       *remote_address);

G_END_DECLS
