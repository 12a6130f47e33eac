/* Tests of the plaintext security plugin: the sans-I/O session, and the
 * handshake through the SatoriSecurity contract over in-memory pipes. */
#include <string.h>

#include "satori-errors.h"
#include "satori-pipe.h"
#include "satori-plaintext-connection.h"
#include "satori-plaintext-session.h"
#include "satori-private-key.h"
#include "satori-registry.h"
#include "satori-security.h"
#include "satori-test-util.h"
#include "satori-varint.h"

gboolean satori_plugin_plaintext_register (SatoriRegistry *registry, GError **error);

typedef struct
{
  SatoriRegistry *registry;
  SatoriSecurity *security;
  SatoriPrivateKey *dialer_key;
  SatoriPrivateKey *listener_key;
  SatoriPeerId *dialer_id;
  SatoriPeerId *listener_id;
  GIOStream *dialer_end;
  GIOStream *listener_end;
} Fixture;

static SatoriPeerId *
id_of (SatoriPrivateKey *key)
{
  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->registry = satori_registry_new ();
  g_assert_true (satori_plugin_plaintext_register (fixture->registry, &error));
  g_assert_no_error (error);
  SatoriFeature *feature = satori_registry_lookup_protocol (fixture->registry,
                                                            SATORI_TYPE_SECURITY,
                                                            "/plaintext/2.0.0");
  g_assert_nonnull (feature);
  g_assert_true (feature == satori_registry_lookup (fixture->registry, SATORI_TYPE_SECURITY,
                                                    "plaintext"));
  fixture->security = satori_feature_create (feature);
  fixture->dialer_key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, &error);
  g_assert_no_error (error);
  fixture->listener_key = satori_test_secp256k1_key_filled (0x42);
  fixture->dialer_id = id_of (fixture->dialer_key);
  fixture->listener_id = id_of (fixture->listener_key);
  satori_pipe_new_pair (64 * 1024, &fixture->dialer_end, &fixture->listener_end);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_object_unref (fixture->dialer_end);
  g_object_unref (fixture->listener_end);
  satori_peer_id_unref (fixture->dialer_id);
  satori_peer_id_unref (fixture->listener_id);
  g_object_unref (fixture->dialer_key);
  g_object_unref (fixture->listener_key);
  g_object_unref (fixture->security);
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

static void
start (Fixture *fixture, gboolean dialer, SatoriPeerId *expected, GAsyncResult **slot)
{
  satori_security_secure_async (fixture->security,
                                dialer ? fixture->dialer_end : fixture->listener_end, dialer,
                                dialer ? fixture->dialer_key : fixture->listener_key, expected,
                                NULL, NULL, store_result, slot);
}

static SatoriSecureConnection *
finish (Fixture *fixture, GAsyncResult **slot, GError **error)
{
  return satori_security_secure_finish (fixture->security, wait_for (slot), error);
}

static void
write_bytes (GIOStream *stream, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  gsize n;

  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (stream), data, len,
                                            &n, NULL, &error));
  g_assert_no_error (error);
}

