/* Host-level tests: two hosts in one process over the memory transport,
 * upgraded with the real plaintext and yamux plugins. */
#include <string.h>
#include <sys/socket.h>

#include "satorip2p.h"
#include "satori-test-echo.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);

#define ECHO "/test/echo/1.0.0"

/* --- fixture: hosts a and b, b listening and echoing --- */

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *a;
  SatoriHost *b;
  SatoriTestEcho *echo;
  SatoriMultiaddr *b_address;   /* with /p2p/ */
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_no_error (error);

  fixture->a = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->b = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  fixture->echo = satori_test_echo_new ();
  satori_host_set_handler (fixture->b, ECHO, SATORI_PROTOCOL_HANDLER (fixture->echo));

  g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (fixture->b, "/memory/0");
  g_autoptr(GPtrArray) addresses = satori_host_get_listen_addresses (fixture->b);
  g_assert_cmpuint (addresses->len, ==, 1);
  fixture->b_address = satori_test_address_with_peer (bound, satori_host_get_peer_id (fixture->b));
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_host_close (fixture->a);
  satori_host_close (fixture->b);
  /* Let the closes finish before the objects go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->a);
  g_object_unref (fixture->b);
  g_object_unref (fixture->echo);
  satori_multiaddr_unref (fixture->b_address);
  g_object_unref (fixture->registry);
}

static void
on_peer_event (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  g_set_object ((SatoriConnection **) user_data, connection);
}

static void
test_connect (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) inbound = NULL;

  g_test_summary ("A dial is upgraded on both sides and each sees the other's peer id");
  g_signal_connect (fixture->b, "peer-connected", G_CALLBACK (on_peer_event), &inbound);
  g_autoptr(SatoriConnection) outbound = satori_test_connect (fixture->a, fixture->b_address, &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_connection_get_remote_peer (outbound),
                                       satori_host_get_peer_id (fixture->b)));
  g_assert_cmpint (satori_connection_get_direction (outbound), ==, SATORI_DIRECTION_OUTBOUND);
  g_assert_cmpstr (satori_connection_get_security_protocol (outbound), ==, "/plaintext/2.0.0");
  g_assert_cmpstr (satori_connection_get_muxer_protocol (outbound), ==, "/yamux/1.0.0");

  while (inbound == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (satori_peer_id_equal (satori_connection_get_remote_peer (inbound),
                                       satori_host_get_peer_id (fixture->a)));
  g_assert_cmpint (satori_connection_get_direction (inbound), ==, SATORI_DIRECTION_INBOUND);

  /* A second connect to the same peer reuses the connection. */
  g_autoptr(SatoriConnection) again = satori_test_connect (fixture->a, fixture->b_address, &error);
  g_assert_true (again == outbound);
  g_assert_true (satori_host_get_connection (fixture->a, satori_host_get_peer_id (fixture->b)) ==
                 outbound);
}

static GIOStream *
new_stream (SatoriHost *host, SatoriPeerId *peer, const char *protocol, char **agreed,
            GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  const char *protocols[] = { protocol, NULL };

  satori_host_new_stream_async (host, peer, protocols, NULL, satori_test_store_result, &result);
  return satori_host_new_stream_finish (host, satori_test_wait (&result), agreed, error);
}

static void
test_stream_echo (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *agreed = NULL;

  g_test_summary ("new_stream dials, negotiates the protocol, and the handler gets the stream");
  /* Not connected yet: the peerstore address is dialed. */
  satori_peerstore_add_address (satori_host_get_peerstore (fixture->a),
                                satori_host_get_peer_id (fixture->b), fixture->b_address);
  g_autoptr(GIOStream) stream = new_stream (fixture->a, satori_host_get_peer_id (fixture->b),
                                            ECHO, &agreed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agreed, ==, ECHO);

  gsize len = 1024 * 1024;
  g_autofree guint8 *payload = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    payload[i] = (guint8) (i * 7 + i / 251);
  g_autoptr(GBytes) echoed = satori_test_echo_round_trip (stream, payload, len);
  g_assert_cmpmem (g_bytes_get_data (echoed, NULL), g_bytes_get_size (echoed), payload, len);
  g_assert_cmpuint (satori_test_echo_get_streams (fixture->echo), ==, 1);
  g_assert_true (satori_peer_id_equal (satori_test_echo_get_last_peer (fixture->echo),
                                       satori_host_get_peer_id (fixture->a)));
}

