/* The identify plugin between two hosts in one process (memory transport,
 * plaintext, yamux). */
#include "satorip2p.h"
#include "satori-identify-service.h"
#include "satori-test-host.h"
#include "satori-test-util.h"

gboolean satori_plugin_memory_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_yamux_register (SatoriRegistry *registry, GError **error);
gboolean satori_plugin_identify_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriRegistry *registry;
  SatoriHost *a;
  SatoriHost *b;
  SatoriIdentifyService *id_a;
  SatoriIdentifyService *id_b;
  SatoriMultiaddr *b_address;
  guint identified_a;   /* messages a's service accepted */
  guint identified_b;
} Fixture;

static void
on_identified (SatoriIdentifyService *service, SatoriPeerId *peer,
               SatoriIdentifyMessage *message, gpointer user_data)
{
  (*(guint *) user_data)++;
}

static SatoriHost *
new_host (SatoriRegistry *registry, SatoriIdentifyService **service, guint *counter)
{
  SatoriHost *host = satori_test_host_new (registry, "memory", "plaintext", "yamux");
  *service = satori_test_create (registry, SATORI_TYPE_PROTOCOL_HANDLER, "identify");
  g_signal_connect (*service, "identified", G_CALLBACK (on_identified), counter);
  satori_host_set_handler (host, SATORI_IDENTIFY_PROTOCOL, SATORI_PROTOCOL_HANDLER (*service));
  satori_host_set_handler (host, SATORI_IDENTIFY_PUSH_PROTOCOL,
                           SATORI_PROTOCOL_HANDLER (*service));
  return host;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_memory_register (fixture->registry, &error));
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_true (satori_plugin_yamux_register (fixture->registry, &error));
  g_assert_true (satori_plugin_identify_register (fixture->registry, &error));
  g_assert_no_error (error);
  fixture->a = new_host (fixture->registry, &fixture->id_a, &fixture->identified_a);
  fixture->b = new_host (fixture->registry, &fixture->id_b, &fixture->identified_b);

  fixture->b_address = satori_test_listen_address (fixture->b, "/memory/0");
  satori_peerstore_add_address (satori_host_get_peerstore (fixture->a),
                                satori_host_get_peer_id (fixture->b), fixture->b_address);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  satori_host_close (fixture->a);
  satori_host_close (fixture->b);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (fixture->a);
  g_object_unref (fixture->b);
  g_object_unref (fixture->id_a);
  g_object_unref (fixture->id_b);
  satori_multiaddr_unref (fixture->b_address);
  g_object_unref (fixture->registry);
}

typedef struct
{
  guint *counter;
  guint above;
} Count;

static gboolean
count_passed (gpointer data)
{
  Count *count = data;

  return *count->counter > count->above;
}

/* Runs the main context until @counter is above @above. */
static void
wait_count_above (guint *counter, guint above)
{
  Count count = { counter, above };

  satori_test_wait_until (count_passed, &count, 10);
}

static SatoriConnection *
connect_and_identify (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SatoriConnection *connection = satori_test_connect (fixture->a, fixture->b_address, &error);
  g_assert_no_error (error);
  wait_count_above (&fixture->identified_a, 0);
  wait_count_above (&fixture->identified_b, 0);
  return connection;
}

