/* Go duration strings as satori-p2pd reads -gossipsubHeartbeatInterval
 * and -gossipsubHeartbeatInitialDelay.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>

#include "satori-p2pd-duration.h"

static void
test_valid (void)
{
  static const struct { const char *text; gint64 us; } cases[] = {
    { "0", 0 }, { "1s", 1000000 }, { "700ms", 700000 }, { "1m30s", 90000000 },
    { "1.5s", 1500000 }, { "2h", 7200000000 }, { "100us", 100 }, { "100\u00b5s", 100 },
    { "2500ns", 2 }, { "-1s", -1000000 }, { "+.5m", 30000000 }, { "1h1m1s1ms", 3661001000 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 us = -42;
      g_assert_true (satori_p2pd_parse_duration (cases[i].text, &us, &error));
      g_assert_no_error (error);
      g_assert_cmpint (us, ==, cases[i].us);
    }
}

static void
test_invalid (void)
{
  static const char *cases[] = { "", "1", "s", "1x", "1 s", "1s2", ".s", "--1s", "1e3s", "ms" };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 us;
      g_assert_false (satori_p2pd_parse_duration (cases[i], &us, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/p2pd/duration/valid", test_valid);
  g_test_add_func ("/p2pd/duration/invalid", test_invalid);
  return g_test_run ();
}