static void
read_expect (GIOStream *stream, const char *expected)
{
  g_autoptr(GError) error = NULL;
  char buf[64] = { 0 };
  gsize n;

  g_assert_true (g_input_stream_read_all (g_io_stream_get_input_stream (stream), buf,
                                          strlen (expected), &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (buf, ==, expected);
}

/* The bytes of an Exchange message, length-prefixed, from its fields. */
static GBytes *
exchange_bytes (GBytes *id, GBytes *pubkey)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();
  if (id != NULL)
    {
      satori_varint_append (message, 0x0a);
      satori_varint_append (message, g_bytes_get_size (id));
      g_byte_array_append (message, g_bytes_get_data (id, NULL), g_bytes_get_size (id));
    }
  if (pubkey != NULL)
    {
      satori_varint_append (message, 0x12);
      satori_varint_append (message, g_bytes_get_size (pubkey));
      g_byte_array_append (message, g_bytes_get_data (pubkey, NULL), g_bytes_get_size (pubkey));
    }
  GByteArray *framed = g_byte_array_new ();
  satori_varint_append (framed, message->len);
  g_byte_array_append (framed, message->data, message->len);
  return g_byte_array_free_to_bytes (framed);
}

static void
test_success (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) dialed = NULL;
  g_autoptr(GAsyncResult) accepted = NULL;

  g_test_summary ("Both sides learn the other's peer id and key; the dialer checks the "
                  "peer it expected; bytes then pass unchanged both ways");
  start (fixture, TRUE, fixture->listener_id, &dialed);
  start (fixture, FALSE, NULL, &accepted);
  g_autoptr(SatoriSecureConnection) dialer = finish (fixture, &dialed, &error);
  g_assert_no_error (error);
  g_autoptr(SatoriSecureConnection) listener = finish (fixture, &accepted, &error);
  g_assert_no_error (error);

  g_assert_true (satori_peer_id_equal (satori_secure_connection_get_remote_peer (dialer),
                                       fixture->listener_id));
  g_assert_true (satori_peer_id_equal (satori_secure_connection_get_remote_peer (listener),
                                       fixture->dialer_id));
  g_assert_true (satori_public_key_equal (
                   satori_secure_connection_get_remote_public_key (listener),
                   satori_private_key_get_public_key (fixture->dialer_key)));
  g_assert_null (satori_secure_connection_get_early_muxer (dialer));

  GIOStream *dialer_stream = G_IO_STREAM (dialer);
  g_assert_true (satori_plaintext_connection_get_base_stream (
                   SATORI_PLAINTEXT_CONNECTION (dialer)) == fixture->dialer_end);
  g_assert_true (g_io_stream_get_input_stream (dialer_stream) ==
                 g_io_stream_get_input_stream (fixture->dialer_end));
  write_bytes (dialer_stream, "ping", 4);
  read_expect (G_IO_STREAM (listener), "ping");
  write_bytes (G_IO_STREAM (listener), "pong", 4);
  read_expect (dialer_stream, "pong");

  g_assert_true (g_io_stream_close (dialer_stream, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_io_stream_is_closed (fixture->dialer_end));
}

static void
test_wrong_peer (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) dialed = NULL;
  g_autoptr(GAsyncResult) accepted = NULL;

  g_test_summary ("The dialer refuses a peer other than the one it dialed");
  g_autoptr(SatoriPrivateKey) other_key = satori_test_secp256k1_key_filled (0x43);
  g_autoptr(SatoriPeerId) other = id_of (other_key);
  start (fixture, TRUE, other, &dialed);
  start (fixture, FALSE, NULL, &accepted);
  g_autoptr(SatoriSecureConnection) dialer = finish (fixture, &dialed, &error);
  g_assert_error (error, SATORI_PLAINTEXT_ERROR, SATORI_PLAINTEXT_ERROR_UNEXPECTED_PEER);
  g_assert_null (dialer);
  g_clear_error (&error);
  /* The listener expects no one, so it is satisfied. */
  g_autoptr(SatoriSecureConnection) listener = finish (fixture, &accepted, &error);
  g_assert_nonnull (listener);
  g_assert_no_error (error);
}

/* Sends @bytes as the dialer, runs the listener's handshake, and returns
 * its result. */
static SatoriSecureConnection *
listen_to (Fixture *fixture, GBytes *bytes, GError **error)
{
  g_autoptr(GAsyncResult) accepted = NULL;

  write_bytes (fixture->dialer_end, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  start (fixture, FALSE, NULL, &accepted);
  return finish (fixture, &accepted, error);
}

static void
test_key_mismatch (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A peer id that is not the id of the key sent with it is refused");
  GBytes *id = satori_peer_id_get_bytes (fixture->listener_id);
  g_autoptr(GBytes) key = satori_public_key_to_protobuf (
                            satori_private_key_get_public_key (fixture->dialer_key));
  g_autoptr(GBytes) bytes = exchange_bytes (id, key);
  g_autoptr(SatoriSecureConnection) connection = listen_to (fixture, bytes, &error);
  g_assert_error (error, SATORI_PLAINTEXT_ERROR, SATORI_PLAINTEXT_ERROR_KEY_MISMATCH);
  g_assert_null (connection);
}

static void
test_missing_fields (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("An Exchange without a public key is malformed");
  GBytes *id = satori_peer_id_get_bytes (fixture->dialer_id);
  g_autoptr(GBytes) bytes = exchange_bytes (id, NULL);
  g_autoptr(SatoriSecureConnection) connection = listen_to (fixture, bytes, &error);
  g_assert_null (connection);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
}

static void
test_bad_key (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("An Exchange whose public key does not parse is refused");
  GBytes *id = satori_peer_id_get_bytes (fixture->dialer_id);
  g_autoptr(GBytes) key = g_bytes_new_static ("\x08\x01\x12\x03" "abc", 7);
  g_autoptr(GBytes) bytes = exchange_bytes (id, key);
  g_autoptr(SatoriSecureConnection) connection = listen_to (fixture, bytes, &error);
  g_assert_null (connection);
  g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
}

static void
test_garbage (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Bytes that are not a protobuf message are refused");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\x04\xff\xff\xff\xff", 5);
  g_autoptr(SatoriSecureConnection) connection = listen_to (fixture, bytes, &error);
  g_assert_null (connection);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
}

static void
test_oversized (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A length prefix over the limit is refused before the message is read");
  g_autoptr(GByteArray) prefix = g_byte_array_new ();
  satori_varint_append (prefix, SATORI_PLAINTEXT_MAX_EXCHANGE + 1);
  g_autoptr(GBytes) bytes = g_bytes_new (prefix->data, prefix->len);
  g_autoptr(SatoriSecureConnection) connection = listen_to (fixture, bytes, &error);
  g_assert_null (connection);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
}

