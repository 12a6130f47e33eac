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
 * The signature domain of peer records.
 */
#define SATORI_PEER_RECORD_DOMAIN "libp2p-routing-state"

/**
 * SATORI_PEER_RECORD_CODEC:
 *
 * The multicodec of the peer record payload type (`libp2p-peer-record`).
 */
#define SATORI_PEER_RECORD_CODEC 0x0301

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