static GIOStream *
new_stream_of (SatoriHost *host, SatoriPeerId *peer, const char * const *protocols,
               GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  satori_host_new_stream_async (host, peer, protocols, NULL, satori_test_store_result, &result);
  return satori_host_new_stream_finish (host, satori_test_wait (&result), NULL, error);
}

static void
test_stream_not_supported (Fixture *fixture, gconstpointer data)
{
  const char *two[] = { "/test/nope/1.0.0", "/test/nope/2.0.0", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char buf[8];

  g_test_summary ("A protocol the remote lacks fails that stream only: at its first read "
                  "when proposed alone (lazily), at the open when it was one of several");
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->a, fixture->b_address, &error);
  g_assert_no_error (error);
  g_autoptr(GIOStream) lazy = new_stream (fixture->a, satori_host_get_peer_id (fixture->b),
                                          "/test/nope/1.0.0", NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (lazy), "hi", 2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_input_stream_read_async (g_io_stream_get_input_stream (lazy), buf, sizeof buf,
                             G_PRIORITY_DEFAULT, NULL, satori_test_store_result, &result);
  g_assert_cmpint (g_input_stream_read_finish (g_io_stream_get_input_stream (lazy),
                                               satori_test_wait (&result), &error), ==, -1);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  g_autoptr(GIOStream) nope = new_stream_of (fixture->a, satori_host_get_peer_id (fixture->b),
                                             two, &error);
  g_assert_null (nope);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  g_autoptr(GIOStream) echo = new_stream (fixture->a, satori_host_get_peer_id (fixture->b), ECHO,
                                          NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) echoed = satori_test_echo_round_trip (echo, (const guint8 *) "ok", 2);
  g_assert_cmpuint (g_bytes_get_size (echoed), ==, 2);
  g_assert_false (satori_connection_is_closed (connection));
}

/* A host whose plaintext security is offered under each of @security_ids. */
static SatoriHost *
host_with_securities (Fixture *fixture, const char * const *security_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_assert_no_error (error);
  SatoriHost *host = satori_host_new (key);
  g_autoptr(SatoriTransport) transport =
    satori_test_create (fixture->registry, SATORI_TYPE_TRANSPORT, "memory");
  g_autoptr(SatoriSecurity) security =
    satori_test_create (fixture->registry, SATORI_TYPE_SECURITY, "plaintext");
  g_autoptr(SatoriMuxer) muxer = satori_test_create (fixture->registry, SATORI_TYPE_MUXER, "yamux");

  satori_host_add_transport (host, transport);
  for (gsize i = 0; security_ids[i] != NULL; i++)
    satori_host_add_security (host, security_ids[i], security);
  satori_host_add_muxer (host, "/yamux/1.0.0", muxer);
  return host;
}

static void
test_security_refused (Fixture *fixture, gconstpointer data)
{
  const char *only_tls[] = { "/tls/1.0.0", NULL };
  g_autoptr(GError) error = NULL;

  g_test_summary ("A single security protocol is proposed lazily; when the remote answers "
                  "na, the dial fails with NOT_SUPPORTED as a security negotiation error");
  g_autoptr(SatoriHost) c = host_with_securities (fixture, only_tls);
  g_autoptr(SatoriConnection) connection = satori_test_connect (c, fixture->b_address, &error);
  g_assert_null (connection);
  g_assert_error (error, SATORI_MULTISTREAM_ERROR, SATORI_MULTISTREAM_ERROR_NOT_SUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "security negotiation: "));
  g_assert_nonnull (strstr (error->message, "/tls/1.0.0"));
  satori_host_close (c);
}

