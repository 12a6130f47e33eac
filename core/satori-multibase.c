/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-multibase.h"

#include <string.h>

#include "satori-errors.h"

static const char base58_alphabet[] =
  "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
static const char base32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
static const char base64_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char base64url_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Longest text we decode: nothing in libp2p comes close, and base58's
 * quadratic decoder must not be handed megabytes from the network. */
#define MAX_TEXT_LEN 4096

static gboolean
check_length (const char *text, GError **error)
{
  if (strlen (text) > MAX_TEXT_LEN)
    {
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE,
                   "encoded text is longer than %d characters", MAX_TEXT_LEN);
      return FALSE;
    }
  return TRUE;
}

/**
 * satori_base58btc_encode:
 * @data: (array length=len): bytes
 * @len: their number
 *
 * Returns: (transfer full): @data in base58btc, without a multibase prefix
 */
char *
satori_base58btc_encode (const guint8 *data, gsize len)
{
  gsize zeros = 0;
  while (zeros < len && data[zeros] == 0)
    zeros++;

  /* log(256)/log(58) < 1.37 */
  gsize size = (len - zeros) * 138 / 100 + 1;
  g_autofree guint8 *digits = g_malloc0 (size);
  gsize used = 0;

  for (gsize i = zeros; i < len; i++)
    {
      guint carry = data[i];
      gsize j = 0;
      for (; j < used || carry != 0; j++)
        {
          g_assert (j < size);
          carry += 256u * digits[j];
          digits[j] = carry % 58;
          carry /= 58;
        }
      used = j;
    }

  GString *out = g_string_sized_new (zeros + used + 1);
  for (gsize i = 0; i < zeros; i++)
    g_string_append_c (out, '1');
  for (gsize i = used; i > 0; i--)
    g_string_append_c (out, base58_alphabet[digits[i - 1]]);
  return g_string_free (out, FALSE);
}

/**
 * satori_base58btc_decode:
 * @text: base58btc text, without a multibase prefix
 * @error: %SATORI_CODEC_ERROR_MALFORMED for a character outside the alphabet
 *
 * Returns: (transfer full): the bytes, or %NULL
 */
GBytes *
satori_base58btc_decode (const char *text, GError **error)
{
  if (!check_length (text, error))
    return NULL;

  gsize len = strlen (text);
  gsize zeros = 0;
  while (zeros < len && text[zeros] == '1')
    zeros++;

  /* log(58)/log(256) < 0.74 */
  gsize size = (len - zeros) * 74 / 100 + 1;
  g_autofree guint8 *bytes = g_malloc0 (size);
  gsize used = 0;

  for (gsize i = zeros; i < len; i++)
    {
      const char *pos = text[i] ? strchr (base58_alphabet, text[i]) : NULL;
      if (pos == NULL)
        {
          g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                       "invalid base58 character at offset %" G_GSIZE_FORMAT, i);
          return NULL;
        }
      guint carry = (guint) (pos - base58_alphabet);
      gsize j = 0;
      for (; j < used || carry != 0; j++)
        {
          g_assert (j < size);
          carry += 58u * bytes[j];
          bytes[j] = carry & 0xff;
          carry >>= 8;
        }
      used = j;
    }

  guint8 *out = g_malloc (zeros + used + 1);
  memset (out, 0, zeros);
  for (gsize i = 0; i < used; i++)
    out[zeros + i] = bytes[used - 1 - i];
  return g_bytes_new_take (out, zeros + used);
}

/* Encodes groups of @bits bits (5 for base32, 6 for base64, 4 for base16),
 * most significant first, without padding. */
static char *
encode_bits (const char *alphabet, guint bits, const guint8 *data, gsize len)
{
  GString *out = g_string_sized_new (len * 8 / bits + 2);
  guint32 buffer = 0;
  guint have = 0;

  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      have += 8;
      while (have >= bits)
        {
          have -= bits;
          g_string_append_c (out, alphabet[(buffer >> have) & ((1u << bits) - 1)]);
        }
    }
  if (have > 0)
    g_string_append_c (out, alphabet[(buffer << (bits - have)) & ((1u << bits) - 1)]);
  return g_string_free (out, FALSE);
}

