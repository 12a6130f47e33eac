/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kad-test-hosts.h"

#include "satori-identify-service.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_kad_register (SatoriRegistry *registry, GError **error);

#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

/* The "test" namespace: any value; the first met wins. */
static gboolean
accept_any (GBytes *key, GBytes *value, gpointer user_data, GError **error)
{
  return TRUE;
}

static guint
select_first (GBytes *key, GPtrArray *values, gpointer user_data)
{
  return 0;
}

/* Returns: (transfer full): a registry with the plugins the hosts use. */
SatoriRegistry *
kad_test_hosts_registry (void)
{
  g_autoptr(GError) error = NULL;
  SatoriRegistry *registry = satori_registry_new ();

  g_assert_true (satori_plugin_memory_register (registry, &error));
  g_assert_true (satori_plugin_plaintext_register (registry, &error));
  g_assert_true (satori_plugin_yamux_register (registry, &error));
  g_assert_true (satori_plugin_identify_register (registry, &error));
  g_assert_true (satori_plugin_kad_register (registry, &error));
  g_assert_no_error (error);
  return registry;
}

/* A host with identify and, if @with_dht, a DHT in @mode (records in
 * memory, the "test" namespace, 2 s requests). */
SatoriHost *
kad_test_hosts_new (SatoriRegistry *registry, gboolean with_dht, SatoriKadMode mode)
{
  SatoriHost *host = satori_test_host_new (registry, "memory", "plaintext", "yamux");
  g_autoptr(SatoriProtocolHandler) identify = satori_test_create (
    registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");

  satori_host_set_handler (host, SATORI_IDENTIFY_PROTOCOL, identify);
  satori_host_set_handler (host, SATORI_IDENTIFY_PUSH_PROTOCOL, identify);
  if (with_dht)
    {
      g_autoptr(SatoriKadDht) dht = satori_test_create (registry, SATORI_TYPE_PROTOCOL_HANDLER,
                                                        "kad");
      g_object_set (dht, "store-path", ":memory:", "mode", mode, "request-timeout", 2000, NULL);
      satori_host_set_handler (host, SATORI_KAD_PROTOCOL_ID, SATORI_PROTOCOL_HANDLER (dht));
      g_assert_true (satori_kad_dht_add_namespace (dht, "test", accept_any, select_first,
                                                   NULL));
    }
  /* The handler table follows the mode once the main loop runs. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return host;
}

void
kad_test_hosts_connect (SatoriHost *host, SatoriMultiaddr *address)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) connection = satori_test_connect (host, address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (connection);
}

/* Runs the main loop until @host's DHT has @size peers in its table. */
void
kad_test_hosts_wait_for_table (SatoriHost *host, guint size)
{
  SatoriKadDht *dht = satori_kad_dht_get_for_host (host);
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (satori_kad_dht_get_routing_table_size (dht) < size)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Three DHT servers (or, without @with_dht, hosts without a DHT) listening
 * on the memory transport; with DHTs they are in a line A - B - C, each
 * in the tables of its neighbours. */
void
kad_test_hosts_start_line (SatoriRegistry *registry, gboolean with_dht, SatoriHost *hosts[3],
                           SatoriMultiaddr *addresses[3])
{
  for (guint i = 0; i < 3; i++)
    {
      hosts[i] = kad_test_hosts_new (registry, with_dht, SATORI_KAD_MODE_SERVER);
      addresses[i] = satori_test_listen_address (hosts[i], "/memory/0");
    }
  if (!with_dht)
    return;
  kad_test_hosts_connect (hosts[0], addresses[1]);
  kad_test_hosts_connect (hosts[2], addresses[1]);
  kad_test_hosts_wait_for_table (hosts[0], 1);
  kad_test_hosts_wait_for_table (hosts[1], 2);
  kad_test_hosts_wait_for_table (hosts[2], 1);
}

/* Closes and frees @n hosts and their addresses. */
void
kad_test_hosts_stop (guint n, SatoriHost **hosts, SatoriMultiaddr **addresses)
{
  for (guint i = 0; i < n; i++)
    satori_host_close (hosts[i]);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < n; i++)
    {
      g_clear_object (&hosts[i]);
      g_clear_pointer (&addresses[i], satori_multiaddr_unref);
    }
}

/* Puts a record that must go out; returns how many peers took it. */
guint
kad_test_routing_put (SatoriRouting *routing, GBytes *key, GBytes *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_routing_put_value_async (routing, key, value, NULL, satori_test_store_result, &result);
  guint stored = satori_routing_put_value_finish (routing, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored, >=, 1);
  return stored;
}

void
kad_test_routing_provide (SatoriRouting *routing, GBytes *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  satori_routing_provide_async (routing, key, NULL, satori_test_store_result, &result);
  g_assert_cmpuint (satori_routing_provide_finish (routing, satori_test_wait (&result), &error),
                    >=, 1);
  g_assert_no_error (error);
}

/* Returns: (transfer full): `/pk/` and @peer's binary id. */
GBytes *
kad_test_pk_key (SatoriPeerId *peer)
{
  GBytes *id = satori_peer_id_get_bytes (peer);
  GByteArray *key = g_byte_array_new ();

  g_byte_array_append (key, (const guint8 *) "/pk/", 4);
  g_byte_array_append (key, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
  return g_byte_array_free_to_bytes (key);
}

/* Whether @infos (SatoriPeerInfo) names @peer. */
gboolean
kad_test_has_peer (GPtrArray *infos, SatoriPeerId *peer)
{
  for (guint i = 0; i < infos->len; i++)
    if (satori_peer_id_equal (satori_peer_info_get_peer_id (g_ptr_array_index (infos, i)), peer))
      return TRUE;
  return FALSE;
}
