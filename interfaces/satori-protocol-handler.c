/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-protocol-handler.h"

/**
 * SatoriProtocolHandler:
 *
 * The contract of a stream protocol plugin. See
 * #SatoriProtocolHandlerInterface.
 */
G_DEFINE_INTERFACE (SatoriProtocolHandler, satori_protocol_handler, G_TYPE_OBJECT)

static void
satori_protocol_handler_default_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
}

static void
satori_protocol_handler_default_init (SatoriProtocolHandlerInterface *iface)
{
  iface->attach = satori_protocol_handler_default_attach;
  iface->detach = satori_protocol_handler_default_attach;
}

/**
 * satori_protocol_handler_attach:
 * @handler: a #SatoriProtocolHandler
 * @host: the host that will route streams to it
 *
 * Called once before the first stream.
 */
void
satori_protocol_handler_attach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  g_return_if_fail (SATORI_IS_PROTOCOL_HANDLER (handler));
  g_return_if_fail (host != NULL);
  SATORI_PROTOCOL_HANDLER_GET_IFACE (handler)->attach (handler, host);
}

/**
 * satori_protocol_handler_detach:
 * @handler: a #SatoriProtocolHandler
 * @host: the host it was attached to
 *
 * Called once when the host stops using it.
 */
void
satori_protocol_handler_detach (SatoriProtocolHandler *handler, SatoriHost *host)
{
  g_return_if_fail (SATORI_IS_PROTOCOL_HANDLER (handler));
  g_return_if_fail (host != NULL);
  SATORI_PROTOCOL_HANDLER_GET_IFACE (handler)->detach (handler, host);
}

/**
 * satori_protocol_handler_handle_stream:
 * @handler: a #SatoriProtocolHandler
 * @stream: the inbound stream, protocol already negotiated
 * @protocol_id: the protocol id it was negotiated to
 * @remote_peer: the authenticated remote peer
 * @remote_address: (nullable): the connection's remote address, as observed
 *
 * Hands an inbound stream to the handler.
 */
void
satori_protocol_handler_handle_stream (SatoriProtocolHandler *handler,
                                       GIOStream             *stream,
                                       const char            *protocol_id,
                                       SatoriPeerId          *remote_peer,
                                       SatoriMultiaddr       *remote_address)
{
  g_return_if_fail (SATORI_IS_PROTOCOL_HANDLER (handler));
  g_return_if_fail (G_IS_IO_STREAM (stream));
  g_return_if_fail (protocol_id != NULL);
  g_return_if_fail (remote_peer != NULL);
  SATORI_PROTOCOL_HANDLER_GET_IFACE (handler)->handle_stream (handler, stream, protocol_id,
                                                              remote_peer, remote_address);
}