static GBytes *
decode_bits (const char *alphabet, guint bits, const char *text, GError **error)
{
  if (!check_length (text, error))
    return NULL;

  gsize len = strlen (text);
  GByteArray *out = g_byte_array_sized_new (len * bits / 8 + 1);
  guint32 buffer = 0;
  guint have = 0;

  for (gsize i = 0; i < len; i++)
    {
      const char *pos = strchr (alphabet, text[i]);
      if (pos == NULL)
        {
          g_byte_array_unref (out);
          g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                       "invalid character at offset %" G_GSIZE_FORMAT, i);
          return NULL;
        }
      buffer = (buffer << bits) | (guint32) (pos - alphabet);
      have += bits;
      if (have >= 8)
        {
          have -= 8;
          guint8 byte = (buffer >> have) & 0xff;
          g_byte_array_append (out, &byte, 1);
        }
    }
  /* Leftover bits must be fewer than a character's worth and all zero. */
  if (have >= bits || (buffer & ((1u << have) - 1)) != 0)
    {
      g_byte_array_unref (out);
      g_set_error_literal (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                           "encoded text has trailing bits");
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}

/**
 * satori_base32_encode:
 * @data: (array length=len): bytes
 * @len: their number
 *
 * Returns: (transfer full): @data in lower-case RFC 4648 base32 without
 *   padding and without a multibase prefix
 */
char *
satori_base32_encode (const guint8 *data, gsize len)
{
  return encode_bits (base32_alphabet, 5, data, len);
}

/**
 * satori_base32_decode:
 * @text: lower-case base32 without padding or prefix
 * @error: %SATORI_CODEC_ERROR_MALFORMED on a bad character or trailing bits
 *
 * Returns: (transfer full): the bytes, or %NULL
 */
GBytes *
satori_base32_decode (const char *text, GError **error)
{
  return decode_bits (base32_alphabet, 5, text, error);
}

/**
 * satori_multibase_encode:
 * @base: the encoding
 * @data: (array length=len): bytes
 * @len: their number
 *
 * Returns: (transfer full): the multibase prefix followed by @data in @base
 */
char *
satori_multibase_encode (SatoriMultibase base, const guint8 *data, gsize len)
{
  g_autofree char *body = NULL;

  switch (base)
    {
    case SATORI_MULTIBASE_BASE58BTC:
      body = satori_base58btc_encode (data, len);
      break;
    case SATORI_MULTIBASE_BASE32:
      body = encode_bits (base32_alphabet, 5, data, len);
      break;
    case SATORI_MULTIBASE_BASE16:
      body = encode_bits ("0123456789abcdef", 4, data, len);
      break;
    case SATORI_MULTIBASE_BASE64:
      body = encode_bits (base64_alphabet, 6, data, len);
      break;
    case SATORI_MULTIBASE_BASE64URL:
      body = encode_bits (base64url_alphabet, 6, data, len);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  return g_strdup_printf ("%c%s", (char) base, body);
}

/**
 * satori_multibase_decode:
 * @text: multibase text: a prefix character, then the encoded bytes
 * @base: (out) (optional): the encoding that @text used
 * @error: %SATORI_CODEC_ERROR_MALFORMED for an unknown prefix or bad text
 *
 * Returns: (transfer full): the bytes, or %NULL
 */
GBytes *
satori_multibase_decode (const char *text, SatoriMultibase *base, GError **error)
{
  GBytes *bytes;

  switch (text[0])
    {
    case SATORI_MULTIBASE_BASE58BTC:
      bytes = satori_base58btc_decode (text + 1, error);
      break;
    case SATORI_MULTIBASE_BASE32:
      bytes = decode_bits (base32_alphabet, 5, text + 1, error);
      break;
    case SATORI_MULTIBASE_BASE16:
      bytes = decode_bits ("0123456789abcdef", 4, text + 1, error);
      break;
    case SATORI_MULTIBASE_BASE64:
      bytes = decode_bits (base64_alphabet, 6, text + 1, error);
      break;
    case SATORI_MULTIBASE_BASE64URL:
      bytes = decode_bits (base64url_alphabet, 6, text + 1, error);
      break;
    default:
      g_set_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED,
                   "unknown multibase prefix '%c'", text[0] ? text[0] : '?');
      return NULL;
    }
  if (bytes != NULL && base != NULL)
    *base = (SatoriMultibase) text[0];
  return bytes;
}
