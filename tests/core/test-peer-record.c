/* Peer records (RFC 0003) in signed envelopes. */
#include "satorip2p.h"
#include "satori-test-util.h"

static GPtrArray *
addresses (const char *first, ...)
{
  GPtrArray *array = g_ptr_array_new_with_free_func ((GDestroyNotify) satori_multiaddr_unref);
  va_list args;

  va_start (args, first);
  for (const char *text = first; text != NULL; text = va_arg (args, const char *))
    g_ptr_array_add (array, satori_multiaddr_new_from_string (text, NULL));
  va_end (args);
  return array;
}

static SatoriPeerId *
peer_of (SatoriPrivateKey *key)
{
  return satori_peer_id_new_from_public_key (satori_private_key_get_public_key (key));
}

static GBytes *
sealed_bytes (SatoriPeerRecord *record, SatoriPrivateKey *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriEnvelope) envelope = satori_peer_record_seal (record, key, &error);

  g_assert_no_error (error);
  return satori_envelope_encode (envelope);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (5);
  g_autoptr(SatoriPeerId) peer = peer_of (key);
  g_autoptr(GPtrArray) addrs = addresses ("/ip4/127.0.0.1/tcp/4001", "/ip6/::1/tcp/4001", NULL);

  g_test_summary ("A sealed record opens to the same peer, seq and addresses");
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (peer, 1700000000000, addrs);
  g_autoptr(GBytes) bytes = sealed_bytes (record, key);
  g_autoptr(SatoriPeerRecord) opened = satori_peer_record_open (g_bytes_get_data (bytes, NULL),
                                                                g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_true (satori_peer_id_equal (opened->peer_id, peer));
  g_assert_cmpuint (opened->seq, ==, 1700000000000);
  g_assert_cmpuint (opened->addresses->len, ==, 2);
  g_autofree char *second = satori_multiaddr_to_string (g_ptr_array_index (opened->addresses, 1));
  g_assert_cmpstr (second, ==, "/ip6/::1/tcp/4001");
}

static void
test_payload_type (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (5);
  g_autoptr(SatoriPeerId) peer = peer_of (key);
  g_autoptr(GPtrArray) none = addresses (NULL, NULL);

  g_test_summary ("The payload type is 0x03 0x01 as go and js write it, and another type is refused");
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (peer, 1, none);
  g_autoptr(SatoriEnvelope) envelope = satori_peer_record_seal (record, key, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (satori_envelope_get_payload_type (envelope), NULL),
                   g_bytes_get_size (satori_envelope_get_payload_type (envelope)), "\x03\x01", 2);

  /* The same payload under another type, properly signed for the domain. */
  g_autoptr(GBytes) other_type = g_bytes_new_static ("\x03\x02", 2);
  g_autoptr(SatoriEnvelope) other = satori_envelope_seal (key, SATORI_PEER_RECORD_DOMAIN,
                                                          other_type,
                                                          satori_envelope_get_payload (envelope),
                                                          &error);
  g_autoptr(GBytes) bytes = satori_envelope_encode (other);
  g_assert_null (satori_peer_record_open (g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
}

static void
test_other_peer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (5);
  g_autoptr(SatoriPrivateKey) impostor = satori_test_secp256k1_key_filled (6);
  g_autoptr(SatoriPeerId) peer = peer_of (key);
  g_autoptr(GPtrArray) addrs = addresses ("/ip4/10.0.0.1/tcp/1", NULL);

  g_test_summary ("A record about one peer signed by another key is refused");
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (peer, 2, addrs);
  g_autoptr(GBytes) bytes = sealed_bytes (record, impostor);
  g_assert_null (satori_peer_record_open (g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), &error));
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
}

static void
test_bad_addresses_skipped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (5);
  g_autoptr(SatoriPeerId) peer = peer_of (key);
  g_autoptr(GPtrArray) addrs = addresses ("/ip4/10.0.0.1/tcp/1", NULL);

  g_test_summary ("An address that does not parse is skipped, the rest is kept");
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (peer, 3, addrs);
  g_autoptr(GBytes) encoded = satori_peer_record_encode (record);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_byte_array_append (bytes, g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));
  /* addresses { multiaddr: 0xff 0xff } */
  static const guint8 bad[] = { 0x1a, 0x04, 0x0a, 0x02, 0xff, 0xff };
  g_byte_array_append (bytes, bad, sizeof bad);
  g_autoptr(SatoriPeerRecord) decoded = satori_peer_record_decode (bytes->data, bytes->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->addresses->len, ==, 1);
  g_assert_cmpuint (decoded->seq, ==, 3);
}

static void
test_routing_state_flavour (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriPrivateKey) key = satori_test_secp256k1_key_filled (5);
  g_autoptr(SatoriPeerId) peer = peer_of (key);
  g_autoptr(GPtrArray) addrs = addresses ("/ip4/10.0.0.2/udp/1/quic-v1", NULL);

  g_test_summary ("A record as rust-libp2p seals it (RFC 0003's domain and type) opens too, "
                  "and only under its own domain");
  g_autoptr(SatoriPeerRecord) record = satori_peer_record_new (peer, 9, addrs);
  g_autoptr(GBytes) payload = satori_peer_record_encode (record);
  g_autoptr(GBytes) type = g_bytes_new_static ("/libp2p/routing-state-record", 28);
  const char *domains[] = { "libp2p-routing-state", SATORI_PEER_RECORD_DOMAIN };
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      g_autoptr(SatoriEnvelope) envelope = satori_envelope_seal (key, domains[i], type, payload,
                                                                 &error);
      g_assert_no_error (error);
      g_autoptr(GBytes) bytes = satori_envelope_encode (envelope);
      g_autoptr(SatoriPeerRecord) opened = satori_peer_record_open (g_bytes_get_data (bytes, NULL),
                                                                    g_bytes_get_size (bytes), &error);
      if (i == 0)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (opened->seq, ==, 9);
        }
      else
        {
          g_assert_null (opened);
          g_assert_error (error, SATORI_KEY_ERROR, SATORI_KEY_ERROR_MALFORMED);
          g_clear_error (&error);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/peer-record/seal/round-trip", test_round_trip);
  g_test_add_func ("/peer-record/open/payload-type", test_payload_type);
  g_test_add_func ("/peer-record/open/other-peer", test_other_peer);
  g_test_add_func ("/peer-record/open/routing-state-flavour", test_routing_state_flavour);
  g_test_add_func ("/peer-record/decode/bad-address-skipped", test_bad_addresses_skipped);
  return g_test_run ();
}
