/* satori-multiaddr-protocols.h — the multiaddr protocol table
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Codes from the multicodec table (multiformats/multicodec, table.csv). */
#define SATORI_PROTO_IP4               0x0004
#define SATORI_PROTO_TCP               0x0006
#define SATORI_PROTO_DCCP              0x0021
#define SATORI_PROTO_IP6               0x0029
#define SATORI_PROTO_IP6ZONE           0x002a
#define SATORI_PROTO_IPCIDR            0x002b
#define SATORI_PROTO_DNS               0x0035
#define SATORI_PROTO_DNS4              0x0036
#define SATORI_PROTO_DNS6              0x0037
#define SATORI_PROTO_DNSADDR           0x0038
#define SATORI_PROTO_SCTP              0x0084
#define SATORI_PROTO_UDP               0x0111
#define SATORI_PROTO_P2P_WEBRTC_DIRECT 0x0114
#define SATORI_PROTO_WEBRTC_DIRECT     0x0118
#define SATORI_PROTO_WEBRTC            0x0119
#define SATORI_PROTO_P2P_CIRCUIT       0x0122
#define SATORI_PROTO_UDT               0x012d
#define SATORI_PROTO_UTP               0x012e
#define SATORI_PROTO_UNIX              0x0190
#define SATORI_PROTO_P2P               0x01a5
#define SATORI_PROTO_HTTPS             0x01bb
#define SATORI_PROTO_ONION             0x01bc
#define SATORI_PROTO_ONION3            0x01bd
#define SATORI_PROTO_TLS               0x01c0
#define SATORI_PROTO_SNI               0x01c1
#define SATORI_PROTO_NOISE             0x01c6
#define SATORI_PROTO_QUIC              0x01cc
#define SATORI_PROTO_QUIC_V1           0x01cd
#define SATORI_PROTO_WEBTRANSPORT      0x01d1
#define SATORI_PROTO_CERTHASH          0x01d2
#define SATORI_PROTO_WS                0x01dd
#define SATORI_PROTO_WSS               0x01de
#define SATORI_PROTO_HTTP              0x01e0
#define SATORI_PROTO_MEMORY            0x0309

/**
 * SATORI_MULTIADDR_PROTOCOL_VARIABLE:
 *
 * The #SatoriMultiaddrProtocol.size of a protocol whose value is
 * length-prefixed.
 */
#define SATORI_MULTIADDR_PROTOCOL_VARIABLE (-1)

/**
 * SatoriMultiaddrValueParseFunc:
 * @text: the value in text, not empty
 * @out: where to append the value's bytes (without any length prefix)
 * @error: %SATORI_MULTIADDR_ERROR_INVALID when @text is not a valid value
 *
 * Returns: %TRUE when @text was converted
 */
typedef gboolean (*SatoriMultiaddrValueParseFunc) (const char  *text,
                                                   GByteArray  *out,
                                                   GError     **error);

/**
 * SatoriMultiaddrValueValidateFunc:
 * @value: (array length=len): the value's bytes
 * @len: their number (already checked for fixed-size protocols)
 * @error: %SATORI_MULTIADDR_ERROR_INVALID when @value is not valid
 *
 * Returns: %TRUE when @value is valid, and so can be printed
 */
typedef gboolean (*SatoriMultiaddrValueValidateFunc) (const guint8  *value,
                                                      gsize          len,
                                                      GError       **error);

/**
 * SatoriMultiaddrValuePrintFunc:
 * @value: (array length=len): bytes that passed validation
 * @len: their number
 *
 * Returns: (transfer full): the value in text
 */
typedef char *(*SatoriMultiaddrValuePrintFunc) (const guint8 *value,
                                                gsize         len);

/**
 * SatoriMultiaddrProtocol:
 * @code: the multicodec code
 * @name: the name used in text
 * @size: the value's size in bits, 0 for none, or
 *   %SATORI_MULTIADDR_PROTOCOL_VARIABLE for a length-prefixed value
 * @path: the value is a path: in text, the rest of the address
 * @parse: text to bytes (%NULL when @size is 0)
 * @validate: checks bytes (%NULL when any bytes of the right size are valid)
 * @print: bytes to text (%NULL when @size is 0)
 *
 * One row of the protocol table.
 */
typedef struct {
  guint32 code;
  const char *name;
  gint size;
  gboolean path;
  SatoriMultiaddrValueParseFunc parse;
  SatoriMultiaddrValueValidateFunc validate;
  SatoriMultiaddrValuePrintFunc print;
} SatoriMultiaddrProtocol;

const SatoriMultiaddrProtocol *satori_multiaddr_protocol_from_code (guint64     code);
const SatoriMultiaddrProtocol *satori_multiaddr_protocol_from_name (const char *name,
                                                                    gssize      len);

G_END_DECLS
