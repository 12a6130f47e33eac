/* satori-muxer.h — the muxer contract: turn a connection into streams
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-muxed-connection.h"

G_BEGIN_DECLS

#define SATORI_TYPE_MUXER (satori_muxer_get_type ())
G_DECLARE_INTERFACE (SatoriMuxer, satori_muxer, SATORI, MUXER, GObject)

/**
 * SatoriMuxerInterface:
 * @g_iface: the parent interface
 * @create_connection: starts a session over @secured; no bytes need to be
 *   exchanged first, so this is synchronous
 *
 * Yamux, mplex.
 */
struct _SatoriMuxerInterface
{
  GTypeInterface g_iface;

  SatoriMuxedConnection *(*create_connection) (SatoriMuxer  *muxer,
                                               GIOStream    *secured,
                                               gboolean      is_initiator,
                                               GError      **error);
};

SatoriMuxedConnection *satori_muxer_create_connection (SatoriMuxer  *muxer,
                                                       GIOStream    *secured,
                                                       gboolean      is_initiator,
                                                       GError      **error);

G_END_DECLS
