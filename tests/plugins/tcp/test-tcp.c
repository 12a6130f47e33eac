/* Tests of the tcp transport plugin, through the SatoriTransport contract.
 * Loopback addresses only. The plugin is linked in statically. */
#include <string.h>

#include "satori-multiaddr.h"
#include "satori-registry.h"
#include "satori-transport.h"

gboolean satori_plugin_tcp_register (SatoriRegistry *registry, GError **error);

/* The peer id of the libp2p specs' examples. */
#define PEER "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"

typedef struct
{
  SatoriRegistry *registry;
  SatoriFeature *feature;
  SatoriTransport *transport;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_tcp_register (fixture->registry, &error));
  g_assert_no_error (error);
  fixture->feature = satori_registry_lookup (fixture->registry, SATORI_TYPE_TRANSPORT, "tcp");
  g_assert_nonnull (fixture->feature);
  fixture->transport = satori_feature_create (fixture->feature);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_object_unref (fixture->transport);
  g_object_unref (fixture->registry);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static SatoriMultiaddr *
addr (const char *text)
{
  g_autoptr(GError) error = NULL;
  SatoriMultiaddr *ma = satori_multiaddr_new_from_string (text, &error);
  g_assert_no_error (error);
  return ma;
}

static void
assert_addr (SatoriMultiaddr *ma, const char *expected)
{
  g_autofree char *text = satori_multiaddr_to_string (ma);
  g_assert_cmpstr (text, ==, expected);
}

static SatoriListener *
listen_on (SatoriTransport *transport, const char *text, GError **error)
{
  g_autoptr(SatoriMultiaddr) ma = addr (text);
  g_autoptr(GAsyncResult) result = NULL;

  satori_transport_listen_async (transport, ma, NULL, store_result, &result);
  return satori_transport_listen_finish (transport, wait_for (&result), error);
}

static guint16
listener_port (SatoriListener *listener)
{
  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);
  g_assert_cmpuint (addresses->len, ==, 1);
  g_autofree char *port = satori_multiaddr_get_value_string (g_ptr_array_index (addresses, 0),
                                                             SATORI_PROTO_TCP);
  return (guint16) atoi (port);
}

static GIOStream *
dial (SatoriTransport *transport, const char *text, GCancellable *cancellable,
      SatoriMultiaddr **remote, GError **error)
{
  g_autoptr(SatoriMultiaddr) ma = addr (text);
  g_autoptr(GAsyncResult) result = NULL;

  satori_transport_dial_async (transport, ma, cancellable, store_result, &result);
  return (GIOStream *) satori_transport_dial_finish (transport, wait_for (&result), remote,
                                                     error);
}

static guint16
local_port (GIOStream *stream)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local =
    g_socket_connection_get_local_address (G_SOCKET_CONNECTION (stream), &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
}

static void
exchange (GIOStream *a, GIOStream *b)
{
  g_autoptr(GError) error = NULL;
  char buf[16] = { 0 };
  gsize n;

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (a), "ping", 4, &n,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (b), buf, 4, &n, NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpstr (buf, ==, "ping");
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (b), "pong", 4, &n,
                                            NULL, &error));
  memset (buf, 0, sizeof buf);
  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (a), buf, 4, &n, NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpstr (buf, ==, "pong");
}

/* Listens on @host port 0, dials @dial_host at the port picked, exchanges
 * bytes and checks both sides' remote addresses. */