static void
test_security_fallback (Fixture *fixture, gconstpointer data)
{
  const char *tls_then_plaintext[] = { "/tls/1.0.0", "/plaintext/2.0.0", NULL };
  g_autoptr(GError) error = NULL;

  g_test_summary ("With several security protocols the dialer waits for each answer and "
                  "falls back to the next after na");
  g_autoptr(SatoriHost) c = host_with_securities (fixture, tls_then_plaintext);
  g_autoptr(SatoriConnection) connection = satori_test_connect (c, fixture->b_address, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (satori_connection_get_security_protocol (connection), ==, "/plaintext/2.0.0");
  satori_host_close (c);
}

static void
test_lazy_security_one_write (Fixture *fixture, gconstpointer data)
{
  static const char proposal[] = "\x13/multistream/1.0.0\n\x11/plaintext/2.0.0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  int fds[2];
  char buf[4096];

  g_test_summary ("A dialer with one security protocol sends the proposal and the "
                  "handshake's first message in one write, without waiting for the echo");
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  g_autoptr(GSocket) dialer_socket = g_socket_new_from_fd (fds[0], &error);
  g_autoptr(GSocket) peer_socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  g_autoptr(GSocketConnection) dialer =
    g_socket_connection_factory_create_connection (dialer_socket);
  g_autoptr(GSocketConnection) peer = g_socket_connection_factory_create_connection (peer_socket);

  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriUpgrader) upgrader = satori_upgrader_new (key);
  g_autoptr(SatoriSecurity) security =
    satori_test_create (fixture->registry, SATORI_TYPE_SECURITY, "plaintext");
  g_autoptr(SatoriMuxer) muxer = satori_test_create (fixture->registry, SATORI_TYPE_MUXER, "yamux");
  satori_upgrader_add_security (upgrader, "/plaintext/2.0.0", security);
  satori_upgrader_add_muxer (upgrader, "/yamux/1.0.0", muxer);
  satori_upgrader_upgrade_async (upgrader, G_OBJECT (dialer), NULL, SATORI_DIRECTION_OUTBOUND,
                                 NULL, NULL, satori_test_store_result, &result);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* One write on a socketpair arrives as one read. */
  gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (peer)), buf,
                                  sizeof buf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, (gssize) sizeof proposal - 1);
  g_assert_cmpmem (buf, sizeof proposal - 1, proposal, sizeof proposal - 1);

  g_io_stream_close (G_IO_STREAM (peer), NULL, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriConnection) connection =
    satori_upgrader_upgrade_finish (upgrader, satori_test_wait (&result), &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
test_wrong_peer (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Dialing an address with another peer's id fails the upgrade");
  g_autoptr(SatoriPrivateKey) other = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, NULL);
  g_autoptr(SatoriPeerId) other_id =
    satori_peer_id_new_from_public_key (satori_private_key_get_public_key (other));
  g_autoptr(SatoriMultiaddr) bare = satori_multiaddr_decapsulate (fixture->b_address,
                                                                  SATORI_PROTO_P2P);
  g_autoptr(SatoriMultiaddr) wrong = satori_test_address_with_peer (bare, other_id);

  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->a, wrong, &error);
  g_assert_null (connection);
  g_assert_nonnull (error);
  g_assert_null (satori_host_get_connection (fixture->a, other_id));
  g_assert_null (satori_host_get_connection (fixture->a, satori_host_get_peer_id (fixture->b)));
}

static void
test_disconnect (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) inbound = NULL;
  g_autoptr(SatoriConnection) gone = NULL;

  g_test_summary ("Closing a connection is seen as peer-disconnected on the other side");
  g_signal_connect (fixture->b, "peer-connected", G_CALLBACK (on_peer_event), &inbound);
  g_signal_connect (fixture->b, "peer-disconnected", G_CALLBACK (on_peer_event), &gone);
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->a, fixture->b_address, &error);
  g_assert_no_error (error);
  while (inbound == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_autoptr(GAsyncResult) closed = NULL;
  satori_connection_close_async (connection, NULL, satori_test_store_result, &closed);
  satori_test_wait (&closed);
  while (gone == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gone == inbound);
  g_assert_null (satori_host_get_connection (fixture->b, satori_host_get_peer_id (fixture->a)));
}

