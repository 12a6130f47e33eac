/* The AutoNAT v1 message: round trips, the wire bytes, bad input.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "satori-autonat-message.h"
#include "satori-test-util.h"

static void
test_dial_round_trip (void)
{
  g_autoptr(GBytes) id = g_bytes_new_static ("\x00\x04" "abcd", 6);
  g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_multiaddr_unref);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A DIAL with a peer id and two addresses decodes to what was encoded");
  g_ptr_array_add (addrs, satori_multiaddr_new_from_string ("/ip4/1.2.3.4/tcp/4001", NULL));
  g_ptr_array_add (addrs, satori_multiaddr_new_from_string ("/ip6/::1/tcp/5", NULL));
  g_autoptr(GBytes) wire = satori_autonat_message_encode_dial (id, addrs);
  g_autoptr(SatoriAutonatMessage) back = satori_autonat_message_decode (
    g_bytes_get_data (wire, NULL), g_bytes_get_size (wire), &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->type, ==, SATORI_AUTONAT_MESSAGE_DIAL);
  g_assert_true (g_bytes_equal (back->peer_id, id));
  g_assert_cmpuint (back->addrs->len, ==, 2);
  g_assert_true (satori_multiaddr_equal (back->addrs->pdata[0], addrs->pdata[0]));
  g_assert_true (satori_multiaddr_equal (back->addrs->pdata[1], addrs->pdata[1]));
}

static void
test_response_wire (void)
{
  g_autoptr(SatoriMultiaddr) addr = satori_multiaddr_new_from_string ("/ip4/1.2.3.4/tcp/1",
                                                                      NULL);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A DIAL_RESPONSE has the spec's field numbers and status values on the wire");
  g_autoptr(GBytes) wire = satori_autonat_message_encode_response (
    SATORI_AUTONAT_STATUS_E_DIAL_ERROR, "no", addr);
  /* type=1 (field 1), dialResponse (field 3) { status=100 (field 1),
   * statusText="no" (field 2), addr (field 3) }. */
  g_autoptr(GBytes) expected = satori_test_bytes_from_hex (
    "0801" "1a10" "0864" "12026e6f" "1a08" "0401020304060001");
  g_assert_true (g_bytes_equal (wire, expected));
  g_autoptr(SatoriAutonatMessage) back = satori_autonat_message_decode (
    g_bytes_get_data (wire, NULL), g_bytes_get_size (wire), &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->type, ==, SATORI_AUTONAT_MESSAGE_DIAL_RESPONSE);
  g_assert_true (back->has_status);
  g_assert_cmpint (back->status, ==, SATORI_AUTONAT_STATUS_E_DIAL_ERROR);
  g_assert_cmpstr (back->status_text, ==, "no");
  g_assert_true (satori_multiaddr_equal (back->addr, addr));
}

static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  SatoriAutonatMessage *message;
  guint8 big[SATORI_AUTONAT_MAX_MESSAGE_SIZE + 1] = { 0 };

  g_test_summary ("Malformed: not protobuf, no type, a DIAL without its body, text that is "
                  "not UTF-8; too large: over 8 KiB");
  message = satori_autonat_message_decode ((const guint8 *) "\xff\xff", 2, &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);

  message = satori_autonat_message_decode ((const guint8 *) "", 0, &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);

  message = satori_autonat_message_decode ((const guint8 *) "\x08\x00", 2, &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);

  g_autoptr(GBytes) bad_text = satori_test_bytes_from_hex ("0801" "1a05" "0800" "1201ff");
  message = satori_autonat_message_decode (g_bytes_get_data (bad_text, NULL),
                                           g_bytes_get_size (bad_text), &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_MALFORMED);
  g_clear_error (&error);

  message = satori_autonat_message_decode (big, sizeof big, &error);
  g_assert_null (message);
  g_assert_error (error, SATORI_CODEC_ERROR, SATORI_CODEC_ERROR_TOO_LARGE);
}

static void
test_addresses_bounded (void)
{
  g_autoptr(GBytes) id = g_bytes_new_static ("\x00\x01" "x", 3);
  g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func (
    (GDestroyNotify) satori_multiaddr_unref);
  g_autoptr(GError) error = NULL;

  g_test_summary ("A DIAL keeps at most 32 addresses; ones that do not parse are left out");
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("/ip4/1.2.3.4/tcp/%u", 1000 + i);
      g_ptr_array_add (addrs, satori_multiaddr_new_from_string (text, NULL));
    }
  g_autoptr(GBytes) wire = satori_autonat_message_encode_dial (id, addrs);
  g_autoptr(SatoriAutonatMessage) back = satori_autonat_message_decode (
    g_bytes_get_data (wire, NULL), g_bytes_get_size (wire), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->addrs->len, ==, SATORI_AUTONAT_MAX_ADDRS);

  /* DIAL { peer { id "x", addrs <bytes 0xff> } }: the address is dropped. */
  g_autoptr(GBytes) junk = satori_test_bytes_from_hex ("0800" "1208" "0a06" "0a0178" "1201ff");
  g_autoptr(SatoriAutonatMessage) dial = satori_autonat_message_decode (
    g_bytes_get_data (junk, NULL), g_bytes_get_size (junk), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dial->addrs->len, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (dial->peer_id), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/autonat/message/dial-round-trip", test_dial_round_trip);
  g_test_add_func ("/autonat/message/response-wire", test_response_wire);
  g_test_add_func ("/autonat/message/bad-input", test_bad_input);
  g_test_add_func ("/autonat/message/addresses-bounded", test_addresses_bounded);
  return g_test_run ();
}
