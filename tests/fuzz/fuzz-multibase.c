/* Fuzzes the multibase decoders. Text that decodes must encode back to
 * itself (every encoding we read is canonical), and any bytes must
 * survive encoding and decoding in every base.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <string.h>

#include "satori-multibase.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The input as a C string: up to its first NUL, if any. */
static char *
as_text (const uint8_t *data, size_t size)
{
  char *text = g_malloc (size + 1);

  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';
  return text;
}

/* Keeps the quadratic base58 coder and the 4096-character limit out of
 * the way of the bytes round trip. */
#define MAX_ROUND_TRIP_BYTES 1024

static void
check_text (const uint8_t *data, size_t size)
{
  g_autofree char *text = as_text (data, size);
  SatoriMultibase base;
  g_autoptr(GBytes) bytes = satori_multibase_decode (text, &base, NULL);

  if (bytes != NULL)
    {
      gsize len;
      const guint8 *decoded = g_bytes_get_data (bytes, &len);
      g_autofree char *encoded = satori_multibase_encode (base, decoded, len);
      g_assert_cmpstr (encoded, ==, text);
    }

  g_autoptr(GBytes) base58 = satori_base58btc_decode (text, NULL);
  if (base58 != NULL)
    {
      g_autofree char *encoded = satori_base58btc_encode (g_bytes_get_data (base58, NULL),
                                                          g_bytes_get_size (base58));
      g_assert_cmpstr (encoded, ==, text);
    }

  g_autoptr(GBytes) base32 = satori_base32_decode (text, NULL);
  if (base32 != NULL)
    {
      g_autofree char *encoded = satori_base32_encode (g_bytes_get_data (base32, NULL),
                                                       g_bytes_get_size (base32));
      g_assert_cmpstr (encoded, ==, text);
    }
}

static void
check_bytes (const uint8_t *data, size_t size)
{
  const SatoriMultibase bases[] = {
    SATORI_MULTIBASE_BASE58BTC, SATORI_MULTIBASE_BASE32, SATORI_MULTIBASE_BASE16,
    SATORI_MULTIBASE_BASE64, SATORI_MULTIBASE_BASE64URL,
  };

  if (size > MAX_ROUND_TRIP_BYTES)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (bases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = satori_multibase_encode (bases[i], data, size);
      SatoriMultibase base;
      g_autoptr(GBytes) bytes = satori_multibase_decode (text, &base, &error);

      g_assert_no_error (error);
      g_assert_cmpint (base, ==, bases[i]);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), data, size);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  check_text (data, size);
  check_bytes (data, size);
  return 0;
}
