/* Tests of the contracts: dispatch wrappers reach the vfuncs, defaults
 * behave as documented, signals and properties exist with the documented
 * types, and the boxed types they carry hold what they are given. Including
 * satorip2p.h also checks that every public header is self-contained. */
#include <string.h>

#include "satorip2p.h"

/* --- a transport that implements only the required vfuncs --- */

#define TEST_TYPE_TCP_LIKE (test_tcp_like_get_type ())
G_DECLARE_FINAL_TYPE (TestTcpLike, test_tcp_like, TEST, TCP_LIKE, GObject)

struct _TestTcpLike
{
  GObject parent_instance;
  guint dials;
};

static gboolean
test_tcp_like_can_dial (SatoriTransport *transport, SatoriMultiaddr *address)
{
  return satori_multiaddr_has_protocol (address, SATORI_PROTO_TCP);
}

static void
test_tcp_like_dial_async (SatoriTransport *transport, SatoriMultiaddr *address,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (transport, cancellable, callback, user_data);
  TEST_TCP_LIKE (transport)->dials++;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
}

static GObject *
test_tcp_like_dial_finish (SatoriTransport *transport, GAsyncResult *result,
                           SatoriMultiaddr **remote_address, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_tcp_like_iface_init (SatoriTransportInterface *iface)
{
  iface->can_dial = test_tcp_like_can_dial;
  iface->dial_async = test_tcp_like_dial_async;
  iface->dial_finish = test_tcp_like_dial_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTcpLike, test_tcp_like, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_TRANSPORT, test_tcp_like_iface_init))

