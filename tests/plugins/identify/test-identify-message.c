/* The Identify message codec: round trip, merge, validation, limits. */
#include <string.h>

#include "satori-identify-message.h"
#include "satori-test-util.h"

static SatoriIdentifyMessage *
sample (SatoriPrivateKey *key)
{
  SatoriIdentifyMessage *message = satori_identify_message_new ();

  message->protocol_version = g_strdup ("ipfs/0.1.0");
  message->agent_version = g_strdup ("satorip2p/test");
  message->public_key = g_object_ref (satori_private_key_get_public_key (key));
  g_ptr_array_add (message->listen_addrs,
                   satori_multiaddr_new_from_string ("/ip4/127.0.0.1/tcp/4001", NULL));
  message->observed_addr = satori_multiaddr_new_from_string ("/ip4/10.0.0.1/tcp/5555", NULL);
  g_strfreev (message->protocols);
  message->protocols = g_strsplit ("/ipfs/id/1.0.0 /ipfs/ping/1.0.0", " ", -1);
  message->has_protocols = TRUE;
  return message;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x22);
  g_autoptr(SatoriIdentifyMessage) message = sample (key);
  g_autoptr(SatoriPeerId) peer = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (key));

  g_test_summary ("Encode then decode keeps every field, and the key validates");
  g_autoptr(GBytes) bytes = satori_identify_message_encode (message);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(SatoriIdentifyMessage) back = satori_identify_message_decode (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->protocol_version, ==, "ipfs/0.1.0");
  g_assert_cmpstr (back->agent_version, ==, "satorip2p/test");
  g_assert_true (satori_public_key_equal (back->public_key, message->public_key));
  g_assert_cmpuint (back->listen_addrs->len, ==, 1);
  g_assert_true (satori_multiaddr_equal (g_ptr_array_index (back->listen_addrs, 0),
                                         g_ptr_array_index (message->listen_addrs, 0)));
  g_assert_true (satori_multiaddr_equal (back->observed_addr, message->observed_addr));
  g_assert_true (g_strv_equal ((const char * const *) back->protocols,
                               (const char * const *) message->protocols));
  g_assert_true (satori_identify_message_validate (back, peer, TRUE, &error));
  g_assert_no_error (error);
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x22);
  g_autoptr(SatoriPrivateKey) other = satori_test_secp256k1_key_filled (0x33);
  g_autoptr(SatoriIdentifyMessage) message = sample (key);
  g_autoptr(SatoriPeerId) wrong = satori_peer_id_new_from_public_key (
    satori_private_key_get_public_key (other));

  g_test_summary ("A key that is not the peer's, or a missing key where one is needed, fails");
  g_assert_false (satori_identify_message_validate (message, wrong, TRUE, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);
  g_clear_object (&message->public_key);
  g_assert_false (satori_identify_message_validate (message, wrong, TRUE, &error));
  g_clear_error (&error);
  g_assert_true (satori_identify_message_validate (message, wrong, FALSE, &error));
}

static void
test_malformed (void)
{
  static const guint8 truncated[] = { 0x2a, 0x10, 'x' };
  static const guint8 bad_key[] = { 0x0a, 0x02, 0x08, 0x09 };
  static const guint8 bad_observed[] = { 0x22, 0x02, 0xff, 0xff };
  static const guint8 bad_utf8[] = { 0x32, 0x02, 0xc3, 0x28 };
  static const guint8 bad_listen[] = { 0x12, 0x02, 0xff, 0xff, 0x1a, 0x01, 'p' };
  g_autoptr(GError) error = NULL;

  g_test_summary ("Bad protobuf, key, address or text is an error; a bad listen address is "
                  "skipped; oversized input is refused");
  g_assert_null (satori_identify_message_decode (truncated, sizeof truncated, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (satori_identify_message_decode (bad_key, sizeof bad_key, &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (satori_identify_message_decode (bad_observed, sizeof bad_observed, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (satori_identify_message_decode (bad_utf8, sizeof bad_utf8, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_autoptr(SatoriIdentifyMessage) skipped =
    satori_identify_message_decode (bad_listen, sizeof bad_listen, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (skipped->listen_addrs->len, ==, 0);
  g_assert_cmpstr (skipped->protocols[0], ==, "p");

  g_autofree guint8 *big = g_malloc0 (SATORI_IDENTIFY_MAX_MESSAGE_SIZE + 1);
  g_assert_null (satori_identify_message_decode (big, SATORI_IDENTIFY_MAX_MESSAGE_SIZE + 1,
                                                 &error));
  g_assert_nonnull (error);
}

static void
test_merge (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (0x22);
  g_autoptr(SatoriIdentifyMessage) into = sample (key);
  g_autoptr(SatoriIdentifyMessage) from = satori_identify_message_new ();

  g_test_summary ("Merging joins protocols and addresses and replaces values it carries");
  from->agent_version = g_strdup ("later");
  g_ptr_array_add (from->listen_addrs,
                   satori_multiaddr_new_from_string ("/ip4/127.0.0.1/tcp/4001", NULL));
  g_ptr_array_add (from->listen_addrs,
                   satori_multiaddr_new_from_string ("/ip4/127.0.0.1/tcp/4002", NULL));
  g_strfreev (from->protocols);
  from->protocols = g_strsplit ("/ipfs/ping/1.0.0 /extra/1.0.0", " ", -1);
  from->has_protocols = TRUE;
  satori_identify_message_merge (into, from);
  g_assert_cmpstr (into->agent_version, ==, "later");
  g_assert_cmpstr (into->protocol_version, ==, "ipfs/0.1.0");
  g_assert_cmpuint (into->listen_addrs->len, ==, 2);
  g_assert_cmpuint (g_strv_length (into->protocols), ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/identify/message/round-trip", test_round_trip);
  g_test_add_func ("/identify/message/validate", test_validate);
  g_test_add_func ("/identify/message/malformed", test_malformed);
  g_test_add_func ("/identify/message/merge", test_merge);
  return g_test_run ();
}