/* Runs the main context for @ms milliseconds. */
static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
test_both_ways (Fixture *fixture, gconstpointer data)
{
  SatoriPeerId *a = satori_host_get_peer_id (fixture->a);
  SatoriPeerId *b = satori_host_get_peer_id (fixture->b);
  SatoriPeerstore *store_a = satori_host_get_peerstore (fixture->a);
  SatoriPeerstore *store_b = satori_host_get_peerstore (fixture->b);

  g_test_summary ("A new connection is identified from both sides into both peerstores");
  g_autoptr(SatoriConnection) connection = connect_and_identify (fixture);

  g_assert_cmpstr (satori_peerstore_get_agent (store_a, b), ==,
                   satori_identify_service_get_agent_version (fixture->id_b));
  g_assert_true (g_str_has_prefix (satori_peerstore_get_agent (store_b, a), "satorip2p/"));
  g_auto(GStrv) protocols_b = satori_peerstore_get_protocols (store_a, b);
  g_assert_true (g_strv_contains ((const char * const *) protocols_b, SATORI_IDENTIFY_PROTOCOL));
  g_assert_true (g_strv_contains ((const char * const *) protocols_b,
                                  SATORI_IDENTIFY_PUSH_PROTOCOL));
  g_assert_nonnull (satori_peerstore_get_public_key (store_b, a));
  g_assert_true (satori_public_key_equal (satori_peerstore_get_public_key (store_a, b),
                                          satori_private_key_get_public_key (
                                            satori_host_get_private_key (fixture->b))));
  g_autoptr(GPtrArray) addresses = satori_peerstore_get_addresses (store_a, b);
  g_assert_true (g_ptr_array_find_with_equal_func (addresses, fixture->b_address,
                                                   satori_multiaddr_equal, NULL));

  /* b saw a at the memory address of a's dial; a reports where it saw b. */
  g_autoptr(GPtrArray) observed_a = satori_identify_service_get_observed_addresses (fixture->id_a);
  g_autoptr(GPtrArray) connections_b = satori_host_get_connections (fixture->b);
  g_assert_cmpuint (observed_a->len, ==, 1);
  g_assert_cmpuint (connections_b->len, ==, 1);
  g_assert_true (satori_multiaddr_equal (
    g_ptr_array_index (observed_a, 0),
    satori_connection_get_remote_address (g_ptr_array_index (connections_b, 0))));
  g_autoptr(GPtrArray) observed_b = satori_identify_service_get_observed_addresses (fixture->id_b);
  g_assert_cmpuint (observed_b->len, ==, 1);
  g_assert_true (satori_multiaddr_equal (g_ptr_array_index (observed_b, 0),
                                         satori_connection_get_remote_address (connection)));
}

static void
test_push (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  SatoriPeerId *b = satori_host_get_peer_id (fixture->b);

  g_test_summary ("After b adds a handler and pushes, a's peerstore lists it");
  g_autoptr(SatoriConnection) connection = connect_and_identify (fixture);
  g_assert_false (satori_connection_is_closed (connection));
  guint before = fixture->identified_a;
  g_object_set (fixture->id_b, "agent-version", "pushed/1", NULL);
  satori_host_set_handler (fixture->b, "/test/extra/1.0.0",
                           SATORI_PROTOCOL_HANDLER (fixture->id_b));
  satori_identify_service_push_async (fixture->id_b, NULL, satori_test_store_result, &result);
  g_assert_true (satori_identify_service_push_finish (fixture->id_b, satori_test_wait (&result),
                                                      &error));
  g_assert_no_error (error);
  wait_count_above (&fixture->identified_a, before);
  g_auto(GStrv) protocols = satori_peerstore_get_protocols (satori_host_get_peerstore (fixture->a),
                                                            b);
  g_assert_true (g_strv_contains ((const char * const *) protocols, "/test/extra/1.0.0"));
  g_assert_cmpstr (satori_peerstore_get_agent (satori_host_get_peerstore (fixture->a), b), ==,
                   "pushed/1");
}

