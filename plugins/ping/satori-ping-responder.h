/* satori-ping-responder.h — serves one inbound /ipfs/ping/1.0.0 stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SATORI_PING_PAYLOAD_SIZE:
 *
 * The size of one ping and of its echo.
 */
#define SATORI_PING_PAYLOAD_SIZE 32

void satori_ping_responder_serve (GIOStream      *stream,
                                  GCancellable   *cancellable,
                                  GDestroyNotify  done,
                                  gpointer        done_data);

G_END_DECLS
