/* satori-multiaddr.h — multiaddrs: self-describing network addresses
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "satori-multiaddr-protocols.h"
#include "satori-types.h"

G_BEGIN_DECLS

/**
 * SATORI_MULTIADDR_MAX_BYTES:
 *
 * The longest binary multiaddr we parse. Real addresses (even relayed ones
 * with certificate hashes) are a few hundred bytes at most.
 */
#define SATORI_MULTIADDR_MAX_BYTES 1024

#define SATORI_TYPE_MULTIADDR (satori_multiaddr_get_type ())
GType satori_multiaddr_get_type (void) G_GNUC_CONST;

SatoriMultiaddr *satori_multiaddr_new_from_string  (const char    *text,
                                                    GError       **error);
SatoriMultiaddr *satori_multiaddr_new_from_bytes   (const guint8  *data,
                                                    gsize          len,
                                                    GError       **error);
SatoriMultiaddr *satori_multiaddr_new_ip_tcp       (GInetAddress  *address,
                                                    guint16        port);
SatoriMultiaddr *satori_multiaddr_new_ip_udp       (GInetAddress  *address,
                                                    guint16        port);
SatoriMultiaddr *satori_multiaddr_new_memory       (guint64        id);
SatoriMultiaddr *satori_multiaddr_new_p2p          (const guint8  *multihash,
                                                    gsize          len,
                                                    GError       **error);

SatoriMultiaddr *satori_multiaddr_ref              (SatoriMultiaddr *ma);
void             satori_multiaddr_unref            (SatoriMultiaddr *ma);

char            *satori_multiaddr_to_string        (const SatoriMultiaddr *ma);
GBytes          *satori_multiaddr_get_bytes        (const SatoriMultiaddr *ma);
const guint8    *satori_multiaddr_get_data         (const SatoriMultiaddr *ma,
                                                    gsize                 *len);
gboolean         satori_multiaddr_equal            (gconstpointer a,
                                                    gconstpointer b);
guint            satori_multiaddr_hash             (gconstpointer ma);

guint            satori_multiaddr_get_n_components (const SatoriMultiaddr  *ma);
gboolean         satori_multiaddr_get_component    (const SatoriMultiaddr  *ma,
                                                    guint                   index,
                                                    guint32                *code,
                                                    const guint8          **value,
                                                    gsize                  *value_len);
char            *satori_multiaddr_get_value_string (const SatoriMultiaddr  *ma,
                                                    guint32                 code);
gboolean         satori_multiaddr_has_protocol     (const SatoriMultiaddr  *ma,
                                                    guint32                 code);
GBytes          *satori_multiaddr_get_peer_id_bytes (const SatoriMultiaddr *ma);

SatoriMultiaddr *satori_multiaddr_encapsulate      (const SatoriMultiaddr *ma,
                                                    const SatoriMultiaddr *inner);
SatoriMultiaddr *satori_multiaddr_decapsulate      (SatoriMultiaddr       *ma,
                                                    guint32                code);

GSocketAddress  *satori_multiaddr_to_inet_socket_address (const SatoriMultiaddr  *ma,
                                                          guint32                *transport,
                                                          GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriMultiaddr, satori_multiaddr_unref)

G_END_DECLS
