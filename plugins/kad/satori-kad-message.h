/* satori-kad-message.h — the kad-dht RPC message: encode and decode
 * (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "satori-kad-peer.h"

G_BEGIN_DECLS

/** SATORI_KAD_PROTOCOL_ID: the default protocol id of the DHT */
#define SATORI_KAD_PROTOCOL_ID "/ipfs/kad/1.0.0"
/** SATORI_KAD_MAX_MESSAGE_SIZE: the largest message accepted, length prefix not counted */
#define SATORI_KAD_MAX_MESSAGE_SIZE (64 * 1024)
/** SATORI_KAD_MAX_KEY_SIZE: the longest key (message or record) accepted */
#define SATORI_KAD_MAX_KEY_SIZE 512
/** SATORI_KAD_MAX_PEER_ID_SIZE: the longest binary peer id accepted */
#define SATORI_KAD_MAX_PEER_ID_SIZE 128

/**
 * SatoriKadMessageType:
 * @SATORI_KAD_PUT_VALUE: store a record
 * @SATORI_KAD_GET_VALUE: fetch a record and closer peers
 * @SATORI_KAD_ADD_PROVIDER: announce the sender as a provider of a key
 * @SATORI_KAD_GET_PROVIDERS: fetch providers and closer peers
 * @SATORI_KAD_FIND_NODE: fetch the peers closest to a key
 * @SATORI_KAD_PING: liveness (answered, never sent)
 *
 * The `MessageType` of the kad-dht `Message`.
 */
typedef enum {
  SATORI_KAD_PUT_VALUE = 0,
  SATORI_KAD_GET_VALUE = 1,
  SATORI_KAD_ADD_PROVIDER = 2,
  SATORI_KAD_GET_PROVIDERS = 3,
  SATORI_KAD_FIND_NODE = 4,
  SATORI_KAD_PING = 5,
} SatoriKadMessageType;

/**
 * SatoriKadMessage:
 * @type: the message type
 * @key: (nullable): the key the message is about
 * @record_key: (nullable): the record's key, when there is a record
 * @record_value: (nullable): the record's value; %NULL when there is no record
 * @time_received: (nullable): the record's `timeReceived` (RFC 3339), or %NULL
 * @closer_peers: (element-type SatoriKadPeer): closer peers
 * @provider_peers: (element-type SatoriKadPeer): providers
 *
 * One decoded message; build one with satori_kad_message_new() and fill
 * in the fields. A record is present when @record_value is not %NULL.
 */
typedef struct {
  SatoriKadMessageType type;
  GBytes *key;
  GBytes *record_key;
  GBytes *record_value;
  char *time_received;
  GPtrArray *closer_peers;
  GPtrArray *provider_peers;
} SatoriKadMessage;

SatoriKadMessage *satori_kad_message_new (SatoriKadMessageType type, GBytes *key);
void              satori_kad_message_free (SatoriKadMessage *message);
GBytes           *satori_kad_message_encode (const SatoriKadMessage *message);
SatoriKadMessage *satori_kad_message_decode (const guint8 *data, gsize len,
                                             gsize max_size, GError **error);
const char       *satori_kad_message_type_to_string (SatoriKadMessageType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriKadMessage, satori_kad_message_free)

G_END_DECLS