static void
test_silent_inbound_dropped (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) dialed = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(SatoriConnection) inbound = NULL;
  char byte;

  g_test_summary ("An inbound connection that never negotiates is closed after the upgrade timeout");
  g_object_set (fixture->b, "upgrade-timeout", 1, NULL);
  g_signal_connect (fixture->b, "peer-connected", G_CALLBACK (on_peer_event), &inbound);
  g_autoptr(SatoriTransport) memory = satori_test_create (fixture->registry, SATORI_TYPE_TRANSPORT, "memory");
  satori_transport_dial_async (memory, fixture->b_address, NULL, satori_test_store_result, &dialed);
  g_autoptr(GIOStream) raw = G_IO_STREAM (satori_transport_dial_finish (memory,
                                                                        satori_test_wait (&dialed),
                                                                        NULL, &error));
  g_assert_no_error (error);

  /* Say nothing, and read what comes (the host may greet first) until its
   * side closes. */
  gint64 start = g_get_monotonic_time ();
  gssize n;
  do
    {
      g_clear_object (&read);
      g_input_stream_read_async (g_io_stream_get_input_stream (raw), &byte, 1,
                                 G_PRIORITY_DEFAULT, NULL, satori_test_store_result, &read);
      n = g_input_stream_read_finish (g_io_stream_get_input_stream (raw),
                                      satori_test_wait (&read), NULL);
    }
  while (n > 0);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  g_assert_null (inbound);
}

static void
test_connection_limit (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Inbound connections beyond max-connections are closed");
  g_object_set (fixture->b, "max-connections", 1, NULL);
  g_autoptr(SatoriConnection) first = satori_test_connect (fixture->a, fixture->b_address, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);

  g_autoptr(SatoriHost) c = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  g_autoptr(SatoriConnection) second = satori_test_connect (c, fixture->b_address, &error);
  g_assert_null (second);
  g_assert_nonnull (error);
  g_autoptr(GPtrArray) open = satori_host_get_connections (fixture->b);
  g_assert_cmpuint (open->len, ==, 1);
  satori_host_close (c);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  SatoriConnection **slot = user_data;

  *slot = satori_host_connect_finish (SATORI_HOST (source), result, &error);
  g_assert_no_error (error);
}

static SatoriConnection *
other_than (SatoriHost *host, SatoriPeerId *peer, SatoriConnection *connection)
{
  g_autoptr(GPtrArray) all = satori_host_get_connections (host);

  for (guint i = 0; i < all->len; i++)
    if (g_ptr_array_index (all, i) != connection &&
        satori_peer_id_equal (satori_connection_get_remote_peer (g_ptr_array_index (all, i)), peer))
      return g_ptr_array_index (all, i);
  return NULL;
}

static guint
n_streams (SatoriConnection *connection)
{
  return satori_muxed_connection_get_n_streams (satori_connection_get_muxed (connection));
}

static void
test_simultaneous_dial (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriConnection) from_a = NULL;
  g_autoptr(SatoriConnection) from_b = NULL;
  SatoriPeerId *a = satori_host_get_peer_id (fixture->a);
  SatoriPeerId *b = satori_host_get_peer_id (fixture->b);

  g_test_summary ("After a simultaneous dial both ends pick the same connection for new "
                  "streams, and the other still carries streams");
  g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (fixture->a, "/memory/0");
  g_autoptr(SatoriMultiaddr) a_address = satori_test_address_with_peer (bound, a);
  satori_host_connect_async (fixture->a, fixture->b_address, NULL, on_connected, &from_a);
  satori_host_connect_async (fixture->b, a_address, NULL, on_connected, &from_b);
  while (from_a == NULL || from_b == NULL ||
         other_than (fixture->a, b, from_a) == NULL || other_than (fixture->b, a, from_b) == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* The connection a dialed is outbound at a and inbound at b: both ends
   * must choose the one dialed by the lower peer id. */
  SatoriConnection *chosen_a = satori_host_get_connection (fixture->a, b);
  SatoriConnection *chosen_b = satori_host_get_connection (fixture->b, a);
  gboolean a_is_lower = satori_peer_id_compare (a, b) < 0;
  g_assert_true (chosen_a == (a_is_lower ? from_a : other_than (fixture->a, b, from_a)));
  g_assert_true (chosen_b == (a_is_lower ? other_than (fixture->b, a, from_b) : from_b));
  g_assert_cmpint (satori_connection_get_direction (chosen_a), !=,
                   satori_connection_get_direction (chosen_b));

  /* new_stream takes the chosen connection ... */
  g_autoptr(GIOStream) stream = new_stream (fixture->a, b, ECHO, NULL, &error);
  g_assert_no_error (error);
  SatoriConnection *unchosen_a = other_than (fixture->a, b, chosen_a);
  g_assert_cmpuint (n_streams (chosen_a), ==, 1);
  g_assert_cmpuint (n_streams (unchosen_a), ==, 0);
  g_autoptr(GBytes) echoed = satori_test_echo_round_trip (stream, (const guint8 *) "one", 3);
  g_assert_cmpuint (g_bytes_get_size (echoed), ==, 3);

  /* ... and the other one still works. */
  g_autoptr(GAsyncResult) opened = NULL;
  const char *protocols[] = { ECHO, NULL };
  satori_connection_open_stream_async (unchosen_a, protocols, NULL, satori_test_store_result,
                                       &opened);
  g_autoptr(GIOStream) side = satori_connection_open_stream_finish (unchosen_a,
                                                                    satori_test_wait (&opened),
                                                                    NULL, &error);
  g_assert_no_error (error);
  g_autoptr(GBytes) side_echoed = satori_test_echo_round_trip (side, (const guint8 *) "two", 3);
  g_assert_cmpmem (g_bytes_get_data (side_echoed, NULL), g_bytes_get_size (side_echoed), "two", 3);
}

