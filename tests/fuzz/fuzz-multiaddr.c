/* Fuzzes multiaddr parsing, both forms. Bytes that parse must print to
 * text that parses back to the same bytes; text that parses must survive
 * bytes -> multiaddr -> text unchanged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <string.h>

#include "satori-multiaddr.h"

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

/* Runs every accessor over @ma, for the sanitizers' sake. */
static void
exercise (SatoriMultiaddr *ma)
{
  guint n = satori_multiaddr_get_n_components (ma);

  for (guint i = 0; i < n; i++)
    {
      guint32 code;
      const guint8 *value;
      gsize len;

      g_assert_true (satori_multiaddr_get_component (ma, i, &code, &value, &len));
      g_assert_true (satori_multiaddr_has_protocol (ma, code));
      g_autofree char *text = satori_multiaddr_get_value_string (ma, code);
      g_assert_nonnull (text);

      /* Cut at the last component of that protocol: at or after this one. */
      g_autoptr(SatoriMultiaddr) rest = satori_multiaddr_decapsulate (ma, code);
      guint rest_n = satori_multiaddr_get_n_components (rest);
      g_assert_cmpuint (rest_n, >=, i);
      g_assert_cmpuint (rest_n, <, n);
    }
  g_assert_false (satori_multiaddr_get_component (ma, n, NULL, NULL, NULL));

  g_autoptr(SatoriMultiaddr) twice = satori_multiaddr_encapsulate (ma, ma);
  g_assert_cmpuint (satori_multiaddr_get_n_components (twice), ==, 2 * n);
  g_autoptr(GBytes) peer = satori_multiaddr_get_peer_id_bytes (ma);
  g_assert_true ((peer != NULL) == satori_multiaddr_has_protocol (ma, SATORI_PROTO_P2P));
  g_autoptr(GSocketAddress) socket_address = satori_multiaddr_to_inet_socket_address (ma, NULL,
                                                                                      NULL);
  g_assert_true (socket_address == NULL || G_IS_INET_SOCKET_ADDRESS (socket_address));
  (void) satori_multiaddr_hash (ma);
}

static void
check_bytes (const uint8_t *data, size_t size)
{
  g_autoptr(SatoriMultiaddr) ma = satori_multiaddr_new_from_bytes (data, size, NULL);
  g_autoptr(GError) error = NULL;

  if (ma == NULL)
    return;
  exercise (ma);

  g_autofree char *text = satori_multiaddr_to_string (ma);
  g_autoptr(SatoriMultiaddr) again = satori_multiaddr_new_from_string (text, &error);
  if (again == NULL)
    g_error ("'%s' does not parse back: %s", text, error->message);
  g_assert_true (satori_multiaddr_equal (ma, again));
}

static void
check_text (const uint8_t *data, size_t size)
{
  g_autofree char *text = as_text (data, size);
  g_autoptr(SatoriMultiaddr) ma = satori_multiaddr_new_from_string (text, NULL);
  g_autoptr(GError) error = NULL;

  if (ma == NULL)
    return;
  exercise (ma);

  g_autofree char *printed = satori_multiaddr_to_string (ma);
  gsize len;
  const guint8 *bytes = satori_multiaddr_get_data (ma, &len);
  g_autoptr(SatoriMultiaddr) from_bytes = satori_multiaddr_new_from_bytes (bytes, len, &error);
  if (from_bytes == NULL)
    g_error ("the bytes of '%s' do not parse: %s", printed, error->message);
  g_autofree char *printed_again = satori_multiaddr_to_string (from_bytes);
  g_assert_cmpstr (printed_again, ==, printed);

  g_autoptr(SatoriMultiaddr) reparsed = satori_multiaddr_new_from_string (printed, &error);
  if (reparsed == NULL)
    g_error ("'%s' (from '%s') does not parse: %s", printed, text, error->message);
  g_assert_true (satori_multiaddr_equal (reparsed, ma));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  check_bytes (data, size);
  check_text (data, size);
  return 0;
}
