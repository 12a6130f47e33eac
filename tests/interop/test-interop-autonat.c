/* AutoNAT v1 with js-libp2p 3.x (@libp2p/autonat 3.0.28), both ways.
 *
 * js dials back public addresses only, and never addresses of its own
 * host: the test makes two network namespaces joined by a veth pair, ours
 * (11.0.0.1) and the js peer's (11.0.0.2, a public-looking address that
 * exists only inside them; nothing is routed elsewhere). The js peer is
 * tests/interop/js-peer.mjs --autonat, started under `unshare --net`.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "autonat-test-ask.h"
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
gboolean satori_plugin_autonat_register (SatoriRegistry *registry, GError **error);

#define JS_ADDRESS "/ip4/11.0.0.2/tcp/4101"

static char *netns_error;

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *host;
  char *our_address;     /* with /p2p/ */
  SatoriJsPeer *js;
  SatoriPeerId *js_id;
  guint link;            /* our end of the veth pair: an<link> */
} Fixture;

/* Runs `ip ARGUMENTS` in the js peer's namespace. */
static void
js_netns_ip (Fixture *fixture, const char *arguments)
{
  g_autofree char *command = g_strdup_printf ("nsenter --target %s --net ip %s",
                                              satori_js_peer_get_pid (fixture->js), arguments);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("“%s” failed: %s", command, err);
}

/* Waits until our end of the pair is operationally up: the kernel turns
 * the carrier on (and stops dropping what is sent) up to a second after
 * `ip link set up`. */
static void
wait_link_up (guint link)
{
  g_autofree char *command = g_strdup_printf ("ip -o link show dev an%u", link);
  gint64 limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *out = NULL;
      g_assert_true (g_spawn_command_line_sync (command, &out, NULL, NULL, NULL));
      if (out != NULL && strstr (out, "state UP") != NULL)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
      g_usleep (20 * 1000);
    }
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *wrapper[] = { "unshare", "--net", "--", NULL };
  const char *args[] = { "--listen", "/ip4/0.0.0.0/tcp/4101", "--autonat", NULL };

  if (netns_error != NULL)
    {
      g_test_skip (netns_error);
      return;
    }
  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_true (satori_plugin_noise_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_ping_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_true (satori_plugin_autonat_register (fixture->registry, &error));
  g_assert_no_error (error);

  /* Our end of the link; the other end goes to the js peer's namespace. */
  static guint links;
  guint link = fixture->link = links++;
  g_autofree char *add = g_strdup_printf ("link add an%u type veth peer name js%u", link, link);
  g_autofree char *address = g_strdup_printf ("addr add 11.0.0.1/24 dev an%u", link);
  g_autofree char *up = g_strdup_printf ("link set an%u up", link);
  satori_test_netns_ip (add);
  satori_test_netns_ip (address);
  satori_test_netns_ip (up);
  fixture->js = satori_js_peer_start_wrapped (wrapper, args);
  JsonObject *listening = satori_js_peer_wait_event (fixture->js, "listening");
  fixture->js_id = satori_peer_id_new_from_string (
    json_object_get_string_member (listening, "peerId"), &error);
  g_assert_no_error (error);
  json_object_unref (listening);
  g_autofree char *move = g_strdup_printf ("link set js%u netns %s", link,
                                           satori_js_peer_get_pid (fixture->js));
  g_autofree char *js_address = g_strdup_printf ("addr add 11.0.0.2/24 dev js%u", link);
  g_autofree char *js_up = g_strdup_printf ("link set js%u up", link);
  satori_test_netns_ip (move);
  js_netns_ip (fixture, "link set lo up");
  js_netns_ip (fixture, js_address);
  js_netns_ip (fixture, js_up);
  wait_link_up (link);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->registry == NULL)
    return;
  /* The pair goes with our end; left to the js namespace's end, it would
   * linger a while with 11.0.0.1, in the way of the next test's. */
  g_autofree char *del = g_strdup_printf ("link del an%u", fixture->link);
  satori_test_netns_ip (del);
  satori_js_peer_stop (fixture->js);
  if (fixture->host != NULL)
    {
      satori_host_close (fixture->host);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_object_unref (fixture->host);
    }
  satori_peer_id_unref (fixture->js_id);
  g_free (fixture->our_address);
  g_object_unref (fixture->registry);
}

/* Our host at 11.0.0.1: identify (with push) and ping, as js expects, and
 * AutoNAT configured with @first_key, @first_value, ... */
