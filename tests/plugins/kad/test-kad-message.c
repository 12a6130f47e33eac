/* The kad-dht message codec: round trips, the wire bytes of the spec's
 * protobuf, and refusal of bad input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "kad-test-util.h"
#include "satori-errors.h"
#include "satori-kad-message.h"

static void
test_round_trip (void)
{
  g_autoptr(GBytes) key = g_bytes_new_static ("/satori/sub/abc", 15);
  g_autoptr(SatoriKadMessage) message = satori_kad_message_new (SATORI_KAD_GET_PROVIDERS, key);
  message->record_key = g_bytes_ref (key);
  message->record_value = g_bytes_new_static ("value", 5);
  message->time_received = g_strdup ("2026-11-25T14:00:00Z");
  for (guint i = 0; i < 3; i++)
    {
      SatoriKadPeer *peer = kad_test_peer (i);
      peer->connection = SATORI_KAD_CAN_CONNECT;
      g_ptr_array_add (message->closer_peers, peer);
    }
  g_ptr_array_add (message->provider_peers, kad_test_peer (9));

  g_autoptr(GBytes) encoded = satori_kad_message_encode (message);
  gsize len;
  const guint8 *data = g_bytes_get_data (encoded, &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriKadMessage) back = satori_kad_message_decode (data, len,
                                                                SATORI_KAD_MAX_MESSAGE_SIZE,
                                                                &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->type, ==, SATORI_KAD_GET_PROVIDERS);
  g_assert_true (g_bytes_equal (back->key, key));
  g_assert_true (g_bytes_equal (back->record_key, key));
  g_assert_true (g_bytes_equal (back->record_value, message->record_value));
  g_assert_cmpstr (back->time_received, ==, "2026-11-25T14:00:00Z");
  g_assert_cmpuint (back->closer_peers->len, ==, 3);
  g_assert_cmpuint (back->provider_peers->len, ==, 1);
  for (guint i = 0; i < 3; i++)
    {
      SatoriKadPeer *a = message->closer_peers->pdata[i], *b = back->closer_peers->pdata[i];
      g_assert_true (g_bytes_equal (a->id, b->id));
      g_assert_cmpuint (b->addrs->len, ==, 1);
      g_assert_true (g_bytes_equal (a->addrs->pdata[0], b->addrs->pdata[0]));
      g_assert_cmpint (b->connection, ==, SATORI_KAD_CAN_CONNECT);
    }
}

/* The bytes any implementation sends for FIND_NODE("abc") and PING:
 * field 1 (type) varint, field 2 (key) bytes. */
static void
test_wire_bytes (void)
{
  static const guint8 find_node[] = { 0x08, 0x04, 0x12, 0x03, 'a', 'b', 'c' };
  g_autoptr(GBytes) key = g_bytes_new_static ("abc", 3);
  g_autoptr(SatoriKadMessage) message = satori_kad_message_new (SATORI_KAD_FIND_NODE, key);
  g_autoptr(GBytes) encoded = satori_kad_message_encode (message);
  g_assert_cmpmem (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded),
                   find_node, sizeof find_node);

  /* PUT_VALUE is 0, the proto3 default: type absent on the wire. */
  static const guint8 put_value[] = { 0x12, 0x01, 'k', 0x1a, 0x06, 0x0a, 0x01, 'k', 0x12, 0x01, 'v' };
  g_autoptr(SatoriKadMessage) put = satori_kad_message_decode (put_value, sizeof put_value,
                                                               SATORI_KAD_MAX_MESSAGE_SIZE, NULL);
  g_assert_nonnull (put);
  g_assert_cmpint (put->type, ==, SATORI_KAD_PUT_VALUE);
  g_assert_cmpmem (g_bytes_get_data (put->record_value, NULL), 1, "v", 1);
  g_assert_null (put->time_received);
}

static void
assert_refused (const guint8 *data, gsize len, gsize max, gint code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SatoriKadMessage) message = satori_kad_message_decode (data, len, max, &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_CODEC_ERROR, code);
}

static void
test_bad_input (void)
{
  static const guint8 truncated[] = { 0x12, 0x05, 'a' };
  static const guint8 unknown_type[] = { 0x08, 0x09 };
  static const guint8 empty_peer_id[] = { 0x42, 0x02, 0x0a, 0x00 };
  assert_refused (truncated, sizeof truncated, 1024, SATORI_CODEC_ERROR_MALFORMED);
  assert_refused (unknown_type, sizeof unknown_type, 1024, SATORI_CODEC_ERROR_MALFORMED);
  assert_refused (empty_peer_id, sizeof empty_peer_id, 1024, SATORI_CODEC_ERROR_MALFORMED);

  /* Over the size limit, and a key over the key limit. */
  g_autofree guint8 *long_key = g_malloc0 (SATORI_KAD_MAX_KEY_SIZE + 1);
  g_autoptr(GBytes) key = g_bytes_new (long_key, SATORI_KAD_MAX_KEY_SIZE + 1);
  g_autoptr(SatoriKadMessage) message = satori_kad_message_new (SATORI_KAD_GET_VALUE, key);
  g_autoptr(GBytes) encoded = satori_kad_message_encode (message);
  gsize len;
  const guint8 *data = g_bytes_get_data (encoded, &len);
  assert_refused (data, len, 100, SATORI_CODEC_ERROR_TOO_LARGE);
  assert_refused (data, len, SATORI_KAD_MAX_MESSAGE_SIZE, SATORI_CODEC_ERROR_TOO_LARGE);

  /* An unknown connection type reads as NOT_CONNECTED. */
  static const guint8 odd_connection[] = { 0x08, 0x04, 0x42, 0x05, 0x0a, 0x01, 'p', 0x18, 0x07 };
  g_autoptr(SatoriKadMessage) odd = satori_kad_message_decode (odd_connection, sizeof odd_connection,
                                                               1024, NULL);
  g_assert_nonnull (odd);
  g_assert_cmpint (((SatoriKadPeer *) odd->closer_peers->pdata[0])->connection, ==,
                   SATORI_KAD_NOT_CONNECTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("The kad-dht message codec");
  g_test_add_func ("/kad/message/round-trip", test_round_trip);
  g_test_add_func ("/kad/message/wire-bytes", test_wire_bytes);
  g_test_add_func ("/kad/message/bad-input", test_bad_input);
  return g_test_run ();
}
