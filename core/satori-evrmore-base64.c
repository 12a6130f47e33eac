/* Standard padded base64 (RFC 4648 §4) as Satori writes signatures and
 * wallet entropy. GLib's decoder skips characters it does not know; this
 * one accepts only the canonical text of exactly @expected_len bytes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-evrmore-base64.h"

#include <string.h>

#include "satori-crypto.h"
#include "satori-multibase.h"

/* Returns: (nullable): the bytes in secure memory (they may be a secret),
 * or %NULL when @text is not canonical base64 of @expected_len bytes. */
GBytes *
satori_evrmore_base64_decode (const char *text, gsize expected_len)
{
  gsize text_len = 4 * ((expected_len + 2) / 3);
  gsize padding = (3 - expected_len % 3) % 3;

  if (expected_len == 0 || strlen (text) != text_len)
    return NULL;
  for (gsize i = text_len - padding; i < text_len; i++)
    if (text[i] != '=')
      return NULL;

  /* The multibase decoder ('m': unpadded base64) refuses stray
   * characters, '=' included, and non-zero trailing bits. */
  g_autofree char *multibase = g_malloc (text_len - padding + 2);
  multibase[0] = 'm';
  memcpy (multibase + 1, text, text_len - padding);
  multibase[text_len - padding + 1] = '\0';
  g_autoptr(GBytes) bytes = satori_multibase_decode (multibase, NULL, NULL);
  explicit_bzero (multibase, text_len - padding + 1);
  if (bytes == NULL)
    return NULL;

  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GBytes *copy = len == expected_len ? satori_crypto_secure_bytes_new (data, len) : NULL;
  explicit_bzero ((guint8 *) data, len);
  return copy;
}