static void
on_closed_count (SatoriHost *host, SatoriConnection *connection, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_trim (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SatoriHost *clients[3];
  guint closed = 0;

  g_test_summary ("Above high-water the host closes unprotected connections down to low-water");
  g_object_set (fixture->b, "low-water", 1, "high-water", 2, "grace-period", 0, NULL);
  g_signal_connect (fixture->b, "peer-disconnected", G_CALLBACK (on_closed_count), &closed);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");
  satori_host_protect_peer (fixture->b, satori_host_get_peer_id (clients[1]), "test");

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autoptr(SatoriConnection) connection = satori_test_connect (clients[i], fixture->b_address,
                                                                    &error);
      g_assert_no_error (error);
      g_assert_nonnull (connection);
    }
  while (closed < 2)
    g_main_context_iteration (NULL, TRUE);

  g_autoptr(GPtrArray) left = satori_host_get_connections (fixture->b);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_true (satori_peer_id_equal (
    satori_connection_get_remote_peer (g_ptr_array_index (left, 0)),
    satori_host_get_peer_id (clients[1])));
  g_assert_false (satori_host_unprotect_peer (fixture->b, satori_host_get_peer_id (clients[1]),
                                              "test"));
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      satori_host_close (clients[i]);
      g_object_unref (clients[i]);
    }
}

static void
test_trim_grace (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriHost) c = satori_test_host_new (fixture->registry, "memory", "plaintext", "yamux");

  g_test_summary ("Connections in their grace period stay, even above high-water");
  g_object_set (fixture->b, "low-water", 0, "high-water", 1, "grace-period", 3600, NULL);
  g_autoptr(SatoriConnection) first = satori_test_connect (fixture->a, fixture->b_address, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriConnection) second = satori_test_connect (c, fixture->b_address, &error);
  g_assert_no_error (error);
  g_assert_false (satori_connection_is_closed (first) || satori_connection_is_closed (second));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_autoptr(GPtrArray) open = satori_host_get_connections (fixture->b);
  g_assert_cmpuint (open->len, ==, 2);
  satori_host_close (c);
}

static void
on_silent_accept (GObject *source, GAsyncResult *result, gpointer user_data)
{
  /* Keep the raw connection open and say nothing. */
  *(GObject **) user_data = satori_listener_accept_finish (SATORI_LISTENER (source), result,
                                                           NULL, NULL);
}

