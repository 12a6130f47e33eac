/* Tests of the memory transport plugin, through the SatoriTransport contract.
 * The plugin is linked in statically here; loading its module is tested by
 * tests/core/test-config-plugins.c and tests/tools/test-tools.c. */
#include <string.h>

#include "satori-errors.h"
#include "satori-multiaddr.h"
#include "satori-registry.h"
#include "satori-transport.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriRegistry *registry;
  SatoriTransport *transport;
  GMainContext *context;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_no_error (error);
  SatoriFeature *feature = satori_registry_lookup (fixture->registry, SATORI_TYPE_TRANSPORT,
                                                   "memory");
  g_assert_nonnull (feature);
  fixture->transport = satori_feature_create (feature);
  fixture->context = g_main_context_ref_thread_default ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_object_unref (fixture->transport);
  g_object_unref (fixture->registry);
  g_main_context_unref (fixture->context);
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

static SatoriListener *
listen_on (SatoriTransport *transport, const char *text, GError **error)
{
  g_autoptr(SatoriMultiaddr) ma = addr (text);
  g_autoptr(GAsyncResult) result = NULL;

  satori_transport_listen_async (transport, ma, NULL, store_result, &result);
  return satori_transport_listen_finish (transport, wait_for (&result), error);
}

static GIOStream *
dial (SatoriTransport *transport, SatoriMultiaddr *ma, SatoriMultiaddr **remote, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_transport_dial_async (transport, ma, NULL, store_result, &result);
  return (GIOStream *) satori_transport_dial_finish (transport, wait_for (&result), remote, error);
}

static void
test_dial_accept_exchange (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Listen on /memory/0, dial it, and exchange bytes both ways");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/memory/0", &error);
  g_assert_no_error (error);
  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);
  g_assert_cmpuint (addresses->len, ==, 1);
  SatoriMultiaddr *listen_addr = g_ptr_array_index (addresses, 0);
  g_autofree char *listen_text = satori_multiaddr_to_string (listen_addr);
  g_assert_true (g_str_has_prefix (listen_text, "/memory/"));
  g_assert_cmpstr (listen_text, !=, "/memory/0");

  g_autoptr(GAsyncResult) accepted = NULL;
  satori_listener_accept_async (listener, NULL, store_result, &accepted);

  g_autoptr(SatoriMultiaddr) dialed_remote = NULL;
  g_autoptr(GIOStream) client = dial (fixture->transport, listen_addr, &dialed_remote, &error);
  g_assert_no_error (error);
  g_assert_true (satori_multiaddr_equal (dialed_remote, listen_addr));

  g_autoptr(SatoriMultiaddr) accepted_remote = NULL;
  g_autoptr(GIOStream) server = (GIOStream *) satori_listener_accept_finish (listener,
                                                                            wait_for (&accepted),
                                                                            &accepted_remote,
                                                                            &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_IO_STREAM (server));
  g_autofree char *remote_text = satori_multiaddr_to_string (accepted_remote);
  g_assert_true (g_str_has_prefix (remote_text, "/memory/"));
  g_assert_false (satori_multiaddr_equal (accepted_remote, listen_addr));

  const char hello[] = "hello over memory";
  char buf[64] = { 0 };
  gsize n;
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (client), hello,
                                            sizeof hello, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (server), buf,
                                          sizeof hello, &n, NULL, &error));
  g_assert_cmpstr (buf, ==, hello);

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (server), "pong", 4,
                                            &n, NULL, &error));
  memset (buf, 0, sizeof buf);
  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (client), buf, 4, &n,
                                          NULL, &error));
  g_assert_cmpstr (buf, ==, "pong");
}

