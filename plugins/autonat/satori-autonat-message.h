/* satori-autonat-message.h — the AutoNAT v1 message: encode, decode
 * (pure: no I/O)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <satorip2p.h>

G_BEGIN_DECLS

/**
 * SATORI_AUTONAT_PROTOCOL:
 *
 * The AutoNAT v1 protocol id.
 */
#define SATORI_AUTONAT_PROTOCOL "/libp2p/autonat/1.0.0"

/**
 * SATORI_AUTONAT_MAX_MESSAGE_SIZE:
 *
 * The largest message accepted, length prefix not counted (8 KiB, as
 * js-libp2p).
 */
#define SATORI_AUTONAT_MAX_MESSAGE_SIZE 8192

/**
 * SATORI_AUTONAT_MAX_ADDRS:
 *
 * Addresses kept from one dial request; more are ignored.
 */
#define SATORI_AUTONAT_MAX_ADDRS 32

/**
 * SatoriAutonatStatus:
 * @SATORI_AUTONAT_STATUS_OK: a dial back succeeded
 * @SATORI_AUTONAT_STATUS_E_DIAL_ERROR: every dial back failed
 * @SATORI_AUTONAT_STATUS_E_DIAL_REFUSED: the server would not dial
 *   (no address it may dial, or a limit reached)
 * @SATORI_AUTONAT_STATUS_E_BAD_REQUEST: the request was malformed
 * @SATORI_AUTONAT_STATUS_E_INTERNAL_ERROR: the server failed
 *
 * The `ResponseStatus` of a dial response, with the wire's values.
 */
typedef enum
{
  SATORI_AUTONAT_STATUS_OK = 0,
  SATORI_AUTONAT_STATUS_E_DIAL_ERROR = 100,
  SATORI_AUTONAT_STATUS_E_DIAL_REFUSED = 101,
  SATORI_AUTONAT_STATUS_E_BAD_REQUEST = 200,
  SATORI_AUTONAT_STATUS_E_INTERNAL_ERROR = 300,
} SatoriAutonatStatus;

/**
 * SatoriAutonatMessageType:
 * @SATORI_AUTONAT_MESSAGE_DIAL: a request to dial the sender back
 * @SATORI_AUTONAT_MESSAGE_DIAL_RESPONSE: its answer
 *
 * The two kinds of message.
 */
typedef enum
{
  SATORI_AUTONAT_MESSAGE_DIAL = 0,
  SATORI_AUTONAT_MESSAGE_DIAL_RESPONSE = 1,
} SatoriAutonatMessageType;

/**
 * SatoriAutonatMessage:
 * @type: what the message is
 * @peer_id: (nullable): a dial's peer id (multihash bytes, unchecked)
 * @addrs: (element-type SatoriMultiaddr): a dial's addresses that parse,
 *   at most %SATORI_AUTONAT_MAX_ADDRS
 * @has_status: whether a response carried a status
 * @status: a response's status (any value the sender put, see
 *   #SatoriAutonatStatus)
 * @status_text: (nullable): a response's explanation
 * @addr: (nullable): the address a response says was dialed
 *
 * One decoded message; free with satori_autonat_message_free().
 */
typedef struct
{
  SatoriAutonatMessageType type;
  GBytes *peer_id;
  GPtrArray *addrs;
  gboolean has_status;
  int status;
  char *status_text;
  SatoriMultiaddr *addr;
} SatoriAutonatMessage;

GBytes               *satori_autonat_message_encode_dial (GBytes    *peer_id,
                                                          GPtrArray *addrs);
GBytes               *satori_autonat_message_encode_response (SatoriAutonatStatus  status,
                                                              const char          *status_text,
                                                              SatoriMultiaddr     *addr);
SatoriAutonatMessage *satori_autonat_message_decode (const guint8  *data,
                                                     gsize          len,
                                                     GError       **error);
void                  satori_autonat_message_free (SatoriAutonatMessage *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SatoriAutonatMessage, satori_autonat_message_free)

G_END_DECLS
