/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multiaddr-protocols.h"

#include <arpa/inet.h>
#include <string.h>

#include "satori-errors.h"
#include "satori-multiaddr-private.h"
#include "satori-multibase.h"
#include "satori-varint.h"

/* Multihash codes a peer id may use, and the longest key the peer-ids spec
 * inlines with the identity hash. */
#define MULTIHASH_IDENTITY 0x00
#define MULTIHASH_SHA2_256 0x12
#define MAX_INLINE_KEY_LEN 42
/* A CIDv1 of a peer id carries the libp2p-key codec. */
#define CODEC_LIBP2P_KEY 0x72
/* DNS names are at most 253 characters; zones and SNI fit the same bound. */
#define MAX_NAME_LEN 255

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (SATORI_MULTIADDR_ERROR,
                                                SATORI_MULTIADDR_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* Unsigned decimal without sign, spaces or overflow. */
static gboolean
parse_decimal (const char *text, guint64 max, guint64 *out)
{
  guint64 value = 0;

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      guint digit = (guint) (*p - '0');
      if (value > (max - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }
  *out = value;
  return TRUE;
}

/* Ports are big-endian 16-bit values; satori-multiaddr.c shares these. */
void
_satori_multiaddr_append_be16 (GByteArray *out, guint value)
{
  guint8 bytes[2] = { (value >> 8) & 0xff, value & 0xff };
  g_byte_array_append (out, bytes, 2);
}

guint
_satori_multiaddr_read_be16 (const guint8 *value)
{
  return ((guint) value[0] << 8) | value[1];
}

/* --- tcp, udp, dccp, sctp --- */

static gboolean
port_parse (const char *text, GByteArray *out, GError **error)
{
  guint64 port;

  if (!parse_decimal (text, G_MAXUINT16, &port))
    return invalid (error, "invalid port '%s'", text);
  _satori_multiaddr_append_be16 (out, (guint) port);
  return TRUE;
}

static char *
port_print (const guint8 *value, gsize len)
{
  return g_strdup_printf ("%u", _satori_multiaddr_read_be16 (value));
}

/* --- ipcidr --- */

static gboolean
ipcidr_parse (const char *text, GByteArray *out, GError **error)
{
  guint64 bits;

  if (!parse_decimal (text, G_MAXUINT8, &bits))
    return invalid (error, "invalid prefix length '%s'", text);
  guint8 byte = (guint8) bits;
  g_byte_array_append (out, &byte, 1);
  return TRUE;
}

static char *
ipcidr_print (const guint8 *value, gsize len)
{
  return g_strdup_printf ("%u", value[0]);
}

/* --- ip4, ip6 --- */

static gboolean
ip_parse (int family, const char *text, GByteArray *out, GError **error)
{
  guint8 bytes[16];

  if (inet_pton (family, text, bytes) != 1)
    return invalid (error, "invalid IPv%c address '%s'", family == AF_INET ? '4' : '6', text);
  g_byte_array_append (out, bytes, family == AF_INET ? 4 : 16);
  return TRUE;
}

static char *
ip_print (int family, const guint8 *value)
{
  char text[INET6_ADDRSTRLEN];

  /* Cannot fail: the buffer fits any address of either family. */
  inet_ntop (family, value, text, sizeof text);
  return g_strdup (text);
}

static gboolean
ip4_parse (const char *text, GByteArray *out, GError **error)
{
  return ip_parse (AF_INET, text, out, error);
}

static char *
ip4_print (const guint8 *value, gsize len)
{
  return ip_print (AF_INET, value);
}

static gboolean
ip6_parse (const char *text, GByteArray *out, GError **error)
{
  return ip_parse (AF_INET6, text, out, error);
}

static char *
ip6_print (const guint8 *value, gsize len)
{
  return ip_print (AF_INET6, value);
}

/* --- dns, dns4, dns6, dnsaddr, sni, ip6zone: names kept as they are --- */

static gboolean
name_parse (const char *text, GByteArray *out, GError **error)
{
  g_byte_array_append (out, (const guint8 *) text, strlen (text));
  return TRUE;
}

static gboolean
name_validate (const guint8 *value, gsize len, GError **error)
{
  if (len == 0)
    return invalid (error, "empty name");
  if (len > MAX_NAME_LEN)
    return invalid (error, "name longer than %d bytes", MAX_NAME_LEN);
  /* A '/' would split the text form; a NUL cannot be printed. */
  if (memchr (value, '/', len) != NULL || memchr (value, '\0', len) != NULL)
    return invalid (error, "name contains '/' or NUL");
  return TRUE;
}

static char *
string_print (const guint8 *value, gsize len)
{
  return g_strndup ((const char *) value, len);
}

/* --- unix: an absolute path, which in text is the rest of the address --- */

static gboolean
path_validate (const guint8 *value, gsize len, GError **error)
{
  if (len < 2 || value[0] != '/')
    return invalid (error, "path must be absolute and not empty");
  if (memchr (value, '\0', len) != NULL)
    return invalid (error, "path contains NUL");
  return TRUE;
}

/* --- multihashes: p2p, certhash --- */

static gboolean
multihash_check (const guint8 *data, gsize len, guint64 *code, gsize *digest_len,
                 GError **error)
{
  guint64 length;
  gsize used, used2;

  if (!satori_varint_decode (data, len, code, &used, NULL) ||
      !satori_varint_decode (data + used, len - used, &length, &used2, NULL))
    return invalid (error, "malformed multihash header");
  if (length != len - used - used2)
    return invalid (error, "multihash digest length %" G_GUINT64_FORMAT
                    " does not match its %" G_GSIZE_FORMAT " bytes",
                    length, len - used - used2);
  *digest_len = (gsize) length;
  return TRUE;
}

static gboolean
peer_id_validate (const guint8 *value, gsize len, GError **error)
{
  guint64 code;
  gsize digest_len;

  if (!multihash_check (value, len, &code, &digest_len, error))
    return FALSE;
  if (code == MULTIHASH_IDENTITY && digest_len <= MAX_INLINE_KEY_LEN)
    return TRUE;
  if (code == MULTIHASH_SHA2_256 && digest_len == 32)
    return TRUE;
  return invalid (error, "peer id is neither an identity multihash of at most %d bytes "
                  "nor a 32-byte sha2-256 multihash", MAX_INLINE_KEY_LEN);
}

/* A peer id is a bare base58btc multihash (starting "Qm" or "1") or a
 * CIDv1 of codec libp2p-key in any multibase we read. */
static gboolean
p2p_parse (const char *text, GByteArray *out, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const guint8 *data;

  if (text[0] == 'Q' || text[0] == '1')
    {
      bytes = satori_base58btc_decode (text, &local_error);
      if (bytes == NULL)
        return invalid (error, "invalid peer id '%s': %s", text, local_error->message);
      data = g_bytes_get_data (bytes, &len);
      g_byte_array_append (out, data, len);
      return TRUE;
    }

  bytes = satori_multibase_decode (text, NULL, &local_error);
  if (bytes == NULL)
    return invalid (error, "invalid peer id '%s': %s", text, local_error->message);
  data = g_bytes_get_data (bytes, &len);

  guint64 version, codec;
  gsize used, used2;
  if (!satori_varint_decode (data, len, &version, &used, NULL) || version != 1 ||
      !satori_varint_decode (data + used, len - used, &codec, &used2, NULL) ||
      codec != CODEC_LIBP2P_KEY)
    return invalid (error, "peer id '%s' is not a CIDv1 of a libp2p-key", text);
  g_byte_array_append (out, data + used + used2, len - used - used2);
  return TRUE;
}

static char *
p2p_print (const guint8 *value, gsize len)
{
  return satori_base58btc_encode (value, len);
}

static gboolean
certhash_parse (const char *text, GByteArray *out, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = satori_multibase_decode (text, NULL, &local_error);
  gsize len;

  if (bytes == NULL)
    return invalid (error, "invalid certhash '%s': %s", text, local_error->message);
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_byte_array_append (out, data, len);
  return TRUE;
}

static gboolean
certhash_validate (const guint8 *value, gsize len, GError **error)
{
  guint64 code;
  gsize digest_len;

  return multihash_check (value, len, &code, &digest_len, error);
}

static char *
certhash_print (const guint8 *value, gsize len)
{
  /* What go-multiaddr and js-multiaddr print. */
  return satori_multibase_encode (SATORI_MULTIBASE_BASE64URL, value, len);
}

/* --- onion (v2), onion3: "<base32 host>:<port>", port 1-65535 --- */

static gboolean
onion_parse_common (const char *text, gsize host_chars, gsize host_bytes,
                    GByteArray *out, GError **error)
{
  const char *colon = strchr (text, ':');
  guint64 port;

  if (colon == NULL || (gsize) (colon - text) != host_chars)
    return invalid (error, "'%s' is not <%" G_GSIZE_FORMAT " base32 characters>:<port>",
                    text, host_chars);
  if (!parse_decimal (colon + 1, G_MAXUINT16, &port) || port == 0)
    return invalid (error, "invalid onion port in '%s'", text);

  g_autofree char *host = g_ascii_strdown (text, (gssize) host_chars);
  g_autoptr(GBytes) bytes = satori_base32_decode (host, NULL);
  if (bytes == NULL || g_bytes_get_size (bytes) != host_bytes)
    return invalid (error, "invalid onion host in '%s'", text);
  g_byte_array_append (out, g_bytes_get_data (bytes, NULL), host_bytes);
  _satori_multiaddr_append_be16 (out, (guint) port);
  return TRUE;
}

static gboolean
onion_validate (const guint8 *value, gsize len, GError **error)
{
  if (_satori_multiaddr_read_be16 (value + len - 2) == 0)
    return invalid (error, "onion port 0");
  return TRUE;
}

static char *
onion_print (const guint8 *value, gsize len)
{
  g_autofree char *host = satori_base32_encode (value, len - 2);
  return g_strdup_printf ("%s:%u", host, _satori_multiaddr_read_be16 (value + len - 2));
}

static gboolean
onion2_parse (const char *text, GByteArray *out, GError **error)
{
  return onion_parse_common (text, 16, 10, out, error);
}

static gboolean
onion3_parse (const char *text, GByteArray *out, GError **error)
{
  return onion_parse_common (text, 56, 35, out, error);
}

/* --- memory: a uint64, big-endian as in go- and rust-multiaddr --- */

static gboolean
memory_parse (const char *text, GByteArray *out, GError **error)
{
  guint64 value;
  guint8 bytes[8];

  if (!parse_decimal (text, G_MAXUINT64, &value))
    return invalid (error, "invalid memory address '%s'", text);
  for (int i = 7; i >= 0; i--, value >>= 8)
    bytes[i] = value & 0xff;
  g_byte_array_append (out, bytes, 8);
  return TRUE;
}

static char *
memory_print (const guint8 *value, gsize len)
{
  guint64 n = 0;

  for (gsize i = 0; i < 8; i++)
    n = (n << 8) | value[i];
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

#define V SATORI_MULTIADDR_PROTOCOL_VARIABLE
#define NO_VALUE(code, name) { code, name, 0, FALSE, NULL, NULL, NULL }

static const SatoriMultiaddrProtocol protocols[] = {
  { SATORI_PROTO_IP4, "ip4", 32, FALSE, ip4_parse, NULL, ip4_print },
  { SATORI_PROTO_TCP, "tcp", 16, FALSE, port_parse, NULL, port_print },
  { SATORI_PROTO_DCCP, "dccp", 16, FALSE, port_parse, NULL, port_print },
  { SATORI_PROTO_IP6, "ip6", 128, FALSE, ip6_parse, NULL, ip6_print },
  { SATORI_PROTO_IP6ZONE, "ip6zone", V, FALSE, name_parse, name_validate, string_print },
  { SATORI_PROTO_IPCIDR, "ipcidr", 8, FALSE, ipcidr_parse, NULL, ipcidr_print },
  { SATORI_PROTO_DNS, "dns", V, FALSE, name_parse, name_validate, string_print },
  { SATORI_PROTO_DNS4, "dns4", V, FALSE, name_parse, name_validate, string_print },
  { SATORI_PROTO_DNS6, "dns6", V, FALSE, name_parse, name_validate, string_print },
  { SATORI_PROTO_DNSADDR, "dnsaddr", V, FALSE, name_parse, name_validate, string_print },
  { SATORI_PROTO_SCTP, "sctp", 16, FALSE, port_parse, NULL, port_print },
  { SATORI_PROTO_UDP, "udp", 16, FALSE, port_parse, NULL, port_print },
  NO_VALUE (SATORI_PROTO_P2P_WEBRTC_DIRECT, "p2p-webrtc-direct"),
  NO_VALUE (SATORI_PROTO_WEBRTC_DIRECT, "webrtc-direct"),
  NO_VALUE (SATORI_PROTO_WEBRTC, "webrtc"),
  NO_VALUE (SATORI_PROTO_P2P_CIRCUIT, "p2p-circuit"),
  NO_VALUE (SATORI_PROTO_UDT, "udt"),
  NO_VALUE (SATORI_PROTO_UTP, "utp"),
  { SATORI_PROTO_UNIX, "unix", V, TRUE, name_parse, path_validate, string_print },
  { SATORI_PROTO_P2P, "p2p", V, FALSE, p2p_parse, peer_id_validate, p2p_print },
  NO_VALUE (SATORI_PROTO_HTTPS, "https"),
  { SATORI_PROTO_ONION, "onion", 96, FALSE, onion2_parse, onion_validate, onion_print },
  { SATORI_PROTO_ONION3, "onion3", 296, FALSE, onion3_parse, onion_validate, onion_print },
  NO_VALUE (SATORI_PROTO_TLS, "tls"),
  { SATORI_PROTO_SNI, "sni", V, FALSE, name_parse, name_validate, string_print },
  NO_VALUE (SATORI_PROTO_NOISE, "noise"),
  NO_VALUE (SATORI_PROTO_QUIC, "quic"),
  NO_VALUE (SATORI_PROTO_QUIC_V1, "quic-v1"),
  NO_VALUE (SATORI_PROTO_WEBTRANSPORT, "webtransport"),
  { SATORI_PROTO_CERTHASH, "certhash", V, FALSE, certhash_parse, certhash_validate, certhash_print },
  NO_VALUE (SATORI_PROTO_WS, "ws"),
  NO_VALUE (SATORI_PROTO_WSS, "wss"),
  NO_VALUE (SATORI_PROTO_HTTP, "http"),
  { SATORI_PROTO_MEMORY, "memory", 64, FALSE, memory_parse, NULL, memory_print },
};

#undef V
#undef NO_VALUE

/**
 * satori_multiaddr_protocol_from_code:
 * @code: a multicodec code
 *
 * Returns: (nullable) (transfer none): the protocol, or %NULL when we do
 *   not know @code
 */
const SatoriMultiaddrProtocol *
satori_multiaddr_protocol_from_code (guint64 code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (protocols[i].code == code)
      return &protocols[i];
  return NULL;
}

/**
 * satori_multiaddr_protocol_from_name:
 * @name: (array length=len): a protocol name, as in text multiaddrs
 * @len: its length, or -1 when @name is NUL-terminated
 *
 * "ipfs", the old name of "p2p", finds the p2p protocol.
 *
 * Returns: (nullable) (transfer none): the protocol, or %NULL when we do
 *   not know @name
 */
const SatoriMultiaddrProtocol *
satori_multiaddr_protocol_from_name (const char *name, gssize len)
{
  gsize n = len < 0 ? strlen (name) : (gsize) len;

  if (n == 4 && memcmp (name, "ipfs", 4) == 0)
    return satori_multiaddr_protocol_from_code (SATORI_PROTO_P2P);
  for (gsize i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (strlen (protocols[i].name) == n && memcmp (protocols[i].name, name, n) == 0)
      return &protocols[i];
  return NULL;
}