static void
start_host (Fixture *fixture, const char *first_key, ...)
{
  fixture->host = satori_test_host_new (fixture->registry, "tcp", "noise", "yamux");
  g_autoptr(SatoriProtocolHandler) identify = satori_test_create (
    fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
  g_autoptr(SatoriProtocolHandler) ping = satori_test_create (
    fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "ping");
  g_autoptr(SatoriProtocolHandler) autonat = satori_test_create (
    fixture->registry, SATORI_TYPE_PROTOCOL_HANDLER, "autonat");
  va_list args;

  va_start (args, first_key);
  g_object_set_valist (G_OBJECT (autonat), first_key, args);
  va_end (args);
  satori_host_set_handler (fixture->host, SATORI_IDENTIFY_PROTOCOL, identify);
  satori_host_set_handler (fixture->host, SATORI_IDENTIFY_PUSH_PROTOCOL, identify);
  satori_host_set_handler (fixture->host, SATORI_PING_PROTOCOL, ping);
  satori_host_set_handler (fixture->host, SATORI_AUTONAT_PROTOCOL, autonat);
  fixture->our_address = satori_test_listen (fixture->host, "/ip4/11.0.0.1/tcp/0");
}

/* Whether js's address manager has @address verified, asking it. */
static gboolean
js_verified (Fixture *fixture, const char *address)
{
  satori_js_peer_send (fixture->js, "{\"cmd\":\"autonat-addresses\"}");
  JsonObject *reply = satori_js_peer_wait_event (fixture->js, "autonat-addresses");
  JsonArray *addrs = json_object_get_array_member (reply, "addrs");
  gboolean verified = FALSE;

  for (guint i = 0; i < json_array_get_length (addrs); i++)
    {
      JsonObject *entry = json_array_get_object_element (addrs, i);
      if (g_str_has_prefix (json_object_get_string_member (entry, "addr"), address))
        verified = json_object_get_boolean_member (entry, "verified");
    }
  json_object_unref (reply);
  return verified;
}

static void
test_js_asks_us (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("js (@libp2p/autonat) asks us to verify its public address when it "
                  "connects; we dial it back and answer OK, and js marks the address verified");
  if (fixture->registry == NULL)
    return;
  /* Our own client stays quiet: this is about our server. */
  start_host (fixture, "boot-delay", 3600, NULL);
  g_assert_false (js_verified (fixture, JS_ADDRESS));

  gint64 start = g_get_monotonic_time ();
  g_autofree char *dial = g_strdup_printf ("{\"cmd\":\"dial\",\"addr\":\"%s\"}",
                                           fixture->our_address);
  satori_js_peer_send (fixture->js, dial);
  json_object_unref (satori_js_peer_wait_event (fixture->js, "dial"));
  while (!js_verified (fixture, JS_ADDRESS))
    {
      g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
      g_usleep (100 * 1000);
    }
  g_test_message ("js's address verified by our dial-back %.0f ms after js dialed us",
                  (g_get_monotonic_time () - start) / 1000.0);
}

static void
connect_to_js (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = satori_peer_id_to_string (fixture->js_id);
  g_autofree char *text = g_strdup_printf ("%s/p2p/%s", JS_ADDRESS, id);
  g_autoptr(SatoriMultiaddr) address = satori_multiaddr_new_from_string (text, &error);
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->host, address, &error);

  g_assert_no_error (error);
  g_assert_nonnull (connection);
  json_object_unref (satori_js_peer_wait_event (fixture->js, "identify"));
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
test_we_ask_js (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("We ask js (@libp2p/autonat) to dial us back: js decodes our DIAL and we "
                  "its DIAL_RESPONSE (E_DIAL_REFUSED for an address on another IP); for our "
                  "real address js 3.0.28 reuses the connection the request came on and "
                  "closes it, without an answer, which our client takes as no verdict");
  if (fixture->registry == NULL)
    return;
  start_host (fixture, "boot-delay", 3600, NULL);
  connect_to_js (fixture);
  g_autoptr(SatoriAutonatMessage) refused = autonat_test_ask (fixture->host, fixture->js_id,
                                                               "/ip4/11.0.0.9/tcp/4001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (refused);
  g_assert_cmpint (refused->type, ==, SATORI_AUTONAT_MESSAGE_DIAL_RESPONSE);
  g_assert_true (refused->has_status);
  g_assert_cmpint (refused->status, ==, SATORI_AUTONAT_STATUS_E_DIAL_REFUSED);
  g_assert_cmpstr (refused->status_text, ==, "no dialable addresses");
  satori_host_close (fixture->host);
  g_clear_object (&fixture->host);
  g_clear_pointer (&fixture->our_address, g_free);
  json_object_unref (satori_js_peer_wait_event (fixture->js, "disconnected"));

  /* A host whose client asks js at once, and would decide on one answer. */
  start_host (fixture, "boot-delay", 0, "threshold", 1, "request-timeout", 5, NULL);
  gint64 start = g_get_monotonic_time ();
  connect_to_js (fixture);
  JsonObject *closed = satori_js_peer_wait_event (fixture->js, "disconnected");
  g_test_message ("js closed our connection %.0f ms after we connected",
                  (g_get_monotonic_time () - start) / 1000.0);
  json_object_unref (closed);
  /* Past our request timeout: still no verdict. */
  gint64 after_timeout = start + 6 * G_USEC_PER_SEC;
  satori_test_wait_until (time_passed, &after_timeout, 10);
  g_assert_cmpint (satori_host_get_reachability (fixture->host), ==,
                   SATORI_REACHABILITY_UNKNOWN);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  /* Before g_test_init(): creating the namespace wants one thread. */
  if (!satori_test_netns_enter (&error))
    netns_error = g_strdup (error->message);
  else
    satori_test_netns_ip ("link set lo up");
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/interop/autonat/js-asks-us", Fixture, NULL, fixture_set_up, test_js_asks_us,
              fixture_tear_down);
  g_test_add ("/interop/autonat/we-ask-js", Fixture, NULL, fixture_set_up, test_we_ask_js,
              fixture_tear_down);
  return g_test_run ();
}
