/* `[host] discovery=`: the host keeps the discoveries the configuration
 * names, reuses the handler of a protocol that also discovers, gives the
 * others the host, starts them, and stops them when it closes.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satorip2p.h"
#include "satori-host-config.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_bootstrap_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);

static SatoriRegistry *
registry_new (void)
{
  g_autoptr(GError) error = NULL;
  SatoriRegistry *registry = satori_registry_new ();

  g_assert_true (satori_plugin_memory_register (registry, &error));
  g_assert_true (satori_plugin_plaintext_register (registry, &error));
  g_assert_true (satori_plugin_yamux_register (registry, &error));
  g_assert_true (satori_plugin_bootstrap_register (registry, &error));
  g_assert_true (satori_plugin_kad_register (registry, &error));
  g_assert_no_error (error);
  return registry;
}

static SatoriHost *
host_from (SatoriRegistry *registry, const char *text, GError **error)
{
  g_autoptr(SatoriConfig) config = satori_config_new ();
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (3);

  g_assert_true (satori_config_load_data (config, "test.conf", text, -1, NULL));
  return satori_host_new_from_config (config, registry, key, error);
}

static gboolean
timed_out (gpointer user_data)
{
  g_error ("the bootstrap discovery did not connect within 10 s");
  return G_SOURCE_REMOVE;
}

static void
test_started_by_host (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriRegistry) registry = registry_new ();

  g_test_summary ("The discoveries [host] discovery= names are the host's, in order: kad is "
                  "the handler serving its protocol, bootstrap is given the host; started by "
                  "the host, bootstrap connects; closing the host stops and drops them");
  g_autoptr(SatoriHost) peer = satori_test_host_new (registry, "memory", "plaintext", "yamux");
  g_autofree char *peer_address = satori_test_listen (peer, "/memory/0");
  g_autofree char *text = g_strdup_printf (
    "[host]\ntransports=memory\nsecurity=plaintext\nmuxers=yamux\ndiscovery=kad;bootstrap\n"
    "[kad]\nstore-path=:memory:\n"
    "[bootstrap]\npeers=%s\nmin-connections=1\n", peer_address);
  g_autoptr(SatoriHost) host = host_from (registry, text, &error);
  g_assert_no_error (error);

  g_autoptr(GPtrArray) discoveries = satori_host_get_discoveries (host);
  g_assert_cmpuint (discoveries->len, ==, 2);
  g_assert_true (g_ptr_array_index (discoveries, 0) ==
                 (gpointer) satori_host_get_handler (host, "/ipfs/kad/1.0.0"));
  SatoriHost *given = NULL;
  g_object_get (g_ptr_array_index (discoveries, 1), "host", &given, NULL);
  g_assert_true (given == host);
  g_object_unref (given);

  satori_host_start_discoveries (host);
  guint timeout = g_timeout_add_seconds (10, timed_out, NULL);
  while (satori_host_get_connection (host, satori_host_get_peer_id (peer)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  satori_host_close (host);
  g_autoptr(GPtrArray) after = satori_host_get_discoveries (host);
  g_assert_cmpuint (after->len, ==, 0);
  satori_host_close (peer);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_unknown_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriRegistry) registry = registry_new ();

  g_test_summary ("A discovery no loaded plugin provides is an error naming file, line and key");
  g_autoptr(SatoriHost) host = host_from (registry, "[host]\ntransports=memory\n"
                                          "discovery=bootstrap;carrier-pigeon\n", &error);
  g_assert_null (host);
  g_assert_error (error, SATORI_CONFIG_ERROR, SATORI_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "test.conf:3: [host] discovery"));
  g_assert_nonnull (strstr (error->message, "carrier-pigeon"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/host/discovery/started-by-host", test_started_by_host);
  g_test_add_func ("/host/discovery/unknown-name", test_unknown_name);
  return g_test_run ();
}
