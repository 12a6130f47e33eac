/* The [host] group's limits, mapped onto the host. */
#include <string.h>

#include "satorip2p.h"
#include "satori-config-plugins.h"
#include "satori-host-config.h"
#include "satori-test-util.h"

static SatoriHost *
host_from (const char *text, GError **error)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (9);

  g_assert_true (satori_config_load_data (config, "test.conf", text, -1, NULL));
  if (!satori_config_load_plugins (config, registry, error))
    return NULL;
  return satori_host_new_from_config (config, registry, key, error);
}

static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("[host] upgrade-timeout, max-connections and the watermarks set the host");
  g_autoptr(SatoriHost) host = host_from ("[host]\nupgrade-timeout=7\nmax-connections=50\n"
                                          "low-water=10\nhigh-water=20\ngrace-period=5\n",
                                          &error);
  g_assert_no_error (error);
  guint timeout, max, low, high, grace;
  g_object_get (host, "upgrade-timeout", &timeout, "max-connections", &max, "low-water", &low,
                "high-water", &high, "grace-period", &grace, NULL);
  g_assert_cmpuint (timeout, ==, 7);
  g_assert_cmpuint (max, ==, 50);
  g_assert_cmpuint (low, ==, 10);
  g_assert_cmpuint (high, ==, 20);
  g_assert_cmpuint (grace, ==, 5);
  satori_host_close (host);
}

static void
test_bad_values (void)
{
  g_test_summary ("Values out of range or not numbers are errors naming file:line and key");
  const struct { const char *text; const char *where; } cases[] = {
    { "[host]\nupgrade-timeout=0\n", "test.conf:2: [host] upgrade-timeout" },
    { "[host]\n\nmax-connections=lots\n", "test.conf:3: [host] max-connections" },
    { "[host]\nlow-water=30\nhigh-water=20\n", "test.conf:3: [host] high-water" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SatoriHost) host = host_from (cases[i].text, &error);
      g_assert_null (host);
      g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
      if (strstr (error->message, cases[i].where) == NULL)
        g_error ("“%s” does not name %s", error->message, cases[i].where);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/host-config/limits/set", test_limits);
  g_test_add_func ("/host-config/limits/bad-values", test_bad_values);
  return g_test_run ();
}