static void
test_closed (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A peer that closes inside its Exchange fails the handshake");
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (fixture->dialer_end),
                                            "\x20\x0a", 2, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (g_io_stream_get_output_stream (fixture->dialer_end),
                                        NULL, &error));
  g_autoptr(GAsyncResult) accepted = NULL;
  start (fixture, FALSE, NULL, &accepted);
  g_autoptr(SatoriSecureConnection) connection = finish (fixture, &accepted, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
test_early_data (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("Bytes sent right after the Exchange, in the same write, reach the "
                  "connection");
  g_autoptr(SatoriPlaintextSession) peer =
    satori_plaintext_session_new (satori_private_key_get_public_key (fixture->dialer_key), NULL);
  g_autoptr(GBytes) exchange = satori_plaintext_session_poll_transmit (peer);
  g_autoptr(GByteArray) both = g_byte_array_new ();
  g_byte_array_append (both, g_bytes_get_data (exchange, NULL), g_bytes_get_size (exchange));
  g_byte_array_append (both, (const guint8 *) "early bytes", 11);
  g_autoptr(GBytes) bytes = g_bytes_new (both->data, both->len);

  g_autoptr(SatoriSecureConnection) connection = listen_to (fixture, bytes, &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (satori_secure_connection_get_remote_peer (connection),
                                       fixture->dialer_id));
  read_expect (G_IO_STREAM (connection), "early bytes");
}

static void
test_session_bytewise (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("Two sessions complete over bytes passed one at a time, each taking "
                  "exactly its peer's Exchange");
  SatoriPublicKey *a_key = satori_private_key_get_public_key (fixture->dialer_key);
  SatoriPublicKey *b_key = satori_private_key_get_public_key (fixture->listener_key);
  g_autoptr(SatoriPlaintextSession) a = satori_plaintext_session_new (a_key, fixture->listener_id);
  g_autoptr(SatoriPlaintextSession) b = satori_plaintext_session_new (b_key, NULL);
  g_autoptr(GBytes) from_a = satori_plaintext_session_poll_transmit (a);
  g_autoptr(GBytes) from_b = satori_plaintext_session_poll_transmit (b);
  g_assert_null (satori_plaintext_session_poll_transmit (a));

  gsize size;
  const guint8 *bytes = g_bytes_get_data (from_a, &size);
  for (gsize i = 0; i < size; i++)
    {
      g_assert_false (satori_plaintext_session_is_done (b));
      g_assert_cmpuint (satori_plaintext_session_get_wanted (b), >, 0);
      g_assert_true (satori_plaintext_session_handle_input (b, bytes + i, 1, &consumed, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (consumed, ==, 1);
    }
  g_assert_true (satori_plaintext_session_is_done (b));
  g_assert_cmpuint (satori_plaintext_session_get_wanted (b), ==, 0);
  g_assert_true (satori_public_key_equal (satori_plaintext_session_get_remote_public_key (b),
                                          a_key));

  /* Fed the Exchange and more at once, a takes only the Exchange. */
  g_autoptr(GByteArray) more = g_byte_array_new ();
  g_byte_array_append (more, g_bytes_get_data (from_b, NULL), g_bytes_get_size (from_b));
  g_byte_array_append (more, (const guint8 *) "next", 4);
  g_assert_true (satori_plaintext_session_handle_input (a, more->data, more->len, &consumed,
                                                        &error));
  g_assert_cmpuint (consumed, ==, g_bytes_get_size (from_b));
  g_assert_true (satori_peer_id_equal (satori_plaintext_session_get_remote_peer (a),
                                       fixture->listener_id));
}

static void
test_session_sticky_error (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gsize consumed;

  g_test_summary ("After an error every later input fails again and nothing is wanted");
  g_autoptr(SatoriPlaintextSession) session =
    satori_plaintext_session_new (satori_private_key_get_public_key (fixture->dialer_key), NULL);
  g_assert_false (satori_plaintext_session_handle_input (session, (const guint8 *) "\x01\xff",
                                                         2, &consumed, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_cmpuint (satori_plaintext_session_get_wanted (session), ==, 0);
  g_assert_false (satori_plaintext_session_handle_input (session, (const guint8 *) "\x00", 1,
                                                         &consumed, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_assert_cmpuint (consumed, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/plaintext/handshake/success", test_success);
  ADD ("/plaintext/handshake/wrong-peer", test_wrong_peer);
  ADD ("/plaintext/handshake/key-mismatch", test_key_mismatch);
  ADD ("/plaintext/handshake/missing-fields", test_missing_fields);
  ADD ("/plaintext/handshake/bad-key", test_bad_key);
  ADD ("/plaintext/handshake/garbage", test_garbage);
  ADD ("/plaintext/handshake/oversized", test_oversized);
  ADD ("/plaintext/handshake/closed", test_closed);
  ADD ("/plaintext/handshake/early-data", test_early_data);
  ADD ("/plaintext/session/bytewise", test_session_bytewise);
  ADD ("/plaintext/session/sticky-error", test_session_sticky_error);
#undef ADD

  return g_test_run ();
}