static void
check_loopback (SatoriTransport *transport, const char *family, const char *host,
                const char *dial_family, const char *dial_host, const char *remote_family)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listen_text = g_strdup_printf ("/%s/%s/tcp/0", family, host);
  g_autoptr(SatoriListener) listener = listen_on (transport, listen_text, &error);
  g_assert_no_error (error);
  guint16 port = listener_port (listener);
  g_assert_cmpuint (port, !=, 0);
  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);
  g_autofree char *expected_listen = g_strdup_printf ("/%s/%s/tcp/%u", family, host, port);
  assert_addr (g_ptr_array_index (addresses, 0), expected_listen);

  g_autoptr(GAsyncResult) accepted = NULL;
  satori_listener_accept_async (listener, NULL, store_result, &accepted);
  g_autofree char *target = g_strdup_printf ("/%s/%s/tcp/%u", dial_family, dial_host, port);
  g_autoptr(SatoriMultiaddr) dialed_remote = NULL;
  g_autoptr(GIOStream) client = dial (transport, target, NULL, &dialed_remote, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_SOCKET_CONNECTION (client));
  assert_addr (dialed_remote, expected_listen);

  g_autoptr(SatoriMultiaddr) accepted_remote = NULL;
  g_autoptr(GIOStream) server =
    (GIOStream *) satori_listener_accept_finish (listener, wait_for (&accepted),
                                                 &accepted_remote, &error);
  g_assert_no_error (error);
  g_autofree char *expected_remote = g_strdup_printf ("/%s/%s/tcp/%u", remote_family, host,
                                                      local_port (client));
  assert_addr (accepted_remote, expected_remote);
  exchange (client, server);
}

static void
test_ipv4 (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Listen on 127.0.0.1 port 0, dial, exchange bytes both ways");
  check_loopback (fixture->transport, "ip4", "127.0.0.1", "ip4", "127.0.0.1", "ip4");
}

static gboolean
have_ipv6_loopback (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  return socket != NULL && g_socket_bind (socket, address, TRUE, NULL);
}

static void
test_ipv6 (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Listen on ::1 port 0, dial, exchange bytes both ways");
  if (!have_ipv6_loopback ())
    {
      g_test_skip ("no IPv6 loopback address");
      return;
    }
  check_loopback (fixture->transport, "ip6", "::1", "ip6", "::1", "ip6");
}

static void
test_dns4_localhost (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("/dns4/localhost/tcp/N resolves to 127.0.0.1 and connects");
  check_loopback (fixture->transport, "ip4", "127.0.0.1", "dns4", "localhost", "ip4");
}

static void
test_p2p_suffix (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A trailing /p2p/<peer> is ignored by the dial; the remote address has none");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/ip4/127.0.0.1/tcp/0",
                                                  &error);
  g_assert_no_error (error);
  guint16 port = listener_port (listener);
  g_autofree char *target = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u/p2p/" PEER, port);
  g_autoptr(SatoriMultiaddr) remote = NULL;
  g_autoptr(GIOStream) client = dial (fixture->transport, target, NULL, &remote, &error);
  g_assert_nonnull (client);
  g_assert_no_error (error);
  g_autofree char *expected = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u", port);
  assert_addr (remote, expected);
}