static void test_tcp_like_class_init (TestTcpLikeClass *klass) { }
static void test_tcp_like_init (TestTcpLike *self) { }

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_transport_dispatch_and_defaults (void)
{
  g_autoptr(SatoriTransport) transport = g_object_new (TEST_TYPE_TCP_LIKE, NULL);
  g_autoptr(SatoriMultiaddr) tcp = satori_multiaddr_new_from_string ("/ip4/127.0.0.1/tcp/1", NULL);
  g_autoptr(SatoriMultiaddr) udp = satori_multiaddr_new_from_string ("/ip4/127.0.0.1/udp/1", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Transport wrappers dispatch; flags default to none, can_listen to can_dial");
  g_assert_cmpint (satori_transport_get_flags (transport), ==, SATORI_TRANSPORT_FLAGS_NONE);
  g_assert_true (satori_transport_can_dial (transport, tcp));
  g_assert_true (satori_transport_can_listen (transport, tcp));
  g_assert_false (satori_transport_can_listen (transport, udp));

  satori_transport_dial_async (transport, tcp, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (satori_transport_dial_finish (transport, result, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (TEST_TCP_LIKE (transport)->dials, ==, 1);
}

/* --- a discovery that cannot advertise --- */

#define TEST_TYPE_LISTEN_ONLY (test_listen_only_get_type ())
G_DECLARE_FINAL_TYPE (TestListenOnly, test_listen_only, TEST, LISTEN_ONLY, GObject)

struct _TestListenOnly
{
  GObject parent_instance;
};

static void
test_listen_only_iface_init (SatoriDiscoveryInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestListenOnly, test_listen_only, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_DISCOVERY, test_listen_only_iface_init))

static void test_listen_only_class_init (TestListenOnlyClass *klass) { }
static void test_listen_only_init (TestListenOnly *self) { }

static void
on_peer_discovered (SatoriDiscovery *discovery, SatoriPeerInfo *info, gpointer user_data)
{
  *(SatoriPeerInfo **) user_data = satori_peer_info_ref (info);
}

static void
test_discovery_defaults_and_signal (void)
{
  g_autoptr(SatoriDiscovery) discovery = g_object_new (TEST_TYPE_LISTEN_ONLY, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("advertise defaults to NOT_SUPPORTED, withdraw to a successful no-op; "
                  "peer-discovered carries a SatoriPeerInfo");
  satori_discovery_advertise_async (discovery, "satori/pub/x", 0, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (satori_discovery_advertise_finish (discovery, result, &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_clear_object (&result);
  satori_discovery_withdraw_async (discovery, "satori/pub/x", NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (satori_discovery_withdraw_finish (discovery, result, &error));
  g_assert_no_error (error);

  g_autoptr(SatoriPeerId) peer =
    satori_peer_id_new_from_string ("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", &error);
  g_assert_no_error (error);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  g_ptr_array_add (addresses, satori_multiaddr_new_from_string ("/ip4/10.0.0.1/tcp/4001", NULL));
  g_autoptr(SatoriPeerInfo) sent = satori_peer_info_new (peer, addresses);
  g_ptr_array_set_size (addresses, 0);   /* the info holds its own copy */

  g_autoptr(SatoriPeerInfo) seen = NULL;
  g_signal_connect (discovery, "peer-discovered", G_CALLBACK (on_peer_discovered), &seen);
  g_signal_emit_by_name (discovery, "peer-discovered", sent);
  g_assert_true (seen == sent);
  g_assert_true (satori_peer_id_equal (satori_peer_info_get_peer_id (seen), peer));
  g_assert_cmpuint (satori_peer_info_get_addresses (seen)->len, ==, 1);
}

#define TEST_TYPE_NO_ROUTING (test_no_routing_get_type ())
G_DECLARE_FINAL_TYPE (TestNoRouting, test_no_routing, TEST, NO_ROUTING, GObject)

struct _TestNoRouting
{
  GObject parent_instance;
};

static void
test_no_routing_iface_init (SatoriRoutingInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNoRouting, test_no_routing, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (SATORI_TYPE_ROUTING, test_no_routing_iface_init))

static void test_no_routing_class_init (TestNoRoutingClass *klass) { }
static void test_no_routing_init (TestNoRouting *self) { }

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
assert_not_supported (GError **error)
{
  g_assert_error (*error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (error);
}

static void
test_routing_not_supported (void)
{
  g_autoptr(SatoriRouting) routing = g_object_new (TEST_TYPE_NO_ROUTING, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = g_bytes_new_static ("/test/k", 7);
  g_autoptr(SatoriPeerId) peer =
    satori_peer_id_new_from_string ("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", &error);
  GAsyncResult *results[7] = { NULL };

  g_test_summary ("Every SatoriRouting vfunc left NULL fails with NOT_SUPPORTED");
  g_assert_no_error (error);
  satori_routing_find_peer_async (routing, peer, NULL, store_result, &results[0]);
  g_assert_null (satori_routing_find_peer_finish (routing, wait_result (&results[0]), &error));
  assert_not_supported (&error);
  satori_routing_get_closest_peers_async (routing, key, NULL, store_result, &results[1]);
  g_assert_null (satori_routing_get_closest_peers_finish (routing, wait_result (&results[1]),
                                                          &error));
  assert_not_supported (&error);
  satori_routing_get_value_async (routing, key, NULL, NULL, NULL, store_result, &results[2]);
  g_assert_null (satori_routing_get_value_finish (routing, wait_result (&results[2]), &error));
  assert_not_supported (&error);
  satori_routing_put_value_async (routing, key, key, NULL, store_result, &results[3]);
  g_assert_cmpuint (satori_routing_put_value_finish (routing, wait_result (&results[3]), &error),
                    ==, 0);
  assert_not_supported (&error);
  satori_routing_provide_async (routing, key, NULL, store_result, &results[4]);
  g_assert_cmpuint (satori_routing_provide_finish (routing, wait_result (&results[4]), &error),
                    ==, 0);
  assert_not_supported (&error);
  satori_routing_find_providers_async (routing, key, 0, NULL, NULL, NULL, store_result,
                                       &results[5]);
  g_assert_null (satori_routing_find_providers_finish (routing, wait_result (&results[5]),
                                                       &error));
  assert_not_supported (&error);
  satori_routing_get_public_key_async (routing, peer, NULL, store_result, &results[6]);
  g_assert_null (satori_routing_get_public_key_finish (routing, wait_result (&results[6]),
                                                       &error));
  assert_not_supported (&error);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_object_unref (results[i]);
}

static void
test_pubsub_message_detail (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("The pubsub message signal is detailed by topic; messages keep their fields");
  /* The signal belongs to the interface; look it up on the interface type. */
  g_type_default_interface_unref (g_type_default_interface_ref (SATORI_TYPE_PUBSUB));
  guint signal_id = g_signal_lookup ("message", SATORI_TYPE_PUBSUB);
  g_assert_cmpuint (signal_id, !=, 0);
  GSignalQuery query;
  g_signal_query (signal_id, &query);
  g_assert_true (query.signal_flags & G_SIGNAL_DETAILED);
  g_assert_true (query.param_types[0] == SATORI_TYPE_PUBSUB_MESSAGE);

  g_autoptr(SatoriPeerId) from =
    satori_peer_id_new_from_string ("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", &error);
  g_autoptr(GBytes) data = g_bytes_new_static ("42.0", 4);
  g_autoptr(GBytes) seqno = g_bytes_new_static ("\0\0\0\1", 4);
  g_autoptr(SatoriPubsubMessage) message =
    satori_pubsub_message_new ("satori/stream/abc", data, from, seqno);
  satori_pubsub_message_set_id (message, "id-1");
  g_assert_cmpstr (satori_pubsub_message_get_topic (message), ==, "satori/stream/abc");
  g_assert_true (g_bytes_equal (satori_pubsub_message_get_data (message), data));
  g_assert_true (satori_peer_id_equal (satori_pubsub_message_get_from (message), from));
  g_assert_cmpstr (satori_pubsub_message_get_id (message), ==, "id-1");
  g_assert_null (satori_pubsub_message_get_signature (message));
  g_assert_null (satori_pubsub_message_get_received_from (message));
}

static void
test_signal_and_property_types (void)
{
  g_test_summary ("Documented signals and properties exist with their types");
  GSignalQuery query;

  /* An interface's signals exist once its default vtable was made. */
  GType types[] = { SATORI_TYPE_MUXED_CONNECTION, SATORI_TYPE_LISTENER, SATORI_TYPE_BRIDGE };
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_type_default_interface_unref (g_type_default_interface_ref (types[i]));

  g_signal_query (g_signal_lookup ("stream-accepted", SATORI_TYPE_MUXED_CONNECTION), &query);
  g_assert_true (query.param_types[0] == G_TYPE_IO_STREAM);
  g_signal_query (g_signal_lookup ("closed", SATORI_TYPE_MUXED_CONNECTION), &query);
  g_assert_true (query.param_types[0] == G_TYPE_ERROR);
  g_signal_query (g_signal_lookup ("addresses-changed", SATORI_TYPE_LISTENER), &query);
  g_assert_cmpuint (query.n_params, ==, 0);
  g_signal_query (g_signal_lookup ("message-received", SATORI_TYPE_BRIDGE), &query);
  g_assert_true (query.param_types[0] == G_TYPE_STRING);
  g_assert_true (query.param_types[1] == G_TYPE_BYTES);

  gpointer iface = g_type_default_interface_ref (SATORI_TYPE_BRIDGE);
  GParamSpec *state = g_object_interface_find_property (iface, "state");
  g_assert_nonnull (state);
  g_assert_true (state->value_type == SATORI_TYPE_BRIDGE_STATE);
  g_type_default_interface_unref (iface);

  g_autoptr(GFlagsClass) flags = g_type_class_ref (SATORI_TYPE_TRANSPORT_FLAGS);
  g_assert_nonnull (g_flags_get_value_by_nick (flags, "multiplexed"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/interfaces/transport/dispatch-and-defaults",
                   test_transport_dispatch_and_defaults);
  g_test_add_func ("/interfaces/discovery/defaults-and-signal",
                   test_discovery_defaults_and_signal);
  g_test_add_func ("/interfaces/routing/not-supported", test_routing_not_supported);
  g_test_add_func ("/interfaces/pubsub/message-detail", test_pubsub_message_detail);
  g_test_add_func ("/interfaces/signals-and-properties", test_signal_and_property_types);
  return g_test_run ();
}
