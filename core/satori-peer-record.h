/* satori-peer-record.h — peer records (libp2p RFC 0003): a peer's
 * addresses, sequenced and signed in an envelope (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "satori-envelope.h"

G_BEGIN_DECLS

/**
 * SATORI_PEER_RECORD_DOMAIN:
 *
 * The signature domain of the peer records we sign. RFC 0003 names
 * `libp2p-routing-state`, but go-libp2p and js-libp2p sign and check
 * `libp2p-peer-record` (only rust-libp2p follows the RFC): we sign as
 * go and js do and open both (satori_peer_record_open()).
 */
#define SATORI_PEER_RECORD_DOMAIN "libp2p-peer-record"

/**
 * SATORI_PEER_RECORD_PAYLOAD_TYPE:
 *
 * The payload type of the peer records we sign: the multicodec
 * `libp2p-peer-record` (0x0301) as the two bytes 0x03 0x01, as go-libp2p
 * and js-libp2p write it (not as a varint).
 */
#define SATORI_PEER_RECORD_PAYLOAD_TYPE "\x03\x01"

/**
 * SATORI_PEER_RECORD_MAX_ADDRESSES:
 *
 * Addresses kept from one decoded record; more are ignored.
 */
#define SATORI_PEER_RECORD_MAX_ADDRESSES 128

/**
 * SatoriPeerRecord:
 * @peer_id: the peer the record is about
 * @seq: its sequence number: a later record has a higher one
 * @addresses: (element-type SatoriMultiaddr): where the peer is reachable
 *
 * A peer record. Reference counted.
 */
typedef struct
{
  SatoriPeerId *peer_id;
  guint64 seq;
  GPtrArray *addresses;
} SatoriPeerRecord;

#define SATORI_TYPE_PEER_RECORD (satori_peer_record_get_type ())
GType satori_peer_record_get_type (void) G_GNUC_CONST;

SatoriPeerRecord *satori_peer_record_new (SatoriPeerId *peer_id,
                                          guint64       seq,
                                          GPtrArray    *addresses);
SatoriPeerRecord *satori_peer_record_ref (SatoriPeerRecord *record);
void              satori_peer_record_unref (SatoriPeerRecord *record);

GBytes           *satori_peer_record_encode (const SatoriPeerRecord *record);
SatoriPeerRecord *satori_peer_record_decode (const guint8  *data,
                                             gsize          len,
                                             GError       **error);
SatoriEnvelope   *satori_peer_record_seal (const SatoriPeerRecord  *record,
                                           SatoriPrivateKey        *key,
                                           GError                 **error);
SatoriPeerRecord *satori_peer_record_open (const guint8  *data,
                                           gsize          len,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriPeerRecord, satori_peer_record_unref)

G_END_DECLS