static void
test_refused (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Dialing a closed port fails with G_IO_ERROR_CONNECTION_REFUSED");
  SatoriListener *listener = listen_on (fixture->transport, "/ip4/127.0.0.1/tcp/0", &error);
  g_assert_no_error (error);
  guint16 port = listener_port (listener);
  satori_listener_close (listener);
  g_object_unref (listener);

  g_autofree char *target = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u", port);
  g_autoptr(GIOStream) client = dial (fixture->transport, target, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_null (client);
}

static void
test_cancel_dial (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A dial with a cancelled cancellable fails with G_IO_ERROR_CANCELLED");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/ip4/127.0.0.1/tcp/0",
                                                  &error);
  g_autofree char *target = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u", listener_port (listener));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  g_autoptr(GIOStream) client = dial (fixture->transport, target, cancellable, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (client);

  g_clear_error (&error);
  g_autoptr(GIOStream) named = dial (fixture->transport, "/dns4/localhost/tcp/1", cancellable,
                                     NULL, &error);
  g_assert_null (named);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_cancel_accept (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Cancelling an accept fails it with G_IO_ERROR_CANCELLED; the listener "
                  "still accepts");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/ip4/127.0.0.1/tcp/0",
                                                  &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled = NULL;
  satori_listener_accept_async (listener, cancellable, store_result, &cancelled);
  g_cancellable_cancel (cancellable);
  g_autoptr(GObject) none = satori_listener_accept_finish (listener, wait_for (&cancelled),
                                                           NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (none);
  g_clear_error (&error);

  g_autoptr(GAsyncResult) accepted = NULL;
  satori_listener_accept_async (listener, NULL, store_result, &accepted);
  g_autofree char *target = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u", listener_port (listener));
  g_autoptr(GIOStream) client = dial (fixture->transport, target, NULL, NULL, &error);
  g_assert_nonnull (client);
  g_assert_no_error (error);
  g_autoptr(GObject) server = satori_listener_accept_finish (listener, wait_for (&accepted),
                                                             NULL, &error);
  g_assert_nonnull (server);
  g_assert_no_error (error);
}

static void
test_close_fails_accepts (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Closing a listener fails pending and later accepts with G_IO_ERROR_CLOSED");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/ip4/127.0.0.1/tcp/0",
                                                  &error);
  g_autoptr(GAsyncResult) pending = NULL;
  satori_listener_accept_async (listener, NULL, store_result, &pending);
  satori_listener_close (listener);
  g_autoptr(GObject) none = satori_listener_accept_finish (listener, wait_for (&pending), NULL,
                                                           &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_autoptr(GAsyncResult) later = NULL;
  satori_listener_accept_async (listener, NULL, store_result, &later);
  g_autoptr(GObject) still_none = satori_listener_accept_finish (listener, wait_for (&later),
                                                                 NULL, &error);
  g_assert_null (still_none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_address_in_use (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Without reuse-port, a second listener on the same port is refused");
  g_object_set (fixture->transport, "reuse-port", FALSE, NULL);
  g_autoptr(SatoriListener) first = listen_on (fixture->transport, "/ip4/127.0.0.1/tcp/0",
                                               &error);
  g_assert_no_error (error);
  g_autofree char *again = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u", listener_port (first));
  g_autoptr(SatoriListener) second = listen_on (fixture->transport, again, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_null (second);
}

static void
test_can_dial_listen (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    const char *address;
    gboolean dial;
    gboolean listen;
  } cases[] = {
    { "/ip4/127.0.0.1/tcp/4001", TRUE, TRUE },
    { "/ip6/::1/tcp/4001", TRUE, TRUE },
    { "/ip4/0.0.0.0/tcp/0", TRUE, TRUE },
    { "/ip4/127.0.0.1/tcp/4001/p2p/" PEER, TRUE, TRUE },
    { "/dns/localhost/tcp/4001", TRUE, FALSE },
    { "/dns4/localhost/tcp/4001", TRUE, FALSE },
    { "/dns6/localhost/tcp/4001/p2p/" PEER, TRUE, FALSE },
    { "/ip4/127.0.0.1", FALSE, FALSE },
    { "/ip4/127.0.0.1/udp/4001", FALSE, FALSE },
    { "/ip4/127.0.0.1/udp/4001/quic-v1", FALSE, FALSE },
    { "/ip4/127.0.0.1/tcp/4001/ws", FALSE, FALSE },
    { "/ip4/127.0.0.1/tcp/4001/p2p/" PEER "/p2p-circuit", FALSE, FALSE },
    { "/dnsaddr/example.com/tcp/4001", FALSE, FALSE },
    { "/tcp/4001", FALSE, FALSE },
    { "/memory/1", FALSE, FALSE },
    { "/p2p/" PEER, FALSE, FALSE },
  };

  g_test_summary ("can_dial and can_listen accept IP and DNS hosts with /tcp only");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SatoriMultiaddr) ma = addr (cases[i].address);
      g_test_message ("%s", cases[i].address);
      g_assert_cmpint (satori_transport_can_dial (fixture->transport, ma), ==, cases[i].dial);
      g_assert_cmpint (satori_transport_can_listen (fixture->transport, ma), ==,
                       cases[i].listen);
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) none = dial (fixture->transport, "/ip4/127.0.0.1/tcp/1/ws", NULL, NULL,
                                    &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_autoptr(SatoriListener) no_listener = listen_on (fixture->transport,
                                                     "/dns4/localhost/tcp/0", &error);
  g_assert_null (no_listener);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* Dials @listener's port from @from (a transport that may listen itself)
 * and returns the local port the dial left from. */
static guint16
dial_port_from (SatoriTransport *from, SatoriListener *listener, SatoriMultiaddr **accepted_remote)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) accepted = NULL;

  satori_listener_accept_async (listener, NULL, store_result, &accepted);
  g_autofree char *target = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u", listener_port (listener));
  g_autoptr(GIOStream) client = dial (from, target, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GIOStream) server =
    (GIOStream *) satori_listener_accept_finish (listener, wait_for (&accepted),
                                                 accepted_remote, &error);
  g_assert_no_error (error);
  exchange (client, server);
  return local_port (client);
}

static void
test_reuse_port (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("With reuse-port a dial leaves from the dialer's listening port; "
                  "without, from an ephemeral one");
  g_autoptr(SatoriTransport) other = satori_feature_create (fixture->feature);
  g_autoptr(SatoriListener) mine = listen_on (fixture->transport, "/ip4/127.0.0.1/tcp/0",
                                              &error);
  g_assert_no_error (error);
  g_autoptr(SatoriListener) theirs = listen_on (other, "/ip4/127.0.0.1/tcp/0", &error);
  g_assert_no_error (error);
  guint16 my_port = listener_port (mine);

  g_autoptr(SatoriMultiaddr) seen = NULL;
  g_assert_cmpuint (dial_port_from (fixture->transport, theirs, &seen), ==, my_port);
  g_autofree char *expected = g_strdup_printf ("/ip4/127.0.0.1/tcp/%u", my_port);
  assert_addr (seen, expected);

  g_object_set (fixture->transport, "reuse-port", FALSE, NULL);
  g_assert_cmpuint (dial_port_from (fixture->transport, theirs, NULL), !=, my_port);

  /* A closed listener lends its port to no dial. */
  g_object_set (fixture->transport, "reuse-port", TRUE, NULL);
  satori_listener_close (mine);
  g_assert_cmpuint (dial_port_from (fixture->transport, theirs, NULL), !=, my_port);
}

static void
test_properties (Fixture *fixture, gconstpointer data)
{
  gboolean reuse_port, nodelay;
  guint connect_timeout, backlog;

  g_test_summary ("The [tcp] properties and their defaults");
  g_object_get (fixture->transport, "reuse-port", &reuse_port, "nodelay", &nodelay,
                "connect-timeout", &connect_timeout, "backlog", &backlog, NULL);
  g_assert_true (reuse_port);
  g_assert_true (nodelay);
  g_assert_cmpuint (connect_timeout, ==, 5);
  g_assert_cmpuint (backlog, ==, 128);
  g_assert_cmpint (satori_transport_get_flags (fixture->transport), ==,
                   SATORI_TRANSPORT_FLAGS_NONE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tcp/transport/ipv4", test_ipv4);
  ADD ("/tcp/transport/ipv6", test_ipv6);
  ADD ("/tcp/transport/dns4-localhost", test_dns4_localhost);
  ADD ("/tcp/transport/p2p-suffix", test_p2p_suffix);
  ADD ("/tcp/transport/refused", test_refused);
  ADD ("/tcp/transport/cancel-dial", test_cancel_dial);
  ADD ("/tcp/transport/can-dial-listen", test_can_dial_listen);
  ADD ("/tcp/transport/properties", test_properties);
  ADD ("/tcp/listener/cancel-accept", test_cancel_accept);
  ADD ("/tcp/listener/close", test_close_fails_accepts);
  ADD ("/tcp/listener/address-in-use", test_address_in_use);
  ADD ("/tcp/listener/reuse-port", test_reuse_port);
#undef ADD

  return g_test_run ();
}