static void
test_pending_before_accept (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Dials queue until accepted, in order");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/memory/0", &error);
  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);
  SatoriMultiaddr *target = g_ptr_array_index (addresses, 0);

  g_autoptr(GIOStream) first = dial (fixture->transport, target, NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GIOStream) second = dial (fixture->transport, target, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (first), "1", 1, NULL, NULL, NULL);
  g_output_stream_write_all (g_io_stream_get_output_stream (second), "2", 1, NULL, NULL, NULL);

  for (char expected = '1'; expected <= '2'; expected++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      satori_listener_accept_async (listener, NULL, store_result, &result);
      g_autoptr(GIOStream) server = (GIOStream *) satori_listener_accept_finish (listener,
                                                                                wait_for (&result),
                                                                                NULL, &error);
      g_assert_no_error (error);
      char c = 0;
      g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (server), &c, 1,
                                              NULL, NULL, &error));
      g_assert_cmpint (c, ==, expected);
    }
}

static void
test_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Address in use, refused dials, closed listeners, non-memory addresses");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/memory/0", &error);
  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);
  SatoriMultiaddr *target = g_ptr_array_index (addresses, 0);
  g_autofree char *text = satori_multiaddr_to_string (target);

  g_assert_null (listen_on (fixture->transport, text, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);

  g_autoptr(GAsyncResult) pending = NULL;
  satori_listener_accept_async (listener, NULL, store_result, &pending);
  satori_listener_close (listener);
  g_assert_null (satori_listener_accept_finish (listener, wait_for (&pending), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_null (dial (fixture->transport, target, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);

  g_autoptr(SatoriMultiaddr) tcp = addr ("/ip4/127.0.0.1/tcp/1");
  g_assert_false (satori_transport_can_dial (fixture->transport, tcp));
  g_assert_null (dial (fixture->transport, tcp, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  /* The id is free again once closed. */
  g_autoptr(SatoriListener) again = listen_on (fixture->transport, text, &error);
  g_assert_nonnull (again);
}

static void
test_cancel_accept (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_test_summary ("A cancelled accept fails with CANCELLED and takes no connection");
  g_autoptr(SatoriListener) listener = listen_on (fixture->transport, "/memory/0", &error);
  g_autoptr(GAsyncResult) result = NULL;
  satori_listener_accept_async (listener, cancellable, store_result, &result);
  g_cancellable_cancel (cancellable);
  g_assert_null (satori_listener_accept_finish (listener, wait_for (&result), NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);
  g_autoptr(GIOStream) client = dial (fixture->transport, g_ptr_array_index (addresses, 0),
                                      NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (client);
  g_autoptr(GAsyncResult) second = NULL;
  satori_listener_accept_async (listener, NULL, store_result, &second);
  g_autoptr(GObject) server = satori_listener_accept_finish (listener, wait_for (&second),
                                                             NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server);
}

static void
test_p2p_suffix (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("/memory/N/p2p/ID is dialable; other suffixes are not");
  g_autoptr(SatoriMultiaddr) with_peer =
    addr ("/memory/7/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
  g_autoptr(SatoriMultiaddr) with_tcp = addr ("/memory/7/tcp/1");
  g_assert_true (satori_transport_can_dial (fixture->transport, with_peer));
  g_assert_false (satori_transport_can_dial (fixture->transport, with_tcp));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/memory/transport/dial-accept-exchange", Fixture, NULL, fixture_set_up,
              test_dial_accept_exchange, fixture_tear_down);
  g_test_add ("/memory/transport/pending-before-accept", Fixture, NULL, fixture_set_up,
              test_pending_before_accept, fixture_tear_down);
  g_test_add ("/memory/transport/errors", Fixture, NULL, fixture_set_up, test_errors,
              fixture_tear_down);
  g_test_add ("/memory/transport/cancel-accept", Fixture, NULL, fixture_set_up,
              test_cancel_accept, fixture_tear_down);
  g_test_add ("/memory/transport/p2p-suffix", Fixture, NULL, fixture_set_up, test_p2p_suffix,
              fixture_tear_down);
  return g_test_run ();
}
