/* satori-multiaddr-private.h — helpers shared inside the multiaddr code
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Internal to the library (hidden from its ABI): shared by
 * satori-multiaddr.c and satori-multiaddr-protocols.c. */
G_GNUC_INTERNAL
void  _satori_multiaddr_append_be16 (GByteArray   *out,
                                     guint         value);
G_GNUC_INTERNAL
guint _satori_multiaddr_read_be16   (const guint8 *value);

G_END_DECLS
