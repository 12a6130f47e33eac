/* satori-identify-message.h — the Identify message: encode, decode,
 * validate (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

/**
 * SATORI_IDENTIFY_MAX_MESSAGE_SIZE:
 *
 * The largest Identify message accepted, length prefix not counted
 * (8 KiB, as go-libp2p and js-libp2p).
 */
#define SATORI_IDENTIFY_MAX_MESSAGE_SIZE 8192

/**
 * SATORI_IDENTIFY_MAX_LISTEN_ADDRS:
 *
 * Listen addresses kept from one message; more are ignored.
 */
#define SATORI_IDENTIFY_MAX_LISTEN_ADDRS 128

/**
 * SatoriIdentifyMessage:
 * @protocol_version: (nullable): e.g. `ipfs/0.1.0`
 * @agent_version: (nullable): e.g. `satorip2p/0.1.0`
 * @public_key: (nullable): the sender's key
 * @listen_addrs: (element-type SatoriMultiaddr): where the sender listens
 * @observed_addr: (nullable): how the sender sees the receiver
 * @protocols: (array zero-terminated=1): the sender's stream protocols
 * @has_protocols: whether the message carried protocols (a push may not)
 * @signed_peer_record: (nullable): the sender's signed peer record, an
 *   encoded #SatoriEnvelope, not yet checked (satori_peer_record_open())
 *
 * One Identify message, decoded. Reference counted.
 */
typedef struct
{
  char *protocol_version;
  char *agent_version;
  SatoriPublicKey *public_key;
  GPtrArray *listen_addrs;
  SatoriMultiaddr *observed_addr;
  GStrv protocols;
  gboolean has_protocols;
  GBytes *signed_peer_record;
} SatoriIdentifyMessage;

#define SATORI_TYPE_IDENTIFY_MESSAGE (satori_identify_message_get_type ())
GType satori_identify_message_get_type (void) G_GNUC_CONST;

SatoriIdentifyMessage *satori_identify_message_new (void);
SatoriIdentifyMessage *satori_identify_message_ref (SatoriIdentifyMessage *message);
void                   satori_identify_message_unref (SatoriIdentifyMessage *message);

GBytes                *satori_identify_message_encode (const SatoriIdentifyMessage *message);
SatoriIdentifyMessage *satori_identify_message_decode (const guint8  *data,
                                                       gsize          len,
                                                       GError       **error);
void                   satori_identify_message_merge (SatoriIdentifyMessage       *into,
                                                      const SatoriIdentifyMessage *from);
gboolean               satori_identify_message_validate (const SatoriIdentifyMessage  *message,
                                                         SatoriPeerId                 *peer,
                                                         gboolean                      need_key,
                                                         GError                      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriIdentifyMessage, satori_identify_message_unref)

G_END_DECLS