static void
test_outbound_timeout (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) listening = NULL;
  g_autoptr(GObject) accepted = NULL;

  g_test_summary ("A dial whose upgrade does not finish within upgrade-timeout fails as timed out");
  g_autoptr(SatoriTransport) memory = satori_test_create (fixture->registry, SATORI_TYPE_TRANSPORT,
                                                          "memory");
  g_autoptr(SatoriMultiaddr) any = satori_multiaddr_new_from_string ("/memory/0", NULL);
  satori_transport_listen_async (memory, any, NULL, satori_test_store_result, &listening);
  g_autoptr(SatoriListener) listener = satori_transport_listen_finish (memory,
                                                                       satori_test_wait (&listening),
                                                                       &error);
  g_assert_no_error (error);
  satori_listener_accept_async (listener, NULL, on_silent_accept, &accepted);
  g_autoptr(GPtrArray) addresses = satori_listener_get_addresses (listener);

  g_object_set (fixture->a, "upgrade-timeout", 1, NULL);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(SatoriConnection) connection = satori_test_connect (fixture->a,
                                                                g_ptr_array_index (addresses, 0),
                                                                &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  g_assert_nonnull (accepted);
  satori_listener_close (listener);
}

static void
on_changed_count (SatoriHost *host, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_change_signals (Fixture *fixture, gconstpointer data)
{
  guint protocols = 0, addresses = 0;

  g_test_summary ("protocols-changed when a protocol id is added or removed, addresses-changed "
                  "on listening");
  g_signal_connect (fixture->a, "protocols-changed", G_CALLBACK (on_changed_count), &protocols);
  g_signal_connect (fixture->a, "addresses-changed", G_CALLBACK (on_changed_count), &addresses);
  satori_host_set_handler (fixture->a, ECHO, SATORI_PROTOCOL_HANDLER (fixture->echo));
  g_assert_cmpuint (protocols, ==, 1);
  satori_host_set_handler (fixture->a, ECHO, SATORI_PROTOCOL_HANDLER (fixture->echo));
  g_assert_cmpuint (protocols, ==, 1);
  satori_host_remove_handler (fixture->a, ECHO);
  satori_host_remove_handler (fixture->a, ECHO);
  g_assert_cmpuint (protocols, ==, 2);

  g_autoptr(SatoriMultiaddr) bound = satori_test_listen_address (fixture->a, "/memory/0");
  g_assert_cmpuint (addresses, ==, 1);
  g_autoptr(GPtrArray) reported = satori_host_get_addresses (fixture->a);
  g_assert_cmpuint (reported->len, ==, 1);
  g_assert_true (satori_multiaddr_equal (g_ptr_array_index (reported, 0), bound));
}

static void
test_get_handler (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("The handler of a protocol id is found by it, until it is removed");
  g_assert_null (satori_host_get_handler (fixture->a, ECHO));
  satori_host_set_handler (fixture->a, ECHO, SATORI_PROTOCOL_HANDLER (fixture->echo));
  g_assert_true (satori_host_get_handler (fixture->a, ECHO) ==
                 SATORI_PROTOCOL_HANDLER (fixture->echo));
  g_assert_null (satori_host_get_handler (fixture->a, "/other/1.0.0"));
  satori_host_remove_handler (fixture->a, ECHO);
  g_assert_null (satori_host_get_handler (fixture->a, ECHO));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/host/connect/upgrade", test_connect);
  ADD ("/host/stream/echo", test_stream_echo);
  ADD ("/host/stream/not-supported", test_stream_not_supported);
  ADD ("/host/connect/wrong-peer", test_wrong_peer);
  ADD ("/host/connect/security-refused", test_security_refused);
  ADD ("/host/connect/security-fallback", test_security_fallback);
  ADD ("/host/connect/lazy-security-one-write", test_lazy_security_one_write);
  ADD ("/host/connect/disconnect", test_disconnect);
  ADD ("/host/limits/upgrade-timeout", test_silent_inbound_dropped);
  ADD ("/host/limits/max-connections", test_connection_limit);
  ADD ("/host/connect/simultaneous", test_simultaneous_dial);
  ADD ("/host/limits/trim", test_trim);
  ADD ("/host/limits/trim-grace", test_trim_grace);
  ADD ("/host/limits/outbound-upgrade-timeout", test_outbound_timeout);
  ADD ("/host/signals/changes", test_change_signals);
  ADD ("/host/handlers/get", test_get_handler);
#undef ADD
  return g_test_run ();
}
