/* satori-multibase.h — base58btc, base32 and multibase text encodings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SatoriMultibase:
 * @SATORI_MULTIBASE_BASE58BTC: Bitcoin's base58 alphabet, prefix `z`
 * @SATORI_MULTIBASE_BASE32: RFC 4648 lower case without padding, prefix `b`
 * @SATORI_MULTIBASE_BASE16: lower-case hex, prefix `f`
 * @SATORI_MULTIBASE_BASE64: RFC 4648 without padding, prefix `m`
 * @SATORI_MULTIBASE_BASE64URL: RFC 4648 URL alphabet without padding, prefix `u`
 *
 * The multibase encodings satorip2p reads and writes.
 */
typedef enum {
  SATORI_MULTIBASE_BASE58BTC = 'z',
  SATORI_MULTIBASE_BASE32 = 'b',
  SATORI_MULTIBASE_BASE16 = 'f',
  SATORI_MULTIBASE_BASE64 = 'm',
  SATORI_MULTIBASE_BASE64URL = 'u',
} SatoriMultibase;

char   *satori_base58btc_encode (const guint8 *data, gsize len);
GBytes *satori_base58btc_decode (const char *text, GError **error);
char   *satori_base32_encode (const guint8 *data, gsize len);
GBytes *satori_base32_decode (const char *text, GError **error);

char   *satori_multibase_encode (SatoriMultibase base, const guint8 *data, gsize len);
GBytes *satori_multibase_decode (const char *text, SatoriMultibase *base, GError **error);

G_END_DECLS
