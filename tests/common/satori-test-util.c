#include "satori-test-util.h"

#include <string.h>

/* Hex text (even length, no separators) to bytes; a bad digit fails the test. */
GBytes *
satori_test_bytes_from_hex (const char *hex)
{
  gsize len = strlen (hex);
  g_assert_cmpuint (len % 2, ==, 0);
  guint8 *out = g_malloc (len / 2 + 1);

  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      g_assert_true (hi >= 0 && lo >= 0);
      out[i] = (guint8) (hi << 4 | lo);
    }
  return g_bytes_new_take (out, len / 2);
}