static void
send_raw_push (Fixture *fixture, const guint8 *bytes, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  const char *protocols[] = { SATORI_IDENTIFY_PUSH_PROTOCOL, NULL };
  guint8 buffer[16];

  satori_host_new_stream_async (fixture->a, satori_host_get_peer_id (fixture->b), protocols,
                                NULL, satori_test_store_result, &opened);
  g_autoptr(GIOStream) stream = satori_host_new_stream_finish (fixture->a,
                                                               satori_test_wait (&opened), NULL,
                                                               &error);
  g_assert_no_error (error);
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  g_output_stream_write_all_async (out, bytes, len, G_PRIORITY_DEFAULT, NULL,
                                   satori_test_store_result, &written);
  g_assert_true (g_output_stream_write_all_finish (out, satori_test_wait (&written), NULL,
                                                   &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  /* b closes its side once it gave up on the message. */
  g_input_stream_read_async (g_io_stream_get_input_stream (stream), buffer, sizeof buffer,
                             G_PRIORITY_DEFAULT, NULL, satori_test_store_result, &read);
  gssize n = g_input_stream_read_finish (g_io_stream_get_input_stream (stream),
                                         satori_test_wait (&read), NULL);
  g_assert_cmpint (n, <=, 0);
}

static void
test_malformed_push (Fixture *fixture, gconstpointer data)
{
  static const guint8 garbage[] = { 0x06, 0x2a, 0x10, 'x', 0xff, 0xff, 0xff };
  static const guint8 too_large[] = { 0xff, 0xff, 0x03 };
  static const guint8 wrong_key[] = { 0x04, 0x0a, 0x02, 0x08, 0x01 };
  SatoriPeerId *a = satori_host_get_peer_id (fixture->a);
  SatoriPeerstore *store_b = satori_host_get_peerstore (fixture->b);

  g_test_summary ("Malformed pushes are dropped and leave the peerstore as it was");
  g_autoptr(SatoriConnection) connection = connect_and_identify (fixture);
  g_autofree char *agent = g_strdup (satori_peerstore_get_agent (store_b, a));
  g_auto(GStrv) protocols = satori_peerstore_get_protocols (store_b, a);
  guint before = fixture->identified_b;

  send_raw_push (fixture, garbage, sizeof garbage);
  send_raw_push (fixture, too_large, sizeof too_large);
  send_raw_push (fixture, wrong_key, sizeof wrong_key);
  g_assert_cmpuint (fixture->identified_b, ==, before);
  g_assert_cmpstr (satori_peerstore_get_agent (store_b, a), ==, agent);
  g_auto(GStrv) after = satori_peerstore_get_protocols (store_b, a);
  g_assert_true (g_strv_equal ((const char * const *) after, (const char * const *) protocols));
  g_assert_false (satori_connection_is_closed (connection));
}

static void
test_signed_record (Fixture *fixture, gconstpointer data)
{
  SatoriPeerId *b = satori_host_get_peer_id (fixture->b);
  SatoriPeerstore *store_a = satori_host_get_peerstore (fixture->a);
  GBytes *envelope = NULL;

  g_test_summary ("Identify carries b's signed peer record; a checks it and certifies b's address");
  g_autoptr(SatoriConnection) connection = connect_and_identify (fixture);
  g_assert_nonnull (connection);
  SatoriPeerRecord *record = satori_peerstore_get_peer_record (store_a, b, &envelope);
  g_assert_nonnull (record);
  g_assert_nonnull (envelope);
  g_assert_true (satori_peer_id_equal (record->peer_id, b));
  g_assert_cmpuint (record->seq, >, 0);
  g_assert_true (satori_peerstore_is_certified (store_a, b, fixture->b_address));

  /* The envelope is kept as it came and opens again. */
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPeerRecord) again = satori_peer_record_open (g_bytes_get_data (envelope, NULL),
                                                               g_bytes_get_size (envelope), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->seq, ==, record->seq);
}

static void
test_push_on_change (Fixture *fixture, gconstpointer data)
{
  SatoriPeerId *b = satori_host_get_peer_id (fixture->b);

  g_test_summary ("Adding handlers on b pushes to a by itself, once for a burst of changes");
  g_object_set (fixture->id_b, "push-delay", 50, NULL);
  g_autoptr(SatoriConnection) connection = connect_and_identify (fixture);
  g_assert_nonnull (connection);
  guint before = fixture->identified_a;
  satori_host_set_handler (fixture->b, "/test/one/1.0.0", SATORI_PROTOCOL_HANDLER (fixture->id_b));
  satori_host_set_handler (fixture->b, "/test/two/1.0.0", SATORI_PROTOCOL_HANDLER (fixture->id_b));
  satori_host_remove_handler (fixture->b, "/test/one/1.0.0");
  wait_count_above (&fixture->identified_a, before);

  g_auto(GStrv) protocols = satori_peerstore_get_protocols (satori_host_get_peerstore (fixture->a),
                                                            b);
  g_assert_true (g_strv_contains ((const char * const *) protocols, "/test/two/1.0.0"));
  g_assert_false (g_strv_contains ((const char * const *) protocols, "/test/one/1.0.0"));

  /* No second push follows within a few delays. */
  run_for (300);
  g_assert_cmpuint (fixture->identified_a, ==, before + 1);
}

static void
test_no_push_after_connect (Fixture *fixture, gconstpointer data)
{
  g_test_summary ("Changes made before a peer connected reach it in its identify answer, "
                  "not in a push as well");
  /* The fixture's handlers and listen address are such changes: their
   * push is due one push-delay after the set-up. */
  g_autoptr(SatoriConnection) connection = connect_and_identify (fixture);
  g_assert_nonnull (connection);
  guint push_delay;
  g_object_get (fixture->id_b, "push-delay", &push_delay, NULL);
  run_for (3 * push_delay);
  g_assert_cmpuint (fixture->identified_a, ==, 1);
  g_assert_cmpuint (fixture->identified_b, ==, 1);
}

static void
test_forged_record (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SatoriPeerId *a = satori_host_get_peer_id (fixture->a);
  SatoriPeerstore *store_b = satori_host_get_peerstore (fixture->b);

  g_test_summary ("A pushed record about a signed by another key is ignored, the rest applied");
  g_autoptr(SatoriConnection) connection = connect_and_identify (fixture);
  g_assert_nonnull (connection);
  SatoriPeerRecord *kept = satori_peerstore_get_peer_record (store_b, a, NULL);
  g_assert_nonnull (kept);
  guint64 seq = kept->seq;

  g_autoptr(SatoriPrivateKey) other = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, NULL);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  g_ptr_array_add (addresses, satori_multiaddr_new_from_string ("/ip4/6.6.6.6/tcp/666", NULL));
  g_autoptr(SatoriPeerRecord) forged = satori_peer_record_new (a, seq + 1, addresses);
  g_autoptr(SatoriEnvelope) envelope = satori_peer_record_seal (forged, other, &error);
  g_assert_no_error (error);

  g_autoptr(SatoriIdentifyMessage) message = satori_identify_message_new ();
  message->agent_version = g_strdup ("forger/1");
  message->signed_peer_record = satori_envelope_encode (envelope);
  g_autoptr(GBytes) encoded = satori_identify_message_encode (message);
  g_autoptr(GByteArray) framed = g_byte_array_new ();
  satori_varint_append (framed, g_bytes_get_size (encoded));
  g_byte_array_append (framed, g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));
  guint before = fixture->identified_b;
  send_raw_push (fixture, framed->data, framed->len);
  wait_count_above (&fixture->identified_b, before);

  g_assert_cmpstr (satori_peerstore_get_agent (store_b, a), ==, "forger/1");
  g_assert_cmpuint (satori_peerstore_get_peer_record (store_b, a, NULL)->seq, ==, seq);
  g_assert_false (satori_peerstore_is_certified (store_b, a, g_ptr_array_index (addresses, 0)));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/identify/service/both-ways", test_both_ways);
  ADD ("/identify/service/push", test_push);
  ADD ("/identify/service/malformed-push", test_malformed_push);
  ADD ("/identify/record/signed", test_signed_record);
  ADD ("/identify/record/forged", test_forged_record);
  ADD ("/identify/push/on-change", test_push_on_change);
  ADD ("/identify/push/none-after-connect", test_no_push_after_connect);
#undef ADD
  return g_test_run ();
}
