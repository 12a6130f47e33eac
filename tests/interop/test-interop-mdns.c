/* mDNS with js-libp2p 3.x (@libp2p/mdns): in a network namespace this test
 * makes (a veth pair, satorip2p on one end, the js peer on the other), js
 * finds us from our answers and we find js from its answers, and our
 * discovery dials js (TCP + Noise + Yamux). The js peer is
 * tests/interop/js-peer.mjs --mdns.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "satori-identify-service.h"
#include "satori-js-peer.h"
#include "satori-ping-service.h"
#include "satori-test-host.h"
#include "satori-test-netns.h"
#include "satori-test-util.h"
#include "satorip2p.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_noise_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_ping_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_mdns_register (SatoriRegistry *registry, GError **error);

#define WAIT_LIMIT_US (20 * G_USEC_PER_SEC)

typedef struct {
  GPtrArray *found;     /* SatoriPeerInfo */
  gint64     first_us;  /* when the first came */
} Found;

static void
on_discovered (SatoriDiscovery *discovery, SatoriPeerInfo *info, gpointer user_data)
{
  Found *found = user_data;
  if (found->found->len == 0)
    found->first_us = g_get_monotonic_time ();
  g_ptr_array_add (found->found, satori_peer_info_ref (info));
}

static SatoriHost *
new_host (SatoriRegistry *registry)
{
  SatoriHost *host = satori_test_host_new (registry, "tcp", "noise", "yamux");
  g_autoptr(SatoriProtocolHandler) identify =
    satori_test_create (registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
  g_autoptr(SatoriProtocolHandler) ping =
    satori_test_create (registry, SATORI_TYPE_PROTOCOL_HANDLER, "ping");

  /* js runs identify and pings on every connection: answer both. */
  satori_host_set_handler (host, SATORI_IDENTIFY_PROTOCOL, identify);
  satori_host_set_handler (host, SATORI_PING_PROTOCOL, ping);
  return host;
}

static void
test_both_ways (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriRegistry) registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (registry, &error));
  g_assert_true (satori_plugin_noise_register (registry, &error));
  g_assert_true (satori_plugin_yamux_register (registry, &error));
  g_assert_true (satori_plugin_ping_register (registry, &error));
  g_assert_true (satori_plugin_identify_register (registry, &error));
  g_assert_true (satori_plugin_mdns_register (registry, &error));
  g_assert_no_error (error);

  satori_test_netns_ip ("link set lo up");
  satori_test_netns_veth_up ("mdns0", "10.253.0.1/24", "mdns1", "10.253.0.2/24");
  /* js's multicast-dns sends where the routes say: through the veth. */
  satori_test_netns_ip ("route add 224.0.0.0/4 dev mdns1");

  const char *args[] = { "--listen", "/ip4/10.253.0.2/tcp/0", "--mdns", "1000", NULL };
  SatoriJsPeer *js = satori_js_peer_start (args);
  JsonObject *listening = satori_js_peer_wait_event (js, "listening");
  g_autoptr(SatoriPeerId) js_id =
    satori_peer_id_new_from_string (json_object_get_string_member (listening, "peerId"), &error);
  g_assert_no_error (error);
  g_autofree char *js_address = g_strdup (json_array_get_string_element (
    json_object_get_array_member (listening, "addrs"), 0));
  json_object_unref (listening);

  g_autoptr(SatoriHost) host = new_host (registry);
  g_autofree char *our_address = satori_test_listen (host, "/ip4/10.253.0.1/tcp/0");
  g_autofree char *our_id = satori_peer_id_to_string (satori_host_get_peer_id (host));
  g_autoptr(SatoriDiscovery) mdns = satori_test_create (registry, SATORI_TYPE_DISCOVERY, "mdns");
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_peer_info_unref);
  Found found = { infos, 0 };
  g_signal_connect (mdns, "peer-discovered", G_CALLBACK (on_discovered), &found);
  g_object_set (mdns, "host", host, "dial", TRUE, NULL);

  gint64 start_us = g_get_monotonic_time ();
  g_autoptr(GAsyncResult) result = NULL;
  satori_discovery_start_async (mdns, NULL, satori_test_store_result, &result);
  gboolean started = satori_discovery_start_finish (mdns, satori_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_true (started);

  /* js finds us, at the address we listen on. */
  JsonObject *discovered = satori_js_peer_wait_event (js, "peer-discovered");
  gint64 js_found_us = g_get_monotonic_time () - start_us;
  g_assert_cmpstr (json_object_get_string_member (discovered, "peer"), ==, our_id);
  JsonArray *addrs = json_object_get_array_member (discovered, "addrs");
  gboolean ours = FALSE;
  for (guint i = 0; i < json_array_get_length (addrs); i++)
    ours |= g_str_has_prefix (our_address, json_array_get_string_element (addrs, i));
  g_assert_true (ours);
  json_object_unref (discovered);

  /* We find js, at its listen address. */
  while (infos->len == 0)
    {
      g_assert_cmpint (g_get_monotonic_time () - start_us, <, WAIT_LIMIT_US);
      g_main_context_iteration (NULL, TRUE);
    }
  gint64 we_found_us = found.first_us - start_us;
  SatoriPeerInfo *info = infos->pdata[0];
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (info), js_id));
  g_autofree char *seen = satori_multiaddr_to_string (satori_peer_info_get_addresses (info)->pdata[0]);
  g_assert_true (g_str_has_prefix (js_address, seen));

  /* And dial it: js sees our connection come in. */
  JsonObject *connected = satori_js_peer_wait_event (js, "connected");
  gint64 connected_us = g_get_monotonic_time () - start_us;
  g_assert_cmpstr (json_object_get_string_member (connected, "peer"), ==, our_id);
  g_assert_cmpstr (json_object_get_string_member (connected, "direction"), ==, "inbound");
  json_object_unref (connected);
  g_test_message ("js found us after %.1f ms, we found js after %.1f ms, connected after %.1f ms",
                  js_found_us / 1000.0, we_found_us / 1000.0, connected_us / 1000.0);

  satori_discovery_stop (mdns);
  satori_js_peer_stop (js);
  satori_host_close (host);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  /* Before g_test_init(): creating the namespace wants one thread. */
  gboolean isolated = satori_test_netns_enter (&error);
  g_test_init (&argc, &argv, NULL);
  if (!isolated)
    {
      g_printerr ("%s\n", error->message);
      g_test_fail_printf ("%s", error->message);
      return 1;
    }
  g_test_add_func ("/interop/mdns/both-ways", test_both_ways);
  return g_test_run ();
}
